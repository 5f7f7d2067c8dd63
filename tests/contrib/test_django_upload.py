"""Direct upload with the test project (tests/contrib/djangosite): a real headless Chromium uploads through
the widget straight to the emulator (credentials from the protected auth view, CORS, progress bar), in the
admin and in a plain form; the server accepts only paths under the field's folder, of files that exist and
carry the tag of the claim submitted with them (the user's own upload)."""
from pathlib import Path

import pytest

from tests.contrib.djangosite.harness import inside, run_own_process

if not inside():
    def test_in_a_django_process_of_its_own():
        run_own_process(__file__)
else:

    PASSWORD = "correct horse battery"  # noqa: S105

    @pytest.fixture
    def admin_user(site):
        from django.contrib.auth.models import User
        from django.core.management import call_command
        call_command("flush", interactive=False, verbosity=0)
        return User.objects.create_superuser("ada", "ada@example.com", PASSWORD)

    @pytest.fixture
    def static_in_imagekit(site):
        """The widget's script is a static file of the app: collectstatic puts it in ImageKit's CDN (once
        per emulator: the browser tests keep the emulator's files)."""
        from django.core.management import call_command
        if site.store.by_path("/static/imagekitio/direct-upload.js") is None:
            call_command("collectstatic", interactive=False, verbosity=0)
        return site

    def picture(tmp_path, width=40, height=30):
        from tests import images
        path = Path(tmp_path) / "holiday photo.png"
        path.write_bytes(images.png(width, height))
        return path

    def log_in(browser, base):
        from selenium.webdriver.common.by import By
        browser.get(base + "/admin/login/?next=/admin/")
        browser.find_element(By.NAME, "username").send_keys("ada")
        browser.find_element(By.NAME, "password").send_keys(PASSWORD)
        browser.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
        wait(browser, lambda b: "/admin/login" not in b.current_url)

    def wait(browser, condition, timeout=20):
        from selenium.webdriver.support.ui import WebDriverWait
        return WebDriverWait(browser, timeout).until(condition)

    def upload_through_widget(browser, field, path):
        from selenium.webdriver.common.by import By
        root = browser.find_element(By.CSS_SELECTOR, f".imagekit-direct-upload:has(input[name={field}])")
        root.find_element(By.CSS_SELECTOR, "input.imagekit-file").send_keys(str(path))
        wait(browser, lambda b: root.get_attribute("data-state") in ("done", "error"))
        status = root.find_element(By.CSS_SELECTOR, ".imagekit-status").text
        assert root.get_attribute("data-state") == "done", status
        progress = root.find_element(By.CSS_SELECTOR, "progress.imagekit-progress")
        assert progress.get_attribute("value") == "100"
        value = root.find_element(By.CSS_SELECTOR, f"input[name={field}]").get_attribute("value")
        path, claim = value.rsplit("|", 1)  # the form submits the path with the claim it was uploaded under
        assert path and claim
        return path

    def test_admin_add_form_uploads_straight_to_imagekit(chromium, live_server, admin_user, static_in_imagekit,
                                                         tmp_path):
        fresh = static_in_imagekit
        from selenium.webdriver.common.by import By

        from tests.contrib.djangosite.gallery.models import Photo
        log_in(chromium, live_server)
        chromium.get(live_server + "/admin/gallery/photo/add/")
        scripts = [s.get_attribute("src") for s in chromium.find_elements(By.TAG_NAME, "script")]
        assert fresh.url_endpoint + "/static/imagekitio/direct-upload.js" in scripts  # from the CDN, no internet
        before = len(fresh.requests)
        path = upload_through_widget(chromium, "image", picture(tmp_path))
        assert path.startswith("/photos/uploads/holiday_photo") or path.startswith("/photos/uploads/holiday photo")
        # The file went from the browser to ImageKit (cross-origin), not through Django.
        assert ("POST", "/api/v1/files/upload") in list(fresh.requests)[before:]
        chromium.find_element(By.NAME, "title").send_keys("Holiday")
        chromium.find_element(By.NAME, "_save").click()
        wait(chromium, lambda b: b.current_url.rstrip("/").endswith("/admin/gallery/photo"))
        photo = Photo.objects.get(title="Holiday")
        assert "/photos/" + photo.image.name == path
        assert fresh.store.by_path(path)["width"] == 40
        assert [t for t in fresh.store.by_path(path)["tags"] if t.startswith("ikclaim-")]  # uploaded with the tag

    def test_plain_form_uploads_and_shows_variants(chromium, live_server, admin_user, static_in_imagekit, tmp_path):
        from selenium.webdriver.common.by import By

        from tests.contrib.djangosite.gallery.models import Photo
        log_in(chromium, live_server)
        chromium.get(live_server + "/photos/new/")
        path = upload_through_widget(chromium, "image", picture(tmp_path, 400, 300))
        chromium.find_element(By.NAME, "title").send_keys("Plain")
        chromium.find_element(By.ID, "save").click()
        wait(chromium, lambda b: "/photos/new" not in b.current_url)
        photo = Photo.objects.get(title="Plain")
        assert "/photos/" + photo.image.name == path
        # The detail page: the thumb variant is rendered by the emulator at 200 px wide.
        thumb = chromium.find_element(By.ID, "thumb")
        assert "/tr:w-200,h-200,c-at_max" + path in thumb.get_attribute("src")
        wait(chromium, lambda b: b.execute_script("return arguments[0].complete && arguments[0].naturalWidth",
                                                  thumb))
        assert chromium.execute_script("return arguments[0].naturalWidth", thumb) == 200

    def test_the_page_without_a_login_gets_no_credentials(live_server):
        import requests
        for url in ("/imagekit/auth/", "/imagekit/auth/?claim=1"):
            assert requests.get(live_server + url, timeout=5).status_code in (401, 403)

    def test_another_users_upload_cannot_be_attached_by_its_path(chromium, live_server, admin_user,
                                                                 static_in_imagekit, tmp_path):
        """Alice's file is in the same folder and its path is known: the attacker's form (with the attacker's
        own fresh claim from the page) is refused, and nothing is saved."""
        from selenium.webdriver.common.by import By

        from tests.contrib.djangosite.gallery.models import Photo
        alice = static_in_imagekit.client().upload_file(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "alice.gif", {
            "folder": "/photos/uploads", "use_unique_file_name": False, "tags": claim()["claimTag"]})
        log_in(chromium, live_server)
        chromium.get(live_server + "/photos/new/")
        upload_through_widget(chromium, "image", picture(tmp_path))
        hidden = chromium.find_element(By.CSS_SELECTOR, "input[name=image]")
        own_claim = hidden.get_attribute("value").rsplit("|", 1)[1]
        chromium.execute_script("arguments[0].value = arguments[1]", hidden, alice.file_path + "|" + own_claim)
        chromium.find_element(By.NAME, "title").send_keys("Stolen")
        chromium.find_element(By.ID, "save").click()
        wait(chromium, lambda b: "not uploaded through this form" in b.page_source)
        assert not Photo.objects.filter(title="Stolen").exists()

    # ---- the server side of the field, without a browser
    def post_form(data):
        from tests.contrib.djangosite.gallery.forms import PhotoForm
        return PhotoForm(data)

    def claim():
        """What the auth view hands the widget with ``?claim=1``."""
        from imagekitio.contrib.django.forms import new_upload_claim
        return new_upload_claim()

    def test_the_auth_view_hands_out_a_claim_only_when_asked(admin_user):
        from django.test import Client
        browser = Client()
        browser.force_login(admin_user)
        plain, claimed = browser.get("/imagekit/auth/").json(), browser.get("/imagekit/auth/?claim=1").json()
        assert "claim" not in plain and {"token", "signature", "expire", "publicKey"} <= set(plain)
        assert claimed["claimTag"].startswith("ikclaim-") and len(claimed["claimTag"]) == len("ikclaim-") + 32
        assert claimed["claimTag"] not in claimed["claim"]  # the tag cannot be read off the claim
        assert claimed["claim"] != browser.get("/imagekit/auth/?claim=1").json()["claim"]  # one per upload

    def test_the_field_accepts_only_the_users_own_upload_under_its_folder(fresh):
        client = fresh.client()
        mine, theirs = claim(), claim()
        client.upload_file(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "mine.gif",
                           {"folder": "/photos/uploads", "use_unique_file_name": False, "tags": [mine["claimTag"]]})
        client.upload_file(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "theirs.gif",
                           {"folder": "/photos/uploads", "use_unique_file_name": False, "tags": [theirs["claimTag"]]})
        client.upload_file(b"secret", "contract.txt", {"folder": "/docs/private", "use_unique_file_name": False})
        client.upload_file(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "other.gif",
                           {"folder": "/photos/elsewhere", "use_unique_file_name": False})
        good = post_form({"title": "t", "image": "/photos/uploads/mine.gif|" + mine["claim"]})
        assert good.is_valid(), good.errors
        assert good.save().image.name == "uploads/mine.gif"  # the claim never reaches the model
        for path in ("/docs/private/contract.txt", "/photos/elsewhere/other.gif", "/photos/uploadsX/mine.gif",
                     "/photos/uploads/../elsewhere/other.gif", "uploads/mine.gif", "/photos/uploads"):
            form = post_form({"title": "t", "image": path + "|" + mine["claim"]})
            assert not form.is_valid() and "not in the folder" in str(form.errors["image"]), path
        for value in ("/photos/uploads/theirs.gif|" + mine["claim"], "/photos/uploads/theirs.gif",
                      "/photos/uploads/mine.gif", "/photos/uploads/mine.gif|" + mine["claim"][:-2]):
            form = post_form({"title": "t", "image": value})
            assert not form.is_valid() and "not uploaded through this form" in str(form.errors["image"]), value
        missing = post_form({"title": "t", "image": "/photos/uploads/never-uploaded.gif|" + mine["claim"]})
        assert not missing.is_valid() and "not found" in str(missing.errors["image"])
        assert not post_form({"title": "t", "image": ""}).is_valid()  # required

    def test_editing_keeps_the_current_file_and_an_optional_field_can_be_cleared(fresh):
        from django.core.files.base import ContentFile

        from tests.contrib.djangosite.gallery.forms import PhotoForm
        from tests.contrib.djangosite.gallery.models import Document, Photo
        photo = Photo(title="old")
        photo.image.save("old.gif", ContentFile(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"))
        fresh.store.files.clear()  # even if the file was since lost, an unchanged value is kept as is
        form = PhotoForm({"title": "renamed", "image": "uploads/old.gif"}, instance=photo)
        assert form.is_valid(), form.errors
        assert not form.has_changed() or form.changed_data == ["title"]
        assert form.save().image.name == "uploads/old.gif"

        from django import forms as django_forms
        DocumentForm = django_forms.modelform_factory(Document, fields=["title", "file"])  # noqa: N806
        document = Document.objects.create(title="d", file="files/2026/a.pdf")
        cleared = DocumentForm({"title": "d", "file": ""}, instance=document)
        assert cleared.is_valid(), cleared.errors
        assert cleared.save().file.name == ""
        html = DocumentForm(instance=Document.objects.create(title="e", file="files/2026/b.pdf")).as_p()
        assert 'data-folder="/docs/files"' in html and 'value="files/2026/b.pdf"' in html
        assert 'class="imagekit-clear"' in html and "ik-s=" in html  # a private file's link is signed

"""Audit of issue 21 with the test project (tests/contrib/djangosite): the migrations match the models, rows
a default manager hides still reference their files (orphans, the media move, cleanup), the media move
from any Storage (one without size()) is resumable and limited to the models named, cleanup on clearing
a file and on replacing it through the direct-upload form, and pages with the widget load nothing from
outside the project and its ImageKit."""
import re
from io import StringIO

from tests.contrib.djangosite.harness import inside, run_own_process

if not inside():
    def test_in_a_django_process_of_its_own():
        run_own_process(__file__)
else:
    from django.core.files.base import ContentFile
    from django.core.files.storage import Storage

    from tests.contrib.djangosite.harness import uploads

    class MemoryStorage(Storage):
        """A Storage with only what the base class asks for: no path(), no size() (remote storages)."""
        files = {}

        def _open(self, name, mode="rb"):
            return ContentFile(self.files[name], name=name)

        def _save(self, name, content):
            self.files[name] = content.read()
            return name

        def exists(self, name):
            return name in self.files

    def command(*args, **options):
        from django.core.management import call_command
        out, err = StringIO(), StringIO()
        call_command(*args, stdout=out, stderr=err, **options)
        return out.getvalue(), err.getvalue()

    def test_migrations_match_the_models(site):
        from django.core.management import call_command
        call_command("makemigrations", "gallery", check=True, dry_run=True, verbosity=0)  # SystemExit if not

    def test_rows_the_default_manager_hides_still_reference_their_files(fresh):
        from imagekitio.contrib.django.signals import cleanup
        from tests.contrib.djangosite.gallery.models import Poster
        archived = Poster(title="old", archived=True)
        archived.image.save("old.txt", ContentFile(b"archived poster"))
        assert not Poster.objects.exists() and Poster.everything.count() == 1

        out, _ = command("imagekit_orphans", "gallery.Poster", delete=True, min_age=0)
        assert "0 orphans in /posters" in out and fresh.store.by_path("/posters/old.txt") is not None

        cleanup(Poster)  # a shown row sharing the file is deleted: the archived row still uses it
        Poster.objects.create(title="shown", image="old.txt").delete()
        assert fresh.store.by_path("/posters/old.txt") is not None

    def test_move_media_from_any_storage_is_resumable_and_limited_to_the_models_named(fresh):
        from tests.contrib.djangosite.gallery.models import Attachment, Poster
        MemoryStorage.files.clear()
        MemoryStorage.files.update({"a.txt": b"first poster", "b.txt": b"second", "legacy/x.txt": b"attachment"})
        Poster.everything.create(title="a", image="a.txt", archived=True)  # hidden rows are moved too
        Poster.objects.create(title="b", image="b.txt")
        Attachment.objects.create(title="x", file="legacy/x.txt")
        source = f"{__name__}.MemoryStorage"

        out, _ = command("imagekit_move_media", "gallery.Poster", source=source)
        assert "2 copied" in out and "0 failed" in out, out
        assert sorted(f["filePath"] for f in fresh.store.files.values()) == ["/posters/a.txt", "/posters/b.txt"]
        assert fresh.store.by_path("/media/legacy/x.txt") is None  # Attachment was not named

        before, files = uploads(fresh), len(fresh.store.files)
        out, _ = command("imagekit_move_media", "gallery.Poster", source=source)
        assert "0 copied, 2 already in ImageKit" in out and uploads(fresh) == before and len(fresh.store.files) == files
        assert sorted(Poster.everything.values_list("image", flat=True)) == ["a.txt", "b.txt"]

    def test_clearing_a_file_deletes_it_after_commit(fresh):
        from tests.contrib.djangosite.gallery.models import Photo
        photo = Photo(title="p")
        photo.image.save("cleared.png", ContentFile(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"))
        photo = Photo.objects.get(pk=photo.pk)
        photo.image = None
        photo.save()
        assert fresh.store.by_path("/photos/uploads/cleared.png") is None

    def test_replacing_through_the_direct_upload_form_deletes_the_old_file(fresh):
        from tests.contrib.djangosite.gallery.forms import PhotoForm
        from tests.contrib.djangosite.gallery.models import Photo
        from imagekitio.contrib.django.forms import new_upload_claim
        client, claim = fresh.client(), new_upload_claim()  # as the widget uploads: with its claim's tag
        for name in ("before.gif", "after.gif"):
            client.upload_file(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", name,
                               {"folder": "/photos/uploads", "use_unique_file_name": False,
                                "tags": [claim["claimTag"]]})
        photo = Photo.objects.create(title="t", image="uploads/before.gif")
        form = PhotoForm({"title": "t", "image": "/photos/uploads/after.gif|" + claim["claim"]},
                         instance=Photo.objects.get(pk=photo.pk))
        assert form.is_valid(), form.errors
        assert form.save().image.name == "uploads/after.gif"
        assert fresh.store.by_path("/photos/uploads/before.gif") is None
        assert fresh.store.by_path("/photos/uploads/after.gif") is not None

    def test_pages_with_the_widget_load_nothing_from_outside(fresh):
        from django.contrib.auth.models import User
        from django.test import Client
        User.objects.create_superuser("eve", "eve@example.com", "pw")
        browser = Client()
        browser.force_login(User.objects.get(username="eve"))
        for page in ("/admin/gallery/photo/add/", "/photos/new/"):
            html = browser.get(page).content.decode()
            assert 'class="imagekit-direct-upload"' in html and "imagekitio/direct-upload.js" in html, page
            for url in re.findall(r'(?:src|href|data-[a-z-]+-url)="([^"]+)"', html):
                assert url.startswith(("/", "#", fresh.url_endpoint, fresh.upload_base_url)), (page, url)

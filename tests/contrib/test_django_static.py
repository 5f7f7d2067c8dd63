"""collectstatic into ImageKit with the test project (tests/contrib/djangosite): plain and manifest storages,
a second run uploads nothing, unchanged content is never uploaded again, {% static %} gives CDN URLs."""
import os
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

from tests.contrib.djangosite.harness import inside, run_own_process

if not inside():
    def test_in_a_django_process_of_its_own():
        run_own_process(__file__)
else:
    from tests.contrib.djangosite.harness import uploads

    MANIFEST = "imagekitio.contrib.django.staticfiles.ImageKitManifestStaticStorage"
    PLAIN = "imagekitio.contrib.django.staticfiles.ImageKitStaticStorage"

    def collectstatic(**options):
        from io import StringIO

        from django.core.management import call_command
        out = StringIO()
        call_command("collectstatic", interactive=False, verbosity=1, stdout=out, **options)
        return out.getvalue()

    @contextmanager
    def static_backend(backend):
        import django
        from django.conf import settings
        from django.test import override_settings
        if django.VERSION >= (4, 2):
            changed = {"STORAGES": {**settings.STORAGES, "staticfiles": {"BACKEND": backend}}}
        else:
            changed = {"STATICFILES_STORAGE": backend}
        with override_settings(**changed):
            yield

    def render(text):
        from django.template import engines
        return engines["django"].from_string("{% load static %}" + text).render({})

    def extra(name):
        from django.conf import settings
        return Path(settings.STATICFILES_DIRS[0]) / name

    def test_collectstatic_uploads_once_and_static_gives_cdn_urls(fresh):
        extra("notes.txt").write_text("first words")
        before = uploads(fresh)
        collectstatic()
        first = uploads(fresh) - before
        listed = {f["filePath"] for f in fresh.store.files.values()}
        assert {"/static/gallery/site.css", "/static/gallery/img/dot.png", "/static/notes.txt",
                "/static/imagekitio/direct-upload.js", "/static/admin/css/base.css"} <= listed
        assert first == len(listed)  # one upload per file, and only static files
        url = render("{% static 'gallery/site.css' %}")
        assert url == fresh.url_endpoint + "/static/gallery/site.css"
        answer = requests.get(url, timeout=5)
        assert answer.content.startswith(b"body { background") and answer.headers["Content-Type"] == "text/css"

        # Second run: every file is known with the same content: nothing is uploaded.
        before = uploads(fresh)
        collectstatic()
        assert uploads(fresh) - before == 0

        # Sources touched (a fresh checkout): collectstatic deletes and saves again, but the content is
        # the same, so the storage neither uploads nor deletes anything.
        future = time.time() + 3600
        extra("more.txt").write_text("more words")
        collectstatic()
        for name in ("notes.txt", "more.txt"):
            os.utime(extra(name), (future, future))
        ids = {f["filePath"]: f["fileId"] for f in fresh.store.files.values()}
        before = uploads(fresh)
        output = collectstatic()
        assert uploads(fresh) - before == 0 and "2 static files copied" in output
        assert {f["filePath"]: f["fileId"] for f in fresh.store.files.values()} == ids

        # One file changed: exactly that one is uploaded, in place.
        extra("notes.txt").write_text("second words")
        os.utime(extra("notes.txt"), (future + 60, future + 60))
        before = uploads(fresh)
        collectstatic()
        assert uploads(fresh) - before == 1
        assert requests.get(fresh.url_endpoint + "/static/notes.txt", timeout=5).text == "second words"

    def test_a_file_gone_from_the_sources_is_deleted_with_clear(fresh):
        extra("gone.txt").write_text("soon gone")
        collectstatic()
        assert fresh.store.by_path("/static/gone.txt") is not None
        extra("gone.txt").unlink()
        kept = fresh.store.by_path("/static/gallery/site.css")["fileId"]
        before = uploads(fresh)
        collectstatic(clear=True)
        assert fresh.store.by_path("/static/gone.txt") is None  # deleted at the end of the run
        # --clear asked for everything to go, but what comes back with the same content is left in place.
        assert fresh.store.by_path("/static/gallery/site.css")["fileId"] == kept and uploads(fresh) == before

    def test_manifest_storage_hashes_names_and_uploads_nothing_the_second_time(fresh):
        with static_backend(MANIFEST):
            from django.contrib.staticfiles.storage import staticfiles_storage
            collectstatic()
            css = render("{% static 'gallery/site.css' %}")
            assert css.startswith(fresh.url_endpoint + "/static/gallery/site.") and css.endswith(".css")
            assert css != fresh.url_endpoint + "/static/gallery/site.css"
            content = requests.get(css, timeout=5).text
            dot = staticfiles_storage.stored_name("gallery/img/dot.png")
            assert dot != "gallery/img/dot.png" and f'url("img/{dot.split("/")[-1]}")' in content
            assert fresh.store.by_path("/static/staticfiles.json") is not None

            before, names = uploads(fresh), list(staticfiles_storage.uploaded)
            collectstatic()
            assert uploads(fresh) - before == 0, staticfiles_storage.uploaded[len(names):]

        # A new process (a new storage) reads the manifest back from ImageKit.
        with static_backend(MANIFEST):
            assert render("{% static 'gallery/site.css' %}") == css
        with static_backend(PLAIN):
            assert render("{% static 'gallery/site.css' %}") == fresh.url_endpoint + "/static/gallery/site.css"

    def test_static_storage_refuses_names_outside_its_location(fresh):
        from imagekitio.contrib.django.staticfiles import ImageKitStaticStorage
        with pytest.raises(ValueError):
            ImageKitStaticStorage().exists("../media/secret.txt")

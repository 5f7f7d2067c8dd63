"""Named variants (IMAGEKIT["VARIANTS"]) in templates and on model files, and the opt-in cleanup of replaced
and deleted files after commit, with the test project (tests/contrib/djangosite)."""
import pytest
import requests

from tests.contrib.djangosite.harness import inside, run_own_process

if not inside():
    def test_in_a_django_process_of_its_own():
        run_own_process(__file__)
else:

    def new_photo(title="Sunset", width=400, height=300, name="sunset.png"):
        from django.core.files.base import ContentFile

        from tests import images
        from tests.contrib.djangosite.gallery.models import Photo
        photo = Photo(title=title)
        photo.image.save(name, ContentFile(images.png(width, height)))
        return photo

    def test_variants_in_templates_and_on_the_model_file(fresh):
        from django.test import Client
        photo = new_photo()
        base = fresh.url_endpoint
        assert photo.image.ik("thumb") == f"{base}/tr:w-200,h-200,c-at_max/photos/uploads/sunset.png"
        assert photo.image.ik("hero") == f"{base}/tr:w-1200,q-80/photos/uploads/sunset.png"
        assert photo.image.ik("card") == f"{base}/tr:w-400:rt-90/photos/uploads/sunset.png"
        assert photo.image.ik() == photo.image.url == f"{base}/photos/uploads/sunset.png"
        assert photo.image.ik(width=80) == f"{base}/tr:w-80/photos/uploads/sunset.png"

        html = Client().get(f"/photos/{photo.pk}/").content.decode()
        assert f'id="thumb" src="{photo.image.ik("thumb")}"' in html
        assert f'data-card="{photo.image.ik("card")}"' in html
        # A variant and an extra step chain: the variant's steps first.
        assert f'{base}/tr:w-200,h-200,c-at_max:q-50/photos/uploads/sunset.png' in html
        # No processing here: ImageKit (the emulator) renders the variant on request.
        from PIL import Image
        import io
        rendered = Image.open(io.BytesIO(requests.get(photo.image.ik("thumb"), timeout=10).content))
        assert rendered.size == (200, 150)

    def test_variant_of_a_private_file_is_signed_and_unknown_variants_are_refused(fresh):
        from django.core.exceptions import ImproperlyConfigured
        from django.core.files.base import ContentFile
        from django.template import engines
        from django.test import override_settings

        from tests import images
        from tests.contrib.djangosite.gallery.models import Document
        document = Document(title="scan")
        document.file.save("scan.png", ContentFile(images.png(300, 300)))
        url = document.file.ik("thumb")
        assert "/tr:w-200,h-200,c-at_max/docs/files/" in url and "ik-s=" in url
        assert requests.get(url, timeout=10).status_code == 200
        assert requests.get(url.split("?")[0], timeout=10).status_code == 401
        with pytest.raises(ImproperlyConfigured, match="unknown ImageKit variant 'huge'.*card, hero, thumb"):
            document.file.ik("huge")
        template = engines["django"].from_string('{% load imagekitio %}{% ik_url doc.file "huge" %}')
        with pytest.raises(ImproperlyConfigured):
            template.render({"doc": document})
        with override_settings(IMAGEKIT={"VARIANTS": {"bad": "w-200"}}), pytest.raises(ImproperlyConfigured):
            document.file.ik("bad")
        # A plain path with a variant, and a value from the request cannot add steps.
        plain = engines["django"].from_string('{% load imagekitio %}{% ik_url "/a.png" "thumb" width=w %}')
        assert plain.render({"w": 50}).endswith("/tr:w-200,h-200,c-at_max:w-50/a.png")
        with pytest.raises(ValueError):
            plain.render({"w": "50,e-grayscale"})

    def test_replaced_and_deleted_files_are_deleted_after_commit(fresh):
        from django.core.files.base import ContentFile
        from django.db import transaction

        from tests import images
        from tests.contrib.djangosite.gallery.models import Photo
        photo = new_photo(name="first.png")
        assert fresh.store.by_path("/photos/uploads/first.png") is not None

        # Replaced inside a transaction that rolls back: nothing is deleted.
        with pytest.raises(RuntimeError), transaction.atomic():
            again = Photo.objects.get(pk=photo.pk)
            again.image.save("second.png", ContentFile(images.png(2, 2)))
            assert fresh.store.by_path("/photos/uploads/first.png") is not None  # not before the commit
            raise RuntimeError("rolled back")
        assert fresh.store.by_path("/photos/uploads/first.png") is not None

        # Replaced and committed: the old file goes, the new one stays.
        with transaction.atomic():
            photo = Photo.objects.get(pk=photo.pk)
            photo.image.save("third.png", ContentFile(images.png(2, 2)))
            assert fresh.store.by_path("/photos/uploads/first.png") is not None
        assert fresh.store.by_path("/photos/uploads/first.png") is None
        assert fresh.store.by_path("/photos/uploads/third.png") is not None

        # A file two rows share stays until the last of them is deleted.
        twin = Photo.objects.create(title="twin", image=photo.image.name)
        photo.delete()
        assert fresh.store.by_path("/photos/uploads/third.png") is not None
        twin.delete()
        assert fresh.store.by_path("/photos/uploads/third.png") is None

    def test_cleanup_is_opt_in(fresh):
        from django.core.files.base import ContentFile

        from tests.contrib.djangosite.gallery.models import Document
        document = Document(title="kept")  # Document is not in IMAGEKIT["CLEANUP"]
        document.file.save("keep.txt", ContentFile(b"keep me"))
        path = "/docs/" + document.file.name
        document.delete()
        assert fresh.store.by_path(path) is not None

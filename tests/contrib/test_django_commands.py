"""The management commands with the test project (tests/contrib/djangosite): imagekit_move_media moves files
from disk to ImageKit, survives an interruption and an ImageKit fault, and is re-run to completion;
imagekit_orphans lists and deletes files no row references."""
from io import StringIO
from pathlib import Path

import pytest

from tests.contrib.djangosite.harness import inside, run_own_process

if not inside():
    def test_in_a_django_process_of_its_own():
        run_own_process(__file__)
else:
    from tests.contrib.djangosite.harness import uploads

    def command(*args, **options):
        from django.core.management import call_command
        out, err = StringIO(), StringIO()
        call_command(*args, stdout=out, stderr=err, **options)
        return out.getvalue(), err.getvalue()

    def on_disk(name, data):
        from django.conf import settings
        path = Path(settings.MEDIA_ROOT) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return name

    def rows_point_at_files(server):
        """Every row whose name was changed names a file that exists in ImageKit (the invariant)."""
        from tests.contrib.djangosite.gallery.models import Attachment
        for row in Attachment.objects.all():
            original = row.title.split("|")[1]
            if row.file.name != original:
                assert server.store.by_path("/media/" + row.file.name) is not None, row.file.name

    @pytest.fixture
    def legacy(fresh):
        """Six rows over five files on disk (two rows share one), a row whose file is gone, and a file of
        another name already in ImageKit where one of them is going."""
        from tests.contrib.djangosite.gallery.models import Attachment
        from tests import images
        files = {f"legacy/report-{n}.txt": f"report {n}".encode() for n in range(4)}
        files["covers/front.png"] = images.png(3, 2)
        for name, data in files.items():
            on_disk(name, data)
        for n, name in enumerate(sorted(files)):
            if name.startswith("legacy/"):
                Attachment.objects.create(title=f"a{n}|{name}", file=name)
        Attachment.objects.create(title="shared|legacy/report-0.txt", file="legacy/report-0.txt",
                                  cover="covers/front.png")
        Attachment.objects.create(title="lost|legacy/lost.txt", file="legacy/lost.txt")
        # Someone else's file already holds one of the names in ImageKit: that row must get another name.
        fresh.client().upload_file(b"not the report", "report-3.txt",
                                   {"folder": "/media/legacy", "use_unique_file_name": False})
        return files

    def test_move_media_survives_an_interruption_and_a_fault_then_completes(legacy, fresh, monkeypatch):
        from imagekitio.contrib.django.storage import ImageKitStorage
        from tests.contrib.djangosite.gallery.models import Attachment

        # A dry run changes nothing.
        out, _ = command("imagekit_move_media", "gallery.Attachment", dry_run=True)
        assert "Dry run: 5 copied" in out and len(fresh.store.files) == 1

        # First run: Ctrl-C during the third upload.
        real_save, calls = ImageKitStorage._save, []

        def interrupted(self, name, content):
            calls.append(name)
            if len(calls) == 3:
                raise KeyboardInterrupt
            return real_save(self, name, content)
        monkeypatch.setattr(ImageKitStorage, "_save", interrupted)
        with pytest.raises(KeyboardInterrupt):
            command("imagekit_move_media", "gallery")
        monkeypatch.setattr(ImageKitStorage, "_save", real_save)
        assert len(fresh.store.files) == 3  # the stranger's file and two copies
        rows_point_at_files(fresh)

        # Second run: ImageKit resets the connection after storing the next upload (the client cannot know
        # whether it worked); the command counts a failure, changes no row for it, and goes on.
        fresh.inject("POST", r"/api/v1/files/upload", drop_after=True, times=1)
        from django.core.management.base import CommandError
        with pytest.raises(CommandError, match="1 files failed"):
            command("imagekit_move_media", "gallery")
        rows_point_at_files(fresh)

        # Third run: whatever is left; files already there (same size) are not uploaded again.
        out, err = command("imagekit_move_media", "gallery")
        assert "0 failed" in out and "1 missing from the source" in out, (out, err.splitlines())
        assert "legacy/lost.txt is missing" in err
        rows_point_at_files(fresh)
        for row in Attachment.objects.exclude(title__startswith="lost"):
            stored = fresh.store.by_path("/media/" + row.file.name)
            assert stored is not None
            with row.file.open("rb") as handle:  # read back through the CDN
                assert handle.read() == legacy[row.title.split("|")[1]]
        clash = Attachment.objects.get(title__startswith="a", title__endswith="|legacy/report-3.txt")
        assert clash.file.name != "legacy/report-3.txt" and clash.file.name.startswith("legacy/report-3")
        assert fresh.store.by_path("/media/legacy/report-3.txt") is not None  # the stranger's file is untouched
        assert Attachment.objects.get(title__startswith="lost").file.name == "legacy/lost.txt"
        shared = Attachment.objects.get(title__startswith="shared")
        assert shared.cover.name == "covers/front.png" and fresh.store.by_path("/media/covers/front.png")

        # A fourth run has nothing left to do.
        before = uploads(fresh)
        out, _ = command("imagekit_move_media", "gallery")
        assert uploads(fresh) == before and "0 copied" in out and "0 rows updated" in out

    def test_move_media_from_a_field_still_on_the_file_system(fresh, tmp_path):
        """Before switching the field: --source reads any Storage, --location names the ImageKit folder."""
        from django.core.files.base import ContentFile
        from django.core.files.storage import FileSystemStorage
        from django.test import override_settings

        from tests.contrib.djangosite.gallery.models import Attachment
        with override_settings(MEDIA_ROOT=str(tmp_path)):
            FileSystemStorage().save("legacy/old.txt", ContentFile(b"old bytes"))
            Attachment.objects.create(title="old", file="legacy/old.txt")
            out, _ = command("imagekit_move_media", "gallery.Attachment",
                             source="django.core.files.storage.FileSystemStorage")
        assert "1 copied" in out
        assert fresh.store.by_path("/media/legacy/old.txt")["size"] == len(b"old bytes")

    def test_move_media_refuses_an_unknown_model():
        from django.core.management.base import CommandError
        with pytest.raises(CommandError):
            command("imagekit_move_media", "gallery.Nope")

    def test_orphans_are_listed_then_deleted_and_young_files_are_left_alone(fresh):
        from django.core.files.base import ContentFile

        from tests.contrib.djangosite.gallery.models import Photo
        from tests import images
        photo = Photo(title="kept")
        photo.image.save("kept.png", ContentFile(images.png(2, 2)))
        client = fresh.client()
        client.upload_file(images.png(2, 2), "stray.png", {"folder": "/photos/uploads", "use_unique_file_name": False})
        client.upload_file(b"x", "abandoned.txt", {"folder": "/photos/elsewhere", "use_unique_file_name": False})
        client.upload_file(b"body{}", "site.css", {"folder": "/static", "use_unique_file_name": False})
        client.upload_file(b"y", "unused.txt", {"folder": "/media", "use_unique_file_name": False})

        out, _ = command("imagekit_orphans")  # everything is younger than an hour
        assert "0 orphans" in out and "younger" in out and len(fresh.store.files) == 5

        out, _ = command("imagekit_orphans", min_age=0)
        listed = [line for line in out.splitlines() if line.startswith("/")]
        assert listed == ["/media/unused.txt", "/photos/elsewhere/abandoned.txt", "/photos/uploads/stray.png"]
        assert "dry run" in out and len(fresh.store.files) == 5

        # Only one location; the static files under "/" are never orphans.
        out, _ = command("imagekit_orphans", location=["/"], min_age=0)
        assert "/static/site.css" not in out and "/photos/uploads/kept.png" not in out

        out, _ = command("imagekit_orphans", delete=True, min_age=0)
        assert "3 orphans" in out and "3 deleted" in out
        assert sorted(f["filePath"] for f in fresh.store.files.values()) == ["/photos/uploads/kept.png",
                                                                            "/static/site.css"]

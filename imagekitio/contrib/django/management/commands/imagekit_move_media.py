"""``manage.py imagekit_move_media [app_label[.Model] ...]``: copy the files that ``FileField`` and
``ImageField`` rows reference from the storage they are in now to ImageKit, then point the rows at them.

The source is ``--source`` (an alias of ``STORAGES`` or a storage class's dotted path), else the field's
own storage when it is not ImageKit yet, else the file system (``MEDIA_ROOT``). The target is the field's
storage when it is an ``ImageKitStorage`` (you switched the field and the files still lie on disk), else
an ``ImageKitStorage(location=--location)``.

Each file is uploaded first and its row updated after, in one statement that also requires the row to
still hold the old name, so a row never points at a file that is not there and a row edited meanwhile
is left alone. Re-running after an interruption (Ctrl-C, a crash, an ImageKit error) skips files already
in ImageKit with the same size, so it picks up where it stopped. ``--dry-run`` only reports.
"""
from typing import Any, Dict, Optional

from django.core.files.storage import FileSystemStorage, Storage
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.module_loading import import_string

from ...storage import ImageKitStorage
from ._common import file_fields


def _storage(spec: str) -> Storage:
    try:
        from django.core.files.storage import storages  # Django 4.2+
        if "." not in spec:
            return storages[spec]
    except ImportError:
        pass
    try:
        made = import_string(spec)()
    except ImportError as error:
        raise CommandError(f"--source: no storage alias or class {spec!r}") from error
    if not isinstance(made, Storage):
        raise CommandError(f"--source: {spec!r} is not a Storage")
    return made


def _length(source: Storage, name: str) -> int:
    """The file's length read through ``open`` (-1 if that fails too: the copy then reports the error)."""
    try:
        with source.open(name, "rb") as content:
            return int(content.size)
    except Exception:  # noqa: BLE001 - any storage's own errors; the copy that follows reports them
        return -1


class Command(BaseCommand):
    help = "Copy files referenced by FileField/ImageField rows to ImageKit, then update the rows (resumable)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("labels", nargs="*", help="app_label or app_label.Model (default: every model)")
        parser.add_argument("--source", help="where the files are now: a STORAGES alias or a storage class path")
        parser.add_argument("--location", default="/media",
                            help="ImageKit folder for fields whose storage is not ImageKit (default /media)")
        parser.add_argument("--dry-run", action="store_true", help="report what would be copied, change nothing")

    def handle(self, *args: str, **options: Any) -> None:
        labels = options["labels"]
        source_override = _storage(options["source"]) if options["source"] else None
        counts = dict.fromkeys(("copied", "already", "rows", "missing", "failed"), 0)
        for model, field in file_fields(labels):
            target = field.storage if isinstance(field.storage, ImageKitStorage) \
                else ImageKitStorage(location=options["location"])
            source = source_override or (field.storage if not isinstance(field.storage, ImageKitStorage)
                                         else FileSystemStorage())
            self._move_field(model, field, source, target, options["dry_run"], counts)
        self.stdout.write(
            ("Dry run: " if options["dry_run"] else "")
            + f"{counts['copied']} copied, {counts['already']} already in ImageKit, {counts['rows']} rows updated, "
            f"{counts['missing']} missing from the source, {counts['failed']} failed")
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} files failed; run the command again to retry them")

    def _move_field(self, model: Any, field: Any, source: Storage, target: ImageKitStorage, dry_run: bool,
                    counts: Dict[str, int]) -> None:
        label = f"{model._meta.label}.{field.name}"
        stored = self._sizes(target)
        done: Dict[str, str] = {}  # old name -> new name, for rows that share a file
        # The base manager: rows a default manager hides (archived, soft-deleted) reference files too.
        rows = model._base_manager.exclude(**{field.attname: ""}).exclude(**{f"{field.attname}__isnull": True})
        for pk, name in rows.values_list("pk", field.attname).order_by("pk").iterator():
            if name not in done:
                moved = self._copy(label, name, source, target, stored, dry_run, counts)
                if moved is None:
                    continue
                done[name] = moved
            if done[name] != name and not dry_run:
                with transaction.atomic(using=rows.db):
                    # Only if the row still holds the old name: an edit made meanwhile wins.
                    counts["rows"] += model._base_manager.filter(pk=pk, **{field.attname: name}).update(
                        **{field.attname: done[name]})

    def _sizes(self, target: ImageKitStorage) -> Dict[str, int]:
        """Name -> size of what is already under the target's location (one listing)."""
        prefix = target.location.rstrip("/") + "/"
        return {target._name(item.file_path): int(item.size or 0)
                for item in target.client.iter_files({"path": target.location, "type": "file"})
                if item.file_path and item.file_path.startswith(prefix)}

    def _copy(self, label: str, name: str, source: Storage, target: ImageKitStorage, stored: Dict[str, int],
              dry_run: bool, counts: Dict[str, int]) -> Optional[str]:
        """The name the file has in ImageKit once copied (``None``: missing or failed)."""
        try:
            size = source.size(name)
        except (OSError, NotImplementedError):
            size = -1
        if size < 0 and not source.exists(name):
            if name in stored:
                counts["already"] += 1  # a row an earlier run moved to a name of ImageKit's choosing
                return name
            counts["missing"] += 1
            self.stderr.write(f"{label}: {name} is missing from the source; its rows are left as they are")
            return None
        if size < 0:  # a Storage without size() (the base class has none): a re-run must still find the copy
            size = _length(source, name)
        if stored.get(name) == size:
            counts["already"] += 1  # copied by an earlier, interrupted run
            return name
        if dry_run:
            counts["copied"] += 1
            self.stdout.write(f"{label}: would copy {name}")
            return name
        try:
            with source.open(name, "rb") as content:
                # A different file already holding the name in ImageKit: save() lets the storage pick a free one.
                new_name = target.save(name, content) if name in stored else target._save(name, content)
        except Exception as error:  # noqa: BLE001 - one failed file (I/O, ImageKit) must not stop the others
            counts["failed"] += 1
            self.stderr.write(f"{label}: {name} failed: {type(error).__name__}: {error}")
            return None
        stored[new_name] = size
        counts["copied"] += 1
        self.stdout.write(f"{label}: copied {name}" + (f" as {new_name}" if new_name != name else ""))
        return new_name

"""``manage.py imagekit_orphans [--delete] [--location /media] [--min-age 3600]``: the files under the
locations of the ``ImageKitStorage`` fields (or ``--location``) that no ``FileField`` row references.

It lists them by default and deletes them only with ``--delete``. Files younger than ``--min-age``
seconds are left alone: a direct upload whose form has not been submitted yet is not an orphan yet.
The static files location (``STATIC_LOCATION``) is never scanned, nor anything under it.
"""
from datetime import timedelta
from typing import Any, Dict, List, Set

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from ...conf import get_client, imagekit_settings
from ...storage import ImageKitStorage
from ._common import file_fields

_BATCH = 100  # ImageKit's bulk delete takes at most 100 ids


def _folder(location: str) -> str:
    return "/" + location.strip("/")


class Command(BaseCommand):
    help = "List (or with --delete, delete) ImageKit files under the storage locations that no row references."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("labels", nargs="*", help="app_label or app_label.Model whose fields to scan "
                                                      "(rows of every model count as references)")
        parser.add_argument("--location", action="append", default=[],
                            help="an ImageKit folder to scan (repeatable; default: the fields' storage locations)")
        parser.add_argument("--delete", action="store_true", help="delete the orphans (default: only list them)")
        parser.add_argument("--min-age", type=int, default=3600,
                            help="leave files younger than this many seconds (default 3600)")

    def handle(self, *args: str, **options: Any) -> None:
        labels = options["labels"]
        referenced: Set[str] = set()
        locations: Set[str] = {_folder(location) for location in options["location"]}
        scanned_fields = {(model, field.name) for model, field in file_fields(labels)}
        for model, field in file_fields(()):
            if not isinstance(field.storage, ImageKitStorage):
                continue
            if not options["location"] and (model, field.name) in scanned_fields:
                locations.add(field.storage.location)
            # The base manager: a default manager that hides rows (archived, soft-deleted) must not
            # make their files look unreferenced.
            names = model._base_manager.exclude(**{field.attname: ""}).values_list(field.attname, flat=True)
            for name in names.iterator():
                try:
                    referenced.add(field.storage._path(name))
                except ValueError:
                    continue  # a name that cannot be in the storage (".."): it references nothing there
        static = _folder(imagekit_settings().get("STATIC_LOCATION", "/static"))
        cutoff = timezone.now() - timedelta(seconds=options["min_age"])
        orphans: Dict[str, str] = {}  # path -> file id
        young = 0
        for location in sorted(locations):
            for item in get_client().iter_files({"path": location, "type": "file"}):
                path = item.file_path or ""
                if not path.startswith(location.rstrip("/") + "/") or path in referenced:
                    continue
                if path == static or path.startswith(static.rstrip("/") + "/"):
                    continue
                created = parse_datetime(item.created_at or "")
                if created is not None and created > cutoff:
                    young += 1
                    continue
                orphans[path] = item.file_id
        for path in sorted(orphans):
            self.stdout.write(path)
        deleted = 0
        if options["delete"]:
            ids: List[str] = list(orphans.values())
            for start in range(0, len(ids), _BATCH):
                get_client().bulk_file_delete(ids[start:start + _BATCH])
                deleted += len(ids[start:start + _BATCH])
        where = ", ".join(sorted(locations)) or "no location"
        self.stdout.write(f"{len(orphans)} orphans in {where} ({young} younger than {options['min_age']}s left "
                          f"alone); {deleted} deleted" + ("" if options["delete"] else " (dry run: --delete deletes)"))

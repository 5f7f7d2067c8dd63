"""Static files in ImageKit: ``collectstatic`` uploads them and ``{% static %}`` gives CDN URLs.

    STORAGES = {..., "staticfiles": {"BACKEND": "imagekitio.contrib.django.staticfiles.ImageKitManifestStaticStorage"}}
    # Django < 4.2: STATICFILES_STORAGE = "imagekitio.contrib.django.staticfiles.ImageKitManifestStaticStorage"

``ImageKitStaticStorage`` keeps names as they are (``css/site.css`` is ``/static/css/site.css``);
``ImageKitManifestStaticStorage`` adds Django's hashed names (``css/site.55e7cbb9ba48.css``) and a
``staticfiles.json`` manifest, so a changed file gets a new URL and CDN caches never serve a stale one.
The location defaults to ``IMAGEKIT["STATIC_LOCATION"]`` or ``/static``.

Unchanged content is never uploaded again: each upload is tagged with the SHA-256 of its content, one
listing of the location tells what is there, and saving a name whose stored content has the same
digest does nothing. ``collectstatic`` (and the manifest's post-processing) deletes a file before it
saves it again; the storage holds such deletes back until the end of post-processing, so a file saved
again with the same content is left alone, and only files not saved again are deleted then (or when
the storage is garbage-collected, if post-processing is turned off).
"""
import hashlib
import io
import posixpath
import tempfile
import weakref
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Dict, Iterator, List, Optional, Tuple

import requests
from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.files.base import File
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from imagekitio import ImageKit

from .conf import get_client, imagekit_settings
from .storage import ImageKitStorage

DIGEST_TAG = "ik-sha256-"  # + the first 32 hex digits (128 bits) of the content's SHA-256
_BATCH = 100  # ImageKit's bulk delete takes at most 100 ids
_HOLD_AT_MOST = 2 * 1024 * 1024  # larger files written while post-processing are uploaded at once


@dataclass
class _Stored:
    file_id: str
    digest: Optional[str]
    size: int
    modified: datetime


def _digest_of(tags: Any) -> Optional[str]:
    return next((tag[len(DIGEST_TAG):] for tag in tags or [] if str(tag).startswith(DIGEST_TAG)), None)


def _delete(client: Optional[ImageKit], doomed: Dict[str, str]) -> None:
    """Delete the files held back in ``doomed`` (name -> file id); a module function so a finalizer can
    call it without keeping the storage alive."""
    ids = list(doomed.values())
    doomed.clear()
    for start in range(0, len(ids), _BATCH):
        (client or get_client()).bulk_file_delete(ids[start:start + _BATCH])


class ImageKitStaticStorage(ImageKitStorage):
    def __init__(self, location: Optional[str] = None, **kwargs: Any) -> None:
        if location is None:
            location = imagekit_settings().get("STATIC_LOCATION", "/static")
        kwargs.setdefault("overwrite", True)  # a static name is the file's identity: replace, never rename
        kwargs["private"] = False
        super().__init__(location=location, **kwargs)
        self._stored: Optional[Dict[str, _Stored]] = None
        self._doomed: Dict[str, str] = {}
        # While the manifest post-processes: name -> (content, what was stored before), uploaded at the end.
        self._pending: Optional[Dict[str, Tuple[bytes, Optional[_Stored]]]] = None
        self.uploaded: List[str] = []  # names this instance uploaded, for reports and tests
        weakref.finalize(self, _delete, self._client, self._doomed)

    # ---- what is stored, from one listing
    def _index(self) -> Dict[str, _Stored]:
        if self._stored is None:
            stored: Dict[str, _Stored] = {}
            prefix = self.location.rstrip("/") + "/"
            for item in self.client.iter_files({"path": self.location, "type": "file"}):
                if item.file_path and item.file_path.startswith(prefix):
                    modified = parse_datetime(item.updated_at or item.created_at or "") or timezone.now()
                    stored[self._name(item.file_path)] = _Stored(item.file_id, _digest_of(item.tags),
                                                                 int(item.size or 0), modified)
            self._stored = stored
        return self._stored

    def _get(self, name: str) -> Optional[_Stored]:
        self._path(name)  # the same name checks as every other operation
        name = self._name(self._path(name))
        return None if name in self._doomed else self._index().get(name)

    def exists(self, name: str) -> bool:
        """A file, or a folder holding files (``collectstatic --clear`` asks about folders)."""
        if name.strip("/") and self._get(name) is not None:
            return True
        folder = self._name(self._path(name)) + "/" if name.strip("/") else ""
        return any(key.startswith(folder) and key not in self._doomed for key in self._index())

    def size(self, name: str) -> int:
        found = self._get(name)
        if found is None:
            raise FileNotFoundError(name)
        return found.size

    def get_modified_time(self, name: str) -> datetime:
        found = self._get(name)
        if found is None:
            raise FileNotFoundError(name)
        modified = found.modified
        if settings.USE_TZ:
            return modified if timezone.is_aware(modified) else timezone.make_aware(modified)
        return timezone.make_naive(modified) if timezone.is_aware(modified) else modified

    def listdir(self, path: str) -> Tuple[List[str], List[str]]:
        folder = self._name(self._path(path)) + "/" if path.strip("/") else ""
        directories, files = set(), []
        for name in self._index():
            if name in self._doomed or not name.startswith(folder):
                continue
            rest = name[len(folder):]
            if "/" in rest:
                directories.add(rest.split("/", 1)[0])
            else:
                files.append(rest)
        return sorted(directories), sorted(files)

    def delete(self, name: str) -> None:
        key = self._name(self._path(name))
        if self._pending is not None and key in self._pending:
            previous = self._pending.pop(key)[1]  # never uploaded: nothing to delete but what was there before
            if previous is None:
                self._index().pop(key, None)
                return
            self._index()[key] = previous
        found = self._get(name)
        if found is not None:
            self._doomed[key] = found.file_id  # held back: see the module docstring

    def _open(self, name: str, mode: str = "rb") -> File:
        if "w" in mode or "a" in mode or "+" in mode:
            raise ValueError("ImageKitStaticStorage opens files for reading only; save() uploads")
        found = self._get(name)
        if found is None:
            raise FileNotFoundError(name)  # what ManifestFilesMixin expects of a missing manifest
        key = self._name(self._path(name))
        if self._pending is not None and key in self._pending:
            return File(io.BytesIO(self._pending[key][0]), name=name)
        # The version in the query keeps a CDN copy of an earlier upload of the same name from answering.
        # ImageKitStorage.url: the stored name itself, not the manifest's hashed name for it.
        response = requests.get(ImageKitStorage.url(self, name), params={"ik-v": found.digest or found.file_id},
                                timeout=(5, 60))
        response.raise_for_status()
        spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
        spool.write(response.content)
        spool.seek(0)
        return File(spool, name=name)

    def _save(self, name: str, content: Any) -> str:
        if hasattr(content, "seek"):
            content.seek(0)
        data = content.read()
        data = data.encode() if isinstance(data, str) else data
        digest = hashlib.sha256(data).hexdigest()[:32]
        path = self._path(name)
        name = self._name(path)
        index = self._index()
        self._doomed.pop(name, None)
        found = index.get(name)
        if found is not None and found.digest == digest:
            return name  # the same content is already there
        if self._pending is not None and len(data) <= _HOLD_AT_MOST:
            previous = self._pending[name][1] if name in self._pending else found
            self._pending[name] = (data, previous)
            index[name] = _Stored("", digest, len(data), timezone.now())
            return name
        self._upload(name, data, digest)
        return name

    def _upload(self, name: str, data: bytes, digest: str) -> None:
        path = self._path(name)
        result = self.client.upload_file(data, posixpath.basename(path), {
            "folder": posixpath.dirname(path) or "/", "use_unique_file_name": False,
            "overwrite_file": True, "tags": [DIGEST_TAG + digest]})
        self._index()[name] = _Stored(result.file_id, digest, len(data), timezone.now())
        self.uploaded.append(name)

    def get_available_name(self, name: str, max_length: Optional[int] = None) -> str:
        return name

    def flush(self) -> None:
        """Carry out the deletes held back so far, and read the location afresh on next use."""
        _delete(self._client, self._doomed)
        self._stored = None

    def post_process(self, paths: Dict[str, Any], dry_run: bool = False, **options: Any) -> Iterator[Any]:
        """Called by ``collectstatic`` after copying: deletes what was not saved again."""
        if not dry_run:
            self.flush()
        yield from ()


class ImageKitManifestStaticStorage(ManifestFilesMixin, ImageKitStaticStorage):
    """Hashed names and a ``staticfiles.json`` manifest (read through the CDN when the storage is first
    used; Django 4.2+ also takes ``manifest_storage=`` to keep it elsewhere)."""

    def post_process(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        """Django's passes write intermediate hashed files that a later pass deletes again; holding what
        is written until the end uploads only what is left (the manifest last, after the files it names)."""
        if kwargs.get("dry_run"):
            yield from super().post_process(*args, **kwargs)
            return
        self._pending = {}
        try:
            yield from super().post_process(*args, **kwargs)
            pending, self._pending = self._pending, None
            for name, (data, _) in pending.items():
                self._upload(name, data, hashlib.sha256(data).hexdigest()[:32])
        finally:
            self._pending = None
        self.flush()

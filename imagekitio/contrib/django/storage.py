"""``ImageKitStorage``: Django files kept in ImageKit's media library and served from its CDN.

    STORAGES = {"default": {"BACKEND": "imagekitio.contrib.django.storage.ImageKitStorage",
                            "OPTIONS": {"location": "/media"}}}
    # or per field:
    avatar = models.ImageField(storage=ImageKitStorage(location="/avatars", private=True), upload_to="people/")

Names are paths relative to ``location`` (``people/a.png`` is ``/avatars/people/a.png`` in ImageKit).

- A saved name is the one ImageKit stores: characters it would rename become ``_`` before the name is
  checked for clashes (``my photo.png`` is saved as ``my_photo.png``), so a save never replaces a file
  that only looked free.
- Unless ``overwrite=True``, an upload is sent with ``overwriteFile=false``: when another save took the
  name meanwhile, ImageKit refuses and the storage retries with ``get_alternative_name``. ImageKit adds
  no random suffix unless ``unique_names=True``.
- A name is one path in URLs (percent-encoded as Django's ``filepath_to_uri``): ``a.pdf#x`` or ``a.pdf?x``
  never addresses (or signs a URL for) ``a.pdf``.
- Lookups (``exists``, ``size``, ``delete``, ``get_modified_time``) are one exact search each
  (:func:`imagekitio.bypath.find_path`), whatever the folder's size.
- Private files get signed URLs that expire after ``expire_seconds``, a positive number (default 3600).
- ``open()`` of a missing file raises ``FileNotFoundError``.
"""
import posixpath
import tempfile
from typing import Any, Dict, List, Optional, Tuple

import requests
from django.core.files.base import File
from django.core.files.storage import Storage
from django.utils.deconstruct import deconstructible
from django.utils.encoding import filepath_to_uri

from imagekitio import ImageKit
from imagekitio.bypath import find_path, ik_safe_name
from imagekitio.exceptions import BadRequestException
from imagekitio.results import FileResult

from .conf import get_client, imagekit_settings

# How many names a save tries when others keep taking them between the check and the upload.
SAVE_ATTEMPTS = 10


def check_expire_seconds(value: Any) -> int:
    """``value`` if it is a positive whole number of seconds, else ``ValueError``: 0 or ``None`` would sign
    URLs that never expire."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"expire_seconds must be a positive whole number of seconds, not {value!r}")
    return value


@deconstructible
class ImageKitStorage(Storage):
    def __init__(self, location: Optional[str] = None, private: Optional[bool] = None,
                 unique_names: bool = False, overwrite: bool = False, expire_seconds: int = 3600,
                 client: Optional[ImageKit] = None) -> None:
        configured = imagekit_settings()
        self.location = "/" + (location if location is not None else configured.get("LOCATION", "")).strip("/")
        self.private = bool(configured.get("PRIVATE_FILES", False) if private is None else private)
        self.unique_names = unique_names
        self.overwrite = overwrite
        self.expire_seconds = check_expire_seconds(expire_seconds)
        self._client = client

    @property
    def client(self) -> ImageKit:
        return self._client or get_client()

    # ---- names and paths
    def _path(self, name: str) -> str:
        """The ImageKit path of ``name``; a name may not climb out of the storage's location."""
        segments = [segment for segment in name.replace("\\", "/").split("/") if segment not in ("", ".")]
        if not segments or ".." in segments:
            raise ValueError(f"not a file name inside this storage: {name!r}")
        return posixpath.join(self.location, *segments)

    def url_path(self, name: str) -> str:
        """The ImageKit path of ``name`` percent-encoded as one URL path (``#``, ``?``, ``%``... stay in the name)."""
        return filepath_to_uri(self._path(name))

    def _name(self, path: str) -> str:
        prefix = self.location.rstrip("/") + "/"
        return path[len(prefix):] if path.startswith(prefix) else path.lstrip("/")

    def stored_name(self, name: str) -> str:
        """``name`` as ImageKit will store it (each folder and file name renamed by :func:`ik_safe_name`)."""
        return "/".join(ik_safe_name(segment) for segment in name.replace("\\", "/").split("/")
                        if segment not in ("", "."))

    def _find(self, name: str) -> Optional[FileResult]:
        return find_path(self.client, self._path(name))

    # ---- Storage API
    def _save(self, name: str, content: Any) -> str:
        name = self.stored_name(name)
        folder, base = posixpath.split(name)
        root, ext = posixpath.splitext(base)
        for _ in range(SAVE_ATTEMPTS):
            path = self._path(name)
            if hasattr(content, "seek"):
                content.seek(0)
            try:
                result = self.client.upload_file(content.file if hasattr(content, "file") else content,
                                                 posixpath.basename(path), {
                                                     "folder": posixpath.dirname(path) or "/",
                                                     "use_unique_file_name": self.unique_names,
                                                     "is_private_file": self.private,
                                                     "overwrite_file": self.overwrite,
                                                 })
            except BadRequestException:
                # Refused: either the name was taken since get_available_name looked, or something else.
                if self.overwrite or self._find(name) is None:
                    raise
                name = posixpath.join(folder, self.get_alternative_name(root, ext))
                continue
            return self._name(result.file_path)
        raise FileExistsError(f"no free name like {name!r} after {SAVE_ATTEMPTS} attempts")

    def get_available_name(self, name: str, max_length: Optional[int] = None) -> str:
        # Check the name ImageKit will store, not the one asked for: "a b.png" would replace "a_b.png".
        name = self.stored_name(name)
        if self.overwrite:
            return name
        return super().get_available_name(name, max_length)

    def _open(self, name: str, mode: str = "rb") -> File:
        if "w" in mode or "a" in mode or "+" in mode:
            raise ValueError("ImageKitStorage opens files for reading only; save() uploads")
        response = requests.get(self.url(name), timeout=(5, 60), stream=True)
        if response.status_code == 404:
            response.close()
            raise FileNotFoundError(f"no file {name!r} in this storage")
        response.raise_for_status()
        spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
        for chunk in response.iter_content(64 * 1024):
            spool.write(chunk)
        spool.seek(0)
        return File(spool, name=name)

    def delete(self, name: str) -> None:
        found = self._find(name)
        if found is not None:
            self.client.delete_file(found.file_id)

    def exists(self, name: str) -> bool:
        return self._find(name) is not None

    def size(self, name: str) -> int:
        found = self._find(name)
        if found is None:
            raise FileNotFoundError(name)
        return int(found.size)

    def listdir(self, path: str) -> Tuple[List[str], List[str]]:
        folder = self._path(path) if path.strip("/") else self.location
        directories: List[str] = []
        files: List[str] = []
        for item in self.client.iter_files({"path": folder, "type": "all"}):
            location = item.file_path or (getattr(item, "folder_path", "") or "")
            if posixpath.dirname(location.rstrip("/")) != folder.rstrip("/") and not (
                    folder == "/" and posixpath.dirname(location.rstrip("/")) == "/"):
                continue  # only the folder's own children
            (directories if item.type == "folder" else files).append(posixpath.basename(location.rstrip("/")))
        return directories, files

    def url(self, name: Optional[str]) -> str:
        options: Dict[str, Any] = {"path": self.url_path(name or "")}
        if self.private:
            options.update(signed=True, expire_seconds=self.expire_seconds)
        return self.client.url(options)

    def get_modified_time(self, name: str) -> Any:
        from django.utils.dateparse import parse_datetime
        found = self._find(name)
        if found is None:
            raise FileNotFoundError(name)
        return parse_datetime(found.updated_at or found.created_at)

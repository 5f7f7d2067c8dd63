"""The in-memory media library behind the emulator, with the ImageKit API's rules.

Methods take decoded request data and return ``(status, body)``; rule violations raise
:class:`ApiError`, which the server turns into the API's ``{"message", "help"}`` JSON.
"""
import base64
import copy
import json
import posixpath
import re
import secrets
import threading
from datetime import datetime, timezone
from typing import Any, Callable, Dict, List, Optional, Set, Tuple

from ..bypath import ik_safe_name
from . import schema as field_rules
from .accounts import Accounts
from .decoding import Blob
from .errors import HELP, ApiError
from .images import image_info
from .search import SearchQueryError, compile_query

_SORTS = {"CREATED": "createdAt", "UPDATED": "updatedAt", "NAME": "name", "HEIGHT": "height", "WIDTH": "width",
          "SIZE": "size", "RELEVANCE": "createdAt"}
_MIME = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp",
         "svg": "image/svg+xml", "mp4": "video/mp4", "pdf": "application/pdf", "txt": "text/plain",
         "js": "text/javascript", "css": "text/css", "json": "application/json"}  # static files, served as the CDN does



def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _new_id() -> str:
    return secrets.token_hex(12)


def folder_of(path: str) -> str:
    folder = posixpath.dirname(path)
    return folder if folder.endswith("/") else folder + "/"


def norm_folder(path: Optional[str]) -> str:
    """``"a/b"`` / ``"/a/b/"`` -> ``"/a/b/"``; empty -> ``"/"``."""
    parts = [p for p in (path or "").split("/") if p]
    return "/" + "".join(f"{p}/" for p in parts)


def stored_folder(path: Optional[str]) -> str:
    """``norm_folder(path)`` with each folder name renamed as ImageKit does on upload (see :func:`ik_safe_name`):
    tests must see the path production will store, not the one they asked for."""
    return norm_folder("/".join(ik_safe_name(part) for part in (path or "").split("/")))


def _truthy(value: Any, default: bool) -> bool:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() == "true"


class Store:
    """Files, versions, folders, bulk jobs, purge requests and custom metadata fields."""

    def __init__(self, url_endpoint: str, fetch: Optional[Callable[[str], "Blob"]] = None,
                 notify: Optional[Callable[[str, Dict[str, Any], Optional[str]], None]] = None) -> None:
        self.url_endpoint = url_endpoint.rstrip("/")
        self._fetch = fetch
        # notify(event_type, data, webhook_url): the emulator delivers webhook events from it.
        self._notify = notify or (lambda event_type, data, webhook_url: None)
        self.accounts = Accounts(lambda: sum(c.size for c in list(self.content.values())))
        self.lock = threading.RLock()
        self.files: Dict[str, Dict[str, Any]] = {}       # fileId -> current record
        self.content: Dict[str, Blob] = {}                # versionId -> bytes (on disk when large)
        self.versions: Dict[str, List[Dict[str, Any]]] = {}  # fileId -> older version records
        self.folders: Dict[str, Dict[str, Any]] = {}     # "/a/b/" -> folder record
        self.jobs: Dict[str, Dict[str, Any]] = {}
        self.purges: Dict[str, str] = {}
        self.fields: Dict[str, Dict[str, Any]] = {}

    # ------------------------------------------------------------------ helpers
    def by_path(self, path: str) -> Optional[Dict[str, Any]]:
        return next((f for f in self.files.values() if f["filePath"] == path), None)

    def file(self, file_id: str) -> Dict[str, Any]:
        record = self.files.get(file_id)
        if record is None:
            raise ApiError(404, "The requested file does not exist.", reason="FILE_NOT_FOUND")
        return record

    def ensure_folder(self, folder: str) -> None:
        parts = [p for p in folder.split("/") if p]
        for i in range(1, len(parts) + 1):
            path = "/" + "/".join(parts[:i]) + "/"
            if path not in self.folders:
                now = _now()
                self.folders[path] = {"type": "folder", "name": parts[i - 1], "folderId": _new_id(),
                                      "folderPath": path.rstrip("/"), "createdAt": now, "updatedAt": now}

    def public(self, record: Dict[str, Any]) -> Dict[str, Any]:
        return {k: copy.deepcopy(v) for k, v in record.items() if not k.startswith("_")}

    def _url(self, path: str) -> str:
        return self.url_endpoint + path

    # ------------------------------------------------------------------ custom metadata values
    def check_custom_metadata(self, values: Any, require: bool) -> Dict[str, Any]:
        """``values`` checked against the live fields' schemas (call it holding :attr:`lock`, so no field
        changes between the check and the write)."""
        live = {f["name"]: f for f in self.fields.values() if not f["_deleted"]}
        return field_rules.checked_values(live, values, require)

    # ------------------------------------------------------------------ upload
    def upload(self, form: Dict[str, Any]) -> Dict[str, Any]:
        data = form.get("file")
        if data is None or len(data) == 0:
            raise ApiError(400, "Missing file parameter for upload")
        name = form.get("fileName")
        if not name:
            raise ApiError(400, "Missing fileName parameter for upload")
        content = data if form.get("_file_is_binary") else self._file_content(data)
        folder = stored_folder(form.get("folder"))
        name = ik_safe_name(posixpath.basename(name.replace("\\", "/")))  # ImageKit renames, never refuses
        if _truthy(form.get("useUniqueFileName"), True):
            stem, dot, ext = name.rpartition(".")
            name = f"{stem}_{secrets.token_urlsafe(6).replace('-', 'x').replace('_', 'y')}.{ext}" if dot \
                else f"{name}_{secrets.token_urlsafe(6)}"
        path = folder + name
        custom_values = _json_field(form, "customMetadata", {})
        tags = _tag_list(form.get("tags"))
        with self.lock:
            custom = self.check_custom_metadata(custom_values, require=True)
            existing = self.by_path(path)
            if existing and not _truthy(form.get("overwriteFile"), True):
                raise ApiError(400, "A file with the same name already exists at the exact location. We could "
                                    "not overwrite it because both overwriteFile and useUniqueFileName are set "
                                    "to false.")
            self.ensure_folder(folder)
            record = self._store_content(existing, path, content)
            if existing:
                if _truthy(form.get("overwriteAITags"), True):
                    record["AITags"] = None
                if _truthy(form.get("overwriteTags"), True) or tags is not None:
                    record["tags"] = tags
                if _truthy(form.get("overwriteCustomMetadata"), True) or custom:
                    record["customMetadata"] = custom
            else:
                record["tags"], record["customMetadata"] = tags, custom
            record["customCoordinates"] = form.get("customCoordinates") or record.get("customCoordinates")
            if form.get("description") is not None:  # returned only once a file has one
                record["description"] = str(form["description"])
            record["isPrivateFile"] = _truthy(form.get("isPrivateFile"), False)
            record["isPublished"] = _truthy(form.get("isPublished"), True)
            extensions = _json_field(form, "extensions", [])
            record["extensionStatus"] = {e.get("name"): "success" for e in extensions if isinstance(e, dict)}
            result = self.public(record)
        result["thumbnailUrl"] = result.pop("thumbnail")
        wanted = set(_tag_list(form.get("responseFields")) or [])
        for optional in ("tags", "customCoordinates", "isPrivateFile", "embeddedMetadata", "customMetadata",
                         "isPublished", "metadata"):
            if optional not in wanted:
                result.pop(optional, None)
        for internal in ("type", "createdAt", "updatedAt", "mime", "hasAlpha"):
            result.pop(internal, None)
        self._notify("file.created", self.details(result["fileId"]), form.get("webhookUrl"))
        return result

    def _file_content(self, data: Any) -> Blob:
        """The file behind a ``file`` field sent as text: a URL to fetch, or base64 (a data URI too)."""
        raw = data.read() if isinstance(data, Blob) else str(data).encode()
        text = raw.decode("latin-1")
        if text.startswith(("http://", "https://")):
            if self._fetch is None:
                raise ApiError(400, "This emulator does not fetch files from URLs.")
            return self._fetch(text)
        if text.startswith("data:") and "," in text:
            text = text.split(",", 1)[1]
        try:
            return Blob(data=base64.b64decode(text, validate=True) if text else raw)
        except ValueError:
            return Blob(data=raw)

    def _store_content(self, existing: Optional[Dict[str, Any]], path: str, content: Blob) -> Dict[str, Any]:
        now = _now()
        version_id = _new_id()
        info = image_info(content.head)
        ext = path.rsplit(".", 1)[-1].lower() if "." in posixpath.basename(path) else ""
        if existing:
            self.versions.setdefault(existing["fileId"], []).append(copy.deepcopy(existing))
            record = existing
            number = 1 + len(self.versions[existing["fileId"]])
        else:
            file_id = version_id
            record = self.files[file_id] = {
                "type": "file", "name": posixpath.basename(path), "createdAt": now, "fileId": file_id,
                "tags": None, "AITags": None, "customCoordinates": None, "customMetadata": {},
                "isPrivateFile": False, "isPublished": True, "embeddedMetadata": {}, "extensionStatus": {},
            }
            number = 1
        record.update({
            "updatedAt": now, "versionInfo": {"id": version_id, "name": f"Version {number}"},
            "filePath": path, "url": self._url(path), "thumbnail": self._url("/tr:n-ik_ml_thumbnail" + path),
            "fileType": "image" if info else "non-image", "width": info[1] if info else None,
            "height": info[2] if info else None, "size": content.size,
            "mime": _MIME.get(info[0] if info else ext, "application/octet-stream"),
            "hasAlpha": bool(info and info[3]),
        })
        if info:
            record["embeddedMetadata"] = {"ImageWidth": info[1], "ImageHeight": info[2]}
        self.content[version_id] = content
        return record

    # ------------------------------------------------------------------ listing and search
    def list_files(self, params: Dict[str, str]) -> List[Dict[str, Any]]:
        kind = (params.get("type") or "file").lower()
        if kind not in ("file", "file-version", "folder", "all"):
            raise ApiError(400, "Invalid type parameter. It should be one of file, file-version, folder, all.")
        file_type = (params.get("fileType") or "all").lower()
        if file_type not in ("all", "image", "non-image"):
            raise ApiError(400, "Invalid fileType parameter. It should be one of all, image, non-image.")
        try:
            skip = int(params.get("skip") or 0)
            limit = int(params.get("limit") or 1000)
        except ValueError:
            raise ApiError(400, "skip and limit must be numbers.") from None
        if skip < 0 or not 1 <= limit <= 1000:
            raise ApiError(400, "limit must be between 1 and 1000 and skip must not be negative.")
        try:
            matches = compile_query(params.get("searchQuery") or "")
        except SearchQueryError as error:
            raise ApiError(400, str(error)) from None
        root = norm_folder(params.get("path")) if params.get("path") else "/"
        tags = set(_tag_list(params.get("tags")) or [])
        order = (params.get("sort") or "ASC_CREATED").upper()
        direction, _, key = order.partition("_")
        field = _SORTS.get(key)
        if direction not in ("ASC", "DESC") or field is None:
            raise ApiError(400, f"Invalid sort parameter {order!r}.")
        # Filter and sort the live records under the lock and copy only the page asked for: copying every
        # record for every page made listing 10,000 files take over a second per page.
        with self.lock:
            records: List[Dict[str, Any]] = []
            if kind in ("file", "all", "file-version"):
                records += self.files.values()
            if kind == "file-version":
                records += [v for vs in self.versions.values() for v in vs]
            if kind in ("folder", "all"):
                records += self.folders.values()
            out = self._listed(records, root, file_type, tags, matches)
            out.sort(key=lambda r: (r.get(field) is None, r.get(field) or 0), reverse=direction == "DESC")
            return [dict(r) if r["type"] == "folder" else self.public(r) for r in out[skip:skip + limit]]

    @staticmethod
    def _listed(records: List[Dict[str, Any]], root: str, file_type: str, tags: Set[str],
                matches: Callable[[Dict[str, Any]], bool]) -> List[Dict[str, Any]]:
        out = []
        for record in records:
            location = record.get("filePath") or record.get("folderPath", "") + "/"
            if not location.startswith(root) or location == root:
                continue
            if record["type"] == "file":
                if file_type != "all" and record["fileType"] != file_type:
                    continue
                if tags and not tags & set(record.get("tags") or []):
                    continue
            elif tags:
                continue
            if matches(record):
                out.append(record)
        return out

    # ------------------------------------------------------------------ single files and versions
    def details(self, file_id: str) -> Dict[str, Any]:
        with self.lock:
            return self.public(self.file(file_id))

    def versions_of(self, file_id: str) -> List[Dict[str, Any]]:
        with self.lock:
            current = self.file(file_id)
            return [self.public(v) for v in self.versions.get(file_id, [])] + [self.public(current)]

    def version(self, file_id: str, version_id: str) -> Dict[str, Any]:
        for record in self.versions_of(file_id):
            if record["versionInfo"]["id"] == version_id:
                return record
        raise ApiError(404, "The requested file version does not exist.", reason="FILE_VERSION_NOT_FOUND")

    def delete_version(self, file_id: str, version_id: str) -> None:
        with self.lock:
            current = self.file(file_id)
            if current["versionInfo"]["id"] == version_id:
                raise ApiError(400, "You cannot delete the current version of a file.")
            older = self.versions.get(file_id, [])
            for i, record in enumerate(older):
                if record["versionInfo"]["id"] == version_id:
                    del older[i]
                    self.content.pop(version_id, None)
                    return
        raise ApiError(404, "The requested file version does not exist.", reason="FILE_VERSION_NOT_FOUND")

    def restore_version(self, file_id: str, version_id: str) -> Dict[str, Any]:
        with self.lock:
            current = self.file(file_id)
            older = self.versions.get(file_id, [])
            for i, record in enumerate(older):
                if record["versionInfo"]["id"] == version_id:
                    older[i] = copy.deepcopy(current)
                    current.clear()
                    current.update(record)
                    current["updatedAt"] = _now()
                    return self.public(current)
            if current["versionInfo"]["id"] == version_id:
                return self.public(current)
        raise ApiError(404, "The requested file version does not exist.", reason="FILE_VERSION_NOT_FOUND")

    def update(self, file_id: str, body: Dict[str, Any]) -> Dict[str, Any]:
        if not isinstance(body, dict):
            raise ApiError(400, "The request body must be a JSON object.")
        if "publish" in body and len(body) > 1:
            raise ApiError(400, "Your request contains invalid syntax for the publish parameter. publish "
                                "cannot be combined with other update parameters.")
        if "tags" in body and body["tags"] is not None and not isinstance(body["tags"], list):
            raise ApiError(400, "Invalid tags parameter for this request",
                           "tags should be passed as null or an array like ['tag1', 'tag2']")
        if "customCoordinates" in body and body["customCoordinates"] is not None \
                and not isinstance(body["customCoordinates"], str):
            raise ApiError(400, "Invalid customCoordinates parameter for this request")
        if "description" in body and body["description"] is not None and not isinstance(body["description"], str):
            raise ApiError(400, "Invalid description parameter for this request")
        with self.lock:
            custom = self.check_custom_metadata(body["customMetadata"], require=False) \
                if "customMetadata" in body else None
            record = self.file(file_id)
            if "publish" in body:
                publish = body["publish"] or {}
                if not isinstance(publish.get("isPublished"), bool):
                    raise ApiError(400, "publish.isPublished must be true or false.")
                record["isPublished"] = publish["isPublished"]
                if publish.get("includeFileVersions"):
                    for older in self.versions.get(file_id, []):
                        older["isPublished"] = publish["isPublished"]
            if "tags" in body:
                record["tags"] = body["tags"]
            if "customCoordinates" in body:
                record["customCoordinates"] = body["customCoordinates"]
            if "description" in body:
                record["description"] = body["description"]
            if custom is not None:
                record["customMetadata"] = {**(record.get("customMetadata") or {}), **custom}
            if body.get("removeAITags"):
                remove = body["removeAITags"] if isinstance(body["removeAITags"], list) else []
                record["AITags"] = [t for t in record.get("AITags") or [] if t.get("name") not in remove] or None
            if body.get("extensions"):
                record["extensionStatus"] = {e.get("name"): "success" for e in body["extensions"]
                                             if isinstance(e, dict)}
            record["updatedAt"] = _now()
            updated = self.public(record)
        self._notify("file.updated", updated, body.get("webhookUrl"))
        return updated

    def delete(self, file_id: str) -> None:
        with self.lock:
            self.file(file_id)
            self._forget(file_id)
        self._notify("file.deleted", {"fileId": file_id}, None)

    def _forget(self, file_id: str) -> None:
        record = self.files.pop(file_id)
        self.content.pop(record["versionInfo"]["id"], None)
        for older in self.versions.pop(file_id, []):
            self.content.pop(older["versionInfo"]["id"], None)

    # ------------------------------------------------------------------ bulk calls (207 on partial success)
    def _bulk(self, file_ids: Any, action: Callable[[str], None], result_key: str) -> Tuple[int, Dict[str, Any]]:
        if not isinstance(file_ids, list) or not file_ids:
            raise ApiError(400, "fileIds must be a non-empty array.")
        with self.lock:
            missing = [i for i in file_ids if i not in self.files]
            done = [i for i in file_ids if i in self.files]
            if not done:
                raise ApiError(404, "The requested file(s) does not exist.", missingFileIds=missing)
            for file_id in done:
                action(file_id)
        body = {result_key: done}
        if missing:
            return 207, {**body, "missingFileIds": missing,
                         "message": "Some of the requested files do not exist.", "help": HELP}
        return 200, body

    def bulk_delete(self, body: Dict[str, Any]) -> Tuple[int, Dict[str, Any]]:
        return self._bulk(body.get("fileIds"), self._forget, "successfullyDeletedFileIds")

    def tags(self, body: Dict[str, Any], action: str) -> Tuple[int, Dict[str, Any]]:
        key = "AITags" if action == "removeAITags" else "tags"
        values = body.get(key)
        if not isinstance(values, list) or not values:
            raise ApiError(400, f"{key} must be a non-empty array.")

        def apply(file_id: str) -> None:
            record = self.files[file_id]
            if action == "addTags":
                current = record.get("tags") or []
                record["tags"] = current + [t for t in values if t not in current]
            elif action == "removeTags":
                record["tags"] = [t for t in record.get("tags") or [] if t not in values] or None
            else:
                record["AITags"] = [t for t in record.get("AITags") or [] if t.get("name") not in values] or None
            record["updatedAt"] = _now()
        return self._bulk(body.get("fileIds"), apply, "successfullyUpdatedFileIds")

    # ------------------------------------------------------------------ copy, move, rename
    def _source(self, body: Dict[str, Any]) -> Dict[str, Any]:
        source = self.by_path("/" + str(body.get("sourceFilePath") or "").lstrip("/"))
        if source is None:
            raise ApiError(404, "No file found with filePath " + str(body.get("sourceFilePath")),
                           reason="SOURCE_FILE_MISSING")
        return source

    def copy_file(self, body: Dict[str, Any]) -> None:
        with self.lock:
            source = self._source(body)
            folder = norm_folder(body.get("destinationPath"))
            self.ensure_folder(folder)
            self._copy_record(source, folder + source["name"], bool(body.get("includeFileVersions")))

    def _copy_record(self, source: Dict[str, Any], path: str, with_versions: bool) -> None:
        existing = self.by_path(path)
        history = self.versions.get(source["fileId"], []) if with_versions else []
        for older in history:
            existing = self._store_content(existing, path, self.content[older["versionInfo"]["id"]])
        record = self._store_content(existing, path, self.content[source["versionInfo"]["id"]])
        for key in ("tags", "AITags", "customCoordinates", "customMetadata", "isPrivateFile", "isPublished"):
            record[key] = copy.deepcopy(source.get(key))

    def move_file(self, body: Dict[str, Any]) -> None:
        with self.lock:
            source = self._source(body)
            folder = norm_folder(body.get("destinationPath"))
            self.ensure_folder(folder)
            target = folder + source["name"]
            occupant = self.by_path(target)
            if occupant is not None and occupant is not source:
                self._forget(occupant["fileId"])
            self._relocate(source, target)

    def _relocate(self, record: Dict[str, Any], path: str) -> None:
        record.update({"filePath": path, "name": posixpath.basename(path), "url": self._url(path),
                       "thumbnail": self._url("/tr:n-ik_ml_thumbnail" + path), "updatedAt": _now()})

    def rename(self, body: Dict[str, Any]) -> Dict[str, Any]:
        new_name = body.get("newFileName")
        if not isinstance(new_name, str) or not new_name or "/" in new_name:
            raise ApiError(400, "newFileName must be a file name without '/'.")
        with self.lock:
            record = self.by_path("/" + str(body.get("filePath") or "").lstrip("/"))
            if record is None:
                raise ApiError(404, "No file found with filePath " + str(body.get("filePath")),
                               reason="FILE_MISSING")
            target = folder_of(record["filePath"]) + ik_safe_name(new_name)
            if self.by_path(target) is not None:
                raise ApiError(409, "File with same name already exists at the destination path.",
                               reason="FILE_ALREADY_EXISTS")
            self._relocate(record, target)
        return {"purgeRequestId": self._purge()} if body.get("purgeCache") else {}

    # ------------------------------------------------------------------ folders and bulk jobs
    def create_folder(self, body: Dict[str, Any]) -> Dict[str, Any]:
        name = body.get("folderName")
        if not isinstance(name, str) or not name.strip("/"):
            raise ApiError(400, "folderName is required and must be a string.")
        if not isinstance(body.get("parentFolderPath", ""), str):
            raise ApiError(400, "parentFolderPath must be a string.")
        name = name.strip("/")
        with self.lock:
            self.ensure_folder(norm_folder(body.get("parentFolderPath")) + stored_folder(name).strip("/"))
        return {}  # ImageKit answers 201 with an empty object

    def _folder(self, path: Any) -> str:
        folder = norm_folder(path)
        if folder not in self.folders:
            raise ApiError(404, f"No folder found with folderPath {path}", reason="FOLDER_NOT_FOUND")
        return folder

    def delete_folder(self, body: Dict[str, Any]) -> None:
        with self.lock:
            folder = self._folder(body.get("folderPath"))
            for file_id in [i for i, f in self.files.items() if f["filePath"].startswith(folder)]:
                self._forget(file_id)
            for path in [p for p in self.folders if p.startswith(folder)]:
                del self.folders[path]

    def folder_job(self, body: Dict[str, Any], move: bool) -> Dict[str, Any]:
        with self.lock:
            source = self._folder(body.get("sourceFolderPath"))
            destination = norm_folder(body.get("destinationPath"))
            if destination.startswith(source):
                raise ApiError(400, "The destination cannot be inside the source folder.")
            target = destination + source.rstrip("/").rsplit("/", 1)[-1] + "/"
            self.ensure_folder(target)
            for folder in [p for p in self.folders if p.startswith(source)]:
                self.ensure_folder(target + folder[len(source):])
            for record in [f for f in self.files.values() if f["filePath"].startswith(source)]:
                path = target + record["filePath"][len(source):]
                if move:
                    self._relocate(record, path)
                else:
                    self._copy_record(record, path, bool(body.get("includeFileVersions")))
            if move:
                for folder in [p for p in self.folders if p.startswith(source)]:
                    del self.folders[folder]
            job_id = _new_id()
            # Jobs run synchronously here, so the status is already final when the id is returned.
            self.jobs[job_id] = {"jobId": job_id, "type": "MOVE_FOLDER" if move else "COPY_FOLDER",
                                 "status": "Completed"}
        return {"jobId": job_id}

    def rename_folder(self, body: Dict[str, Any]) -> Dict[str, Any]:
        new_name = body.get("newFolderName")
        if not isinstance(new_name, str) or not new_name:
            raise ApiError(400, "newFolderName is required.")
        # As ImageKit does: anything but letters, digits (Unicode included) and - becomes _.
        new_name = re.sub(r"[^\w-]|_", "_", new_name)
        with self.lock:
            source = self._folder(body.get("folderPath"))
            target = source.rstrip("/").rsplit("/", 1)[0] + "/" + new_name + "/"
            if target != source and target in self.folders:
                raise ApiError(409, f"A folder named {new_name} already exists there.")
            for folder in sorted(p for p in self.folders if p.startswith(source)):
                record = self.folders.pop(folder)
                path = target + folder[len(source):]
                record.update({"folderPath": path.rstrip("/"), "name": path.rstrip("/").rsplit("/", 1)[-1],
                               "updatedAt": _now()})
                self.folders[path] = record
            for record in [f for f in self.files.values() if f["filePath"].startswith(source)]:
                self._relocate(record, target + record["filePath"][len(source):])
            job_id = _new_id()
            self.jobs[job_id] = {"jobId": job_id, "type": "RENAME_FOLDER", "status": "Completed"}
            if _truthy(body.get("purgeCache"), False):
                self.jobs[job_id]["purgeRequestId"] = self._purge()
        return {"jobId": job_id}

    def job(self, job_id: str) -> Dict[str, Any]:
        if job_id not in self.jobs:
            raise ApiError(404, "The requested job does not exist.")
        return dict(self.jobs[job_id])

    # ------------------------------------------------------------------ cache purge and metadata
    def _purge(self) -> str:
        request_id = _new_id()
        self.purges[request_id] = "Completed"
        return request_id

    def purge(self, body: Dict[str, Any]) -> Dict[str, Any]:
        url = body.get("url")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise ApiError(400, "Invalid url parameter for purge request.")
        return {"requestId": self._purge()}

    def purge_status(self, request_id: str) -> Dict[str, Any]:
        if request_id not in self.purges:
            raise ApiError(404, "The requested purge request does not exist.")
        return {"status": self.purges[request_id]}

    def metadata(self, file_id: str) -> Dict[str, Any]:
        with self.lock:
            record = self.file(file_id)
            return _metadata(self.content[record["versionInfo"]["id"]])

    def remote_metadata(self, url: Optional[str]) -> Dict[str, Any]:
        if not url:
            raise ApiError(400, "Missing url parameter.")
        return _metadata(self._file_content(url if url.startswith(("http://", "https://")) else "http://" + url))

    def served(self, path: str) -> Optional[Tuple[Dict[str, Any], Blob]]:
        """The record and bytes of the file at ``path`` (for the URL endpoint)."""
        with self.lock:
            record = self.by_path(path)
            return None if record is None else (dict(record), self.content[record["versionInfo"]["id"]])

    # ------------------------------------------------------------------ custom metadata fields
    def create_field(self, body: Dict[str, Any]) -> Dict[str, Any]:
        name, label, schema = body.get("name"), body.get("label"), body.get("schema")
        if not name or not label or not isinstance(schema, dict):
            raise ApiError(400, "name, label and schema are required.")
        problem = field_rules.definition_problem(schema, creating=True)
        if problem:
            raise ApiError(400, problem)
        with self.lock:
            if any(f["name"] == name and not f["_deleted"] for f in self.fields.values()):
                raise ApiError(400, "A custom metadata field with this name already exists.")
            if any(f["label"] == label and not f["_deleted"] for f in self.fields.values()):
                raise ApiError(400, "A custom metadata field with this label already exists.")
            field_id = _new_id()
            self.fields[field_id] = {"id": field_id, "name": name, "label": label, "schema": dict(schema),
                                     "_deleted": False}
            if isinstance(body.get("description"), str):  # stored and returned only when given (5.x adds it)
                self.fields[field_id]["description"] = body["description"]
            return self.public(self.fields[field_id])

    def list_fields(self, include_deleted: bool) -> List[Dict[str, Any]]:
        with self.lock:
            return [self.public(f) for f in self.fields.values() if include_deleted or not f["_deleted"]]

    def update_field(self, field_id: str, body: Dict[str, Any]) -> Dict[str, Any]:
        with self.lock:
            field = self.fields.get(field_id)
            if field is None or field["_deleted"]:
                raise ApiError(404, "No such custom metadata field exists.", reason="FIELD_NOT_FOUND")
            if "label" not in body and "schema" not in body and "description" not in body:
                raise ApiError(400, "Either label, schema or description is required.")
            if "schema" in body:
                if "type" in (body["schema"] or {}):
                    raise ApiError(400, "The type of a custom metadata field cannot be changed.")
                schema = {**field["schema"], **(body["schema"] or {})}
                problem = field_rules.definition_problem(schema, creating=False)
                if problem:
                    raise ApiError(400, problem)
                field["schema"] = schema
            if body.get("label"):
                field["label"] = body["label"]
            if isinstance(body.get("description"), str):
                field["description"] = body["description"]
            return self.public(field)

    def delete_field(self, field_id: str) -> None:
        with self.lock:
            field = self.fields.get(field_id)
            if field is None or field["_deleted"]:
                raise ApiError(404, "No such custom metadata field exists.", reason="FIELD_NOT_FOUND")
            field["_deleted"] = True


# ---------------------------------------------------------------------- schema rules
def _metadata(content: Blob) -> Dict[str, Any]:
    info = image_info(content.head)
    if info is None:
        raise ApiError(400, "The file is not an image we can read metadata from.")
    fmt, width, height, alpha = info
    return {"height": height, "width": width, "size": content.size, "format": fmt, "hasColorProfile": False,
            "quality": 0, "density": 72, "hasTransparency": alpha, "exif": {},
            # Not a perceptual hash: a stable 64-bit digest, so identical files have distance 0.
            "pHash": content.sha1[:16]}


def _tag_list(value: Any) -> Optional[List[str]]:
    if value is None or value == "":
        return None
    if isinstance(value, list):
        return [str(v) for v in value]
    return [t.strip() for t in str(value).split(",") if t.strip()]


def _json_field(form: Dict[str, Any], key: str, default: Any) -> Any:
    value = form.get(key)
    if value is None:
        return default
    try:
        return json.loads(value)
    except ValueError:
        raise ApiError(400, f"{key} must be valid JSON.") from None

"""Keeping a local folder and an ImageKit folder alike: plan first, then apply, resumable.

    from imagekitio import ImageKit
    from imagekitio import sync

    with ImageKit() as ik:
        plan = sync.plan(ik, "site/media", "/media", direction="push", delete=True)
        for action in plan.actions:            # upload / replace / download / delete / skip, with a reason
            print(action.kind, action.path, action.reason)
        result = sync.apply(ik, plan, workers=8)
        print(result.summary())                 # "uploaded 3, replaced 1, ... failed 0"

How "changed" is decided: by size, then by a SHA-256 of the content. ImageKit keeps no checksum, so the
hash of what was uploaded travels with the file in a custom metadata field (:data:`HASH_FIELD`, a Text
field the first upload creates once). A journal (SQLite, ``.imagekitio-sync.sqlite`` in the local folder,
hidden so it is never synced) records every file as soon as it is done: an interrupted run resumes where it
stopped, a re-run of a finished sync transfers nothing, and files whose size and modification time have not
changed are not hashed again. The journal is an optimisation and a memory of remote versions: a lost
journal costs re-hashing, never a wrong answer, because the hash on the remote side decides.
"""
import fnmatch
import hashlib
import os
import posixpath
import sqlite3
import tempfile
import threading
import time
from urllib.parse import urlencode
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import (TYPE_CHECKING, Any, Callable, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple,
                    TypeVar, Union)

import requests

from . import paging, responses
from .file import ENDPOINTS
from .bulk import run_bounded
from .localfiles import ProgressReader, Skipped, remote_collisions, remote_name, walk
from .resource import Idempotency

if TYPE_CHECKING:
    from .client import ImageKit

PathLike = Union[str, "os.PathLike[str]"]

#: The custom metadata field holding the SHA-256 (hex) of the uploaded content.
HASH_FIELD = "ikSyncSha256"
JOURNAL_NAME = ".imagekitio-sync.sqlite"
UPLOAD, REPLACE, DOWNLOAD, DELETE, SKIP = "upload", "replace", "download", "delete", "skip"
ACTIONS = (UPLOAD, REPLACE, DOWNLOAD, DELETE, SKIP)
PUSH, PULL = "push", "pull"
LIST_PAGE = 1000  # ImageKit's largest page: one listing request per 1,000 remote files
DELETE_BATCH = 100  # bulk delete takes up to 100 ids
CHUNK = 256 * 1024
Progress = Callable[[str, "Action", int], Any]


T = TypeVar("T")


def _given(value: Optional[T]) -> T:
    """``value``, which the plan's own invariants guarantee is there."""
    if value is None:
        raise RuntimeError("inconsistent sync plan: a file is missing from an action that needs it")
    return value


class SyncError(ValueError):
    """A sync that cannot be planned as asked (two local files for one remote path, a bad folder...)."""


@dataclass(frozen=True)
class LocalFile:
    path: Path
    rel: str  # relative to the local folder, with ``/``
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class RemoteFile:
    rel: str  # relative to the remote folder
    file_id: str
    file_path: str
    size: int
    sha256: Optional[str]
    version_id: Optional[str]
    url: str
    private: bool


@dataclass
class Action:
    """One file's fate: ``kind`` is one of :data:`ACTIONS`, ``path`` the remote-relative path."""

    kind: str
    path: str
    reason: str
    local: Optional[LocalFile] = None
    remote: Optional[RemoteFile] = None
    sha256: Optional[str] = None  # of the local content, when the plan had to read it

    @property
    def size(self) -> int:
        source = self.remote if self.kind == DOWNLOAD else self.local
        return source.size if source is not None else 0


@dataclass
class Plan:
    """What :func:`apply` will do, decided before anything changes."""

    direction: str
    local_root: Path
    remote_folder: str
    actions: List[Action]
    journal_path: Optional[Path]  # None: keep the journal in memory (a one-off transfer)
    left_out: List[Skipped] = field(default_factory=list)  # local paths the walk skipped (hidden, symlinks)

    def counts(self) -> Dict[str, int]:
        return {kind: sum(1 for a in self.actions if a.kind == kind) for kind in ACTIONS}

    @property
    def transfers(self) -> List[Action]:
        return [a for a in self.actions if a.kind in (UPLOAD, REPLACE, DOWNLOAD)]

    @property
    def bytes_to_transfer(self) -> int:
        return sum(a.size for a in self.transfers)

    def lines(self) -> Iterator[str]:
        """The plan as text, one ``kind  path  (reason)`` line per file."""
        for action in self.actions:
            yield f"{action.kind:<8} {action.path}  ({action.reason})"


@dataclass
class SyncResult:
    """The outcome of :func:`apply`: counts per action, the failures, and whether it was interrupted."""

    uploaded: int = 0
    replaced: int = 0
    downloaded: int = 0
    deleted: int = 0
    skipped: int = 0
    failed: List[Tuple[str, BaseException]] = field(default_factory=list)
    interrupted: bool = False

    @property
    def ok(self) -> bool:
        return not self.failed and not self.interrupted

    def summary(self) -> str:
        text = (f"uploaded {self.uploaded}, replaced {self.replaced}, downloaded {self.downloaded}, "
                f"deleted {self.deleted}, skipped {self.skipped}, failed {len(self.failed)}")
        return text + (" (interrupted)" if self.interrupted else "")

    def _count(self, kind: str) -> None:
        name = {UPLOAD: "uploaded", REPLACE: "replaced", DOWNLOAD: "downloaded", DELETE: "deleted",
                SKIP: "skipped"}[kind]
        setattr(self, name, getattr(self, name) + 1)


# --------------------------------------------------------------------------- journal
class Journal:
    """Per-file records of finished transfers, keyed by (local folder, remote folder, remote-relative path).

    Only the thread that opened it writes; each record is committed on its own, so a kill loses at most
    the files still in flight.
    """

    def __init__(self, path: Optional[Path], local_root: Path, remote_folder: str, create: bool = True) -> None:
        self.path = path
        self._scope = (str(local_root.resolve()), remote_folder)
        self._db: Optional[sqlite3.Connection] = None
        if path is None or create or path.exists():
            if create and path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(":memory:" if path is None else str(path), timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")  # readers (a progress monitor) never block the writer
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute("CREATE TABLE IF NOT EXISTS files (local_root TEXT, remote_folder TEXT, rel TEXT, "
                             "local_rel TEXT, size INTEGER, mtime_ns INTEGER, sha256 TEXT, file_id TEXT, "
                             "version_id TEXT, PRIMARY KEY (local_root, remote_folder, rel))")
            self._db.commit()

    def load(self) -> Dict[str, Tuple[str, int, int, str, str, Optional[str]]]:
        """rel -> (local_rel, size, mtime_ns, sha256, file_id, version_id)."""
        if self._db is None:
            return {}
        rows = self._db.execute("SELECT rel, local_rel, size, mtime_ns, sha256, file_id, version_id FROM files "
                                "WHERE local_root = ? AND remote_folder = ?", self._scope)
        return {row[0]: tuple(row[1:]) for row in rows}

    def _open(self) -> sqlite3.Connection:
        if self._db is None:
            raise RuntimeError("the journal was opened read-only")
        return self._db

    def record(self, rel: str, local: LocalFile, sha256: str, file_id: str, version_id: Optional[str]) -> None:
        self._open().execute("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         (*self._scope, rel, local.rel, local.size, local.mtime_ns, sha256, file_id, version_id))
        self._open().commit()

    def forget(self, rels: Iterable[str]) -> None:
        self._open().executemany("DELETE FROM files WHERE local_root = ? AND remote_folder = ? AND rel = ?",
                             [(*self._scope, rel) for rel in rels])
        self._open().commit()

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


# --------------------------------------------------------------------------- planning
def normalise_folder(folder: str) -> str:
    """``/a/b`` for any of ``a/b``, ``/a/b/``; ``/`` for the root. ``.`` and ``..`` segments are refused."""
    parts = [p for p in folder.replace("\\", "/").split("/") if p]
    if any(p in (".", "..") for p in parts):
        raise SyncError(f"a remote folder cannot contain . or .. segments: {folder!r}")
    return "/" + "/".join(parts)


def _matches(rel: str, include: Sequence[str], exclude: Sequence[str]) -> bool:
    """Globs match the whole relative path (``*`` crosses ``/``) or the file name."""
    name = posixpath.basename(rel)

    def hit(patterns: Sequence[str]) -> bool:
        return any(fnmatch.fnmatchcase(rel, p) or fnmatch.fnmatchcase(name, p) for p in patterns)

    return (not include or hit(include)) and not hit(exclude)


def _hidden(rel: str) -> bool:
    return any(part.startswith(".") for part in rel.split("/"))


def _safe_rel(rel: str) -> bool:
    """A remote-relative path that can become a local path without leaving the folder."""
    parts = rel.split("/")
    return bool(rel) and "\\" not in rel and "\x00" not in rel and ":" not in parts[0] and \
        all(part not in ("", ".", "..") for part in parts)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _raw_pages(ik: "ImageKit", folder: str) -> Iterator[Dict[str, Any]]:
    """Every file under ``folder`` as the API's JSON objects, 1,000 per request.

    This goes through the endpoint table's ``list_files`` row and the client's transport (retries, deadline,
    error mapping) but skips building a :class:`FileResult` per item, which at 10,000 files costs more than
    the requests themselves.
    """
    endpoint = ENDPOINTS["list_files"]
    skip = 0
    repeats = paging.RepeatGuard()  # the same distrust of the server as paging.pages
    while True:
        query = urlencode({"path": folder, "type": "file", "sort": "ASC_CREATED", "skip": skip, "limit": LIST_PAGE})
        exchange = ik.file.send("list_files", endpoint.path, query, headers=ik.ik_request.create_headers())
        response = exchange.response
        if not 200 <= response.status_code <= 299:
            raise responses.exception_for(response, endpoint.policy)
        page = response.json()
        if not isinstance(page, list):
            raise SyncError(f"listing {folder} gave {type(page).__name__}, not a list")
        page = page[:LIST_PAGE]  # a server that ignores limit gets no say in how much is read
        if not all(isinstance(item, dict) for item in page):
            raise SyncError(f"listing {folder} gave an item that is not an object")
        repeats.check([(item.get("fileId"), item.get("filePath"), repr(item.get("versionInfo"))) for item in page],
                      skip)
        yield from page
        if len(page) < LIST_PAGE:
            return
        skip += LIST_PAGE


def list_remote(ik: "ImageKit", folder: str) -> Iterator[Tuple[Optional[RemoteFile], str]]:
    """Every file under ``folder`` as ``(RemoteFile, rel)``, or ``(None, filePath)`` for one whose path is not
    safe to mirror locally; 1,000 per request."""
    prefix = folder.rstrip("/") + "/"
    for item in _raw_pages(ik, folder):
        file_path = item.get("filePath")
        if not isinstance(file_path, str) or not file_path.startswith(prefix):
            continue  # a server answer outside the folder asked for is not ours to touch
        rel = file_path[len(prefix):]
        if not _safe_rel(rel):
            yield None, file_path
            continue
        custom = item.get("customMetadata")
        sha = custom.get(HASH_FIELD) if isinstance(custom, dict) else None
        version = item.get("versionInfo")
        size = item.get("size")
        yield RemoteFile(rel=rel, file_id=str(item.get("fileId")), file_path=file_path,
                         size=size if isinstance(size, int) else -1,
                         sha256=sha if isinstance(sha, str) and len(sha) == 64 else None,
                         version_id=version.get("id") if isinstance(version, dict) else None,
                         url=str(item.get("url")), private=item.get("isPrivateFile") is True), rel


def plan(ik: "ImageKit", local_dir: PathLike, remote_folder: str, direction: str = PUSH, *, delete: bool = False,
         include: Sequence[str] = (), exclude: Sequence[str] = (), include_hidden: bool = False,
         follow_symlinks: bool = False, journal: Optional[PathLike] = None) -> Plan:
    """Decide, for every file on either side, what a sync from ``direction``'s source will do. Changes nothing
    (not even the journal's file). Raises :class:`SyncError` when two local files map to one remote path."""
    if direction not in (PUSH, PULL):
        raise SyncError(f"direction must be {PUSH!r} or {PULL!r}, not {direction!r}")
    root = Path(local_dir)
    folder = normalise_folder(remote_folder)
    if direction == PUSH and not root.is_dir():
        raise SyncError(f"no such folder: {root}")
    if root.exists() and not root.is_dir():
        raise SyncError(f"not a folder: {root}")
    journal_path = Path(journal) if journal is not None else root / JOURNAL_NAME
    book = Journal(journal_path, root, folder, create=False)
    try:
        known = book.load()
    finally:
        book.close()

    local: Dict[str, LocalFile] = {}  # by remote-relative path
    left_out: List[Skipped] = []
    if root.is_dir():
        files, left_out = walk(root, include_hidden=include_hidden, follow_symlinks=follow_symlinks)
        left_out = [s for s in left_out if not s.path.name.startswith(JOURNAL_NAME)]
        try:
            journal_rel = journal_path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            journal_rel = None  # kept outside the folder
        chosen: List[Tuple[Path, str]] = []
        for path in files:
            rel = path.relative_to(root).as_posix()
            if path.name.startswith(JOURNAL_NAME) or (journal_rel and rel.startswith(journal_rel)):
                continue  # the journal (and its -wal / -shm files) describe the sync; they are not part of it
            if path.name.startswith(".") and ".ikpart-" in path.name:
                continue  # a download cut short
            if _matches(rel, include, exclude):
                chosen.append((path, rel))
        clashes = remote_collisions([(path, folder + "/" + rel) for path, rel in chosen])
        if clashes and direction == PUSH:
            detail = "; ".join(f"{remote}: {', '.join(str(p) for p in paths)}" for remote, paths in clashes.items())
            raise SyncError(f"{len(clashes)} remote path(s) would hold more than one local file, nothing was "
                            f"sent: {detail}")
        for path, rel in chosen:
            stat = path.stat()
            key = remote_name(rel) if direction == PUSH else rel
            local[key] = LocalFile(path, rel, stat.st_size, stat.st_mtime_ns)

    remote: Dict[str, RemoteFile] = {}
    actions: List[Action] = []
    for item, rel in list_remote(ik, folder):
        if item is None:
            actions.append(Action(SKIP, rel, "remote path cannot be mirrored locally"))
        elif _matches(rel, include, exclude) and (include_hidden or not _hidden(rel)):
            remote[rel] = item

    def local_hash(entry: LocalFile) -> str:
        cached = known.get(remote_name(entry.rel) if direction == PUSH else entry.rel)
        if cached and cached[0] == entry.rel and cached[1] == entry.size and cached[2] == entry.mtime_ns:
            return cached[3]  # unchanged since we last transferred it: no need to read it again
        return file_sha256(entry.path)

    for rel in sorted(set(local) | set(remote)):
        here, there = local.get(rel), remote.get(rel)
        actions.append(_decide(direction, rel, here, there, known.get(rel), delete, local_hash))
    return Plan(direction, root, folder, actions, journal_path, left_out)


def _decide(direction: str, rel: str, here: Optional[LocalFile], there: Optional[RemoteFile],
            known: Optional[Tuple[str, int, int, str, str, Optional[str]]], delete: bool,
            local_hash: Callable[[LocalFile], str]) -> Action:
    source, target = (here, there) if direction == PUSH else (there, here)
    send = UPLOAD if direction == PUSH else DOWNLOAD
    if source is None:
        if delete:
            return Action(DELETE, rel, "not in the source", here, there)
        return Action(SKIP, rel, "only at the destination (--delete removes it)", here, there)
    if target is None:
        return Action(send, rel, "new", here, there)
    here, there = _given(here), _given(there)
    if here.size != there.size:
        return Action(REPLACE if direction == PUSH else DOWNLOAD, rel, "size differs", here, there)
    sha = local_hash(here)
    remote_sha = there.sha256
    if remote_sha is None and known is not None and known[4] == there.file_id and known[5] == there.version_id:
        remote_sha = known[3]  # the remote version is the one we transferred and hashed
    if remote_sha is None:
        return Action(REPLACE if direction == PUSH else DOWNLOAD, rel, "no content hash on the remote file",
                      here, there, sha)
    if remote_sha != sha:
        return Action(REPLACE if direction == PUSH else DOWNLOAD, rel, "content differs", here, there, sha)
    return Action(SKIP, rel, "unchanged", here, there, sha)


# --------------------------------------------------------------------------- applying
def ensure_hash_field(ik: "ImageKit") -> None:
    """Create the :data:`HASH_FIELD` custom metadata field unless it exists (once per account)."""
    fields = ik.get_custom_metadata_fields().list or []
    if any(getattr(f, "name", None) == HASH_FIELD for f in fields):
        return
    ik.create_custom_metadata_fields({"name": HASH_FIELD, "label": "Sync content SHA-256",
                                      "schema": {"type": "Text", "min_length": 64, "max_length": 64}})


def _upload(ik: "ImageKit", plan_: Plan, action: Action, report: Callable[[int], Any]) -> Tuple[str, str, Any]:
    local = _given(action.local)
    sha = action.sha256 or file_sha256(local.path)
    target = plan_.remote_folder.rstrip("/") + "/" + action.path
    folder, name = posixpath.split(target)
    with ProgressReader(local.path, report) as reader:
        # Replacing keeps the file's tags (ImageKit would clear them by default); the hash field is ours.
        result = ik.upload_file(reader, name, {
            "folder": folder or "/", "use_unique_file_name": False, "overwrite_file": True,
            "overwrite_tags": False, "overwrite_ai_tags": False, "custom_metadata": {HASH_FIELD: sha}})
    version = getattr(result, "version_info", None)
    return sha, str(result.file_id), getattr(version, "id", None)


def _through_symlink(root: Path, destination: Path) -> bool:
    """True when a folder between ``root`` and ``destination`` (or the destination itself) is a symbolic link:
    writing there could land outside ``root`` (a checkout's ``assets -> ~/.ssh``)."""
    current = root
    for part in destination.relative_to(root).parts:
        current = current / part
        if current.is_symlink():
            return True
    return False


def _download(ik: "ImageKit", plan_: Plan, action: Action, report: Callable[[int], Any]) -> Tuple[str, LocalFile]:
    """Stream a remote file to a temporary name beside its destination, then rename it into place, with the
    client's timeouts, retry policy and deadline."""
    remote = _given(action.remote)
    destination = plan_.local_root.joinpath(*action.path.split("/"))
    if _through_symlink(plan_.local_root, destination):
        raise SyncError(f"{action.path}: a folder on its way is a symbolic link; a pull never writes through one")
    destination.parent.mkdir(parents=True, exist_ok=True)
    # Built from the client's own URL endpoint and the file's path, never from the listing's ``url``: a server
    # answer must not choose which host this client fetches from.
    url = ik.url({"path": remote.file_path, "signed": remote.private, "expire_seconds": 3600} if remote.private
                 else {"path": remote.file_path})
    transport = ik.ik_request
    deadline, _ = transport.effective_deadline()
    started, attempt = time.monotonic(), 0
    while True:
        handle, temporary = tempfile.mkstemp(prefix=f".{destination.name}.ikpart-", dir=destination.parent)
        sent = 0
        try:
            digest = hashlib.sha256()
            with os.fdopen(handle, "wb") as out:
                remaining = deadline - (time.monotonic() - started)
                if remaining <= 0:
                    raise requests.exceptions.Timeout(f"download of {action.path} ran past its deadline")
                connect, read = transport.timeout if isinstance(transport.timeout, tuple) else \
                    (transport.timeout, transport.timeout)
                with transport.session.get(url, stream=True, timeout=(connect, min(read or remaining, remaining))) \
                        as response:
                    if transport.retry.retries_status(Idempotency.IDEMPOTENT, response.status_code) and \
                            attempt < transport.retry.max_retries:
                        raise _RetryableStatus(response.headers.get("Retry-After"))
                    response.raise_for_status()
                    for chunk in response.iter_content(CHUNK):
                        if time.monotonic() - started > deadline:
                            raise requests.exceptions.Timeout(f"download of {action.path} ran past its deadline")
                        out.write(chunk)
                        digest.update(chunk)
                        sent += len(chunk)
                        report(len(chunk))
            sha = digest.hexdigest()
            if remote.sha256 is not None and sha != remote.sha256:
                raise SyncError(f"{action.path}: downloaded content does not match its stored hash")
            os.replace(temporary, destination)
            stat = destination.stat()
            return sha, LocalFile(destination, action.path, stat.st_size, stat.st_mtime_ns)
        except (_RetryableStatus, requests.exceptions.ConnectionError, requests.exceptions.Timeout,
                requests.exceptions.ChunkedEncodingError) as error:
            os.unlink(temporary)
            report(-sent)
            hint = error.retry_after if isinstance(error, _RetryableStatus) else None
            if attempt >= transport.retry.max_retries or isinstance(error, requests.exceptions.Timeout) and \
                    time.monotonic() - started > deadline:
                raise
            attempt += 1
            delay = transport.retry.delay(attempt, hint)
            if time.monotonic() - started + delay > deadline:
                raise
            time.sleep(delay)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise


class _RetryableStatus(Exception):  # noqa: N818 - internal signal, never escapes
    def __init__(self, retry_after: Optional[str]) -> None:
        super().__init__(f"retryable status (Retry-After: {retry_after})")
        self.retry_after = retry_after


def apply(ik: "ImageKit", plan_: Plan, *, workers: int = 8, progress: Optional[Progress] = None,
          hash_field: bool = True) -> SyncResult:
    """Carry out ``plan_``: transfers over ``workers`` threads (each file opened only while it moves), then
    deletions. Each finished file is written to the journal at once. Failures are collected, not raised; a
    ``KeyboardInterrupt`` lets running transfers finish (and be journalled), then is raised again with the
    :class:`SyncResult` so far as its ``result``."""
    if workers < 1:
        raise ValueError("workers must be at least 1")
    result = SyncResult()
    notify: Progress = progress or (lambda event, action, count: None)
    book = Journal(plan_.journal_path, plan_.local_root, plan_.remote_folder)
    lock = threading.Lock()
    try:
        result.skipped = plan_.counts()[SKIP]
        transfers = plan_.transfers
        if hash_field and any(a.kind in (UPLOAD, REPLACE) for a in transfers):
            ensure_hash_field(ik)

        def run(action: Action) -> Any:
            def report(count: int) -> None:
                with lock:
                    notify("bytes", action, count)

            if action.kind == DOWNLOAD:
                return _download(ik, plan_, action, report)
            return _upload(ik, plan_, action, report)

        def finish(future: "Future[Any]", action: Action) -> None:
            error = future.exception()
            if error is not None:
                result.failed.append((action.path, error))
                notify("failed", action, 0)
                return
            if action.kind == DOWNLOAD:
                sha, local = future.result()
                remote = _given(action.remote)
                book.record(action.path, local, sha, remote.file_id, remote.version_id)
            else:
                sha, file_id, version_id = future.result()
                book.record(action.path, _given(action.local), sha, file_id, version_id)
            result._count(action.kind)
            notify("done", action, 0)

        try:
            run_bounded(transfers, run, finish, workers, "imagekitio-sync")
        except KeyboardInterrupt as interrupt:
            result.interrupted = True
            interrupt.result = result  # type: ignore[attr-defined]
            raise
        _delete(ik, plan_, book, result, notify)
    finally:
        book.close()
    return result


def _delete(ik: "ImageKit", plan_: Plan, book: Journal, result: SyncResult, notify: Progress) -> None:
    doomed = [a for a in plan_.actions if a.kind == DELETE]
    if plan_.direction == PULL:
        for action in doomed:
            try:
                _given(action.local).path.unlink()
            except OSError as error:
                result.failed.append((action.path, error))
                continue
            book.forget([action.path])
            result.deleted += 1
            notify("done", action, 0)
        return
    for start in range(0, len(doomed), DELETE_BATCH):
        batch = doomed[start:start + DELETE_BATCH]
        try:
            ik.bulk_file_delete([a.remote.file_id for a in batch if a.remote is not None])
        except Exception as error:  # noqa: BLE001 - a failed batch is reported, the rest goes on
            result.failed.extend((a.path, error) for a in batch)
            continue
        book.forget(a.path for a in batch)
        for action in batch:
            result.deleted += 1
            notify("done", action, 0)


def sync(ik: "ImageKit", local_dir: PathLike, remote_folder: str, direction: str = PUSH, *, workers: int = 8,
         progress: Optional[Progress] = None, **options: Any) -> SyncResult:
    """:func:`plan` then :func:`apply`, for a job that does not need to look at the plan."""
    return apply(ik, plan(ik, local_dir, remote_folder, direction, **options), workers=workers, progress=progress)


__all__ = ["ACTIONS", "Action", "HASH_FIELD", "JOURNAL_NAME", "Journal", "LocalFile", "Plan", "RemoteFile",
           "SyncError", "SyncResult", "apply", "ensure_hash_field", "file_sha256", "list_remote", "plan", "sync"]

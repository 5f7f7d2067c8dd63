"""Choosing local files to send: walking a folder safely and finding names that would collide remotely.

Used by the command line (``upload``, ``sync``); usable on its own::

    files, skipped = walk("site/")                 # no .env, no .git/, no symlink out of site/
    clashes = remote_collisions({path: "/shop/" + path.name for path in files})

What a walk leaves out by default, and why: hidden entries (a name starting with ``.``: ``.env``,
``.git/``, ``.ssh/``) are where secrets live; a symlink whose target lies outside the folder publishes
whatever it points at (``passwords -> ~/.aws``). Special files (FIFOs, sockets, devices) are never
uploaded: opening a FIFO blocks for ever. Paths named by the caller (the root itself) are taken as given.
"""
import os
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, List, Mapping, NamedTuple, Set, Tuple, Union

from .bypath import ik_safe_name

PathLike = Union[str, "os.PathLike[str]"]

HIDDEN = "hidden"
OUTSIDE = "symlink leaving the folder"
BROKEN = "broken symlink"
LOOP = "symlink loop"
SPECIAL = "not a regular file"
UNREADABLE = "unreadable"


class Skipped(NamedTuple):
    """A path a walk left out, and why (one of the reasons above)."""

    path: Path
    reason: str


def _inside(target: Path, root: Path) -> bool:
    return target == root or root in target.parents


def walk(root: PathLike, include_hidden: bool = False,
         follow_symlinks: bool = False) -> Tuple[List[Path], List[Skipped]]:
    """Every regular file under ``root`` (sorted, as paths starting with ``root``) and what was left out.

    Hidden files and folders are skipped unless ``include_hidden`` (a hidden folder is reported once,
    not file by file). A symlink is followed when its target stays inside ``root``; one leading out is
    skipped unless ``follow_symlinks``. Either way a folder already being walked is never entered again,
    so a link to a parent cannot loop. A ``root`` that is a file gives that file.
    """
    start = Path(root)
    if not start.is_dir():
        return ([start] if start.is_file() else []), ([] if start.is_file() else [Skipped(start, SPECIAL)])
    real_root = start.resolve()
    files: List[Path] = []
    skipped: List[Skipped] = []

    def visit(folder: Path, ancestors: Set[Path]) -> None:
        try:
            with os.scandir(folder) as listing:  # closed before descending: one descriptor at a time
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:
            skipped.append(Skipped(folder, UNREADABLE))
            return
        for entry in entries:
            path = folder / entry.name
            if entry.name.startswith(".") and not include_hidden:
                skipped.append(Skipped(path, HIDDEN))
                continue
            if entry.is_symlink():
                try:
                    target = path.resolve(strict=True)
                except (OSError, RuntimeError):  # missing target, or a cycle of links
                    skipped.append(Skipped(path, BROKEN))
                    continue
                if not follow_symlinks and not _inside(target, real_root):
                    skipped.append(Skipped(path, OUTSIDE))
                    continue
            try:
                is_dir, is_file = entry.is_dir(), entry.is_file()
            except OSError:
                skipped.append(Skipped(path, UNREADABLE))
                continue
            if is_dir:
                real = path.resolve()
                if real in ancestors:
                    skipped.append(Skipped(path, LOOP))
                else:
                    visit(path, ancestors | {real})
            elif is_file:
                files.append(path)
            else:
                skipped.append(Skipped(path, SPECIAL))

    visit(start, {real_root})
    return files, skipped


def remote_name(path: str) -> str:
    """``path`` (``/folder/name``) as ImageKit stores it: each segment renamed by ImageKit's documented
    rule (:func:`~imagekitio.bypath.ik_safe_name`), so "a b.png" and "a_b.png" are seen as one name."""
    return "/".join(ik_safe_name(segment) for segment in path.split("/"))


def remote_collisions(mapping: Union[Mapping[Path, str], Iterable[Tuple[Path, str]]]) -> Dict[str, List[Path]]:
    """The remote paths claimed by more than one local file, each with those files (in the given order).

    ``mapping`` gives the remote path (``/folder/name``) for each local file, as a dict or as pairs.
    Remote paths are compared as ImageKit will store them (see :func:`remote_name`); an empty result
    means every file has a remote path of its own.
    """
    pairs = mapping.items() if isinstance(mapping, Mapping) else mapping
    claims: Dict[str, List[Path]] = {}
    for local, remote in pairs:
        claims.setdefault(remote_name("/" + remote.strip("/")), []).append(local)
    return {remote: locals_ for remote, locals_ in claims.items() if len(locals_) > 1}


class ProgressReader:
    """A local file opened for one upload (``with``, so a folder of thousands of files never holds more open
    than uploads run), whose reads call ``report(count)`` with the bytes newly read: a retry re-reads from
    the start, and each byte is reported once."""

    def __init__(self, path: Path, report: Callable[[int], Any]) -> None:
        self._file = open(path, "rb")  # noqa: SIM115 - closed by close() / __exit__
        self._report, self._high = report, 0

    def read(self, size: int = -1) -> bytes:
        data = self._file.read(size)
        position = self._file.tell()
        if position > self._high:
            self._report(position - self._high)
            self._high = position
        return data

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        return self._file.tell()

    def seekable(self) -> bool:
        return True

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> "ProgressReader":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()


__all__ = ["ProgressReader", "Skipped", "remote_collisions", "remote_name", "walk"]

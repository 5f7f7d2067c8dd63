"""``imagekitio``: the command line (``pip install "imagekitio[cli]"``).

    imagekitio upload photos/ --folder /shop --tags summer,sale --workers 8
    imagekitio ls --path /shop --format table
    imagekitio search "size > '1mb'" --format csv
    imagekitio url /shop/a.jpg --width 300 --signed --expire 600
    imagekitio purge https://ik.imagekit.io/demo/shop/a.jpg
    imagekitio emulator --port 8080

Keys come from the environment (``IMAGEKIT_PUBLIC_KEY``, ``IMAGEKIT_PRIVATE_KEY``, ``IMAGEKIT_URL_ENDPOINT``,
and ``IMAGEKIT_API_BASE_URL`` / ``IMAGEKIT_UPLOAD_BASE_URL`` for another host). Errors are one line on
stderr (exit 1) unless ``--debug``.
"""
import csv
import io
import json
import sys
import threading
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple

try:
    import click
    from rich.console import Console
    from rich.progress import (BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn,
                               TransferSpeedColumn)
    from rich.table import Table
except ImportError:  # pragma: no cover - the extra is not installed
    sys.exit('The command line needs its extra: pip install "imagekitio[cli]"')

from . import ImageKit
from .results import FileResult

COLUMNS = ("type", "file_path", "size", "width", "height", "file_id", "created_at")


class _Counted:
    """A file whose reads add to a shared byte count (what the progress bar shows)."""

    def __init__(self, path: Path, counter: "_Counter") -> None:
        self._file = open(path, "rb")  # noqa: SIM115 - closed by the uploader's caller below
        self._counter = counter
        self._high = 0  # a retry re-reads from the start: count each byte once

    def read(self, size: int = -1) -> bytes:
        data = self._file.read(size)
        position = self._file.tell()
        if position > self._high:
            self._counter.add(position - self._high)
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


class _Counter:
    def __init__(self, progress: Progress, task: Any) -> None:
        self._lock = threading.Lock()
        self._progress, self._task = progress, task

    def add(self, count: int) -> None:
        with self._lock:
            self._progress.advance(self._task, count)


def _client() -> ImageKit:
    return ImageKit()


def _files(paths: Iterable[str], folder: str) -> List[Tuple[Path, str]]:
    """(file, ImageKit folder) for every file under ``paths``, folders walked recursively with their
    structure kept below ``folder``."""
    found: List[Tuple[Path, str]] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                relative = child.parent.relative_to(path).as_posix()
                parts = (folder.strip("/"), path.resolve().name, "" if relative == "." else relative)
                found.append((child, "/" + "/".join(part for part in parts if part)))
        elif path.is_file():
            found.append((path, "/" + folder.strip("/")))
        else:
            raise click.ClickException(f"no such file or folder: {given}")
    return found


def _rows(items: Iterable[FileResult]) -> Iterator[Dict[str, Any]]:
    for item in items:
        raw = item.response_metadata.raw if isinstance(item.response_metadata.raw, dict) else {}
        row = {column: getattr(item, column, None) for column in COLUMNS}
        row["file_path"] = row["file_path"] or raw.get("folderPath") or getattr(item, "folder_path", None)
        yield row


def _print(items: Iterable[FileResult], output: str) -> None:
    rows = list(_rows(items))
    if output == "json":
        click.echo(json.dumps(rows, indent=2, default=str))
    elif output == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
        click.echo(buffer.getvalue(), nl=False)
    else:
        table = Table(*COLUMNS)
        for row in rows:
            table.add_row(*("" if row[c] is None else str(row[c]) for c in COLUMNS))
        # In a pipe there is no width to fit: keep whole values rather than cutting them at 80 columns.
        Console(width=None if sys.stdout.isatty() else 240).print(table)


class _Group(click.Group):
    """Every error ends as one line on stderr (and exit 1), unless --debug shows the traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort, KeyboardInterrupt):
            raise
        except Exception as error:  # noqa: BLE001 - the point: one clear line instead of a traceback
            if ctx.obj and ctx.obj.get("debug"):
                raise
            message = getattr(error, "message", None) or str(error) or type(error).__name__
            if isinstance(message, dict):
                message = message.get("message") or str(message)
            raise click.ClickException(f"{type(error).__name__}: {message}") from None


@click.group(cls=_Group)
@click.option("--debug", is_flag=True, help="Show tracebacks.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """ImageKit from the command line: upload, list, search, sign URLs, purge, run the emulator."""
    ctx.ensure_object(dict)["debug"] = debug


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--folder", default="/", show_default=True, help="ImageKit folder to upload into.")
@click.option("--tags", default="", help="Comma-separated tags for every file.")
@click.option("--workers", default=8, show_default=True, type=click.IntRange(1, 64))
@click.option("--private", is_flag=True, help="Upload as private files.")
@click.option("--unique", is_flag=True, help="Let ImageKit add a unique suffix to each name.")
def upload(paths: Tuple[str, ...], folder: str, tags: str, workers: int, private: bool, unique: bool) -> None:
    """Upload files and folders (recursively, keeping their structure)."""
    files = _files(paths, folder)
    total_bytes = sum(path.stat().st_size for path, _ in files)
    tag_list = [t.strip() for t in tags.split(",") if t.strip()]
    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
               TimeRemainingColumn())
    console = Console(stderr=True)
    with _client() as ik, Progress(*columns, console=console, disable=not console.is_terminal) as progress:
        task = progress.add_task(f"0/{len(files)} files", total=total_bytes)
        counter = _Counter(progress, task)
        opened = [_Counted(path, counter) for path, _ in files]
        try:
            items = [(handle, path.name, {"folder": target, "tags": tag_list or None, "is_private_file": private,
                                           "use_unique_file_name": unique})
                     for handle, (path, target) in zip(opened, files)]
            outcomes = ik.upload_files(items, workers=workers, progress=lambda done, total: progress.update(
                task, description=f"{done}/{total} files"))
        finally:
            for handle in opened:
                handle.close()
    failures = [(path, outcome) for (path, _), outcome in zip(files, outcomes) if isinstance(outcome, BaseException)]
    click.echo(f"Uploaded {len(files) - len(failures)} of {len(files)} files ({total_bytes} bytes).")
    for path, error in failures:
        click.echo(f"  failed: {path}: {type(error).__name__}: {getattr(error, 'message', None) or error}",
                   err=True)
    if failures:
        sys.exit(1)


@main.command("ls")
@click.option("--path", "folder", default="/", show_default=True)
@click.option("--format", "output", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
def list_command(folder: str, output: str) -> None:
    """List files and folders under a path (every page)."""
    with _client() as ik:
        _print(ik.iter_files({"path": folder, "type": "all"}), output)


@main.command()
@click.argument("query")
@click.option("--path", "folder", default=None)
@click.option("--format", "output", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
def search(query: str, folder: Optional[str], output: str) -> None:
    """Files matching a search query (ImageKit's query language), every page."""
    options: Dict[str, Any] = {"search_query": query}
    if folder:
        options["path"] = folder
    with _client() as ik:
        _print(ik.iter_files(options), output)


@main.command()
@click.argument("path")
@click.option("--width", type=int)
@click.option("--height", type=int)
@click.option("--transform", "raw", help="Raw transformation, e.g. 'q-80,f-webp'.")
@click.option("--signed", is_flag=True)
@click.option("--expire", type=int, help="With --signed: seconds until the URL expires.")
def url(path: str, width: Optional[int], height: Optional[int], raw: Optional[str], signed: bool,
        expire: Optional[int]) -> None:
    """Build (and optionally sign) a delivery URL for a path or a full URL."""
    step = {key: value for key, value in (("width", width), ("height", height), ("raw", raw)) if value}
    options: Dict[str, Any] = {"src" if path.startswith(("http://", "https://")) else "path": path,
                               "transformation": [step] if step else [], "signed": signed}
    if expire:
        options["expire_seconds"] = expire
    click.echo(_client().url(options))


@main.command()
@click.argument("file_url")
def purge(file_url: str) -> None:
    """Purge a URL from the CDN cache (a trailing * purges a prefix)."""
    with _client() as ik:
        click.echo(ik.purge_file_cache(file_url).request_id)


@main.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.pass_context
def emulator(ctx: click.Context) -> None:
    """Run the local ImageKit emulator (arguments as for python -m imagekitio.testing)."""
    from .testing.__main__ import main as run
    sys.exit(run(list(ctx.args)))


if __name__ == "__main__":  # pragma: no cover
    main()

__all__ = ["main"]

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
from concurrent.futures import CancelledError
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple

try:
    import click
    from rich.console import Console
    from rich.progress import Progress
    from rich.table import Table
    from rich.text import Text
except ImportError:  # pragma: no cover - the extra is not installed
    sys.exit('The command line needs its extra: pip install "imagekitio[cli]"')

from . import ImageKit, bulk, localfiles
from .cli_library import _progress
from .results import FileResult

COLUMNS = ("type", "file_path", "size", "width", "height", "file_id", "created_at")


class _Counter:
    def __init__(self, progress: Progress, task: Any) -> None:
        self._lock = threading.Lock()
        self._progress, self._task = progress, task

    def add(self, count: int) -> None:
        with self._lock:
            self._progress.advance(self._task, count)


def _client() -> ImageKit:
    return ImageKit()


def _files(paths: Iterable[str], folder: str, include_hidden: bool = False, follow_symlinks: bool = False
           ) -> Tuple[List[Tuple[Path, str]], List[localfiles.Skipped]]:
    """(file, ImageKit folder) for every file under ``paths``, folders walked recursively with their
    structure kept below ``folder``, and what the walk left out (see :func:`localfiles.walk`). A path
    named on the command line is taken as given, hidden or not."""
    found: List[Tuple[Path, str]] = []
    skipped: List[localfiles.Skipped] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            children, left_out = localfiles.walk(path, include_hidden, follow_symlinks)
            skipped.extend(left_out)
            for child in children:
                relative = child.parent.relative_to(path).as_posix()
                parts = (folder.strip("/"), path.resolve().name, "" if relative == "." else relative)
                found.append((child, "/" + "/".join(part for part in parts if part)))
        elif path.is_file():
            found.append((path, "/" + folder.strip("/")))
        else:
            raise click.ClickException(f"no such file or folder: {given}")
    return found, skipped


def _rows(items: Iterable[FileResult]) -> Iterator[Dict[str, Any]]:
    for item in items:
        # A listed item may carry no response metadata of its own (4.x's list items did not).
        raw = getattr(getattr(item, "response_metadata", None), "raw", None)
        raw = raw if isinstance(raw, dict) else {}
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
            # Text, not str: a cell is never read as rich markup ("[/x]" would abort, "[bold]" would style).
            table.add_row(*(Text("" if row[c] is None else str(row[c])) for c in COLUMNS))
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
@click.option("--include-hidden", is_flag=True, help="Also upload hidden files and folders (.env, .git/, ...).")
@click.option("--follow-symlinks", is_flag=True, help="Also follow symlinks that lead out of a folder.")
def upload(paths: Tuple[str, ...], folder: str, tags: str, workers: int, private: bool, unique: bool,
           include_hidden: bool, follow_symlinks: bool) -> None:
    """Upload files and folders (recursively, keeping their structure).

    Hidden files and symlinks leading out of a folder are skipped (and listed) unless asked for. Two
    files that would land on one ImageKit path stop the upload before anything is sent. Ctrl-C lets the
    running uploads end, then lists what was uploaded, failed and not started (exit code 130).
    """
    files, skipped = _files(paths, folder, include_hidden, follow_symlinks)
    if skipped:
        click.echo(f"Skipped {len(skipped)} (--include-hidden / --follow-symlinks to include them):", err=True)
        for left_out in skipped:
            click.echo(f"  skipped: {left_out.path} ({left_out.reason})", err=True)
    if not unique:  # with --unique ImageKit gives each file a name of its own
        _refuse_collisions(files)
    total_bytes = sum(path.stat().st_size for path, _ in files)
    tag_list = [t.strip() for t in tags.split(",") if t.strip()]
    console = Console(stderr=True)
    interrupted = False
    with _client() as ik, _progress(console) as progress:
        task = progress.add_task(f"0/{len(files)} files", total=total_bytes)
        counter = _Counter(progress, task)

        def send(path: Path, name: str, options: Dict[str, Any]) -> Any:
            # Opened when its upload starts, closed when it ends: never more open files than --workers.
            with localfiles.ProgressReader(path, counter.add) as handle:
                return ik.upload_file(handle, name, options)

        entries = ((path, path.name, {"folder": target, "tags": tag_list or None, "is_private_file": private,
                                      "use_unique_file_name": unique}) for path, target in files)
        try:
            outcomes = bulk.upload_all(send, entries, workers, lambda done, _: progress.update(
                task, description=f"{done}/{len(files)} files"))
        except KeyboardInterrupt as interrupt:
            outcomes, interrupted = list(getattr(interrupt, "outcomes", [])), True
    # Entries are pulled lazily: those never pulled before an interrupt were not started either.
    outcomes += [CancelledError()] * (len(files) - len(outcomes))
    _summarise(files, outcomes, total_bytes, interrupted)


def _refuse_collisions(files: List[Tuple[Path, str]]) -> None:
    """Stop before sending anything when two local files would be stored at one ImageKit path (the second
    would replace the first), comparing paths as ImageKit renames them."""
    clashes = localfiles.remote_collisions((path, f"{target}/{path.name}") for path, target in files)
    if clashes:
        lines = [f"  {remote} <- {', '.join(str(path) for path in paths)}" for remote, paths in clashes.items()]
        raise click.ClickException(
            f"{len(clashes)} ImageKit path(s) would receive more than one file; nothing was uploaded "
            "(rename them, upload them with different --folder values, or use --unique):\n" + "\n".join(lines))


def _summarise(files: List[Tuple[Path, str]], outcomes: List[Any], total_bytes: int, interrupted: bool) -> None:
    """The summary line, then the files that failed (stderr); after Ctrl-C also every file uploaded and
    not started, so the rest can be sent again; exits 1 on failures, 130 when interrupted."""
    paths = [path for path, _ in files]
    not_started = [path for path, outcome in zip(paths, outcomes) if isinstance(outcome, CancelledError)]
    failures = [(path, outcome) for path, outcome in zip(paths, outcomes)
                if isinstance(outcome, BaseException) and not isinstance(outcome, CancelledError)]
    uploaded = [path for path, outcome in zip(paths, outcomes) if not isinstance(outcome, BaseException)]
    if interrupted:
        click.echo(f"Interrupted: uploaded {len(uploaded)} of {len(files)} files, {len(failures)} failed, "
                   f"{len(not_started)} not started.")
        for path in uploaded:
            click.echo(f"  uploaded: {path}")
        for path in not_started:
            click.echo(f"  not started: {path}")
    else:
        click.echo(f"Uploaded {len(uploaded)} of {len(files)} files ({total_bytes} bytes).")
    for path, error in failures:
        click.echo(f"  failed: {path}: {type(error).__name__}: {getattr(error, 'message', None) or error}",
                   err=True)
    if interrupted:
        sys.exit(130)
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


# Last, so every command above gets --profile: sync, download, rm, mv, cp and config (imagekitio/cli_library.py).
from .cli_library import register as _register_library  # noqa: E402

_register_library(main)


if __name__ == "__main__":  # pragma: no cover
    main()

__all__ = ["main"]

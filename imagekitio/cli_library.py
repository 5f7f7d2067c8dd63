"""Command-line commands for a whole media library: ``sync``, ``download``, ``rm``, ``mv``, ``cp`` and
``config`` (named profiles), registered on the ``imagekitio`` group by :func:`register`.

    imagekitio sync site/media /media --push --delete --dry-run
    imagekitio download "/media/**/*.jpg" --to backup/
    imagekitio rm "/media/old/*.png" --yes
    imagekitio mv /media/a.jpg /archive
    imagekitio config set shop --public-key public_... --url-endpoint https://ik.imagekit.io/shop
"""
import fnmatch
import json
import posixpath
import re
import sys
import threading
from pathlib import Path
from typing import List, Optional, Tuple

import click
from rich.console import Console
from rich.progress import (BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn,
                           TransferSpeedColumn)

from . import profiles
from . import sync as engine
from .client import ImageKit
from .results import FileResult

GLOB = re.compile(r"[*?\[]")
PAGE = 1000


def _client() -> ImageKit:
    return ImageKit()


def _progress(console: Console) -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
                    TimeRemainingColumn(), console=console, disable=not console.is_terminal)


def _failures(result: engine.SyncResult) -> None:
    for path, problem in result.failed:
        click.echo(f"  failed: {path}: {type(problem).__name__}: {getattr(problem, 'message', None) or problem}",
                   err=True)


# --------------------------------------------------------------------------- sync
@click.command("sync")
@click.argument("local_dir", type=click.Path(file_okay=False, path_type=Path))
@click.argument("remote_folder")
@click.option("--push", "direction", flag_value="push", help="Make the remote folder like the local one.")
@click.option("--pull", "direction", flag_value="pull", help="Make the local folder like the remote one.")
@click.option("--dry-run", is_flag=True, help="Print the plan and change nothing.")
@click.option("--delete", is_flag=True, help="Delete files on the receiving side that the source lacks.")
@click.option("--include", multiple=True, help="Only paths matching this glob (repeatable).")
@click.option("--exclude", multiple=True, help="Leave out paths matching this glob (repeatable).")
@click.option("--include-hidden", is_flag=True, help="Also sync hidden files and folders (.env, .git/...).")
@click.option("--follow-symlinks", is_flag=True, help="Follow symlinks that lead out of the folder.")
@click.option("--workers", default=8, show_default=True, type=click.IntRange(1, 64))
@click.option("--journal", type=click.Path(dir_okay=False, path_type=Path),
              help=f"Journal file (default: LOCAL_DIR/{engine.JOURNAL_NAME}).")
@click.option("--verbose", "-v", is_flag=True, help="Also list the files that are skipped.")
def sync_command(local_dir: Path, remote_folder: str, direction: Optional[str], dry_run: bool, delete: bool,
                 include: Tuple[str, ...], exclude: Tuple[str, ...], include_hidden: bool, follow_symlinks: bool,
                 workers: int, journal: Optional[Path], verbose: bool) -> None:
    """Make REMOTE_FOLDER like LOCAL_DIR (--push) or LOCAL_DIR like REMOTE_FOLDER (--pull).

    A plan comes first (upload / replace / download / delete / skip, each with its reason); files are
    compared by size and SHA-256, and a journal makes an interrupted run resume where it stopped.
    """
    if direction is None:
        raise click.UsageError("say which way: --push (local to ImageKit) or --pull (ImageKit to local)")
    with _client() as ik:
        try:
            plan = engine.plan(ik, local_dir, remote_folder, direction, delete=delete, include=include,
                               exclude=exclude, include_hidden=include_hidden, follow_symlinks=follow_symlinks,
                               journal=journal)
        except engine.SyncError as error:
            raise click.ClickException(str(error)) from None
        for action in plan.actions:
            if action.kind != engine.SKIP or verbose or dry_run:
                click.echo(f"{action.kind:<8} {action.path}  ({action.reason})")
        for left in plan.left_out if verbose else []:
            click.echo(f"{'skip':<8} {left.path}  ({left.reason})")
        counts = plan.counts()
        click.echo("Plan: " + ", ".join(f"{counts[kind]} {kind}" for kind in engine.ACTIONS)
                   + (f"; {len(plan.left_out)} local path(s) left out (hidden or symlinks)" if plan.left_out
                      else ""))
        if dry_run:
            click.echo("Dry run: nothing was changed.")
            return
        console = Console(stderr=True)
        with _progress(console) as progress:
            task = progress.add_task(f"0/{len(plan.transfers)} files", total=plan.bytes_to_transfer)
            finished = [0]
            lock = threading.Lock()

            def report(event: str, action: engine.Action, count: int) -> None:
                with lock:
                    if event == "bytes":
                        progress.advance(task, count)
                    elif action.kind != engine.DELETE:
                        finished[0] += 1
                        progress.update(task, description=f"{finished[0]}/{len(plan.transfers)} files")

            try:
                result = engine.apply(ik, plan, workers=workers, progress=report)
            except KeyboardInterrupt as interrupt:
                result = getattr(interrupt, "result", None) or engine.SyncResult(interrupted=True)
                progress.stop()
                click.echo(f"Interrupted: {result.summary()}. Run the same command again to resume.", err=True)
                sys.exit(130)
    click.echo(f"Done: {result.summary()}.")
    _failures(result)
    if result.failed:
        sys.exit(1)


# --------------------------------------------------------------------------- remote paths and globs
def _glob_regex(pattern: str) -> "re.Pattern[str]":
    """``*`` and ``?`` stay within one folder, ``**`` crosses folders, ``[...]`` as in shells."""
    out, i = [], 0
    while i < len(pattern):
        char = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            end = pattern.find("]", i + 1)
            if end == -1:
                out.append(re.escape(char))
            else:
                # fnmatch's class, without (?s:...)\Z; as in shells, no class ever matches "/".
                group = fnmatch.translate(pattern[i:end + 1])[4:-3]
                out.append("[^/" + group[2:] if group.startswith("[^") else "(?!/)" + group)
                i = end
        else:
            out.append(re.escape(char))
        i += 1
    return re.compile("".join(out) + r"\Z")


def _clean(path: str) -> str:
    if not path.startswith("/"):
        raise click.BadParameter(f"remote paths start with /: {path!r}")
    if any(part in (".", "..") for part in path.split("/")):
        raise click.BadParameter(f"remote paths cannot contain . or .. segments: {path!r}")
    return "/" + "/".join(p for p in path.split("/") if p)


def _is_folder(ik: ImageKit, path: str) -> bool:
    if path == "/":
        return True
    parent = posixpath.dirname(path)
    return any(getattr(f, "folder_path", None) == path or (getattr(f, "folder_path", "") or "").rstrip("/") == path
               for f in ik.iter_folders({"path": parent}, page_size=PAGE))


class _Target:
    """What one command-line argument names: files (by path or glob) or a folder."""

    def __init__(self, given: str, files: List[FileResult], folder: Optional[str], base: str) -> None:
        self.given, self.files, self.folder, self.base = given, files, folder, base


def _resolve(ik: ImageKit, given: str) -> _Target:
    path = _clean(given) if not GLOB.search(given) else given
    if GLOB.search(path):
        if not path.startswith("/"):
            raise click.BadParameter(f"remote paths start with /: {given!r}")
        fixed = path[:GLOB.search(path).start()]  # type: ignore[union-attr]
        base = fixed[:fixed.rfind("/")] or "/"
        pattern = _glob_regex(path)
        found = [f for f in ik.iter_files({"path": base, "type": "file"}, page_size=PAGE)
                 if pattern.match(str(f.file_path))]
        return _Target(given, found, None, base)
    found_file = ik.find_file(path) if path != "/" else None
    if found_file is not None:
        return _Target(given, [found_file], None, posixpath.dirname(path))
    if _is_folder(ik, path):
        files = list(ik.iter_files({"path": path, "type": "file"}, page_size=PAGE))
        return _Target(given, files, path, posixpath.dirname(path))
    raise click.ClickException(f"nothing at {given}")


def _confirm(question: str, yes: bool) -> None:
    """Ask on the terminal (or read y/n from a pipe); no answer at all is a no, so a script must say --yes."""
    if not yes and not click.confirm(question, default=False, err=True):
        raise click.ClickException("Nothing was changed.")


# --------------------------------------------------------------------------- download / rm / mv / cp
@click.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--to", "destination", default=".", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="Local folder to download into.")
@click.option("--dry-run", is_flag=True, help="List what would be downloaded.")
@click.option("--workers", default=8, show_default=True, type=click.IntRange(1, 64))
def download(sources: Tuple[str, ...], destination: Path, dry_run: bool, workers: int) -> None:
    """Download files, folders (recursively) or globs (``*`` within a folder, ``**`` across folders).

    A folder keeps its name and structure under --to; a file or glob match lands under --to with its path
    below the glob's fixed part.
    """
    with _client() as ik:
        actions: List[engine.Action] = []
        for given in sources:
            target = _resolve(ik, given)
            prefix = target.base.rstrip("/") + "/"
            for item in target.files:
                rel = str(item.file_path)[len(prefix):]
                if not str(item.file_path).startswith(prefix) or not engine._safe_rel(rel):
                    click.echo(f"skip     {item.file_path}  (cannot be saved safely)", err=True)
                    continue
                custom = item.custom_metadata if isinstance(item.custom_metadata, dict) else {}
                remote = engine.RemoteFile(rel, str(item.file_id), str(item.file_path), int(item.size or 0),
                                           custom.get(engine.HASH_FIELD), None, str(item.url),
                                           bool(item.is_private_file))
                actions.append(engine.Action(engine.DOWNLOAD, rel, "requested", None, remote))
        for action in actions:
            click.echo(f"download {action.remote.file_path if action.remote else ''} -> "
                       f"{destination.joinpath(*action.path.split('/'))}")
        if dry_run:
            click.echo(f"Dry run: {len(actions)} file(s) would be downloaded.")
            return
        plan = engine.Plan(engine.PULL, destination, "/", actions, None)  # a one-off: no journal left behind
        console = Console(stderr=True)
        with _progress(console) as progress:
            task = progress.add_task(f"{len(actions)} files", total=plan.bytes_to_transfer)
            result = engine.apply(ik, plan, workers=workers, hash_field=False, progress=lambda event, action, n:
                                  progress.advance(task, n) if event == "bytes" else None)
    click.echo(f"Downloaded {result.downloaded} of {len(actions)} files.")
    _failures(result)
    if result.failed:
        sys.exit(1)


@click.command()
@click.argument("targets", nargs=-1, required=True)
@click.option("--dry-run", is_flag=True, help="List what would be deleted.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
def rm(targets: Tuple[str, ...], dry_run: bool, yes: bool) -> None:
    """Delete files, folders (with everything in them) or globs."""
    with _client() as ik:
        resolved = [_resolve(ik, given) for given in targets]
        folders = [t.folder for t in resolved if t.folder is not None]
        files = {str(f.file_id): str(f.file_path) for t in resolved if t.folder is None for f in t.files}
        for target in resolved:
            if target.folder is not None:
                click.echo(f"delete   {target.folder}/  (folder, {len(target.files)} file(s) in it)")
        for path in sorted(files.values()):
            click.echo(f"delete   {path}")
        summary = f"{len(files)} file(s) and {len(folders)} folder(s)"
        if dry_run:
            click.echo(f"Dry run: {summary} would be deleted.")
            return
        if not files and not folders:
            click.echo("Nothing matched.")
            return
        _confirm(f"Delete {summary}?", yes)
        ids = list(files)
        for start in range(0, len(ids), engine.DELETE_BATCH):
            ik.bulk_file_delete(ids[start:start + engine.DELETE_BATCH])
        for folder in folders:
            ik.delete_folder({"folder_path": folder})
    click.echo(f"Deleted {summary}.")


def _move_or_copy(sources: Tuple[str, ...], destination: str, dry_run: bool, yes: bool, move: bool) -> None:
    verb = "move" if move else "copy"
    destination = _clean(destination)
    with _client() as ik:
        resolved = [_resolve(ik, given) for given in sources]
        steps: List[Tuple[str, str, bool]] = []  # (source, destination folder, is a folder)
        for target in resolved:
            if target.folder is not None:
                steps.append((target.folder, destination, True))
            else:
                steps += [(str(f.file_path), destination, False) for f in target.files]
        for source, folder, is_folder in steps:
            click.echo(f"{verb:<8} {source}{'/' if is_folder else ''} -> {folder}/")
        if dry_run:
            click.echo(f"Dry run: {len(steps)} item(s) would be {verb}d.")
            return
        if move and steps:
            _confirm(f"Move {len(steps)} item(s) to {destination}/ (files there with the same names are "
                     "replaced)?", yes)
        jobs = []
        for source, folder, is_folder in steps:
            if is_folder and move:
                jobs.append(ik.move_folder({"source_folder_path": source, "destination_path": folder}).job_id)
            elif is_folder:
                jobs.append(ik.copy_folder({"source_folder_path": source, "destination_path": folder,
                                            "include_file_versions": False}).job_id)
            elif move:
                ik.move_file({"source_file_path": source, "destination_path": folder})
            else:
                ik.copy_file({"source_file_path": source, "destination_path": folder,
                              "include_file_versions": False})
    click.echo(f"{'Moved' if move else 'Copied'} {len(steps)} item(s)."
               + (f" Folder job(s): {', '.join(str(j) for j in jobs)}" if jobs else ""))


@click.command()
@click.argument("sources", nargs=-1, required=True)
@click.argument("destination")
@click.option("--dry-run", is_flag=True)
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
def mv(sources: Tuple[str, ...], destination: str, dry_run: bool, yes: bool) -> None:
    """Move files, folders or globs into the DESTINATION folder."""
    _move_or_copy(sources, destination, dry_run, yes, move=True)


@click.command()
@click.argument("sources", nargs=-1, required=True)
@click.argument("destination")
@click.option("--dry-run", is_flag=True)
def cp(sources: Tuple[str, ...], destination: str, dry_run: bool) -> None:
    """Copy files, folders or globs into the DESTINATION folder."""
    _move_or_copy(sources, destination, dry_run, True, move=False)


# --------------------------------------------------------------------------- config (profiles)
@click.group()
def config() -> None:
    """Named profiles (keys and URL endpoint) in your config folder, owner-only. Environment variables
    still win over a profile."""


@config.command("set")
@click.argument("name")
@click.option("--public-key")
@click.option("--private-key", help="Prompted for (hidden) when not given; IMAGEKIT_PRIVATE_KEY is also read.")
@click.option("--url-endpoint")
@click.option("--api-base-url", hidden=True)
@click.option("--upload-base-url", hidden=True)
@click.option("--default", "make_default", is_flag=True, help="Use this profile when none is named.")
def config_set(name: str, public_key: Optional[str], private_key: Optional[str], url_endpoint: Optional[str],
               api_base_url: Optional[str], upload_base_url: Optional[str], make_default: bool) -> None:
    """Create or update profile NAME."""
    existing = profiles.load(name) if name in profiles.names() else {}
    if not private_key and "private_key" not in existing:
        private_key = click.prompt("Private key", hide_input=True)
    values = {"public_key": public_key, "private_key": private_key, "url_endpoint": url_endpoint,
              "api_base_url": api_base_url, "upload_base_url": upload_base_url}
    try:
        written = profiles.save(name, values, make_default)
    except profiles.ProfileError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Saved profile {name} in {written}.")


@config.command("show")
@click.argument("name", required=False)
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True)
def config_show(name: Optional[str], output: str) -> None:
    """Show a profile (the default one without NAME); the private key is never printed."""
    name = name or profiles.default_name()
    if name is None:
        raise click.ClickException("no profile saved yet: imagekitio config set NAME ...")
    try:
        values = profiles.shown(profiles.load(name))
    except profiles.ProfileError as error:
        raise click.ClickException(str(error)) from None
    if output == "json":
        click.echo(json.dumps({"name": name, **values}, indent=2))
        return
    click.echo(f"profile: {name}{' (default)' if name == profiles.default_name() else ''}")
    for key, value in values.items():
        click.echo(f"  {key}: {value}")


@config.command("list")
def config_list() -> None:
    """Saved profile names (* marks the default)."""
    default = profiles.default_name()
    for name in profiles.names():
        click.echo(f"{'*' if name == default else ' '} {name}")


@config.command("use")
@click.argument("name")
def config_use(name: str) -> None:
    """Make NAME the default profile."""
    try:
        profiles.set_default(name)
    except profiles.ProfileError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Default profile: {name}.")


@config.command("remove")
@click.argument("name")
def config_remove(name: str) -> None:
    """Delete profile NAME."""
    try:
        profiles.remove(name)
    except profiles.ProfileError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Removed profile {name}.")


# --------------------------------------------------------------------------- wiring
def _use_profile(ctx: click.Context, param: click.Parameter, value: Optional[str]) -> None:
    """Fill in the environment from the profile (the environment wins) before the command runs: the one
    named on the group or the command, else ``IMAGEKIT_PROFILE`` or the default profile."""
    if ctx.resilient_parsing:
        return
    meta = ctx.meta
    is_group = isinstance(ctx.command, click.Group)
    if meta.get("imagekitio.profile") or (value is None and is_group):
        return  # a profile is already in use, or the command itself may still name one
    try:
        meta["imagekitio.profile"] = profiles.activate(value) or "-"
    except profiles.ProfileError as error:
        raise click.BadParameter(str(error), ctx=ctx, param=param) from None


def profile_option() -> click.Option:
    return click.Option(["--profile"], default=None, expose_value=False, callback=_use_profile,
                        help="Use saved profile NAME (see: imagekitio config); environment variables still win.")


def register(group: click.Group) -> None:
    """Add this module's commands to ``group`` and a ``--profile`` option to it and to every command."""
    for command in (sync_command, download, rm, mv, cp, config):
        group.add_command(command)
    for command in [group, *group.commands.values()]:
        if command.name != "config" and not any(p.name == "profile" for p in command.params):
            command.params.append(profile_option())


__all__ = ["register", "sync_command", "download", "rm", "mv", "cp", "config"]

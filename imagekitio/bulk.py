"""Uploading many files at once over one client's connection pool, with a bounded number of threads."""
import os
from pathlib import Path
from concurrent.futures import FIRST_COMPLETED, CancelledError, Future, ThreadPoolExecutor, wait
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Sized, Tuple, TypeVar

Item = Tuple[Any, str, Any]


def as_item(entry: Any) -> Item:
    """``(file, file_name, options)`` from a tuple of two or three, a dict, or a bare path (named after the
    file)."""
    if isinstance(entry, dict):
        return entry.get("file"), entry.get("file_name"), entry.get("options")  # type: ignore[return-value]
    if isinstance(entry, tuple) and len(entry) in (2, 3):
        return (entry[0], entry[1], entry[2] if len(entry) == 3 else None)
    if isinstance(entry, (str, os.PathLike)) and os.path.isfile(entry):  # a bare path: that file
        return Path(entry), os.path.basename(entry), None
    raise TypeError("each item must be (file, file_name[, options]), a dict with those keys, or a file path; "
                    f"not {type(entry).__name__}")


def upload_all(upload: Callable[..., Any], entries: Iterable[Any], workers: int,
               progress: Optional[Callable[[int, Optional[int]], Any]]) -> List[Any]:
    """One outcome per entry, in input order: the upload's result or the exception it raised.

    Entries are pulled from ``entries`` only as a worker frees up (at most ``workers`` ahead of the
    uploads that ended), so a generator of large items is never held whole in memory. ``progress(done,
    total)`` gets ``total=None`` when ``entries`` has no ``len()``.

    A ``KeyboardInterrupt`` stops at once: uploads already running finish, those not started are recorded
    as ``CancelledError``, and the interrupt is raised again with the list as its ``outcomes`` (as long as
    ``entries``' length when it has one, otherwise covering the entries pulled so far).
    """
    total = len(entries) if isinstance(entries, Sized) else None
    outcomes: List[Any] = []
    done = 0

    def run(entry: Any) -> Any:
        # Inside a tuple or dict a str is what upload_file takes it for (a URL or base64), never a path.
        return upload(*as_item(entry))

    def finish(future: "Future[Any]", item: Tuple[int, Any]) -> None:
        nonlocal done
        _record(future, item[0], outcomes)
        done += 1
        if progress is not None:
            progress(done, total)

    def numbered() -> Iterator[Tuple[int, Any]]:
        for index, entry in enumerate(entries):
            outcomes.append(None)
            yield index, entry

    try:
        run_bounded(numbered(), lambda item: run(item[1]), finish, workers, "imagekitio-upload")
    except KeyboardInterrupt as interrupt:
        for index, _ in getattr(interrupt, "not_started", ()):
            outcomes[index] = CancelledError()
        if total is not None:
            outcomes.extend([None] * (total - len(outcomes)))
        outcomes[:] = [CancelledError() if outcome is None else outcome for outcome in outcomes]
        interrupt.outcomes = outcomes  # type: ignore[attr-defined]
        raise
    return outcomes


T = TypeVar("T")


def run_bounded(items: Iterable[T], run: Callable[[T], Any], finish: Callable[["Future[Any]", T], None],
                workers: int, name: str) -> None:
    """``run(item)`` for each item on at most ``workers`` threads, pulling items only as a worker frees up (no
    queue beyond them, so memory and open files stay bounded); ``finish(future, item)`` as each one ends.

    On ``KeyboardInterrupt`` nothing more starts: running items are waited for and finished (a second
    interrupt stops the waiting), and the interrupt is raised again with the items that never started as
    its ``not_started``.
    """
    running: Dict["Future[Any]", T] = {}
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name) as pool:
        try:
            for item in items:
                running[pool.submit(run, item)] = item
                del item  # the running future holds it; once it ends nothing does
                while len(running) >= workers:
                    _finish_some(running, finish)
            while running:
                _finish_some(running, finish)
        except KeyboardInterrupt as interrupt:
            not_started = [running.pop(future) for future in list(running) if future.cancel()]
            for future in list(running):
                try:
                    future.exception()
                except KeyboardInterrupt:  # a second Ctrl-C: stop waiting
                    break
                finish(future, running.pop(future))
            interrupt.not_started = not_started + list(running.values())  # type: ignore[attr-defined]
            raise


def _finish_some(running: Dict["Future[Any]", T], finish: Callable[["Future[Any]", T], None]) -> None:
    done, _ = wait(running, return_when=FIRST_COMPLETED)
    for future in done:
        finish(future, running.pop(future))


def _record(future: "Future[Any]", index: int, outcomes: List[Any]) -> None:
    """Store the outcome of ``future``, waiting for it to end."""
    if future.cancelled():
        outcomes[index] = CancelledError()
    else:
        error = future.exception()
        outcomes[index] = error if error is not None else future.result()

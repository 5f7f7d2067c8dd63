"""Uploading many files at once over one client's connection pool, with a bounded number of threads."""
import os
from pathlib import Path
from concurrent.futures import FIRST_COMPLETED, CancelledError, Future, ThreadPoolExecutor, wait
from typing import Any, Callable, Dict, Iterable, List, Optional, Sized, Tuple

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

    def finish(future: "Future[Any]") -> None:
        nonlocal done
        _record(future, running[future], outcomes)
        del running[future]  # only once recorded: an interrupt in between still finds it
        done += 1
        if progress is not None:
            progress(done, total)

    running: Dict["Future[Any]", int] = {}
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="imagekitio-upload") as pool:
        try:
            for index, entry in enumerate(entries):
                outcomes.append(None)
                running[pool.submit(run, entry)] = index
                del entry  # the running future holds it; once it ends nothing does
                if len(running) < workers:
                    continue
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    finish(future)
            for future in list(running):  # the last ones, each recorded once it ends
                finish(future)
        except KeyboardInterrupt as interrupt:
            for future, index in running.items():
                future.cancel()  # not started yet: never will be; running: recorded once it ends
                _record(future, index, outcomes)
            if total is not None:
                outcomes.extend([None] * (total - len(outcomes)))
            outcomes[:] = [CancelledError() if outcome is None else outcome for outcome in outcomes]
            interrupt.outcomes = outcomes  # type: ignore[attr-defined]
            raise
    return outcomes


def _record(future: "Future[Any]", index: int, outcomes: List[Any]) -> None:
    """Store the outcome of ``future``, waiting for it to end."""
    if future.cancelled():
        outcomes[index] = CancelledError()
    else:
        error = future.exception()
        outcomes[index] = error if error is not None else future.result()

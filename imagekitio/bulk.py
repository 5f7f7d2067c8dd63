"""Uploading many files at once over one client's connection pool, with a bounded number of threads."""
import os
from pathlib import Path
from concurrent.futures import FIRST_COMPLETED, CancelledError, Future, ThreadPoolExecutor, wait
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple

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
               progress: Optional[Callable[[int, int], Any]]) -> List[Any]:
    """One outcome per entry, in input order: the upload's result or the exception it raised.

    At most ``workers`` uploads run at once and no more are scheduled than can run, so a
    ``KeyboardInterrupt`` stops at once: uploads already running finish, those not started are recorded
    as ``CancelledError``, and the interrupt is raised again with the list as its ``outcomes``.
    """
    items = list(entries)
    outcomes: List[Any] = [None] * len(items)
    done = 0

    def run(entry: Any) -> Any:
        # Inside a tuple or dict a str is what upload_file takes it for (a URL or base64), never a path.
        return upload(*as_item(entry))

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="imagekitio-upload") as pool:
        running: Dict["Future[Any]", int] = {}
        queue = iter(range(len(items)))
        try:
            for index in queue:
                running[pool.submit(run, items[index])] = index
                if len(running) < workers:
                    continue
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    _record(future, running.pop(future), outcomes)
                    done += 1
                    if progress is not None:
                        progress(done, len(items))
            for future in list(running):  # the last ones, each recorded once it ends
                _record(future, running.pop(future), outcomes)
                done += 1
                if progress is not None:
                    progress(done, len(items))
        except KeyboardInterrupt as interrupt:
            for future, index in running.items():
                future.cancel()  # not started yet: never will be; running: recorded once it ends
                _record(future, index, outcomes)
            for index, outcome in enumerate(outcomes):
                if outcome is None:
                    outcomes[index] = CancelledError()
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

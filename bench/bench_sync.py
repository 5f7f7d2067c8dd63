"""``imagekitio.sync`` at library scale, against the emulator in its own process.

    python bench/bench_sync.py [--files 10000] [--small 1000] [--latency-ms 20] [--workers 8] [--repeats 3]

1. Re-run of a finished push of ``--files`` files: uploads made (must be 0), listing requests (must be at
   most one per 1,000 remote files) and the median time to plan it (target: under 10 s for 10,000 files),
   with the journal and without it (every file hashed again).
2. Pushing ``--small`` small files at ``--latency-ms`` of simulated latency per request: ``--workers`` at
   a time against one at a time (target: at least 5x).
3. A push of ``--small`` files killed (SIGKILL) once half of them are journalled, then run again: files
   re-sent (target: at most the files in flight, i.e. ``--workers``).

The emulator runs in a child process (no GIL shared with the client); its request log is read through a
pipe. Prints the medians of ``--repeats`` runs and PASS/FAIL for each target.
"""
import argparse
import multiprocessing
import os
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, List, Tuple

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from imagekitio import ImageKit, sync  # noqa: E402

UPLOAD = ("POST", "/api/v1/files/upload")
LIST = ("GET", "/v1/files")


def serve(conn: Any) -> None:
    """The emulator's process: start it, then answer requests about its log until told to stop."""
    from imagekitio.testing import LocalImageKit
    sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - the killed client's resets are expected, not news
    server = LocalImageKit().start()
    conn.send(server.base_url)
    counts: List[Tuple[str, str]] = []
    while True:
        command, *args = conn.recv()
        if command == "clear":
            server.requests.clear()
            counts.clear()
            conn.send(None)
        elif command == "count":  # the log holds 10,000 entries: callers clear it before each phase
            conn.send(sum(1 for entry in server.requests if entry == tuple(args)))
        elif command == "latency":
            server.clear_faults()
            if args[0]:
                server.inject("*", "^/(api|v1)/", delay=args[0], times=10 ** 9)
            conn.send(None)
        elif command == "versions":  # older versions: one per upload that replaced a stored file
            assert server.store is not None
            conn.send(sum(len(v) for v in server.store.versions.values()))
        elif command == "files":
            assert server.store is not None
            conn.send(len(server.store.files))
        elif command == "stop":
            server.stop()
            conn.send(None)
            return


class Emulator:
    def __init__(self) -> None:
        self.conn, child = multiprocessing.Pipe()
        self.process = multiprocessing.Process(target=serve, args=(child,), daemon=True)
        self.process.start()
        self.base = self.conn.recv()

    def ask(self, *command: Any) -> Any:
        self.conn.send(command)
        return self.conn.recv()

    def client(self, workers: int = 8) -> ImageKit:
        return ImageKit(public_key="public_local_key", private_key="private_local_key",
                        url_endpoint=self.base + "/local", api_base_url=self.base, upload_base_url=self.base,
                        pool_size=max(10, workers))

    def stop(self) -> None:
        self.ask("stop")
        self.process.join(5)


def make_tree(root: Path, count: int) -> Path:
    for i in range(count):
        folder = root / f"d{i // 500:03}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"f{i:05}.txt").write_bytes(b"file %d " % i + os.urandom(32))
    return root


def timed(work: Callable[[], Any]) -> Tuple[float, Any]:
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def rerun(emulator: Emulator, base: Path, files: int, workers: int, repeats: int) -> None:
    src = make_tree(base / "big", files)
    with emulator.client(workers) as ik:
        seconds, result = timed(lambda: sync.sync(ik, src, "/big", workers=workers))
        print(f"initial push of {files} files, {workers} workers: {seconds:.1f} s "
              f"({files / seconds:.0f} files/s), {result.summary()}")
        plans, cold, listings, uploads = [], [], [], []
        for _ in range(repeats):
            emulator.ask("clear")
            seconds, plan = timed(lambda: sync.plan(ik, src, "/big"))
            plans.append(seconds)
            listings.append(emulator.ask("count", *LIST))
            result = sync.apply(ik, plan, workers=workers)
            uploads.append(emulator.ask("count", *UPLOAD) + result.uploaded + result.replaced)
            # an empty journal: every local file is hashed again
            seconds, _ = timed(lambda: sync.plan(ik, src, "/big", journal=base / "elsewhere.sqlite"))
            cold.append(seconds)
    # The API gives no total: a full last page needs one more (empty) request to show it was the last.
    allowed = files // 1000 + 1
    print(f"re-run of a finished sync of {files} files: uploads {max(uploads)} [{verdict(max(uploads) == 0)}], "
          f"listing requests {max(listings)} (allowed {allowed}: one per 1,000 and the empty page ending the list) "
          f"[{verdict(max(listings) <= allowed)}]")
    print(f"  planning {files} files: median {statistics.median(plans):.2f} s with the journal "
          f"[{verdict(statistics.median(plans) < 10)}], {statistics.median(cold):.2f} s hashing every file")


def workers_speedup(emulator: Emulator, base: Path, files: int, workers: int, latency: float,
                    repeats: int) -> None:
    src = make_tree(base / "small", files)
    emulator.ask("latency", latency)
    rates = {1: [], workers: []}  # type: dict
    try:
        with emulator.client(workers) as ik:
            for run in range(repeats):
                for count in (1, workers):
                    journal = base / f"journal-{count}-{run}.sqlite"
                    plan = sync.plan(ik, src, f"/speed/{count}/{run}", journal=journal)
                    seconds, result = timed(lambda: sync.apply(ik, plan, workers=count))  # noqa: B023
                    assert result.uploaded == files, result.summary()
                    rates[count].append(files / seconds)
    finally:
        emulator.ask("latency", 0)
    one, many = statistics.median(rates[1]), statistics.median(rates[workers])
    print(f"push {files} small files at {latency * 1000:.0f} ms latency: 1 worker {one:.1f} files/s, "
          f"{workers} workers {many:.1f} files/s, {many / one:.1f}x [{verdict(many / one >= 5)}]")


SCRIPT = """
import sys
from imagekitio import ImageKit, sync
base = sys.argv[3]
with ImageKit(public_key="public_local_key", private_key="private_local_key", url_endpoint=base + "/local",
              api_base_url=base, upload_base_url=base, pool_size=16) as ik:
    sync.sync(ik, sys.argv[1], sys.argv[2], workers=int(sys.argv[4]))
"""


def resume(emulator: Emulator, base: Path, files: int, workers: int, latency: float, repeats: int) -> None:
    resent_runs, done_runs = [], []
    for run in range(repeats):
        src = make_tree(base / f"resume{run}", files)
        journal = src / sync.JOURNAL_NAME
        emulator.ask("latency", latency)
        before = emulator.ask("files")
        process = subprocess.Popen([sys.executable, "-c", SCRIPT, str(src), f"/resume/{run}", emulator.base,
                                    str(workers)], env={**os.environ, "PYTHONPATH": str(ROOT)})
        done = 0
        while done < files // 2 and process.poll() is None:
            time.sleep(0.01)
            try:
                with sqlite3.connect(str(journal), timeout=5) as db:
                    done = db.execute("SELECT COUNT(*) FROM files").fetchone()[0]
            except sqlite3.OperationalError:
                continue
        process.send_signal(signal.SIGKILL)
        process.wait()
        time.sleep(0.5)  # uploads whose body had arrived are still being stored by the emulator
        emulator.ask("latency", 0)
        with sqlite3.connect(str(journal)) as db:
            journalled = db.execute("SELECT COUNT(*) FROM files").fetchone()[0]
        stored = emulator.ask("files") - before
        versions = emulator.ask("versions")
        emulator.ask("clear")
        with emulator.client(workers) as ik:
            result = sync.sync(ik, src, f"/resume/{run}", workers=workers)
        uploads = emulator.ask("count", *UPLOAD)
        assert result.uploaded == uploads == files - stored, (result.summary(), uploads, files, stored)
        # A re-sent file is one the killed run had started: either stored already (the re-run would make a
        # new version of it) or in flight and lost (at most `workers`, all started but not journalled).
        again = emulator.ask("versions") - versions
        in_flight = stored - journalled
        resent_runs.append(again)
        done_runs.append(in_flight)
        print(f"  run {run + 1}: killed with {journalled} journalled and {stored} stored ({in_flight} finished "
              f"in flight); the re-run uploaded the {uploads} never stored and re-sent {again} stored ones")
    print(f"resume after a kill at 50% of {files} files ({workers} workers): stored files re-sent: "
          f"max {max(resent_runs)} [{verdict(max(resent_runs) == 0)}]; the re-run sends only files never stored, "
          f"so at most the {workers} in flight are sent twice")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=10000)
    ap.add_argument("--small", type=int, default=1000)
    ap.add_argument("--latency-ms", type=float, default=20.0)
    ap.add_argument("--workers", type=int, default=8)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--only", choices=["rerun", "workers", "resume"], action="append")
    opts = ap.parse_args()
    only = set(opts.only or ["rerun", "workers", "resume"])
    base = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    latency = opts.latency_ms / 1000
    phases = [("rerun", lambda e: rerun(e, base, opts.files, opts.workers, opts.repeats)),
              ("workers", lambda e: workers_speedup(e, base, opts.small, opts.workers, latency, opts.repeats)),
              ("resume", lambda e: resume(e, base, opts.small, opts.workers, latency, opts.repeats))]
    try:
        for name, phase in phases:
            if name in only:
                emulator = Emulator()  # a fresh one: the emulator's own cost grows with what it stores
                try:
                    phase(emulator)
                finally:
                    emulator.stop()
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()

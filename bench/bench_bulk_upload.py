"""Throughput of ``upload_files`` (a bounded pool of threads) against one-at-a-time uploads.

    python bench/bench_bulk_upload.py [--files 64] [--size-kb 64] [--latency-ms 50] [--workers 8]

The emulator runs in its own process (so client and server do not share a GIL) and every upload is
delayed by ``--latency-ms`` on the server, standing in for the network round trip and processing time a
real upload to ImageKit takes (hundreds of ms in practice). Prints the median files/s of each way and
their ratio.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

import requests

from imagekitio import ImageKit


def start_emulator() -> tuple:
    port = 18000 + os.getpid() % 2000
    process = subprocess.Popen([sys.executable, "-m", "imagekitio.testing", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            if requests.get(base + "/_emulator/health", timeout=1).ok:
                return process, base
        except requests.ConnectionError:
            time.sleep(0.05)
    process.kill()
    raise SystemExit("the emulator did not start")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=64)
    ap.add_argument("--size-kb", type=int, default=64)
    ap.add_argument("--latency-ms", type=float, default=50.0)
    ap.add_argument("--workers", type=int, default=8)
    ap.add_argument("--repeats", type=int, default=3)
    opts = ap.parse_args()
    process, base = start_emulator()
    try:
        requests.post(base + "/_emulator/faults", timeout=5, json={
            "method": "POST", "path": "/api/v1/files/upload", "delay": opts.latency_ms / 1000, "times": 10 ** 9})
        payload = os.urandom(opts.size_kb * 1024)
        items = [(payload, f"bench-{i}.bin") for i in range(opts.files)]
        with ImageKit(public_key="public_local_key", private_key="private_local_key",
                      url_endpoint=base + "/local", api_base_url=base, upload_base_url=base,
                      pool_size=opts.workers) as ik:
            one_by_one, pooled = [], []
            for _ in range(opts.repeats):
                started = time.perf_counter()
                for file, name in items:
                    ik.upload_file(file, name)
                one_by_one.append(opts.files / (time.perf_counter() - started))
                started = time.perf_counter()
                outcomes = ik.upload_files(items, workers=opts.workers)
                pooled.append(opts.files / (time.perf_counter() - started))
                assert not [o for o in outcomes if isinstance(o, Exception)]
        slow, fast = statistics.median(one_by_one), statistics.median(pooled)
        print(f"one at a time            median {slow:7.1f} files/s")
        print(f"upload_files(workers={opts.workers})  median {fast:7.1f} files/s  ({fast / slow:.1f}x)")
    finally:
        process.terminate()
        process.wait(timeout=10)


if __name__ == "__main__":
    main()

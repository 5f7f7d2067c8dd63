"""Calls per second and connections opened for N API calls against a local server.

    python bench/bench_calls.py [--calls 500]

Compares this SDK's pooled client with one new connection per call (what 4.x did with
``requests.request``), against the bundled emulator on 127.0.0.1.
"""
import argparse
import statistics
import time

import requests

from imagekitio.testing import LocalImageKit


def run(server: LocalImageKit, calls: int, pooled: bool) -> tuple:
    before = server.connections_opened
    started = time.perf_counter()
    if pooled:
        with server.client() as ik:
            for _ in range(calls):
                ik.get_custom_metadata_fields()
    else:
        url = server.api_base_url + "/v1/customMetadataFields?includeDeleted=false"
        for _ in range(calls):
            requests.request("GET", url, auth=(server.private_key, ""), timeout=10).json()
    elapsed = time.perf_counter() - started
    return calls / elapsed, server.connections_opened - before


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calls", type=int, default=500)
    ap.add_argument("--repeats", type=int, default=5)
    opts = ap.parse_args()
    with LocalImageKit() as server:
        for pooled, label in ((True, "pooled session (this SDK)"), (False, "new connection per call (4.x)")):
            results = [run(server, opts.calls, pooled) for _ in range(opts.repeats)]
            rate = statistics.median(r[0] for r in results)
            print(f"{label:32s} median {rate:8.0f} calls/s, {results[0][1]:4d} connections for {opts.calls} calls")


if __name__ == "__main__":
    main()

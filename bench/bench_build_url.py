"""Per-call cost of the 5.x ``client.helper.build_url`` (and of ``url()`` on fresh paths) against one HMAC-SHA1.

    python bench/bench_build_url.py [--calls N] [--rounds R]

Every call gets a path it has not seen (cycling through more paths than any memo holds), so no URL memo
can hit; the transformation strings are the same each time, as on a page. Method as bench_url.py: rounds
interleave the cases, each round keeps the best of three runs, the figure is the median over rounds, in
units of one HMAC-SHA1 on this machine. Goals (issue 18): build_url plain <= 1.5x, two-step
transformation <= 2.2x, signed with expiry <= 3.5x.
"""
import argparse
import hashlib
import hmac
import itertools

from bench_url import REFERENCE, measure  # the same method and figures as url()'s benchmark
from imagekitio import ImageKit

ENDPOINT = "https://ik.imagekit.io/demo"
TWO_STEPS = [{"height": 300, "width": 400}, {"rotation": 90}]
SIGNED_STEPS = [{"height": 300, "width": 400}]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calls", type=int, default=5000)
    ap.add_argument("--rounds", type=int, default=15)
    opts = ap.parse_args()
    ik = ImageKit(public_key="public_key", private_key="private_key", url_endpoint=ENDPOINT)
    build, url = ik.helper.build_url, ik.url
    # 20,000 distinct paths, more than url()'s memo (4,096) holds, so a path is never found there again.
    fresh = itertools.cycle([f"/products/{n}/default-image.jpg" for n in range(20000)]).__next__
    key, msg = b"private_key", b"tr:h-300,w-400/default-image.jpg1700000300"
    cases = {
        REFERENCE: lambda: hmac.new(key, msg, hashlib.sha1).hexdigest(),
        "fresh path only (overhead)": lambda: fresh(),
        "build_url plain": lambda: build(src=fresh(), url_endpoint=ENDPOINT),
        "build_url two-step": lambda: build(src=fresh(), url_endpoint=ENDPOINT, transformation=TWO_STEPS),
        "build_url signed + expiry": lambda: build(src=fresh(), url_endpoint=ENDPOINT,
                                                   transformation=SIGNED_STEPS, signed=True, expires_in=300),
        "url() plain, fresh path": lambda: url({"path": fresh()}),
        "url() two-step, fresh path": lambda: url({"path": fresh(), "transformation": TWO_STEPS}),
        "url() signed + expiry, fresh": lambda: url({"path": fresh(), "transformation": SIGNED_STEPS,
                                                     "signed": True, "expire_seconds": 300}),
    }
    measure(cases, opts.calls, opts.rounds)


if __name__ == "__main__":
    main()

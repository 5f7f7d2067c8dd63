"""Per-call cost of ImageKit.url() for the shapes templates use (plain, transformed, signed, overlay).

    python bench/bench_url.py [--calls N] [--rounds R]

Prints the median microseconds per call of each case, and the cost of one HMAC-SHA1 on this
machine so figures from different machines can be compared as ratios.
"""
import argparse
import hashlib
import hmac
import statistics
import timeit

from imagekitio import ImageKit

CASES = {
    "plain path": {"path": "/default-image.jpg"},
    "two-step transformation": {"path": "/default-image.jpg",
                                "transformation": [{"height": 300, "width": 400}, {"rotation": 90}]},
    "signed with expiry": {"path": "/default-image.jpg", "transformation": [{"height": 300, "width": 400}],
                           "signed": True, "expire_seconds": 300},
    "src with a query string": {"src": "https://ik.imagekit.io/demo/img.jpg?v=1",
                                "transformation": [{"width": 300}]},
    "text overlay": {"path": "/img.jpg", "transformation": [
        {"width": 300, "overlay": {"type": "text", "text": "Hello World", "position": {"x": 10, "y": 20},
                                   "transformation": [{"font_size": 40, "font_color": "FFFFFF"}]}}]},
}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calls", type=int, default=5000)
    ap.add_argument("--rounds", type=int, default=15)
    opts = ap.parse_args()
    ik = ImageKit(public_key="public_key", private_key="private_key", url_endpoint="https://ik.imagekit.io/demo")
    key, msg = b"private_key", b"tr:h-300,w-400/default-image.jpg1700000300"
    cases = {REFERENCE: lambda: hmac.new(key, msg, hashlib.sha1).hexdigest(),
             **{name: (lambda options=options: ik.url(options)) for name, options in CASES.items()}}
    measure(cases, opts.calls, opts.rounds)


REFERENCE = "HMAC-SHA1 (reference)"


def measure(cases, calls, rounds):
    """Print each case's median microseconds per call, and as a multiple of the REFERENCE case's."""
    # Rounds interleave the cases, so a noisy neighbour slows them all alike; each round keeps the best of
    # three runs, and the figure is the median over rounds.
    figures = {name: [] for name in cases}
    for _ in range(rounds):
        for name, fn in cases.items():
            figures[name].append(min(timeit.repeat(fn, number=calls, repeat=3)) / calls * 1e6)
    base = statistics.median(figures[REFERENCE])
    for name, runs in figures.items():
        cost = statistics.median(runs)
        print(f"{name:30s} {cost:7.2f} us  ({cost / base:.2f} x HMAC)")


if __name__ == "__main__":
    main()

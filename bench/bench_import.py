"""Wall time of a whole process that imports imagekitio and builds a client (issue 18: within 10% of before).

    python bench/bench_import.py [--runs N] [--path OTHER_TREE]

Each run is a fresh interpreter (``python -c "import imagekitio; imagekitio.ImageKit(...)"``) with
``PYTHONPATH`` set to the tree measured, so it imports that tree whatever is installed. With ``--path``
(say a checkout of an earlier commit: ``git clone -q . /tmp/ik-base && git -C /tmp/ik-base checkout -q
21da05e``) the two trees run alternately, so a noisy neighbour slows both alike, and both medians print.
"""
import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Tuple

SNIPPET = ("import imagekitio; imagekitio.ImageKit(public_key='public_key', private_key='private_key', "
           "url_endpoint='https://ik.imagekit.io/demo')")
HERE = Path(__file__).resolve().parent.parent
# `python -c` puts the working directory first on sys.path: run where no imagekitio can be found.
NEUTRAL = tempfile.gettempdir()


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(tree: str) -> Tuple[float, float]:
    """Wall and CPU (user + system) seconds of one process: on a shared machine the CPU figure is the
    steadier one, as waiting for a core counts in wall time only."""
    env = {**os.environ, "PYTHONPATH": tree}
    for name in ("IMAGEKIT_PUBLIC_KEY", "IMAGEKIT_PRIVATE_KEY", "IMAGEKIT_URL_ENDPOINT"):
        env.pop(name, None)
    cpu, started = _children_cpu(), time.perf_counter()
    subprocess.run([sys.executable, "-c", SNIPPET], env=env, check=True, cwd=NEUTRAL)
    return time.perf_counter() - started, _children_cpu() - cpu


def imported_from(tree: str) -> str:
    env = {**os.environ, "PYTHONPATH": tree}
    return subprocess.run([sys.executable, "-c", "import imagekitio; print(imagekitio.__file__)"], env=env,
                          check=True, capture_output=True, text=True, cwd=NEUTRAL).stdout.strip()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--path", help="another tree to measure alongside this one (e.g. /tmp/ik-base)")
    opts = ap.parse_args()
    trees = [str(HERE)] + ([str(Path(opts.path).resolve())] if opts.path else [])
    for tree in trees:
        print(f"{tree}: imports {imported_from(tree)}")
        run_once(tree)  # warm the file cache and write .pyc files before measuring
    runs: Dict[str, List[Tuple[float, float]]] = {tree: [] for tree in trees}
    for _ in range(opts.runs):
        for tree in trees:
            runs[tree].append(run_once(tree))
    wall = {tree: statistics.median(w for w, _ in figures) for tree, figures in runs.items()}
    cpu = {tree: statistics.median(c for _, c in figures) for tree, figures in runs.items()}
    for tree in trees:
        print(f"{tree:30s} median wall {wall[tree] * 1000:7.1f} ms, cpu {cpu[tree] * 1000:7.1f} ms "
              f"over {opts.runs} runs")
    if opts.path:
        print(f"this tree / other tree: wall {wall[trees[0]] / wall[trees[1]]:.3f}, "
              f"cpu {cpu[trees[0]] / cpu[trees[1]]:.3f}")


if __name__ == "__main__":
    main()

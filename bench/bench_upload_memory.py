"""Peak memory while uploading one large file to a local sink: streamed (this SDK) vs read whole.

    python bench/bench_upload_memory.py [--mb 200]

Each measurement runs in a fresh subprocess and prints the growth of its peak RSS (ru_maxrss).
"""
import argparse
import os
import subprocess
import sys
import tempfile

CHILD = """
import resource, sys
from imagekitio import ImageKit
from imagekitio.testing.sink import UploadSink
path, mode = sys.argv[1], sys.argv[2]
with UploadSink() as sink:
    ik = ImageKit(public_key="p", private_key="k", url_endpoint="http://x/y", upload_base_url=sink.base_url)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with open(path, "rb") as fh:
        ik.upload_file(fh if mode == "stream" else fh.read(), "big.bin")
    print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024)
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=int, default=200)
    opts = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "big.bin")
        with open(path, "wb") as fh:
            block = os.urandom(1 << 20)
            for _ in range(opts.mb):
                fh.write(block)
        for mode, label in (("stream", "file object (streamed)"), ("bytes", "bytes read into memory first")):
            out = subprocess.run([sys.executable, "-c", CHILD, path, mode], capture_output=True, text=True,
                                 check=True)
            print(f"{opts.mb} MB upload, {label:30s} peak RSS growth {float(out.stdout):8.1f} MB")


if __name__ == "__main__":
    main()

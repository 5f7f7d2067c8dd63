"""Run the ImageKit emulator standalone: ``python -m imagekitio.testing --port 8080``."""
import argparse
import sys
import time

from .server import DEFAULT_PRIVATE_KEY, DEFAULT_PUBLIC_KEY, LocalImageKit


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m imagekitio.testing", description=__doc__)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    ap.add_argument("--public-key", default=DEFAULT_PUBLIC_KEY)
    ap.add_argument("--private-key", default=DEFAULT_PRIVATE_KEY)
    ap.add_argument("--id", default="local", help="the ImageKit id part of the URL endpoint")
    opts = ap.parse_args(argv)
    server = LocalImageKit(opts.host, opts.port, opts.public_key, opts.private_key, opts.id).start()
    print("ImageKit emulator running. Point the SDK at it with:", flush=True)
    print(f"  IMAGEKIT_PUBLIC_KEY={server.public_key}")
    print(f"  IMAGEKIT_PRIVATE_KEY={server.private_key}")
    print(f"  IMAGEKIT_URL_ENDPOINT={server.url_endpoint}")
    print(f"  IMAGEKIT_API_BASE_URL={server.api_base_url}")
    print(f"  IMAGEKIT_UPLOAD_BASE_URL={server.upload_base_url}")
    print("Press Ctrl+C to stop.", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

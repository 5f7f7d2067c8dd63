"""Run the ImageKit emulator standalone: ``python -m imagekitio.testing --port 8080``."""
import argparse
import os
import sys
import time
from typing import List, Optional

from .server import DEFAULT_MAX_BODY, DEFAULT_PRIVATE_KEY, DEFAULT_PUBLIC_KEY, DEFAULT_READ_TIMEOUT, LocalImageKit


def _size(text: str) -> int:
    """``1048576``, ``512k``, ``300m`` or ``2g``."""
    units = {"k": 1024, "m": 1024 ** 2, "g": 1024 ** 3}
    text = text.strip().lower()
    scale = units.get(text[-1:], 1)
    number = text[:-1] if text[-1:] in units else text
    if not number.isdigit() or int(number) <= 0:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (use e.g. 300m or 2g)")
    return int(number) * scale


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m imagekitio.testing", description=__doc__)
    ap.add_argument("--host", default="127.0.0.1",
                    help="address to listen on; anything but loopback needs --public-key and --private-key")
    ap.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    ap.add_argument("--public-key", default=os.environ.get("IMAGEKIT_EMULATOR_PUBLIC_KEY", DEFAULT_PUBLIC_KEY))
    ap.add_argument("--private-key", default=os.environ.get("IMAGEKIT_EMULATOR_PRIVATE_KEY", DEFAULT_PRIVATE_KEY))
    ap.add_argument("--id", default="local", help="the ImageKit id part of the URL endpoint")
    ap.add_argument("--max-body", type=_size, default=DEFAULT_MAX_BODY,
                    help="largest upload body accepted, e.g. 300m (default 2g, ImageKit's largest upload); "
                         "larger ones get 413 before they are read")
    ap.add_argument("--read-timeout", type=float, default=DEFAULT_READ_TIMEOUT,
                    help="seconds a connection may stall mid-request before it is closed (default 30)")
    ap.add_argument("--allow-url-fetch", action="store_true",
                    help="let remote-URL uploads fetch any URL (default: loopback URLs only, and none at all "
                         "when listening on another address)")
    opts = ap.parse_args(argv)
    try:
        server = LocalImageKit(opts.host, opts.port, opts.public_key, opts.private_key, opts.id,
                               max_body=opts.max_body, read_timeout=opts.read_timeout,
                               fetch="any" if opts.allow_url_fetch else None).start()
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print("ImageKit emulator running. Point the SDK at it with:", flush=True)
    print(f"  IMAGEKIT_PUBLIC_KEY={server.public_key}")
    # The default key is public knowledge; a key of your own is never printed.
    shown = server.private_key if server.private_key == DEFAULT_PRIVATE_KEY else "<the --private-key you gave>"
    print(f"  IMAGEKIT_PRIVATE_KEY={shown}")
    print(f"  IMAGEKIT_URL_ENDPOINT={server.url_endpoint}")
    print(f"  IMAGEKIT_API_BASE_URL={server.api_base_url}")
    print(f"  IMAGEKIT_UPLOAD_BASE_URL={server.upload_base_url}")
    print(f"Media library: {server.base_url}/_emulator/")
    print(f"Remote-URL uploads fetch: {server.fetch}. Press Ctrl+C to stop.", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A tour of the SDK: upload, list and search, tag, read metadata, sign a URL and fetch it, render a
transformation.

    python examples/quickstart.py

With IMAGEKIT_PUBLIC_KEY, IMAGEKIT_PRIVATE_KEY and IMAGEKIT_URL_ENDPOINT set it uses your
ImageKit account; without them it starts the bundled local emulator, so it runs offline. The original
and a transformed variant are written as PNG files to ./quickstart-output/.
"""
import os
import struct
import sys
import zlib
from contextlib import ExitStack

import requests

from imagekitio import ImageKit
from imagekitio.models.ListAndSearchFileRequestOptions import ListAndSearchFileRequestOptions
from imagekitio.models.UploadFileRequestOptions import UploadFileRequestOptions
from imagekitio.testing import LocalImageKit

OUTPUT = "quickstart-output"
VARIANT = [{"width": 300, "height": 300, "crop_mode": "pad_resize", "format": "png"}]  # w-300,h-300,cm-pad_resize


def picture(width: int, height: int) -> bytes:
    """A PNG of four coloured quadrants, made with zlib alone (the SDK needs no imaging library)."""
    def row(left: bytes, right: bytes) -> bytes:
        return b"\x00" + left * (width // 2) + right * (width - width // 2)  # filter byte, then RGB pixels

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    top, bottom = row(b"\xe6\x39\x46", b"\x45\x7b\x9d"), row(b"\xf4\xa2\x61", b"\x2a\x9d\x8f")
    pixels = top * (height // 2) + bottom * (height - height // 2)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(pixels))
            + chunk(b"IEND", b""))


def png_size(data: bytes) -> str:
    """``"WxH"`` from a PNG's header (no imaging library needed)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return f"{width}x{height}"


def save(name: str, data: bytes) -> str:
    os.makedirs(OUTPUT, exist_ok=True)
    path = os.path.join(OUTPUT, name)
    with open(path, "wb") as out:
        out.write(data)
    return f"{path} ({png_size(data)}, {len(data):,} bytes)"


def connect(stack: ExitStack) -> ImageKit:
    if all(os.environ.get(k) for k in ("IMAGEKIT_PUBLIC_KEY", "IMAGEKIT_PRIVATE_KEY", "IMAGEKIT_URL_ENDPOINT")):
        print("Using the ImageKit account of IMAGEKIT_URL_ENDPOINT =", os.environ["IMAGEKIT_URL_ENDPOINT"])
        return stack.enter_context(ImageKit())
    server = stack.enter_context(LocalImageKit())
    print("No IMAGEKIT_* keys set: using the local emulator at", server.base_url)
    return stack.enter_context(server.client())


def main() -> int:
    with ExitStack() as stack:
        imagekit = connect(stack)

        options = UploadFileRequestOptions(folder="/quickstart/", tags=["quickstart"], is_private_file=True,
                                           response_fields=["tags"])
        uploaded = imagekit.upload_file(file=picture(640, 400), file_name="quickstart.png", options=options)
        print(f"1. Uploaded {uploaded.file_path} (id {uploaded.file_id}, {uploaded.width}x{uploaded.height}, "
              f"tags {uploaded.tags})")

        listed = imagekit.list_files(ListAndSearchFileRequestOptions(path="/quickstart/", limit=10))
        print(f"2. Listed /quickstart/: {[f.name for f in listed.list]}")

        found = imagekit.list_files(ListAndSearchFileRequestOptions(
            search_query=f"name = '{uploaded.name}' AND size < '1mb'"))
        print(f"3. Search found {len(found.list)} file(s) named {uploaded.name}")

        tagged = imagekit.add_tags(file_ids=[uploaded.file_id], tags=["demo", "offline"])
        details = imagekit.get_file_details(uploaded.file_id)
        print(f"4. Tagged {tagged.successfully_updated_file_ids}: tags now {details.tags}")

        metadata = imagekit.get_file_metadata(uploaded.file_id)
        print(f"5. Metadata: {metadata.format} {metadata.width}x{metadata.height}, {metadata.size} bytes, "
              f"pHash {metadata.p_hash}")

        plain_url = imagekit.url({"path": uploaded.file_path})
        signed_url = imagekit.url({"path": uploaded.file_path, "signed": True, "expire_seconds": 300,
                                   "transformation": [{"width": 100, "height": 100}]})
        plain = requests.get(plain_url, timeout=10)
        signed = requests.get(signed_url, timeout=10)
        print(f"6. The file is private: unsigned URL -> HTTP {plain.status_code}; signed URL -> HTTP "
              f"{signed.status_code} ({len(signed.content)} bytes)")
        print(f"   {signed_url}")

        variant_url = imagekit.url({"path": uploaded.file_path, "signed": True, "expire_seconds": 300,
                                    "transformation": VARIANT})
        variant = requests.get(variant_url, timeout=30)
        print(f"7. Rendered {variant_url.split('?')[0]}: HTTP {variant.status_code}")
        print(f"   original: {save('original.png', plain_signed(imagekit, uploaded.file_path))}")
        print(f"   variant:  {save('w-300,h-300,cm-pad_resize.png', variant.content)}")
        renderer = variant.headers.get("X-Emulator-Renderer", "")
        if renderer.startswith("none"):
            print(f"   The emulator served the original: {renderer}")  # Pillow missing: pip install ".[emulator]"

        auth = imagekit.get_authentication_parameters()
        print(f"8. Browser upload parameters: token {auth['token']}, expire {auth['expire']}, "
              f"signature {auth['signature']}")

        imagekit.delete_file(uploaded.file_id)
        print("9. Deleted the file again.")
        ok = signed.status_code == 200 and variant.status_code == 200 and \
            uploaded.file_id in [f.file_id for f in found.list]
    print("Quick start finished." if ok else "Quick start finished with unexpected results.")
    if not os.environ.get("IMAGEKIT_URL_ENDPOINT"):
        # This run's emulator has stopped; a standalone one keeps running, with its media-library page.
        print("See your files and try transformations in the emulator's media-library page: run\n"
              "  python -m imagekitio.testing --port 8080\n"
              "and open http://127.0.0.1:8080/_emulator/")
    return 0 if ok else 1


def plain_signed(imagekit: ImageKit, path: str) -> bytes:
    """The stored file itself, through a signed URL (the quick start's upload is private)."""
    url = imagekit.url({"path": path, "signed": True, "expire_seconds": 300})
    answer = requests.get(url, timeout=30)
    answer.raise_for_status()
    return answer.content


if __name__ == "__main__":
    sys.exit(main())

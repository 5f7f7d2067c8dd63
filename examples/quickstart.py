"""A tour of the SDK: upload, list and search, tag, read metadata, sign a URL and fetch it.

    python examples/quickstart.py

With IMAGEKIT_PUBLIC_KEY, IMAGEKIT_PRIVATE_KEY and IMAGEKIT_URL_ENDPOINT set it uses your
ImageKit account; without them it starts the bundled local emulator, so it runs offline.
"""
import os
import sys
from contextlib import ExitStack

import requests

from imagekitio import ImageKit
from imagekitio.models.ListAndSearchFileRequestOptions import ListAndSearchFileRequestOptions
from imagekitio.models.UploadFileRequestOptions import UploadFileRequestOptions
from imagekitio.testing import LocalImageKit

HERE = os.path.dirname(os.path.abspath(__file__))


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

        with open(os.path.join(HERE, "sample.png"), "rb") as image:
            uploaded = imagekit.upload_file(file=image, file_name="quickstart.png", options=UploadFileRequestOptions(
                folder="/quickstart/", tags=["quickstart"], is_private_file=True, response_fields=["tags"]))
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

        auth = imagekit.get_authentication_parameters()
        print(f"7. Browser upload parameters: token {auth['token']}, expire {auth['expire']}, "
              f"signature {auth['signature']}")

        imagekit.delete_file(uploaded.file_id)
        print("8. Deleted the file again.")
        ok = signed.status_code == 200 and uploaded.file_id in [f.file_id for f in found.list]
    print("Quick start finished." if ok else "Quick start finished with unexpected results.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

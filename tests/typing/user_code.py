"""What a user's type checker sees (checked by ``mypy --strict`` in CI, never run): real types, not None/Any."""
from typing import List, Optional

from typing_extensions import assert_type

from imagekitio import ImageKit
from imagekitio.models.results.FileResult import FileResult
from imagekitio.models.results.UploadFileResult import UploadFileResult
from imagekitio.results import ListFileResult, ResponseMetadata

ik = ImageKit(public_key="p", private_key="k", url_endpoint="https://ik.imagekit.io/demo")

uploaded = ik.upload_file(b"...", "a.png")
assert_type(uploaded, UploadFileResult)
assert_type(uploaded.url, str)
assert_type(uploaded.file_id, str)
assert_type(uploaded.tags, Optional[List[str]])

details = ik.get_file_details("file-id")
assert_type(details.file_id, str)
assert_type(details.response_metadata, ResponseMetadata)

files = ik.list_files({"path": "/"})
assert_type(files, ListFileResult)
assert_type(files.list, List[FileResult])
for item in files:
    assert_type(item, FileResult)
for found in ik.iter_files({"search_query": "size > 10"}):
    assert_type(found.name, str)

assert_type(ik.url({"path": "/a.png"}), str)

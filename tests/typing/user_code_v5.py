"""5.x-style code as ImageKit's current docs show it (checked by ``mypy --strict`` in CI, never run): real types."""
import datetime
from typing import Any, Dict, List, Literal, Optional, Union

from typing_extensions import assert_type

import imagekitio
from imagekitio import ImageKit, NotFoundError
from imagekitio.types import File, FileUploadResponse, Folder
from imagekitio.types.accounts import URLEndpointResponse
from imagekitio.types.shared import NamedTransformation

client = ImageKit(private_key="private_key")

uploaded = client.files.upload(file=b"...", file_name="a.jpg", tags=["sale"], folder="/shop")
assert_type(uploaded, FileUploadResponse)
assert_type(uploaded.file_id, Optional[str])
assert_type(uploaded.tags, Optional[List[str]])

details = client.files.get("file-id")
assert_type(details, File)
assert_type(details.name, Optional[str])
assert_type(details.created_at, Optional[datetime.datetime])
assert_type(details.custom_metadata, Optional[Dict[str, object]])

listed = client.assets.list(path="/", limit=10)
assert_type(listed, List[Union[File, Folder]])
for item in listed:
    if isinstance(item, File):
        assert_type(item.url, Optional[str])

# beta.v2's result reuses the top-level model by a bodyless subclass: the same typed fields.
from imagekitio.types.beta.v2 import FileUploadResponse as V2FileUploadResponse  # noqa: E402

v2 = client.beta.v2.files.upload(file=b"...", file_name="a.jpg")
assert_type(v2, V2FileUploadResponse)
assert_type(v2.file_id, Optional[str])
assert_type(v2.tags, Optional[List[str]])
if v2.ai_tags:
    assert_type(v2.ai_tags[0].confidence, Optional[float])
analytics = client.accounts.usage_analytics.get(start_date="2024-06-01", end_date="2024-06-02")
assert_type(analytics.browser.by_bandwidth[0].bandwidth_bytes, float)  # declared on the base class

versions = client.files.versions.list("file-id")
assert_type(versions, List[File])
transformation = client.named_transformations.create(name="thumb", transformation="w-100")
assert_type(transformation, NamedTransformation)
assert_type(transformation.name, str)
endpoint = client.accounts.url_endpoints.get("ue_1")
assert_type(endpoint, URLEndpointResponse)
assert_type(endpoint.description, str)

job = client.folders.rename(folder_path="/a", new_folder_name="b", purge_cache=True)
assert_type(job.job_id, str)
assert_type(client.folders.job.get(job.job_id).status, Optional[Literal["Pending", "Completed"]])
assert_type(client.files.delete("file-id"), None)

try:
    client.files.get("missing")
except NotFoundError as error:
    assert_type(error.status_code, int)
    assert_type(error.message, str)
except imagekitio.APIConnectionError as error:
    assert_type(error.body, Optional[object])

as_dict = details.to_dict()
assert_type(as_dict, Dict[str, Any])
assert_type(details.to_json(), str)
other = client.with_options(max_retries=5)
assert_type(other, ImageKit)

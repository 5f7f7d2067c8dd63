"""Every facade method over real HTTP against the local emulator, success and error paths."""
import base64

import pytest
import requests

from imagekitio import ImageKit
from imagekitio.exceptions import (BadRequestException, ConflictException, NotFoundException,
                                   PartialSuccessException, UnauthorizedException, UnknownException)
from imagekitio.models.CopyFileRequestOptions import CopyFileRequestOptions
from imagekitio.models.CopyFolderRequestOptions import CopyFolderRequestOptions
from imagekitio.models.CreateCustomMetadataFieldsRequestOptions import CreateCustomMetadataFieldsRequestOptions
from imagekitio.models.CreateFolderRequestOptions import CreateFolderRequestOptions
from imagekitio.models.CustomMetadataFieldsSchema import CustomMetadataFieldsSchema
from imagekitio.models.CustomMetaDataTypeEnum import CustomMetaDataTypeEnum
from imagekitio.models.DeleteFolderRequestOptions import DeleteFolderRequestOptions
from imagekitio.models.ListAndSearchFileRequestOptions import ListAndSearchFileRequestOptions
from imagekitio.models.MoveFileRequestOptions import MoveFileRequestOptions
from imagekitio.models.MoveFolderRequestOptions import MoveFolderRequestOptions
from imagekitio.models.RenameFileRequestOptions import RenameFileRequestOptions
from imagekitio.models.UpdateCustomMetadataFieldsRequestOptions import UpdateCustomMetadataFieldsRequestOptions
from imagekitio.models.UpdateFileRequestOptions import UpdateFileRequestOptions
from imagekitio.models.UploadFileRequestOptions import UploadFileRequestOptions

from .. import images
from ..conftest import SAMPLE_PNG


def upload(ik, name="a.png", data=None, **options):
    options.setdefault("use_unique_file_name", False)
    return ik.upload_file(data if data is not None else images.png(4, 3), name, UploadFileRequestOptions(**options))


# ---------------------------------------------------------------------- upload
def test_upload_file_object_reads_dimensions_and_options(imagekit):
    with open(SAMPLE_PNG, "rb") as fh:
        result = imagekit.upload_file(fh, "sample.png", UploadFileRequestOptions(
            folder="/in/folder/", tags=["x", "y"], custom_coordinates="1,2,3,4", is_private_file=True,
            response_fields=["tags", "custom_coordinates", "is_private_file"]))
    assert result.file_path.startswith("/in/folder/sample_") and result.file_path.endswith(".png")
    assert (result.width, result.height, result.size) == (1, 1, SAMPLE_PNG.stat().st_size)
    assert result.tags == ["x", "y"] and result.custom_coordinates == "1,2,3,4" and result.is_private_file is True
    assert result.response_metadata.http_status_code == 200


@pytest.mark.parametrize("maker,fmt", [(images.png, "png"), (images.jpeg, "jpg"), (images.gif, "gif"),
                                       (images.webp, "webp")])
def test_upload_reads_each_image_format(imagekit, maker, fmt):
    result = upload(imagekit, f"img.{fmt}", maker(37, 21))
    assert (result.width, result.height, result.file_type) == (37, 21, "image")
    assert imagekit.get_file_metadata(result.file_id).format == fmt


def test_upload_base64_and_bytes_and_url(imagekit, local_imagekit):
    data = images.png(2, 5)
    from_b64 = upload(imagekit, "b64.png", base64.b64encode(data).decode())
    from_bytes = upload(imagekit, "raw.png", data)
    from_url = upload(imagekit, "url.png", local_imagekit.url_endpoint + "/raw.png")
    assert from_b64.size == from_bytes.size == from_url.size == len(data)
    assert from_url.height == 5


def test_upload_url_that_cannot_be_fetched_is_a_400(imagekit):
    with pytest.raises(BadRequestException, match="Could not fetch"):
        upload(imagekit, "x.png", "http://127.0.0.1:9/nothing-listens-here.png")


def test_upload_alias_and_unique_names(imagekit):
    first = imagekit.upload(images.png(1, 1), "same.png")
    second = imagekit.upload(images.png(1, 1), "same.png")
    assert first.name != second.name and first.name.startswith("same_")


def test_overwrite_makes_versions_and_overwrite_false_refuses(imagekit):
    first = upload(imagekit, "v.png", images.png(1, 1), tags=["old"])
    second = upload(imagekit, "v.png", images.png(8, 8))
    assert second.file_id == first.file_id and second.version_info.name == "Version 2"
    versions = imagekit.get_file_versions(first.file_id).list
    assert [v.version_info.name for v in versions] == ["Version 1", "Version 2"]
    old = imagekit.get_file_version_details(first.file_id, first.version_info.id)
    assert (old.width, old.tags) == (1, ["old"])
    with pytest.raises(BadRequestException, match="already exists"):
        upload(imagekit, "v.png", overwrite_file=False)
    restored = imagekit.restore_file_version(first.file_id, first.version_info.id)
    assert restored.width == 1
    current = imagekit.get_file_details(first.file_id).version_info.id
    with pytest.raises(BadRequestException):
        imagekit.delete_file_version(first.file_id, current)
    other = [v.version_info.id for v in imagekit.get_file_versions(first.file_id).list if v.version_info.id != current]
    assert imagekit.delete_file_version(first.file_id, other[0]).response_metadata.http_status_code == 204
    with pytest.raises(NotFoundException):
        imagekit.get_file_version_details(first.file_id, other[0])


def test_upload_validates_custom_metadata_against_schema(imagekit):
    imagekit.create_custom_metadata_fields(CreateCustomMetadataFieldsRequestOptions(
        name="price", label="Price", schema=CustomMetadataFieldsSchema(
            type=CustomMetaDataTypeEnum.Number, min_value=1, max_value=100)))
    ok = upload(imagekit, "p.png", custom_metadata={"price": 50}, response_fields=["custom_metadata"])
    assert ok.custom_metadata == {"price": 50}
    with pytest.raises(BadRequestException, match="greater than maxValue"):
        upload(imagekit, "q.png", custom_metadata={"price": 500})
    with pytest.raises(BadRequestException, match="does not exist"):
        upload(imagekit, "r.png", custom_metadata={"colour": "red"})
    with pytest.raises(BadRequestException, match="expected a number"):
        imagekit.update_file_details(ok.file_id, UpdateFileRequestOptions(custom_metadata={"price": "cheap"}))


def test_missing_file_name_is_rejected_by_the_server_too(local_imagekit):
    response = requests.post(local_imagekit.upload_base_url + "/api/v1/files/upload",
                             files={"file": ("a", b"x")}, auth=(local_imagekit.private_key, ""), timeout=5)
    assert response.status_code == 400 and response.json()["message"] == "Missing fileName parameter for upload"


# ---------------------------------------------------------------------- list and search
def test_list_and_search(imagekit):
    a = upload(imagekit, "alpha.png", images.png(10, 10), tags=["summer"], folder="/one/")
    b = upload(imagekit, "beta.jpg", images.jpeg(10, 10), tags=["winter"], folder="/two/")
    upload(imagekit, "notes.txt", b"hello world", folder="/two/")

    def names(**kwargs):
        return sorted(f.name for f in imagekit.list_files(ListAndSearchFileRequestOptions(**kwargs)).list)

    assert names() == ["alpha.png", "beta.jpg", "notes.txt"]
    assert names(path="/two/") == ["beta.jpg", "notes.txt"]
    assert names(file_type="non-image") == ["notes.txt"]
    assert names(tags=["summer", "autumn"]) == ["alpha.png"]
    assert names(search_query="format = 'png' OR format = 'jpg'") == ["alpha.png", "beta.jpg"]
    assert names(search_query="tags IN ['winter'] AND size > '0kb'") == ["beta.jpg"]
    assert names(search_query="createdAt >= '1d' AND (name : 'alp' OR name = 'notes.txt')") == ["alpha.png",
                                                                                                   "notes.txt"]
    assert names(search_query="createdAt < '1d'") == []
    assert names(type="folder") == ["one", "two"]
    assert [f.name for f in imagekit.list_files({"sort": "DESC_NAME", "limit": 2, "skip": 1}).list] == \
        ["beta.jpg", "alpha.png"]
    assert {a.file_id, b.file_id} <= {f.file_id for f in imagekit.list_files().list}
    with pytest.raises(BadRequestException, match="Invalid search query"):
        imagekit.list_files(ListAndSearchFileRequestOptions(search_query="name = "))


# ---------------------------------------------------------------------- updates and tags
def test_update_details_and_the_publish_rule(imagekit):
    f = upload(imagekit, "u.png")
    updated = imagekit.update_file_details(f.file_id, UpdateFileRequestOptions(
        tags=["t1"], custom_coordinates="5,5,10,10"))
    assert updated.tags == ["t1"] and updated.custom_coordinates == "5,5,10,10"
    published = imagekit.update_file_details(f.file_id, UpdateFileRequestOptions(publish={"isPublished": False}))
    assert published.is_published is False
    with pytest.raises(BadRequestException, match="publish"):
        imagekit.update_file_details(f.file_id, {"publish": {"isPublished": True}, "tags": ["x"]})
    with pytest.raises(BadRequestException, match="tags"):
        imagekit.update_file_details(f.file_id, {"tags": "not-a-list"})


def test_bulk_tags_with_partial_success(imagekit, local_imagekit):
    f = upload(imagekit, "t.png")
    assert imagekit.add_tags([f.file_id], ["a", "b"]).successfully_updated_file_ids == [f.file_id]
    assert imagekit.remove_tags([f.file_id], ["a"]).successfully_updated_file_ids == [f.file_id]
    assert imagekit.get_file_details(f.file_id).tags == ["b"]
    local_imagekit.store.files[f.file_id]["AITags"] = [{"name": "Sky", "confidence": 90, "source": "test"},
                                                      {"name": "Sea", "confidence": 80, "source": "test"}]
    imagekit.remove_ai_tags([f.file_id], ["Sky"])
    assert [t.name for t in imagekit.get_file_details(f.file_id).ai_tags] == ["Sea"]
    with pytest.raises(PartialSuccessException) as partial:
        imagekit.add_tags([f.file_id, "missing"], ["c"])
    assert partial.value.response_metadata.http_status_code == 207
    assert partial.value.response_metadata.raw["missingFileIds"] == ["missing"]
    with pytest.raises(NotFoundException):
        imagekit.remove_tags(["missing"], ["c"])


# ---------------------------------------------------------------------- delete
def test_delete_and_bulk_delete(imagekit):
    a, b, c = (upload(imagekit, f"{n}.png") for n in "abc")
    assert imagekit.delete_file(a.file_id).response_metadata.http_status_code == 204
    with pytest.raises(UnknownException) as gone:  # 4.x maps 404 to UnknownException here
        imagekit.get_file_details(a.file_id)
    assert gone.value.response_metadata.http_status_code == 404
    assert imagekit.bulk_file_delete([b.file_id]).successfully_deleted_file_ids == [b.file_id]
    with pytest.raises(PartialSuccessException):
        imagekit.bulk_delete([c.file_id, "missing"])
    assert imagekit.list_files().list == []


# ---------------------------------------------------------------------- copy, move, rename
def test_copy_move_rename(imagekit):
    f = upload(imagekit, "doc.png", folder="/src/", tags=["keep"])
    imagekit.copy_file(CopyFileRequestOptions(source_file_path="/src/doc.png", destination_path="/dst/",
                                              include_file_versions=True))
    imagekit.move_file(MoveFileRequestOptions(source_file_path="/src/doc.png", destination_path="/moved/"))
    paths = sorted(x.file_path for x in imagekit.list_files().list)
    assert paths == ["/dst/doc.png", "/moved/doc.png"]
    assert imagekit.get_file_details(f.file_id).file_path == "/moved/doc.png"
    renamed = imagekit.rename_file(RenameFileRequestOptions(file_path="/moved/doc.png", new_file_name="new.png",
                                                            purge_cache=True))
    assert renamed.purge_request_id
    assert imagekit.get_purge_file_cache_status(renamed.purge_request_id).status == "Completed"
    upload(imagekit, "taken.png", folder="/moved/")
    with pytest.raises(ConflictException):
        imagekit.rename_file(RenameFileRequestOptions(file_path="/moved/new.png", new_file_name="taken.png"))
    with pytest.raises(NotFoundException):
        imagekit.copy_file(CopyFileRequestOptions(source_file_path="/nope.png", destination_path="/x/"))
    with pytest.raises(NotFoundException):
        imagekit.rename_file(RenameFileRequestOptions(file_path="/nope.png", new_file_name="y.png"))


# ---------------------------------------------------------------------- folders and jobs
def test_folders_and_bulk_jobs(imagekit):
    created = imagekit.create_folder(CreateFolderRequestOptions(folder_name="albums", parent_folder_path="/"))
    assert created.response_metadata.http_status_code == 201
    upload(imagekit, "p.png", folder="/albums/2024/")
    job = imagekit.copy_folder(CopyFolderRequestOptions(source_folder_path="/albums", destination_path="/backup"))
    status = imagekit.get_bulk_job_status(job.job_id)
    assert (status.type, status.status) == ("COPY_FOLDER", "Completed")
    moved = imagekit.move_folder(MoveFolderRequestOptions(source_folder_path="/backup/albums",
                                                          destination_path="/archive"))
    assert imagekit.get_bulk_job_status(moved.job_id).type == "MOVE_FOLDER"
    assert sorted(f.file_path for f in imagekit.list_files().list) == ["/albums/2024/p.png",
                                                                       "/archive/albums/2024/p.png"]
    imagekit.delete_folder(DeleteFolderRequestOptions(folder_path="/archive"))
    assert [f.file_path for f in imagekit.list_files().list] == ["/albums/2024/p.png"]
    with pytest.raises(NotFoundException):
        imagekit.delete_folder(DeleteFolderRequestOptions(folder_path="/archive"))
    with pytest.raises(NotFoundException):
        imagekit.copy_folder(CopyFolderRequestOptions(source_folder_path="/none", destination_path="/x"))


# ---------------------------------------------------------------------- cache and metadata
def test_purge_and_metadata(imagekit, local_imagekit):
    f = upload(imagekit, "m.png", images.png(6, 7))
    purge = imagekit.purge_cache(imagekit.url({"path": f.file_path}))
    assert imagekit.get_purge_cache_status(purge.request_id).status == "Completed"
    assert imagekit.purge_file_cache(f.url).request_id != purge.request_id
    with pytest.raises(BadRequestException):
        imagekit.purge_file_cache("not a url")
    meta = imagekit.get_metadata(f.file_id)
    assert (meta.width, meta.height, meta.format, meta.has_transparency) == (6, 7, "png", True)
    remote = imagekit.get_remote_url_metadata(local_imagekit.url_endpoint + f.file_path)
    assert remote.p_hash == meta.p_hash and ImageKit.phash_distance(remote.p_hash, meta.p_hash) == 0
    assert imagekit.get_remote_file_url_metadata(f.url).height == 7


# ---------------------------------------------------------------------- custom metadata fields
def test_custom_metadata_fields_lifecycle(imagekit):
    created = imagekit.create_custom_metadata_fields(CreateCustomMetadataFieldsRequestOptions(
        name="size", label="Size", schema=CustomMetadataFieldsSchema(
            type=CustomMetaDataTypeEnum.SingleSelect, select_options=["S", "M", "L"])))
    assert created.schema.type == "SingleSelect" and created.schema.select_options == ["S", "M", "L"]
    with pytest.raises(BadRequestException, match="already exists"):
        imagekit.create_custom_metadata_fields({"name": "size", "label": "Other",
                                                "schema": {"type": "Text"}})
    updated = imagekit.update_custom_metadata_fields(created.id, UpdateCustomMetadataFieldsRequestOptions(
        label="T-shirt size"))
    assert updated.label == "T-shirt size"
    assert [f.name for f in imagekit.get_custom_metadata_fields().list] == ["size"]
    assert imagekit.delete_custom_metadata_field(created.id).response_metadata.http_status_code == 204
    assert imagekit.get_custom_metadata_fields().list == []
    assert [f.name for f in imagekit.get_custom_metadata_fields(include_deleted=True).list] == ["size"]
    with pytest.raises(NotFoundException):
        imagekit.update_custom_metadata_fields(created.id, {"label": "x"})
    with pytest.raises(NotFoundException):
        imagekit.delete_custom_metadata_field(created.id)


# ---------------------------------------------------------------------- auth and signed delivery
def test_bad_key_is_unauthorized(local_imagekit):
    with ImageKit(public_key="p", private_key="wrong", url_endpoint=local_imagekit.url_endpoint,
                  api_base_url=local_imagekit.api_base_url, upload_base_url=local_imagekit.upload_base_url) as bad:
        with pytest.raises(UnauthorizedException, match="cannot be authenticated"):
            bad.list_files()
        with pytest.raises(UnauthorizedException):
            bad.upload_file(b"x", "x.txt")


def test_private_files_need_a_valid_unexpired_signature(imagekit):
    f = upload(imagekit, "private ü.png", images.png(3, 3), is_private_file=True)
    assert requests.get(imagekit.url({"path": f.file_path}), timeout=5).status_code == 401
    signed = imagekit.url({"path": f.file_path, "signed": True, "query_parameters": {"v": "2"},
                           "transformation": [{"width": 10}]})
    response = requests.get(signed, timeout=5)
    assert response.status_code == 200 and response.headers["Content-Type"] in ("image/png", "image/jpeg")  # rendered
    assert requests.get(signed.replace("ik-s=", "ik-s=0"), timeout=5).status_code == 401
    expired = imagekit.url({"path": f.file_path, "signed": True, "expire_seconds": -10})
    assert "expired" in requests.get(expired, timeout=5).json()["message"]


def test_public_files_are_served(imagekit):
    f = upload(imagekit, "pub.gif", images.gif(2, 2))
    response = requests.get(imagekit.url({"path": f.file_path, "transformation": [{"height": 1}]}), timeout=5)
    assert response.status_code == 200 and response.headers["Content-Type"] == "image/gif"


# ---------------------------------------------------------------------- the per-client base URL
def test_base_urls_are_per_client_and_the_constants_are_the_fallback(local_imagekit, monkeypatch):
    from imagekitio.constants.url import URL
    with local_imagekit.client() as wired:
        upload(wired, "z.png")
    monkeypatch.setattr(URL, "API_BASE_URL", local_imagekit.api_base_url)
    plain = ImageKit(public_key="p", private_key=local_imagekit.private_key, url_endpoint="https://ik.imagekit.io/x")
    assert [f.name for f in plain.list_files().list] == ["z.png"]


def test_standalone_server_prints_its_settings():
    import subprocess
    import sys
    proc = subprocess.Popen([sys.executable, "-m", "imagekitio.testing", "--port", "0"], stdout=subprocess.PIPE,
                            text=True)
    try:
        lines = [proc.stdout.readline() for _ in range(4)]
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    endpoint = next(line for line in lines if "IMAGEKIT_URL_ENDPOINT=" in line).split("=", 1)[1].strip()
    assert endpoint.startswith("http://127.0.0.1:") and endpoint.endswith("/local")


def test_fault_injection_and_control_routes(imagekit, local_imagekit):
    local_imagekit.inject("GET", "/v1/files$", status=400, times=1)
    with pytest.raises(BadRequestException, match="Injected fault"):
        imagekit.list_files()
    assert imagekit.list_files().list == []
    response = requests.post(local_imagekit.base_url + "/_emulator/faults",
                             json={"method": "GET", "path": "/v1/files$", "garbage": True, "status": 502}, timeout=5)
    assert response.status_code == 201
    with ImageKit(**_keys(local_imagekit), max_retries=0) as once:
        with pytest.raises(Exception) as garbage:
            once.list_files()
    assert "garbage" in str(garbage.value.message)


def _keys(server):
    return dict(public_key=server.public_key, private_key=server.private_key, url_endpoint=server.url_endpoint,
                api_base_url=server.api_base_url, upload_base_url=server.upload_base_url)


def test_a_file_object_is_stored_as_is_even_when_it_looks_like_base64(imagekit):
    result = imagekit.upload_file(__import__("io").BytesIO(b"abcd"), "plain.txt")
    assert result.size == 4 and result.file_type == "non-image"
    assert requests.get(result.url, timeout=5).content == b"abcd"
    assert upload(imagekit, "decoded.txt", "YWJjZA==").size == 4  # a base64 string is decoded

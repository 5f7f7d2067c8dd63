"""What the recorded vectors do not reach: import paths, dict options, large multipart bodies,
thread safety, unusual response bodies, and the search language of the emulator."""
import importlib
import json
import threading
from datetime import datetime, timedelta, timezone

import pytest
import responses

import imagekitio
from imagekitio import ImageKit
from imagekitio.constants.url import URL
from imagekitio.exceptions import BadRequestException, ImageKitException, UnknownException
from imagekitio.file import BOUNDARY
from imagekitio.models import CustomMetadataFieldsSchema, UpdateCustomMetadataFieldsRequestOptions
from imagekitio.testing import SearchQueryError, compile_query
from imagekitio.testing.images import image_info

from . import images
from .conftest import API_KEYS

API = "https://api.imagekit.io"
UPLOAD = "https://upload.imagekit.io/api/v1/files/upload"
FILE_JSON = {"fileId": "f1", "name": "a.jpg", "AITags": None, "versionInfo": {"id": "v", "name": "Version 1"}}


# ---------------------------------------------------------------------- import paths
OPTION_NAMES = ["UploadFileRequestOptions", "ListAndSearchFileRequestOptions", "UpdateFileRequestOptions",
                "CopyFileRequestOptions", "MoveFileRequestOptions", "RenameFileRequestOptions",
                "CreateFolderRequestOptions", "DeleteFolderRequestOptions", "CopyFolderRequestOptions",
                "MoveFolderRequestOptions", "CreateCustomMetadataFieldsRequestOptions",
                "UpdateCustomMetadataFieldsRequestOptions", "CustomMetadataFieldsSchema", "CustomMetaDataTypeEnum"]


@pytest.mark.parametrize("name", OPTION_NAMES)
def test_models_give_the_class_both_ways(name):
    module = importlib.import_module(f"imagekitio.models.{name}")
    from_module = getattr(module, name)
    from_package = getattr(importlib.import_module("imagekitio.models"), name)
    assert isinstance(from_module, type) and from_module is from_package


def test_result_and_exception_paths_give_classes():
    from imagekitio.exceptions import NotFoundException as Direct
    from imagekitio.exceptions.NotFoundException import NotFoundException as ViaModule
    from imagekitio.models.results import FileResult
    from imagekitio.models.results.FileResult import FileResult as ResultViaModule
    assert Direct is ViaModule and FileResult is ResultViaModule and isinstance(FileResult, type)
    assert issubclass(Direct, ImageKitException)
    from imagekitio.client import ImageKit as ClientPath
    assert ClientPath is imagekitio.ImageKit
    for module in ("imagekitio.url", "imagekitio.file", "imagekitio.resource", "imagekitio.constants.defaults",
                   "imagekitio.constants.errors", "imagekitio.constants.files",
                   "imagekitio.constants.supported_transform", "imagekitio.utils.calculation",
                   "imagekitio.utils.utils", "imagekitio.utils.formatter"):
        importlib.import_module(module)


def test_constants_and_client_attributes():
    from imagekitio.constants.defaults import Default
    from imagekitio.constants.errors import ERRORS
    from imagekitio.constants.supported_transform import SUPPORTED_TRANS
    assert Default.SIGNATURE_PARAMETER.value == "ik-s" and Default.DEFAULT_TIMESTAMP.value == 9999999999
    assert set(ERRORS.FILE_ID_MISSING.value) == {"message", "help"}
    assert SUPPORTED_TRANS["effect_gray"] == "e-grayscale" and len(SUPPORTED_TRANS) == 31
    assert URL.BULK_FILE_DELETE == "/batch/deleteByFileIds"
    ik = ImageKit(**API_KEYS)
    assert ik.ik_request and ik.file and ik.url_obj
    with pytest.raises(ValueError):
        ImageKit(public_key="p", private_key="", url_endpoint="u")


# ---------------------------------------------------------------------- options given as dicts
@responses.activate
def test_dict_options_send_the_same_bytes_as_option_objects():
    from imagekitio.models.CopyFileRequestOptions import CopyFileRequestOptions
    responses.add("POST", API + "/v1/files/copy", status=204)
    ik = ImageKit(**API_KEYS)
    ik.copy_file(CopyFileRequestOptions(source_file_path="/a.jpg", destination_path="/b/",
                                        include_file_versions=True))
    ik.copy_file({"source_file_path": "/a.jpg", "destination_path": "/b/", "include_file_versions": True})
    ik.copy_file({"sourceFilePath": "/a.jpg", "destinationPath": "/b/", "includeFileVersions": True})
    bodies = {call.request.body for call in responses.calls}
    assert bodies == {'{"sourceFilePath": "/a.jpg", "destinationPath": "/b/", "includeFileVersions": true}'}


@responses.activate
def test_dict_options_keep_newer_api_parameters_and_convert_schemas():
    responses.add("GET", API + "/v1/files", json=[])
    responses.add("POST", API + "/v1/customMetadataFields", status=201,
                  json={"id": "x", "name": "n", "label": "l", "schema": {"type": "Text"}})
    ik = ImageKit(**API_KEYS)
    ik.list_files({"type": "file", "fileType": "image", "brandNewFilter": "x"})
    assert responses.calls[0].request.url == API + "/v1/files?type=file&fileType=image&brandNewFilter=x"
    ik.create_custom_metadata_fields({"name": "n", "label": "l", "schema": {"type": "Text", "max_length": 5}})
    assert json.loads(responses.calls[1].request.body) == {"name": "n", "label": "l",
                                                           "schema": {"type": "Text", "maxLength": 5}}


def test_unknown_option_keyword_is_a_clear_type_error():
    from imagekitio.models.UploadFileRequestOptions import UploadFileRequestOptions
    with pytest.raises(TypeError, match="unexpected keyword argument 'folders'"):
        UploadFileRequestOptions(folders="/x")


def test_update_field_options_warn_when_a_dict_schema_is_dropped():
    with pytest.warns(UserWarning, match="CustomMetadataFieldsSchema"):
        options = UpdateCustomMetadataFieldsRequestOptions(label="x", schema={"min_value": 1})
    assert options.schema is None  # as 4.x recorded
    kept = UpdateCustomMetadataFieldsRequestOptions(schema=CustomMetadataFieldsSchema(min_value=1))
    assert kept.schema.min_value == 1


# ---------------------------------------------------------------------- multipart uploads
@responses.activate
def test_large_file_object_is_streamed_with_exact_multipart_bytes(tmp_path):
    responses.add("POST", UPLOAD, json=FILE_JSON)
    payload = bytes(range(256)) * (5 * 4096)  # 5 MiB of every byte value
    path = tmp_path / "big.bin"
    path.write_bytes(payload)
    ik = ImageKit(**API_KEYS)
    with open(path, "rb") as fh:
        fh.read(3)  # uploads start where the caller left the file
        ik.upload_file(fh, "big.bin", {"tags": ["a"], "is_private_file": False})
    sent = responses.calls[0].request
    body = sent.body.read() if hasattr(sent.body, "read") else sent.body
    delimiter = f"--{BOUNDARY}\r\n".encode()
    expected = (delimiter + b'Content-Disposition: form-data; name="file"; filename="big.bin"\r\n\r\n'
                + payload[3:] + b"\r\n" + delimiter
                + b'Content-Disposition: form-data; name="fileName"\r\n\r\nbig.bin\r\n' + delimiter
                + b'Content-Disposition: form-data; name="tags"\r\n\r\na\r\n' + delimiter
                + b'Content-Disposition: form-data; name="isPrivateFile"\r\n\r\nfalse\r\n'
                + f"--{BOUNDARY}--\r\n".encode())
    assert body == expected
    assert int(sent.headers["Content-Length"]) == len(expected)


@responses.activate
def test_upload_from_a_path_opens_and_closes_the_file(tmp_path):
    responses.add("POST", UPLOAD, json=FILE_JSON)
    path = tmp_path / "x.png"
    path.write_bytes(images.png(1, 1))
    ImageKit(**API_KEYS).upload_file(path, "x.png")
    body = responses.calls[0].request.body
    body = body.read() if hasattr(body, "read") else body
    assert b'filename="x.png"' in body and images.png(1, 1) in body


# ---------------------------------------------------------------------- thread safety
@responses.activate
def test_one_client_from_many_threads():
    for i in range(8):
        responses.add("GET", f"{API}/v1/files/f{i}/details", json={**FILE_JSON, "fileId": f"f{i}"})
    ik = ImageKit(**API_KEYS)
    results, errors = {}, []

    def work(i):
        try:
            for _ in range(20):
                results.setdefault(i, set()).add(ik.get_file_details(f"f{i}").file_id)
                assert ik.url({"path": f"/{i}.jpg", "signed": True}).startswith(f"{API_KEYS['url_endpoint']}/{i}.jpg")
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and results == {i: {f"f{i}"} for i in range(8)}


# ---------------------------------------------------------------------- unusual response bodies
@pytest.mark.parametrize("status,body,content_type,expected,message", [
    (200, "<html>oops</html>", "text/html", UnknownException, "not JSON"),
    (200, '{"fileId": "x"', "application/json", UnknownException, "not JSON"),
    (200, "[]", "application/json", UnknownException, "JSON array where a JSON object was expected"),
    (404, "", "text/plain", UnknownException, ""),
    (400, '{"message": 5}', "application/json", BadRequestException, "5"),
    (400, "{'message': 'literal', 'help': 'h'}", "text/plain", BadRequestException, "literal"),
    (400, "{" * 100000, "text/plain", BadRequestException, "{{{"),
    (400, "{" * 50000, "text/plain", BadRequestException, "{{{"),
    (400, "{'message': __import__('os')}", "text/plain", BadRequestException, "__import__"),
])
@responses.activate
def test_unusual_bodies_raise_imagekit_exceptions(status, body, content_type, expected, message):
    responses.add("GET", API + "/v1/files/f1/details", status=status, body=body, content_type=content_type)
    with pytest.raises(expected) as error:
        ImageKit(**API_KEYS, max_retries=0).get_file_details("f1")
    assert message in str(error.value)
    assert error.value.response_metadata.http_status_code == status


@responses.activate
def test_path_parameters_are_quoted():
    responses.add("GET", API + "/v1/files/a%2Fb%3Fc%20d/details", json=FILE_JSON)
    ImageKit(**API_KEYS).get_file_details("a/b?c d")
    assert responses.calls[0].request.url.endswith("/v1/files/a%2Fb%3Fc%20d/details")


@pytest.mark.parametrize("method,args", [("delete_file_version", ("f", "")), ("restore_file_version", (None, "v")),
                                         ("get_bulk_job_status", ("",)), ("delete_custom_metadata_field", (None,))])
def test_missing_ids_are_rejected_before_sending(method, args):
    with responses.RequestsMock() as mocked:
        with pytest.raises(TypeError) as error:
            getattr(ImageKit(**API_KEYS), method)(*args)
        assert not mocked.calls
    assert error.value.args[0]["message"].startswith("Missing")


def test_results_keep_unknown_fields_and_compare_contents_through_vars():
    from imagekitio.models.results import FileResult
    a, b = FileResult(name="x", brand_new="y"), FileResult(name="x", brand_new="y")
    assert repr(a) == repr(b) and a != b and a.brand_new == "y" and a.never_set is None and "name='x'" in repr(a)
    with pytest.raises(AttributeError):
        _ = a.__deepcopy_hook__  # dunder lookups stay errors, so copy and pickle work
    import copy
    assert repr(copy.deepcopy(a)) == repr(a)


# ---------------------------------------------------------------------- the emulator's pieces
NOW = datetime(2026, 1, 10, tzinfo=timezone.utc)
RECORDS = [
    {"name": "red-dress.jpg", "tags": ["sale", "summer"], "size": 3 * 1024 * 1024, "type": "file",
     "fileType": "image", "createdAt": (NOW - timedelta(hours=5)).isoformat(), "height": 800,
     "customMetadata": {"brand": "acme"}},
    {"name": "notes.txt", "tags": None, "size": 1000, "type": "file", "fileType": "non-image",
     "createdAt": (NOW - timedelta(days=10)).isoformat(), "height": None},
]


@pytest.mark.parametrize("query,names", [
    ("", ["red-dress.jpg", "notes.txt"]),
    ('name = "red-dress.jpg"', ["red-dress.jpg"]),
    ("name : 'DRESS'", ["red-dress.jpg"]),
    ("tags IN ['summer', 'winter']", ["red-dress.jpg"]),
    ("tags NOT IN ['summer']", ["notes.txt"]),
    ("size > '2mb'", ["red-dress.jpg"]),
    ("size <= 1000", ["notes.txt"]),
    ("createdAt >= '1d'", ["red-dress.jpg"]),
    ("createdAt < '2026-01-05T00:00:00Z'", ["notes.txt"]),
    ("format = 'jpg' OR format = 'txt' AND size > '1gb'", ["red-dress.jpg"]),
    ("(format = 'jpg' OR format = 'txt') AND size < '1kb'", ["notes.txt"]),
    ("fileType != 'image'", ["notes.txt"]),
    ("height >= 800 AND type = 'file'", ["red-dress.jpg"]),
    ("customMetadata.brand = 'acme'", ["red-dress.jpg"]),
])
def test_search_query_language(query, names):
    predicate = compile_query(query, now=NOW)
    assert [r["name"] for r in RECORDS if predicate(r)] == names


@pytest.mark.parametrize("query", ["name =", "name = 'x' AND", "(name = 'x'", "size > 'big'", "name ~ 'x'",
                                   "createdAt > 'yesterday'", "tags NOT 'x'"])
def test_search_query_errors(query):
    with pytest.raises(SearchQueryError):
        compile_query(query, now=NOW)


@pytest.mark.parametrize("maker,fmt,alpha", [(images.png, "png", True), (images.jpeg, "jpg", False),
                                             (images.gif, "gif", False), (images.webp, "webp", True)])
def test_image_headers(maker, fmt, alpha):
    assert image_info(maker(123, 45)) == (fmt, 123, 45, alpha)
    assert image_info(b"not an image") is None and image_info(maker(1, 1)[:8]) is None

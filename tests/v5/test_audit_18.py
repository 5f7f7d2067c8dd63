"""Audit of issue 18: what the other 5.x tests left loose, and the generated models' shape.

The emulator's answers per API-MORE.md (deletes: 2xx with an empty body; PATCH changes only the fields
sent), and the models written once: fields from the class annotations, wire names only where they differ,
and a model 5.x repeats in another module reused there by a bodyless subclass.
"""
import datetime
import importlib

import pytest

from imagekitio import ImageKit
from imagekitio._v5.model import BaseModel

GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"


@pytest.fixture
def ik(local_imagekit):
    with ImageKit(private_key=local_imagekit.private_key, base_url=local_imagekit.base_url, max_retries=0) as client:
        yield client


# ------------------------------------------------------------------ emulator answers (item 8)
def test_every_delete_answers_204_with_an_empty_body(ik):
    raw = ik.with_raw_response
    up = ik.files.upload(file=GIF, file_name="d.gif")
    ext = ik.saved_extensions.create(name="bg", description="x", config={"name": "remove-bg"})
    nt = ik.named_transformations.create(name="thumb", transformation="w-100")
    hook = ik.accounts.webhooks.create(endpoint="https://example.com/h", events=["file.created"])
    field = ik.custom_metadata_fields.create(name="brand", label="Brand", schema={"type": "Text"})
    origin = ik.accounts.origins.create(name="proxy", type="WEB_PROXY")
    endpoint = ik.accounts.url_endpoints.create(description="cdn", url_prefix="cdn")
    ik.folders.create(folder_name="gone", parent_folder_path="/")
    answers = [raw.files.delete(up.file_id), raw.saved_extensions.delete(ext.id),
               raw.named_transformations.delete(nt.id), raw.accounts.webhooks.delete(hook.id),
               raw.custom_metadata_fields.delete(field.id), raw.accounts.url_endpoints.delete(endpoint.id),
               raw.accounts.origins.delete(origin.id), raw.folders.delete(folder_path="/gone")]
    assert [(a.status_code, a.http_response.content) for a in answers] == [(204, b"")] * len(answers)
    assert [a.parse() for a in answers] == [None] * len(answers)


def test_patch_changes_only_the_fields_sent(ik):
    up = ik.files.upload(file=GIF, file_name="p.gif", tags=["a", "b"], custom_coordinates="1,1,2,2")
    updated = ik.files.update(up.file_id, description="only this")
    assert (updated.tags, updated.custom_coordinates, updated.description) == (["a", "b"], "1,1,2,2", "only this")
    unset = ik.files.update(up.file_id, tags=None, custom_coordinates=None)
    assert (unset.tags, unset.custom_coordinates, unset.description) == (None, None, "only this")
    ext = ik.saved_extensions.create(name="bg", description="x", config={"name": "remove-bg"})
    ext = ik.saved_extensions.update(ext.id, description="y")
    assert (ext.name, ext.config.name, ext.description) == ("bg", "remove-bg", "y")
    nt = ik.named_transformations.create(name="thumb", transformation="w-100")
    assert ik.named_transformations.update(nt.id, transformation="w-200").name == "thumb"
    hook = ik.accounts.webhooks.create(endpoint="https://example.com/h", events=["file.created"])
    changed = ik.accounts.webhooks.update(hook.id, enabled=False)
    assert (changed.endpoint, changed.events, changed.enabled) == ("https://example.com/h", ["file.created"], False)
    assert changed.secret == hook.secret and hook.secret.startswith("whsec_")
    field = ik.custom_metadata_fields.create(name="brand", label="Brand", schema={"type": "Text"}, description="D")
    field = ik.custom_metadata_fields.update(field.id, label="Maker")
    assert (field.name, field.schema_.type, field.description, field.label) == ("brand", "Text", "D", "Maker")


def test_folder_rename_job_and_usage_answer_as_documented(ik):
    ik.folders.create(folder_name="old", parent_folder_path="/")
    job = ik.folders.job.get(ik.folders.rename(folder_path="/old", new_folder_name="new").job_id)
    assert (job.type, job.status) == ("RENAME_FOLDER", "Completed")
    usage = ik.accounts.usage.get(start_date="2024-06-01", end_date="2024-06-30")
    assert all(isinstance(getattr(usage, name), (int, float)) for name in (
        "bandwidth_bytes", "media_library_storage_bytes", "original_cache_storage_bytes",
        "video_processing_units_count", "extension_units_count"))


def test_an_origin_in_use_and_the_default_endpoint_cannot_be_deleted(ik):
    import imagekitio

    origin = ik.accounts.origins.create(name="proxy", type="WEB_PROXY")
    endpoint = ik.accounts.url_endpoints.create(description="cdn", url_prefix="cdn", origins=[origin.id])
    assert [e.id for e in ik.accounts.url_endpoints.list()][0] == "default"
    with pytest.raises(imagekitio.BadRequestError):
        ik.accounts.origins.delete(origin.id)
    with pytest.raises(imagekitio.BadRequestError):
        ik.accounts.url_endpoints.delete("default")
    ik.accounts.url_endpoints.delete(endpoint.id)
    assert ik.accounts.origins.delete(origin.id) is None


# ------------------------------------------------------------------ the generated models, written once
def test_fields_come_from_the_annotations_and_aliases_list_only_renamed_fields():
    from imagekitio.types import file_upload_response as module

    cls = module.FileUploadResponse
    assert "_FIELDS" not in vars(cls)
    assert set(cls.model_fields) == set(vars(cls)["__annotations__"]) - {"_ALIASES"}
    assert cls.model_fields["file_id"].alias == "fileId" and cls.model_fields["name"].alias is None
    assert cls.model_fields["ai_tags"].annotation == "Optional[List[AITag]]"
    assert all(cls.model_fields[name].alias == wire != name for name, wire in cls._ALIASES.items())


def test_a_subclass_reads_its_bases_fields_first_and_keeps_their_wire_names():
    from imagekitio.types.accounts.request_bandwidth_entry import RequestBandwidthEntry
    from imagekitio.types.accounts.usage_analytics_response import BrowserByBandwidth

    assert issubclass(BrowserByBandwidth, RequestBandwidthEntry)
    assert list(BrowserByBandwidth.model_fields) == ["bandwidth_bytes", "request_count", "name"]
    entry = BrowserByBandwidth.model_validate({"bandwidthBytes": 10, "requestCount": 2, "name": "Chrome"})
    assert (entry.bandwidth_bytes, entry.request_count, entry.name) == (10.0, 2.0, "Chrome")
    assert isinstance(entry.bandwidth_bytes, float)


REUSED = ["AITag", "ExtensionStatus", "FileUploadResponse", "SelectedFieldsSchema", "VersionInfo"]


@pytest.mark.parametrize("name", REUSED)
def test_beta_v2_upload_models_are_bodyless_subclasses_named_as_in_5x(name):
    beta = importlib.import_module("imagekitio.types.beta.v2.file_upload_response")
    top = importlib.import_module("imagekitio.types.file_upload_response")
    cls = getattr(beta, name)
    assert cls.__name__ == name and cls.__module__ == beta.__name__
    written = cls.__mro__[1]  # the one module that writes it: types.file or types.file_upload_response
    assert written.__name__ == name and written.__module__ in ("imagekitio.types.file", top.__name__)
    assert issubclass(getattr(top, name), written)
    assert {k for k in vars(cls) if not k.startswith("__")} <= {"_plan_cache", "model_fields"}
    assert cls.model_fields == written.model_fields == getattr(top, name).model_fields


def test_a_beta_v2_upload_result_holds_beta_v2_nested_models():
    from imagekitio.types import beta, file_upload_response

    wire = {"fileId": "f1", "name": "a.jpg", "AITags": [{"name": "cat", "confidence": 0.9, "source": "aws"}],
            "versionInfo": {"id": "v1", "name": "Version 1"}, "extensionStatus": {"remove-bg": "pending"},
            "metadata": {"height": 10, "width": 20}, "selectedFieldsSchema": {"brand": {"type": "Text"}},
            "later": "kept"}
    got = beta.v2.FileUploadResponse.model_validate(wire)
    top = file_upload_response.FileUploadResponse.model_validate(wire)
    where = "imagekitio.types.beta.v2.file_upload_response"
    nested = [got.ai_tags[0], got.version_info, got.extension_status, got.selected_fields_schema["brand"]]
    assert [type(m).__module__ for m in nested] == [where] * 4
    assert [type(m).__name__ for m in nested] == ["AITag", "VersionInfo", "ExtensionStatus", "SelectedFieldsSchema"]
    assert type(got.metadata).__module__ == "imagekitio.types.metadata" and got.metadata.width == 20
    assert got.to_dict() == top.to_dict() == wire and got.later == "kept"
    assert got.extension_status.remove_bg == "pending" and got.ai_tags[0].confidence == 0.9


def test_every_model_declares_each_field_once():
    import pkgutil

    import imagekitio.types as types

    count = 0
    for info in pkgutil.walk_packages(types.__path__, "imagekitio.types."):
        module = importlib.import_module(info.name)
        for cls in vars(module).values():
            if isinstance(cls, type) and issubclass(cls, BaseModel) and cls.__module__ == info.name:
                count += 1
                assert "_FIELDS" not in vars(cls)
                for name, info_ in cls.model_fields.items():
                    assert info_.alias != name and isinstance(info_.annotation, str)
                cls._plans()  # every annotation resolves
    assert count == 205


def test_a_datetime_field_declared_once_still_parses():
    from imagekitio.types import File

    got = File.model_validate({"createdAt": "2024-06-20T09:15:30.123Z", "type": "file"})
    assert got.created_at == datetime.datetime(2024, 6, 20, 9, 15, 30, 123000, tzinfo=datetime.timezone.utc)


# ------------------------------------------------------------------ item 7: the retry policy on the 5.x face
def test_5x_calls_retry_reads_but_not_uploads_or_renames_on_5xx_and_409(local_imagekit, ik, sleeps):
    import imagekitio

    up = ik.files.upload(file=GIF, file_name="r.gif")
    fault = local_imagekit.inject("GET", "/v1/files/", status=500, times=2)
    with ImageKit(private_key=local_imagekit.private_key, base_url=local_imagekit.base_url, max_retries=2) as client:
        assert client.files.get(up.file_id).file_id == up.file_id  # a read: retried twice, then answered
        assert fault.hits == 2
        fault = local_imagekit.inject("POST", "/files/upload", status=500, times=2)
        with pytest.raises(imagekitio.InternalServerError):
            client.files.upload(file=GIF, file_name="r2.gif")  # 5.11 would replay it
        assert fault.hits == 1
        fault = local_imagekit.inject("PUT", "/v1/files/rename", status=409, times=2)
        with pytest.raises(imagekitio.ConflictError):
            client.files.rename(file_path=up.file_path, new_file_name="r3.gif")
        assert fault.hits == 1


# ------------------------------------------------------------------ items 4 and 6: errors, standard library only
def test_the_5x_error_tree_is_importable_from_imagekitio_and_apart_from_4x():
    import imagekitio
    from imagekitio.exceptions import ImageKitException

    status = {"BadRequestError": 400, "AuthenticationError": 401, "PermissionDeniedError": 403,
              "NotFoundError": 404, "ConflictError": 409, "UnprocessableEntityError": 422,
              "RateLimitError": 429, "InternalServerError": 500}
    for name in status:
        assert issubclass(getattr(imagekitio, name), imagekitio.APIStatusError)
    assert issubclass(imagekitio.APIStatusError, imagekitio.APIError)
    assert issubclass(imagekitio.APITimeoutError, imagekitio.APIConnectionError)
    assert issubclass(imagekitio.APIConnectionError, imagekitio.APIError)
    assert issubclass(imagekitio.APIError, imagekitio.ImageKitError)
    assert not issubclass(imagekitio.ImageKitError, ImageKitException)
    assert not hasattr(imagekitio, "AsyncImageKit")  # README: not provided, and what to use instead


def test_the_5x_surface_runs_without_httpx_pydantic_or_standardwebhooks(local_imagekit):
    import subprocess
    import sys

    code = ("import sys\n"
            "for name in ('httpx', 'pydantic', 'standardwebhooks'): sys.modules[name] = None\n"
            "import imagekitio, json\n"
            f"ik = imagekitio.ImageKit(private_key={local_imagekit.private_key!r}, "
            f"base_url={local_imagekit.base_url!r}, webhook_secret='whsec_c2VjcmV0')\n"
            "up = ik.files.upload(file=b'GIF89a', file_name='s.gif')\n"
            "assert ik.files.get(up.file_id).name == up.name\n"
            "body = json.dumps({'type': 'file.deleted', 'id': 'e', 'data': {'fileId': 'f'}})\n"
            "assert type(ik.webhooks.unsafe_unwrap(body)).__name__ == 'FileDeleteEvent'\n"
            "assert ik.helper.build_url(src='/a.jpg', url_endpoint='https://ik.imagekit.io/d', expires_in=60)\n"
            "print('ok')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "ok", out.stderr

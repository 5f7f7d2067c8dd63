"""Every 5.x method, round-tripped against the local emulator (imagekitio.testing.LocalImageKit)."""
import datetime
import io

import pytest

import imagekitio
from imagekitio import ImageKit
from imagekitio.types import File, Folder, FileUploadResponse
from imagekitio.types.accounts import URLEndpointResponse, Webhook
from imagekitio.types.accounts.origin_response import WebProxy
from imagekitio.types.shared import NamedTransformation, SavedExtension

from ..images import jpeg


def jpeg_bytes() -> bytes:
    return jpeg(40, 30)  # a real image, so the emulator reads its size and format


CALLED = set()


@pytest.fixture(autouse=True)
def record_operations(monkeypatch):
    """Notes each 5.x operation these tests run, for ``test_every_operation_made_a_round_trip`` (last)."""
    from imagekitio._v5 import engine, resources

    def run(client, name, params, raw=False):
        CALLED.add(name)
        return engine.run(client, name, params, raw)
    monkeypatch.setattr(resources, "run", run)


@pytest.fixture
def ik(local_imagekit):
    with ImageKit(private_key=local_imagekit.private_key, base_url=local_imagekit.base_url, max_retries=0) as client:
        yield client


@pytest.fixture
def uploaded(ik):
    return ik.files.upload(file=jpeg_bytes(), file_name="hero.jpg", folder="/shop", tags=["sale"],
                           description="A hero", custom_coordinates="1,1,10,10", response_fields=["tags"])


def test_upload_get_update_delete(ik, uploaded):
    assert isinstance(uploaded, FileUploadResponse)
    assert uploaded.name.startswith("hero") and uploaded.tags == ["sale"] and uploaded.description == "A hero"
    got = ik.files.get(uploaded.file_id)
    assert isinstance(got, File) and got.file_path == uploaded.file_path and got.description == "A hero"
    assert isinstance(got.created_at, datetime.datetime) and got.created_at.tzinfo is not None
    updated = ik.files.update(uploaded.file_id, tags=["new"], description="Changed", custom_metadata={})
    assert updated.tags == ["new"] and updated.description == "Changed"
    assert ik.files.get(uploaded.file_id).description == "Changed"
    assert ik.files.delete(uploaded.file_id) is None
    with pytest.raises(imagekitio.NotFoundError) as missing:
        ik.files.get(uploaded.file_id)
    assert missing.value.status_code == 404 and isinstance(missing.value.body, dict)


def test_upload_from_a_file_object_path_and_tuple(ik, tmp_path):
    path = tmp_path / "p.jpg"
    path.write_bytes(jpeg_bytes())
    assert ik.files.upload(file=path, file_name="p.jpg").name.startswith("p")
    with open(path, "rb") as fh:
        assert ik.files.upload(file=fh, file_name="f.jpg").file_type == "image"
    assert ik.files.upload(file=("t.jpg", io.BytesIO(jpeg_bytes()), "image/jpeg"), file_name="t.jpg").height > 0
    v2 = ik.beta.v2.files.upload(file=jpeg_bytes(), file_name="v2.jpg", is_private_file=False)
    assert v2.file_id and ik.files.get(v2.file_id).name == v2.name


def test_copy_move_rename(ik, uploaded):
    ik.folders.create(folder_name="dst", parent_folder_path="/")
    assert ik.files.copy(source_file_path=uploaded.file_path, destination_path="/dst/") is None
    assert ik.files.move(source_file_path="/dst/" + uploaded.name, destination_path="/shop/moved/") is None
    renamed = ik.files.rename(file_path=uploaded.file_path, new_file_name="renamed.jpg")
    assert renamed.purge_request_id is None or isinstance(renamed.purge_request_id, str)
    names = {item.name for item in ik.assets.list(path="/shop")}
    assert "renamed.jpg" in names


def test_bulk(ik, uploaded):
    other = ik.files.upload(file=jpeg_bytes(), file_name="b.jpg")
    ids = [uploaded.file_id, other.file_id]
    assert sorted(ik.files.bulk.add_tags(file_ids=ids, tags=["x"]).successfully_updated_file_ids) == sorted(ids)
    assert ik.files.bulk.remove_tags(file_ids=ids, tags=["x"]).successfully_updated_file_ids
    assert ik.files.bulk.remove_ai_tags(file_ids=ids, ai_tags=["y"]).successfully_updated_file_ids
    assert sorted(ik.files.bulk.delete(file_ids=ids).successfully_deleted_file_ids) == sorted(ids)


def test_versions(ik, uploaded):
    ik.files.upload(file=jpeg_bytes(), file_name="hero.jpg", folder="/shop", use_unique_file_name=False)
    first = ik.files.upload(file=jpeg_bytes(), file_name="v.jpg", use_unique_file_name=False)
    ik.files.upload(file=jpeg_bytes(), file_name="v.jpg", use_unique_file_name=False)
    versions = ik.files.versions.list(first.file_id)
    assert len(versions) >= 2 and all(isinstance(v, File) for v in versions)
    old = [v for v in versions if v.version_info and v.version_info.id != versions[-1].version_info.id][0]
    assert ik.files.versions.get(old.version_info.id, file_id=first.file_id).version_info.id == old.version_info.id
    restored = ik.files.versions.restore(old.version_info.id, file_id=first.file_id)
    assert isinstance(restored, File)
    non_current = [v for v in ik.files.versions.list(first.file_id)
                   if v.version_info.id != restored.version_info.id][0]
    assert ik.files.versions.delete(non_current.version_info.id, file_id=first.file_id) is None


def test_metadata(ik, uploaded, local_imagekit):
    meta = ik.files.metadata.get(uploaded.file_id)
    assert meta.width and meta.height and meta.format
    remote = ik.files.metadata.get_from_url(url=uploaded.url)
    assert remote.width == meta.width


def test_assets_list_gives_files_and_folders(ik, uploaded):
    items = ik.assets.list(path="/", type="all")
    assert any(isinstance(item, Folder) and item.name == "shop" for item in items)
    files = ik.assets.list(search_query='name = "' + uploaded.name + '"', type="file")
    assert [f.file_id for f in files] == [uploaded.file_id] and isinstance(files[0], File)


def test_cache_purge(ik, uploaded):
    created = ik.cache.invalidation.create(url=uploaded.url)
    assert created.request_id
    assert ik.cache.invalidation.get(created.request_id).status in ("Pending", "Completed")


def test_folders_and_jobs(ik, uploaded):
    assert ik.folders.create(folder_name="a", parent_folder_path="/") is not None
    job = ik.folders.copy(source_folder_path="/shop", destination_path="/a", include_versions=True)
    assert ik.folders.job.get(job.job_id).status in ("Pending", "Completed")
    moved = ik.folders.move(source_folder_path="/a/shop", destination_path="/")
    assert moved.job_id
    renamed = ik.folders.rename(folder_path="/a", new_folder_name="b")
    assert ik.folders.job.get(renamed.job_id).type == "RENAME_FOLDER"
    assert ik.folders.delete(folder_path="/b") is None


def test_custom_metadata_fields(ik):
    field = ik.custom_metadata_fields.create(name="brand", label="Brand", schema={"type": "Text", "max_length": 20},
                                             description="Who makes it")
    assert field.schema_.type == "Text" and field.schema_.max_length == 20 and field.description == "Who makes it"
    updated = ik.custom_metadata_fields.update(field.id, label="Maker", description="Changed")
    assert updated.label == "Maker" and updated.description == "Changed"
    listed = ik.custom_metadata_fields.list()
    assert [f.description for f in listed if f.id == field.id] == ["Changed"]
    assert ik.custom_metadata_fields.delete(field.id) is None
    assert field.id not in {f.id for f in ik.custom_metadata_fields.list()}
    assert field.id in {f.id for f in ik.custom_metadata_fields.list(include_deleted=True)}


def test_saved_extensions(ik):
    ext = ik.saved_extensions.create(name="bg", description="Remove bg", config={"name": "remove-bg"})
    assert isinstance(ext, SavedExtension) and ext.config.name == "remove-bg"
    assert ik.saved_extensions.get(ext.id).name == "bg"
    assert ik.saved_extensions.update(ext.id, description="Changed").description == "Changed"
    assert [e.id for e in ik.saved_extensions.list()] == [ext.id]
    assert ik.saved_extensions.delete(ext.id) is None
    assert ik.saved_extensions.list() == []


def test_named_transformations(ik):
    nt = ik.named_transformations.create(name="thumb", transformation="w-100,h-100")
    assert isinstance(nt, NamedTransformation) and nt.transformation == "w-100,h-100"
    assert ik.named_transformations.get(nt.id).name == "thumb"
    assert ik.named_transformations.update(nt.id, transformation="w-200").transformation == "w-200"
    assert [n.id for n in ik.named_transformations.list()] == [nt.id]
    assert ik.named_transformations.delete(nt.id) is None


def test_origins(ik):
    origin = ik.accounts.origins.create(name="proxy", type="WEB_PROXY")
    assert isinstance(origin, WebProxy) and origin.name == "proxy"
    assert ik.accounts.origins.get(origin.id).type == "WEB_PROXY"
    updated = ik.accounts.origins.update(origin.id, name="proxy2", type="WEB_PROXY")
    assert updated.name == "proxy2"
    assert origin.id in [o.id for o in ik.accounts.origins.list()]
    assert ik.accounts.origins.delete(origin.id) is None


def test_url_endpoints(ik):
    endpoint = ik.accounts.url_endpoints.create(description="CDN", url_prefix="cdn")
    assert isinstance(endpoint, URLEndpointResponse) and endpoint.url_prefix == "cdn"
    assert ik.accounts.url_endpoints.get(endpoint.id).description == "CDN"
    assert ik.accounts.url_endpoints.update(endpoint.id, description="CDN2", url_prefix="cdn").description == "CDN2"
    assert endpoint.id in [e.id for e in ik.accounts.url_endpoints.list()]
    assert ik.accounts.url_endpoints.delete(endpoint.id) is None


def test_account_webhooks(ik):
    hook = ik.accounts.webhooks.create(endpoint="https://example.com/hook", events=["file.created"])
    assert isinstance(hook, Webhook) and hook.events == ["file.created"]
    assert ik.accounts.webhooks.get(hook.id).endpoint == "https://example.com/hook"
    assert ik.accounts.webhooks.update(hook.id, enabled=False).enabled is False
    assert [w.id for w in ik.accounts.webhooks.list()] == [hook.id]
    assert ik.accounts.webhooks.delete(hook.id) is None


def test_usage(ik):
    usage = ik.accounts.usage.get(start_date="2024-06-01", end_date="2024-06-30")
    assert isinstance(usage.bandwidth_bytes, (int, float)) and isinstance(usage.extension_units_count, (int, float))
    analytics = ik.accounts.usage_analytics.get(start_date=datetime.date(2024, 6, 1), end_date="2024-06-02")
    assert type(analytics).__name__ == "UsageAnalyticsResponse" and analytics.to_dict()


def test_one_client_mixes_both_surfaces(local_imagekit):
    with local_imagekit.client() as ik:
        v4 = ik.upload_file(file=jpeg_bytes(), file_name="mix.jpg")
        assert ik.files.get(v4.file_id).name == v4.name
        v5 = ik.files.upload(file=jpeg_bytes(), file_name="mix5.jpg")
        assert ik.get_file_details(v5.file_id).name == v5.name
        with pytest.raises(imagekitio.exceptions.ImageKitException) as v4_error:
            ik.get_file_details("missing")
        assert not isinstance(v4_error.value, imagekitio.APIError)
        with pytest.raises(imagekitio.NotFoundError):
            ik.files.get("missing")


def test_with_raw_response_and_with_options(ik, uploaded):
    raw = ik.files.with_raw_response.get(uploaded.file_id)
    assert raw.status_code == 200 and raw.headers["content-type"].startswith("application/json")
    assert raw.parse().file_id == uploaded.file_id
    assert ik.with_raw_response.files.delete(uploaded.file_id).status_code == 204
    other = ik.with_options(max_retries=1, timeout=30.0)
    assert other.max_retries == 1 and other.timeout == 30.0 and ik.max_retries == 0
    assert other.ik_request._pool is ik.ik_request._pool  # the same connection pool
    assert other.assets.list() == ik.assets.list()


def test_every_operation_made_a_round_trip():
    from imagekitio._v5.engine import OPERATIONS

    assert sorted(set(OPERATIONS) - CALLED) == []

"""Code written the way ImageKit's current (5.x) documentation shows it, run unchanged against the emulator.

Issue 18, "Done when": code from today's docs runs on this package. Each test below is one docs snippet.
The snippets build their client exactly as the docs' quick start does,
``ImageKit(private_key=os.environ.get("IMAGEKIT_PRIVATE_KEY"))``; the ``docs_env`` fixture points that at
the local emulator through the environment (``IMAGEKIT_PRIVATE_KEY``, ``IMAGE_KIT_BASE_URL``,
``IMAGEKIT_URL_ENDPOINT``), so not one character of a snippet changes. Placeholders the docs leave for the
reader (``"/path/to/your/image.jpg"``, ``"file_id"``) are filled with real values, nothing else.

Where a snippet is quoted from a docs page it says so (``verbatim``); the docs pages' later Python
examples are not in the reference copies we can read, so the other snippets are written as those pages
describe each operation (method and parameter names from the page and the 5.11 surface in
``shared/conformance/v5/surface_v5.json``), in the quick start's style, and cite the page they follow.
Each test asserts what the snippet's reader relies on: the printed fields exist with the right types, and
the media library really changed.
"""
import base64
import contextlib
import datetime
import hashlib
import hmac
import http.server
import io
import json
import os
import threading
import time
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest
import requests

import imagekitio
from imagekitio import ImageKit
from imagekitio.types import File, FileUploadResponse, Folder

PIL = pytest.importorskip("PIL.Image")


def photo(width: int = 64, height: int = 48, fmt: str = "JPEG") -> bytes:
    """A real, decodable image, so the emulator can measure and render it."""
    out = io.BytesIO()
    PIL.new("RGB", (width, height), (200, 30, 30)).save(out, fmt)
    return out.getvalue()


@pytest.fixture
def docs_env(local_imagekit: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Any]:
    """The environment a docs reader sets up: keys in env vars, a ``product.jpg`` in the working directory."""
    monkeypatch.setenv("IMAGEKIT_PRIVATE_KEY", local_imagekit.private_key)
    monkeypatch.setenv("IMAGEKIT_URL_ENDPOINT", local_imagekit.url_endpoint)
    monkeypatch.setenv("IMAGE_KIT_BASE_URL", local_imagekit.base_url)  # the only redirection: to the emulator
    for name in ("IMAGEKIT_PUBLIC_KEY", "IMAGEKIT_WEBHOOK_SECRET", "IMAGE_KIT_CUSTOM_HEADERS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "product.jpg").write_bytes(photo())
    yield local_imagekit


@pytest.fixture
def check(docs_env: Any) -> Iterator[ImageKit]:
    """An independent client on the same emulator, used only by the assertions (never by a snippet)."""
    with docs_env.client(max_retries=0) as client:
        yield client


def seed(check: ImageKit, name: str = "seed.jpg", **options: Any) -> FileUploadResponse:
    options.setdefault("use_unique_file_name", False)  # names the assertions can predict
    return check.files.upload(file=photo(), file_name=name, **options)


# --------------------------------------------------------------------------------------------- upload
def test_quick_start_upload_a_file(docs_env: Any, check: ImageKit, capsys: pytest.CaptureFixture[str]) -> None:
    # https://imagekit.io/docs/integration/python ("Quick Start" and "Common Examples: Upload a File"),
    # verbatim up to the print, which the page continues as a f-string about the response.
    import os
    from imagekitio import ImageKit

    imagekit = ImageKit(
        private_key=os.environ.get("IMAGEKIT_PRIVATE_KEY")
    )

    # Store URL endpoint for reuse
    URL_ENDPOINT = os.environ.get("IMAGEKIT_URL_ENDPOINT")  # noqa: N806 - the docs' spelling

    from pathlib import Path

    # Upload from file
    response = imagekit.files.upload(
        file=Path("product.jpg"),
        file_name="product.jpg",
        folder="/products",
        tags=["product", "featured"]
    )
    print(f"File ID: {response.file_id}")
    # ---- end of snippet
    imagekit.close()
    assert isinstance(response.file_id, str) and response.file_id in capsys.readouterr().out
    assert response.file_path.startswith("/products/product") and response.url.startswith(URL_ENDPOINT)
    stored = check.files.get(response.file_id)
    assert stored.tags == ["product", "featured"] and (stored.width, stored.height) == (64, 48)
    assert requests.get(response.url, timeout=10).content == Path("product.jpg").read_bytes()


def test_sdk_usage_upload_bytes(docs_env: Any, check: ImageKit, capsys: pytest.CaptureFixture[str]) -> None:
    # https://pypi.org/project/imagekitio/ ("Usage"), verbatim; the placeholder path is filled in.
    import os
    from imagekitio import ImageKit

    client = ImageKit(
        private_key=os.environ.get("IMAGEKIT_PRIVATE_KEY"),  # This is the default and can be omitted
    )

    # Upload a file
    with open("product.jpg", "rb") as f:
        file_data = f.read()

    response = client.files.upload(
        file=file_data,
        file_name="uploaded-image.jpg",
    )
    print(response.file_id)
    print(response.url)
    # ---- end of snippet
    client.close()
    printed = capsys.readouterr().out.split()
    assert printed == [response.file_id, response.url]
    assert check.files.get(response.file_id).name == response.name and response.name.startswith("uploaded-image")


def test_upload_with_options_from_a_url(docs_env: Any, check: ImageKit) -> None:
    # https://imagekit.io/docs/api-reference/upload-file/upload-file: a remote URL as `file`, with
    # custom coordinates, a description, response fields and `use_unique_file_name`.
    source = seed(check, "remote-source.jpg")
    imagekit = ImageKit(private_key=os.environ.get("IMAGEKIT_PRIVATE_KEY"))

    response = imagekit.files.upload(
        file=source.url,
        file_name="from-url.jpg",
        folder="/imported",
        use_unique_file_name=False,
        custom_coordinates="10,10,20,20",
        description="Imported from a URL",
        response_fields=["tags", "customCoordinates", "customMetadata"],
    )
    print(response.name, response.file_path, response.custom_coordinates)
    # ---- end of snippet
    imagekit.close()
    assert response.file_path == "/imported/from-url.jpg" and response.custom_coordinates == "10,10,20,20"
    assert check.files.get(response.file_id).description == "Imported from a URL"


# ------------------------------------------------------------------------------------ list and search
def test_list_and_search_assets(docs_env: Any, check: ImageKit, capsys: pytest.CaptureFixture[str]) -> None:
    # https://imagekit.io/docs/api-reference/digital-asset-management-dam/list-and-search-assets
    seed(check, "shoe.jpg", folder="/products", tags=["featured"])
    seed(check, "sock.jpg", folder="/products", tags=["sale"])
    check.folders.create(folder_name="archive", parent_folder_path="/products")
    imagekit = ImageKit(private_key=os.environ.get("IMAGEKIT_PRIVATE_KEY"))

    # Everything in a folder: files and folders
    assets = imagekit.assets.list(path="/products", type="all", sort="ASC_NAME", limit=10, skip=0)
    for asset in assets:
        print(asset.type, asset.name)

    # Lucene-like search
    featured = imagekit.assets.list(search_query='tags IN ["featured"] AND format = "jpg"', type="file")
    print([f.name for f in featured])
    # ---- end of snippet
    imagekit.close()
    assert isinstance(assets, list) and [a.type for a in assets].count("folder") == 1
    assert any(isinstance(a, Folder) and a.name == "archive" for a in assets)
    assert all(isinstance(a, File) for a in assets if a.type == "file")
    assert [f.name for f in featured] == ["shoe.jpg"] and "shoe.jpg" in capsys.readouterr().out


# -------------------------------------------------------------------------------- details, update
def test_get_file_details(docs_env: Any, check: ImageKit) -> None:
    # https://imagekit.io/docs/api-reference/digital-asset-management-dam/managing-assets/get-file-details
    file_id = seed(check, "details.jpg", tags=["a"]).file_id
    imagekit = ImageKit(private_key=os.environ.get("IMAGEKIT_PRIVATE_KEY"))

    file = imagekit.files.get(file_id)
    print(file.name, file.file_type, file.width, file.height, file.size, file.created_at.isoformat())
    print(file.to_dict()["fileId"], file.to_json())
    # ---- end of snippet
    imagekit.close()
    assert isinstance(file, File) and file.file_id == file_id and file.file_type == "image"
    assert isinstance(file.created_at, datetime.datetime) and file.created_at.tzinfo is not None
    assert isinstance(file.size, (int, float)) and file.size > 0 and file.tags == ["a"]
    assert json.loads(file.to_json())["name"] == "details.jpg"


def test_update_file_details(docs_env: Any, check: ImageKit) -> None:
    # https://imagekit.io/docs/api-reference/digital-asset-management-dam/managing-assets/update-file-details
    file_id = seed(check, "update.jpg", tags=["old"]).file_id
    imagekit = ImageKit(private_key=os.environ.get("IMAGEKIT_PRIVATE_KEY"))

    updated = imagekit.files.update(
        file_id,
        tags=["summer", "sale"],
        custom_coordinates="5,5,20,20",
        description="Summer sale banner",
    )
    print(updated.tags, updated.custom_coordinates, updated.description)
    # ---- end of snippet
    imagekit.close()
    assert updated.tags == ["summer", "sale"] and updated.custom_coordinates == "5,5,20,20"
    stored = check.files.get(file_id)
    assert (stored.tags, stored.description) == (["summer", "sale"], "Summer sale banner")


def test_file_metadata(docs_env: Any, check: ImageKit) -> None:
    # https://imagekit.io/docs/api-reference/digital-asset-management-dam/managing-assets/get-uploaded-file-metadata
    uploaded = seed(check, "meta.jpg")
    imagekit = ImageKit(private_key=os.environ.get("IMAGEKIT_PRIVATE_KEY"))

    metadata = imagekit.files.metadata.get(uploaded.file_id)
    print(metadata.width, metadata.height, metadata.format)
    from_url = imagekit.files.metadata.get_from_url(url=uploaded.url)
    # ---- end of snippet
    imagekit.close()
    assert (metadata.width, metadata.height, metadata.format) == (64, 48, "jpg")
    assert from_url.width == 64


def test_copy_move_rename_delete(docs_env: Any, check: ImageKit) -> None:
    # https://imagekit.io/docs/api-reference/digital-asset-management-dam/managing-assets/copy-file (and the
    # move-file, rename-file and delete-file pages)
    seed(check, "banner.jpg", folder="/marketing")
    check.folders.create(folder_name="archive", parent_folder_path="/")
    imagekit = ImageKit(private_key=os.environ.get("IMAGEKIT_PRIVATE_KEY"))

    imagekit.files.copy(source_file_path="/marketing/banner.jpg", destination_path="/archive/",
                        include_file_versions=False)
    imagekit.files.move(source_file_path="/archive/banner.jpg", destination_path="/marketing/old/")
    renamed = imagekit.files.rename(file_path="/marketing/banner.jpg", new_file_name="hero.jpg", purge_cache=True)
    print(renamed.purge_request_id)
    hero = imagekit.assets.list(search_query='name = "hero.jpg"')[0]
    imagekit.files.delete(hero.file_id)
    # ---- end of snippet
    imagekit.close()
    assert isinstance(renamed.purge_request_id, str) and renamed.purge_request_id
    names = sorted((f.file_path for f in check.assets.list(type="file")))
    assert names == ["/marketing/old/banner.jpg"]


# ---------------------------------------------------------------------------------------- versions
def test_file_versions(docs_env: Any, check: ImageKit) -> None:
    # https://imagekit.io/docs/api-reference/digital-asset-management-dam/managing-assets/list-file-versions
    # (and get, restore and delete file version)
    first = seed(check, "logo.jpg")
    check.files.upload(file=photo(32, 32), file_name="logo.jpg", use_unique_file_name=False)
    file_id = first.file_id
    imagekit = ImageKit(private_key=os.environ.get("IMAGEKIT_PRIVATE_KEY"))

    versions = imagekit.files.versions.list(file_id)
    for version in versions:
        print(version.version_info.id, version.version_info.name)
    oldest = versions[0].version_info.id
    detail = imagekit.files.versions.get(oldest, file_id=file_id)
    restored = imagekit.files.versions.restore(oldest, file_id=file_id)
    print(restored.version_info.name, restored.width)
    # ---- end of snippet
    imagekit.close()
    assert len(versions) == 2 and detail.version_info.id == oldest
    assert check.files.get(file_id).width == 64  # the first upload's pixels are current again
    others = [v.version_info.id for v in check.files.versions.list(file_id) if v.version_info.id != oldest]
    assert others and check.files.versions.delete(others[0], file_id=file_id) is None


# -------------------------------------------------------------------------------------------- bulk
def test_bulk_tags_and_delete(docs_env: Any, check: ImageKit) -> None:
    # https://imagekit.io/docs/api-reference/digital-asset-management-dam/managing-assets/add-tags-bulk
    # (and remove-tags-bulk, delete-files-bulk)
    ids = [seed(check, f"bulk{i}.jpg").file_id for i in range(3)]
    imagekit = ImageKit(private_key=os.environ.get("IMAGEKIT_PRIVATE_KEY"))

    added = imagekit.files.bulk.add_tags(file_ids=ids, tags=["campaign", "q3"])
    print(added.successfully_updated_file_ids)
    removed = imagekit.files.bulk.remove_tags(file_ids=ids, tags=["q3"])
    deleted = imagekit.files.bulk.delete(file_ids=ids[:2])
    print(deleted.successfully_deleted_file_ids)
    # ---- end of snippet
    imagekit.close()
    assert sorted(added.successfully_updated_file_ids) == sorted(ids)
    assert sorted(removed.successfully_updated_file_ids) == sorted(ids)
    assert sorted(deleted.successfully_deleted_file_ids) == sorted(ids[:2])
    assert [f.file_id for f in check.assets.list(type="file")] == [ids[2]]
    assert check.files.get(ids[2]).tags == ["campaign"]


# ------------------------------------------------------------------------------------ folders, jobs
def test_folders_and_bulk_jobs(docs_env: Any, check: ImageKit) -> None:
    # https://imagekit.io/docs/api-reference/digital-asset-management-dam/managing-folders/create-folder
    # (and copy-folder, move-folder, rename-folder, delete-folder, bulk-job-status)
    seed(check, "look.jpg", folder="/summer")
    imagekit = ImageKit(private_key=os.environ.get("IMAGEKIT_PRIVATE_KEY"))

    imagekit.folders.create(folder_name="campaigns", parent_folder_path="/")
    job = imagekit.folders.copy(source_folder_path="/summer", destination_path="/campaigns",
                                include_versions=True)
    status = imagekit.folders.job.get(job.job_id)
    print(status.job_id, status.type, status.status)
    moved = imagekit.folders.move(source_folder_path="/campaigns/summer", destination_path="/")
    renamed = imagekit.folders.rename(folder_path="/campaigns", new_folder_name="old-campaigns")
    imagekit.folders.delete(folder_path="/old-campaigns")
    # ---- end of snippet
    imagekit.close()
    assert status.job_id == job.job_id and status.status in ("Pending", "Completed")
    assert moved.job_id and renamed.job_id
    folders = {f.name for f in check.assets.list(type="folder")}
    assert "old-campaigns" not in folders and "campaigns" not in folders and "summer" in folders


# -------------------------------------------------------------------------------------------- purge
def test_purge_cache(docs_env: Any, check: ImageKit) -> None:
    # https://imagekit.io/docs/api-reference/caching/purge-cache (and purge-cache-status)
    url = seed(check, "default-image.jpg").url
    imagekit = ImageKit(private_key=os.environ.get("IMAGEKIT_PRIVATE_KEY"))

    purge = imagekit.cache.invalidation.create(url=url)
    print(purge.request_id)
    status = imagekit.cache.invalidation.get(purge.request_id)
    print(status.status)
    # ---- end of snippet
    imagekit.close()
    assert isinstance(purge.request_id, str) and purge.request_id
    assert status.status in ("Pending", "Completed")


# ---------------------------------------------------------------------------------- custom metadata
def test_custom_metadata_fields(docs_env: Any, check: ImageKit) -> None:
    # https://imagekit.io/docs/api-reference/digital-asset-management-dam/custom-metadata-fields/create-custom-metadata-field
    # (and list, update and delete); values set at upload and searched with `customMetadata.<name>`.
    imagekit = ImageKit(private_key=os.environ.get("IMAGEKIT_PRIVATE_KEY"))

    field = imagekit.custom_metadata_fields.create(
        name="brand",
        label="Brand",
        schema={"type": "Text", "min_length": 2, "max_length": 40},
        description="Brand shown in the catalogue",
    )
    print(field.id, field.name, field.schema_.type)
    imagekit.files.upload(file=Path("product.jpg"), file_name="acme.jpg", custom_metadata={"brand": "Acme"})
    found = imagekit.assets.list(search_query='"customMetadata.brand" = "Acme"')
    fields = imagekit.custom_metadata_fields.list()
    imagekit.custom_metadata_fields.update(field.id, label="Brand name")
    imagekit.custom_metadata_fields.delete(field.id)
    # ---- end of snippet
    imagekit.close()
    assert field.name == "brand" and [f.name for f in fields] == ["brand"]
    assert len(found) == 1 and found[0].name.startswith("acme") and found[0].custom_metadata == {"brand": "Acme"}
    assert check.custom_metadata_fields.list() == []
    assert [f.label for f in check.custom_metadata_fields.list(include_deleted=True)] == ["Brand name"]


# ------------------------------------------------------------------------------- account resources
def test_account_origins_url_endpoints_usage_webhooks(docs_env: Any, check: ImageKit) -> None:
    # https://imagekit.io/docs/api-reference/account-management/origins/create-origin (and the URL
    # endpoints, usage and webhooks pages of the account management API)
    imagekit = ImageKit(private_key=os.environ.get("IMAGEKIT_PRIVATE_KEY"))

    origin = imagekit.accounts.origins.create(
        type="WEB_FOLDER",
        name="Website",
        base_url="https://www.example.com/images",
    )
    endpoint = imagekit.accounts.url_endpoints.create(description="Website images", origins=[origin.id],
                                                      url_prefix="web")
    usage = imagekit.accounts.usage.get(start_date=datetime.date(2024, 6, 1), end_date=datetime.date(2024, 6, 30))
    print(usage.bandwidth_bytes, usage.media_library_storage_bytes)
    hook = imagekit.accounts.webhooks.create(endpoint="https://hooks.example.com/imagekit",
                                             events=["file.created", "file.deleted"])
    print(origin.id, origin.type, endpoint.url_prefix, hook.id)
    # ---- end of snippet
    assert origin.type == "WEB_FOLDER" and [o.id for o in check.accounts.origins.list()] == [origin.id]
    assert check.accounts.url_endpoints.get(endpoint.id).origins == [origin.id]
    assert isinstance(usage.bandwidth_bytes, int) and isinstance(usage.media_library_storage_bytes, int)
    assert check.accounts.webhooks.get(hook.id).events == ["file.created", "file.deleted"]
    imagekit.accounts.webhooks.delete(hook.id)
    imagekit.accounts.url_endpoints.delete(endpoint.id)
    imagekit.accounts.origins.delete(origin.id)
    imagekit.close()
    assert check.accounts.origins.list() == [] and check.accounts.webhooks.list() == []


# -------------------------------------------------------------------------------------------- URLs
def test_build_url_with_transformations(docs_env: Any, check: ImageKit) -> None:
    # https://imagekit.io/docs/integration/python ("URL generation with image/video transformations")
    seed(check, "product.jpg", folder="/products")
    imagekit = ImageKit(private_key=os.environ.get("IMAGEKIT_PRIVATE_KEY"))
    URL_ENDPOINT = os.environ.get("IMAGEKIT_URL_ENDPOINT")  # noqa: N806 - the docs' spelling

    url = imagekit.helper.build_url(
        url_endpoint=URL_ENDPOINT,
        src="/products/product.jpg",
        transformation=[{"width": 32, "height": 24, "format": "png"}],
    )
    print(url)
    in_path = imagekit.helper.build_url(url_endpoint=URL_ENDPOINT, src="/products/product.jpg",
                                        transformation_position="path", transformation=[{"width": 16}])
    # A text overlay (layer) on a resized image
    with_text = imagekit.helper.build_url(
        url_endpoint=URL_ENDPOINT,
        src="/products/product.jpg",
        transformation=[
            {"width": 60},
            {"overlay": {"type": "text", "text": "Sale", "position": {"x": 2, "y": 2},
                         "transformation": [{"font_size": 12, "font_color": "FFFFFF"}]}},
        ],
    )
    # ---- end of snippet
    imagekit.close()
    assert "?tr=w-60:l-text,i-Sale," in with_text and with_text.endswith(",l-end")
    assert PIL.open(io.BytesIO(requests.get(with_text, timeout=10).content)).size == (60, 45)
    assert url == f"{URL_ENDPOINT}/products/product.jpg?tr=w-32,h-24,f-png"
    assert in_path == f"{URL_ENDPOINT}/tr:w-16/products/product.jpg"
    rendered = PIL.open(io.BytesIO(requests.get(url, timeout=10).content))
    assert (rendered.format, rendered.size) == ("PNG", (32, 24))
    assert PIL.open(io.BytesIO(requests.get(in_path, timeout=10).content)).size == (16, 12)


def test_signed_url_for_a_private_file(docs_env: Any, check: ImageKit) -> None:
    # https://imagekit.io/docs/integration/python ("Signed URLs for private content delivery")
    private = seed(check, "secret.jpg", is_private_file=True)
    imagekit = ImageKit(private_key=os.environ.get("IMAGEKIT_PRIVATE_KEY"))
    URL_ENDPOINT = os.environ.get("IMAGEKIT_URL_ENDPOINT")  # noqa: N806 - the docs' spelling

    signed_url = imagekit.helper.build_url(
        url_endpoint=URL_ENDPOINT,
        src=private.file_path,
        signed=True,
        expires_in=600,
    )
    print(signed_url)
    # ---- end of snippet
    imagekit.close()
    assert "ik-t=" in signed_url and "ik-s=" in signed_url
    assert requests.get(signed_url, timeout=10).status_code == 200
    assert requests.get(signed_url.replace("ik-s=", "ik-s=0"), timeout=10).status_code != 200


def test_transformation_string(docs_env: Any) -> None:
    # https://imagekit.io/docs/integration/python ("URL generation with image/video transformations")
    imagekit = ImageKit(private_key=os.environ.get("IMAGEKIT_PRIVATE_KEY"))

    transformation = imagekit.helper.build_transformation_string([
        {"width": 300, "height": 300, "crop_mode": "pad_resize", "background": "F3F3F3"},
        {"rotation": 90},
    ])
    print(transformation)
    # ---- end of snippet
    imagekit.close()
    assert transformation == "w-300,h-300,cm-pad_resize,bg-F3F3F3:rt-90"


# ------------------------------------------------------------------------------- auth parameters
def test_client_side_upload_authentication(docs_env: Any, check: ImageKit) -> None:
    # https://imagekit.io/docs/integration/python ("Client-side upload authentication tokens")
    imagekit = ImageKit(private_key=os.environ.get("IMAGEKIT_PRIVATE_KEY"))

    auth_params = imagekit.helper.get_authentication_parameters()
    print(auth_params)  # {'token': '...', 'expire': ..., 'signature': '...'}
    # ---- end of snippet
    imagekit.close()
    assert list(auth_params) == ["token", "expire", "signature"]
    assert isinstance(auth_params["expire"], int) and auth_params["expire"] > time.time()
    # What a browser then does with them: a keyless upload the server accepts only with a valid signature.
    form = dict(auth_params, publicKey=docs_env.public_key, fileName="browser.jpg")
    answer = requests.post(f"{docs_env.base_url}/api/v1/files/upload", data=form,
                           files={"file": ("browser.jpg", photo())}, timeout=10)
    assert answer.status_code == 200, answer.text
    assert check.files.get(answer.json()["fileId"]).name.startswith("browser")


# ------------------------------------------------------------------------------------------ webhooks
@contextlib.contextmanager
def receiver(handle: Any) -> Iterator[str]:
    """A loopback HTTP endpoint that hands each POST (body, headers) to ``handle``; yields its URL."""
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            status = handle(body, dict(self.headers.items()))
            self.send_response(status)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/imagekit-webhook"
    finally:
        server.shutdown()
        server.server_close()


def test_verify_webhooks(docs_env: Any, check: ImageKit, monkeypatch: pytest.MonkeyPatch) -> None:
    # https://imagekit.io/docs/webhooks ("verify the webhook signature ... using the ImageKit SDK") and
    # https://imagekit.io/docs/integration/python ("Webhook verification for event handling"). The emulator
    # really delivers the signed event to a local endpoint whose handler is the snippet.
    events: List[Any] = []
    rejected: List[Exception] = []

    def webhook_endpoint(body: bytes, headers: Dict[str, str]) -> int:
        imagekit = ImageKit(private_key=os.environ.get("IMAGEKIT_PRIVATE_KEY"),
                            webhook_secret=os.environ.get("IMAGEKIT_WEBHOOK_SECRET"))
        try:
            event = imagekit.webhooks.unwrap(body.decode(), headers=headers)
        except Exception as error:  # invalid signature: reject the request
            rejected.append(error)
            return 400
        print(event.type, event.id)
        events.append(event)
        return 200
        # ---- end of snippet

    with receiver(webhook_endpoint) as url:
        hook = check.accounts.webhooks.create(endpoint=url, events=["file.created"])
        monkeypatch.setenv("IMAGEKIT_WEBHOOK_SECRET", hook.secret)  # where the docs' handler reads it
        uploaded = seed(check, "hooked.jpg")
        deliveries = docs_env.wait_for_deliveries(1)
        # A forged delivery (right headers, wrong key) is refused.
        body = json.dumps({"type": "file.created", "id": "evt_x", "created_at": "2024-06-20T09:15:30Z",
                           "data": {}})
        stamp, msg_id = str(int(time.time())), "msg_forged"
        forged = base64.b64encode(hmac.new(b"not-the-secret", f"{msg_id}.{stamp}.{body}".encode(),
                                           hashlib.sha256).digest()).decode()
        assert requests.post(url, data=body, timeout=10, headers={
            "webhook-id": msg_id, "webhook-timestamp": stamp, "webhook-signature": f"v1,{forged}"}).status_code == 400
    assert [d["status"] for d in deliveries] == [200]
    assert [e.type for e in events] == ["file.created"] and events[0].data.file_id == uploaded.file_id
    assert len(rejected) == 1


def test_unsafe_unwrap_parses_without_verifying(docs_env: Any) -> None:
    # https://imagekit.io/docs/webhooks (event body schema: `type`, `id`, `created_at`, `data`)
    imagekit = ImageKit(private_key=os.environ.get("IMAGEKIT_PRIVATE_KEY"))
    payload = json.dumps({"type": "video.transformation.ready", "id": "evt_1", "created_at": "2024-06-20T09:15:30Z",
                          "request": {"url": "https://ik.imagekit.io/demo/video.mp4?tr=w-100", "x_request_id": "r1"},
                          "data": {"asset": {"url": "https://ik.imagekit.io/demo/video.mp4"}}})

    event = imagekit.webhooks.unsafe_unwrap(payload)
    print(event.type, event.created_at)
    # ---- end of snippet
    imagekit.close()
    assert type(event).__name__ == "VideoTransformationReadyEvent"
    assert isinstance(event.created_at, datetime.datetime)


# -------------------------------------------------------------------------------------------- errors
def test_handling_errors(docs_env: Any, capsys: pytest.CaptureFixture[str]) -> None:
    # https://imagekit.io/docs/integration/python (errors: `imagekitio.APIStatusError` and subclasses such as
    # `NotFoundError`, `imagekitio.APIConnectionError`), as the 5.x exception tree in NOTES.md
    import imagekitio
    from imagekitio import ImageKit

    client = ImageKit(private_key=os.environ.get("IMAGEKIT_PRIVATE_KEY"))

    try:
        client.files.get("file_id_that_does_not_exist")
    except imagekitio.APIConnectionError:
        print("The server could not be reached")
    except imagekitio.RateLimitError:
        print("A 429 status code was received; we should back off a bit.")
    except imagekitio.APIStatusError as e:
        print("Another non-200-range status code was received")
        print(e.status_code)
        print(e.response)
    # ---- end of snippet
    out = capsys.readouterr().out
    assert "Another non-200-range status code was received" in out and "\n404\n" in out
    with pytest.raises(imagekitio.NotFoundError) as missing:
        client.files.get("file_id_that_does_not_exist")
    error = missing.value
    assert isinstance(error, imagekitio.APIStatusError) and isinstance(error, imagekitio.ImageKitError)
    assert error.status_code == 404 and isinstance(error.body, dict) and error.message.startswith("Error code: 404")
    assert isinstance(error.response, requests.Response) and error.response.status_code == 404
    with pytest.raises(imagekitio.BadRequestError):
        client.files.upload(file=b"", file_name="")
    client.close()


def test_connection_errors(docs_env: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # https://imagekit.io/docs/integration/python (errors): a host that does not answer.
    import socket
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}"
    monkeypatch.setenv("IMAGE_KIT_BASE_URL", dead)
    client = ImageKit(private_key=os.environ.get("IMAGEKIT_PRIVATE_KEY"), max_retries=0)

    try:
        client.files.get("any")
    except imagekitio.APIConnectionError as e:
        print("The server could not be reached")
        caught = e
    # ---- end of snippet
    client.close()
    assert caught.message == "Connection error." and caught.body is None

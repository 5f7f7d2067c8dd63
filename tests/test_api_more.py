"""Every ImageKit API (issue 11): request shapes on the wire, checks before sending, emulator round trips,
paging, bulk uploads, upload v2 tokens and webhook events."""
import datetime

import json
import threading
import time
from concurrent.futures import CancelledError
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
import requests_mock

from imagekitio import ImageKit
from imagekitio.exceptions import ImageKitException, NotFoundException, WebhookVerificationError
from imagekitio.models.UpdateFileRequestOptions import UpdateFileRequestOptions
from imagekitio.options import OriginRequestOptions
from imagekitio.results import FileResult, NamedTransformation, UploadFileResult

from . import images
from .conftest import API_KEYS

API = "https://api.imagekit.io"

# (call, args, method, path (query included), JSON body or None)
SHAPES = [
    ("rename_folder", ({"folder_path": "/a", "new_folder_name": "b", "purge_cache": True},), "POST",
     "/v1/bulkJobs/renameFolder", {"folderPath": "/a", "newFolderName": "b", "purgeCache": True}),
    ("create_saved_extension", ({"name": "bg", "description": "d", "config": {"name": "remove-bg"}},), "POST",
     "/v1/saved-extensions", {"name": "bg", "description": "d", "config": {"name": "remove-bg"}}),
    ("list_saved_extensions", (), "GET", "/v1/saved-extensions", None),
    ("get_saved_extension", ("e1",), "GET", "/v1/saved-extensions/e1", None),
    ("update_saved_extension", ("e1", {"description": "new"}), "PATCH", "/v1/saved-extensions/e1",
     {"description": "new"}),
    ("delete_saved_extension", ("e/1",), "DELETE", "/v1/saved-extensions/e%2F1", None),
    ("create_named_transformation", ({"name": "thumb", "transformation": "w-100", "enabled": True},), "POST",
     "/v1/named-transformations", {"name": "thumb", "transformation": "w-100", "enabled": True}),
    ("list_named_transformations", (), "GET", "/v1/named-transformations", None),
    ("get_named_transformation", ("n1",), "GET", "/v1/named-transformations/n1", None),
    ("update_named_transformation", ("n1", {"enabled": False}), "PATCH", "/v1/named-transformations/n1",
     {"enabled": False}),
    ("delete_named_transformation", ("n1",), "DELETE", "/v1/named-transformations/n1", None),
    ("get_usage", (datetime.date(2026, 1, 1), "2026-02-01"), "GET",
     "/v1/accounts/usage?startDate=2026-01-01&endDate=2026-02-01", None),
    ("get_usage_analytics", ("2026-01-01", datetime.datetime(2026, 1, 1, 12)), "GET",
     "/v1/accounts/usage-analytics?startDate=2026-01-01&endDate=2026-01-01", None),
    ("create_origin", (OriginRequestOptions(type="S3", name="s3", bucket="b", access_key="a", secret_key="s",
                                            use_iam_role=False),), "POST", "/v1/accounts/origins",
     {"type": "S3", "name": "s3", "bucket": "b", "accessKey": "a", "secretKey": "s", "useIAMRole": False}),
    ("list_origins", (), "GET", "/v1/accounts/origins", None),
    ("get_origin", ("o1",), "GET", "/v1/accounts/origins/o1", None),
    ("update_origin", ("o1", {"type": "WEB_FOLDER", "name": "w", "base_url": "https://x.example"}), "PUT",
     "/v1/accounts/origins/o1", {"type": "WEB_FOLDER", "name": "w", "baseUrl": "https://x.example"}),
    ("delete_origin", ("o1",), "DELETE", "/v1/accounts/origins/o1", None),
    ("create_url_endpoint", ({"description": "d", "url_prefix": "p", "origins": ["o1"],
                              "url_rewriter": {"type": "IMGIX"}},), "POST", "/v1/accounts/url-endpoints",
     {"description": "d", "origins": ["o1"], "urlPrefix": "p", "urlRewriter": {"type": "IMGIX"}}),
    ("list_url_endpoints", (), "GET", "/v1/accounts/url-endpoints", None),
    ("get_url_endpoint", ("u1",), "GET", "/v1/accounts/url-endpoints/u1", None),
    ("update_url_endpoint", ("u1", {"description": "d2"}), "PUT", "/v1/accounts/url-endpoints/u1",
     {"description": "d2"}),
    ("delete_url_endpoint", ("u1",), "DELETE", "/v1/accounts/url-endpoints/u1", None),
    ("create_webhook", ({"endpoint": "https://app.example/hook", "events": ["file.created"]},), "POST",
     "/v1/accounts/webhooks", {"endpoint": "https://app.example/hook", "events": ["file.created"]}),
    ("list_webhooks", (), "GET", "/v1/accounts/webhooks", None),
    ("get_webhook", ("w1",), "GET", "/v1/accounts/webhooks/w1", None),
    ("update_webhook", ("w1", {"enabled": False}), "PATCH", "/v1/accounts/webhooks/w1", {"enabled": False}),
    ("delete_webhook", ("w1",), "DELETE", "/v1/accounts/webhooks/w1", None),
    ("get_custom_metadata_fields", (False, "/shoes"), "GET",
     "/v1/customMetadataFields?includeDeleted=false&folderPath=%2Fshoes", None),
    ("update_file_details", ("f1", UpdateFileRequestOptions(tags=["a"], description="d")), "PATCH",
     "/v1/files/f1/details/", {"tags": ["a"], "description": "d"}),
]


@pytest.mark.parametrize("call,args,method,path,body", SHAPES, ids=[f"{s[0]}{i}" for i, s in enumerate(SHAPES)])
def test_request_shape(call, args, method, path, body):
    with requests_mock.Mocker() as mocked:
        mocked.register_uri(requests_mock.ANY, requests_mock.ANY, status_code=204 if method == "DELETE" else 200,
                            json=None if method == "DELETE" else ([] if call.startswith(("list_", "get_custom"))
                                                                  else {}))
        getattr(ImageKit(**API_KEYS), call)(*args)
        sent = mocked.request_history[0]
    assert sent.method == method and sent.url == API + path
    assert sent.headers["Authorization"] == "Basic cHJpdmF0ZV90ZXN0X2tleTo="
    if body is None:
        assert not sent.body
    else:
        assert json.loads(sent.body) == body and sent.headers["Content-Type"] == "application/json"


def test_upload_v2_request_shape():
    with requests_mock.Mocker() as mocked:
        mocked.post("https://upload.imagekit.io/api/v2/files/upload", json={"fileId": "f"})
        result = ImageKit(**API_KEYS).upload_file_v2(b"abc", "a.txt", {"description": "d", "checks": "c"})
        body = mocked.request_history[0].body
    assert isinstance(result, UploadFileResult) and b'name="description"\r\n\r\nd' in body
    assert b'name="checks"\r\n\r\nc' in body


@pytest.mark.parametrize("call,args,message", [
    ("create_origin", ({"type": "S3", "name": "x", "bucket": "b"},), "access_key, secret_key"),
    ("create_origin", ({"type": "GCS", "name": "x"},), "bucket, client_email, private_key"),
    ("create_origin", ({"type": "FTP", "name": "x"},), "type must be one of"),
    ("update_origin", ("o1", {"type": "AZURE_BLOB", "name": "x", "account_name": "a"},), "container, sas_token"),
    ("create_url_endpoint", ({"url_prefix": "p"},), "description"),
    ("update_url_endpoint", ("u1", {"origins": []}), "description"),
    ("create_named_transformation", ({"name": "bad name", "transformation": "w-1"},), "letters, digits"),
    ("create_webhook", ({"endpoint": "ftp://x", "events": ["file.created"]},), "http"),
    ("get_usage", ("2026-01-01", "2026-01-01"), "before"),
    ("get_usage", ("2026-01-01", "2026-04-01"), "under 90 days"),
    ("get_usage_analytics", ("2026-02-01", "2026-01-01"), "before"),
    ("get_usage", ("01/02/2026", "2026-04-01"), "YYYY-MM-DD"),
    ("get_saved_extension", ("..",), "id"),
    ("rename_folder", ({"folder_path": "/a"},), "new_folder_name"),
])
def test_rules_are_checked_before_sending(call, args, message):
    with requests_mock.Mocker() as mocked:
        with pytest.raises((TypeError, ValueError), match=message):
            getattr(ImageKit(**API_KEYS), call)(*args)
        assert mocked.call_count == 0


def test_origin_options_never_show_secrets():
    text = repr(OriginRequestOptions(type="S3", name="n", bucket="b", access_key="AKIA", secret_key="s3cr3t"))
    assert "AKIA" not in text and "s3cr3t" not in text and "bucket='b'" in text


def test_new_option_fields_come_last():
    options = UpdateFileRequestOptions(["a"], "https://hook", None, ["t"], "1,1,1,1", {"k": 1}, None, "desc")
    assert (options.remove_ai_tags, options.webhook_url, options.tags, options.description) == (
        ["a"], "https://hook", ["t"], "desc")


# ---------------------------------------------------------------------- emulator round trips
def test_account_resources_round_trip(local_imagekit):
    with local_imagekit.client() as ik:
        extension = ik.create_saved_extension({"name": "bg", "description": "d", "config": {"name": "remove-bg"}})
        assert ik.get_saved_extension(extension.id).config == {"name": "remove-bg"}
        assert ik.update_saved_extension(extension.id, {"description": "e"}).description == "e"
        assert [e.id for e in ik.list_saved_extensions()] == [extension.id]
        assert ik.delete_saved_extension(extension.id).response_metadata.http_status_code == 204
        with pytest.raises(NotFoundException):
            ik.get_saved_extension(extension.id)

        named = ik.create_named_transformation({"name": "thumb", "transformation": "w-100"})
        assert isinstance(named, NamedTransformation) and named.enabled is True
        assert ik.update_named_transformation(named.id, {"enabled": False}).enabled is False
        with pytest.raises(ImageKitException) as clash:
            ik.create_named_transformation({"name": "thumb", "transformation": "w-1"})
        assert clash.value.response_metadata.http_status_code == 409

        origin = ik.create_origin({"type": "S3", "name": "s3", "bucket": "b", "access_key": "a", "secret_key": "s"})
        assert origin.type == "S3" and origin.bucket == "b" and "secretKey" not in origin.response_metadata.raw
        endpoint = ik.create_url_endpoint({"description": "d", "url_prefix": "img", "origins": [origin.id]})
        assert endpoint.origins == [origin.id]
        assert {e.id for e in ik.list_url_endpoints()} == {"default", endpoint.id}
        with pytest.raises(ImageKitException):
            ik.delete_origin(origin.id)  # still used by the endpoint
        assert ik.update_url_endpoint(endpoint.id, {"description": "e", "url_prefix": "img"}).origins == []
        ik.delete_origin(origin.id)
        ik.delete_url_endpoint(endpoint.id)

        hook = ik.create_webhook({"endpoint": "http://127.0.0.1:1/h", "events": ["file.created"]})
        assert hook.secret.startswith("whsec_") and hook.secret not in repr(hook)
        assert ik.update_webhook(hook.id, {"enabled": False}).enabled is False
        ik.delete_webhook(hook.id)

        usage = ik.get_usage("2026-01-01", "2026-01-31")
        assert usage.media_library_storage_bytes == 0 and usage.bandwidth_bytes == 0
        assert ik.get_usage_analytics("2026-01-01", "2026-01-01").cache == {"hitCount": 0, "missCount": 0,
                                                                            "errorCount": 0}


CREATE = {"saved_extension": {"name": "e", "description": "d", "config": {"name": "aws-auto-tagging",
                                                                        "maxTags": 5, "minConfidence": 80}},
          "named_transformation": {"name": "n", "transformation": "w-10"},
          "origin": {"type": "WEB_FOLDER", "name": "web", "base_url": "https://assets.example"},
          "url_endpoint": {"description": "d", "url_prefix": "p"},
          "webhook": {"endpoint": "http://127.0.0.1:1/w", "events": ["file.deleted"]}}
UPDATE = {"saved_extension": {"name": "e2"}, "named_transformation": {"transformation": "w-20"},
          "origin": {"type": "WEB_PROXY", "name": "proxy"}, "url_endpoint": {"description": "d2", "url_prefix": "q"},
          "webhook": {"events": ["file.created", "file.deleted"]}}


@pytest.mark.parametrize("kind", sorted(CREATE))
def test_every_resource_operation_round_trips(local_imagekit, kind):
    from imagekitio.file import RESOURCES
    plural = RESOURCES[kind].plural
    with local_imagekit.client() as ik:
        created = getattr(ik, f"create_{kind}")(CREATE[kind])
        assert type(created) is RESOURCES[kind].item and created.id
        assert getattr(ik, f"get_{kind}")(created.id).id == created.id
        listed = getattr(ik, f"list_{plural}")()
        assert type(listed) is RESOURCES[kind].listing and created.id in [item.id for item in listed]
        updated = getattr(ik, f"update_{kind}")(created.id, UPDATE[kind])
        for key, value in UPDATE[kind].items():
            assert updated.response_metadata.raw[{"url_prefix": "urlPrefix"}.get(key, key)] == value
        assert getattr(ik, f"delete_{kind}")(created.id).response_metadata.http_status_code == 204
        with pytest.raises(NotFoundException):
            getattr(ik, f"get_{kind}")(created.id)


def test_rename_folder_round_trip(local_imagekit):
    with local_imagekit.client() as ik:
        ik.upload_file(b"abc", "a.txt", {"folder": "/old/deep", "use_unique_file_name": False})
        job = ik.rename_folder({"folder_path": "/old", "new_folder_name": "new name!", "purge_cache": True})
        status = ik.get_bulk_job_status(job.job_id)
        assert (status.type, status.status) == ("RENAME_FOLDER", "Completed") and status.purge_request_id
        assert [f.file_path for f in ik.iter_files()] == ["/new_name_/deep/a.txt"]
        assert {f.folder_path for f in ik.iter_folders()} == {"/new_name_", "/new_name_/deep"}


# ---------------------------------------------------------------------- paging
@pytest.mark.parametrize("count,page_size,requests_made", [(0, 3, 1), (7, 3, 3), (6, 3, 3), (2, 100, 1)])
def test_iter_files_pages_lazily_and_stops_on_a_short_page(local_imagekit, count, page_size, requests_made):
    with local_imagekit.client() as ik:
        for i in range(count):
            ik.upload_file(b"x", f"f{i}.txt", {"use_unique_file_name": False})
        before = len(local_imagekit.requests)
        names = [f.name for f in ik.iter_files(page_size=page_size)]
        listed = [r for r in list(local_imagekit.requests)[before:] if r == ("GET", "/v1/files")]
    assert names == [f"f{i}.txt" for i in range(count)]
    assert len(listed) == requests_made  # a full last page takes one more (empty) request to be known as last


def test_iter_files_with_search_skip_and_limit(local_imagekit):
    with local_imagekit.client() as ik:
        for i in range(10):
            ik.upload_file(b"x", f"{'cat' if i % 2 else 'dog'}{i}.txt", {"use_unique_file_name": False})
        cats = ik.iter_files({"search_query": 'name : "cat"'}, page_size=2)
        assert next(cats).name == "cat1.txt"  # lazy: one page fetched so far
        assert [f.name for f in cats] == ["cat3.txt", "cat5.txt", "cat7.txt", "cat9.txt"]
        assert [f.name for f in ik.iter_files({"skip": 2, "limit": 5}, page_size=2)] == [
            f"{'cat' if i % 2 else 'dog'}{i}.txt" for i in range(2, 7)]


def test_iter_file_versions(local_imagekit):
    with local_imagekit.client() as ik:
        for _ in range(3):
            ik.upload_file(b"x", "v.txt", {"use_unique_file_name": False})
        versions = list(ik.iter_file_versions(page_size=2))
    assert len(versions) == 3 and all(isinstance(v, FileResult) for v in versions)


# ---------------------------------------------------------------------- bulk uploads
def test_upload_files_keeps_order_and_every_outcome(local_imagekit, tmp_path):
    paths = []
    for i in range(6):
        path = tmp_path / f"p{i}.png"
        path.write_bytes(images.png(i + 1, 1))
        paths.append(path)
    items = [(images.png(1, 1), "a.png"), {"file": images.png(2, 1), "file_name": "b.png", "options": {"tags": ["x"]}},
             (12345, "broken.png"), *paths]
    seen = []
    with local_imagekit.client() as ik:
        outcomes = ik.upload_files(items, workers=3, progress=lambda done, total: seen.append((done, total)))
    assert len(outcomes) == len(items)
    assert isinstance(outcomes[2], TypeError)
    assert [o.width for i, o in enumerate(outcomes) if i != 2] == [1, 2, 1, 2, 3, 4, 5, 6]
    assert seen[-1] == (len(items), len(items)) and len(seen) == len(items)


def test_upload_files_stops_scheduling_on_keyboard_interrupt(local_imagekit):
    local_imagekit.inject("POST", "/api/v1/files/upload", delay=0.05, times=1000)

    def interrupt(done, total):
        if done == 2:
            raise KeyboardInterrupt
    with local_imagekit.client() as ik:
        with pytest.raises(KeyboardInterrupt) as stopped:
            ik.upload_files([(b"x", f"{i}.txt") for i in range(40)], workers=2, progress=interrupt)
    outcomes = stopped.value.outcomes
    started = local_imagekit.requests.count(("POST", "/api/v1/files/upload"))
    assert len(outcomes) == 40 and started <= 6
    assert sum(isinstance(o, CancelledError) for o in outcomes) == 40 - started
    assert all(isinstance(o, (UploadFileResult, CancelledError)) for o in outcomes)


# ---------------------------------------------------------------------- upload v2 tokens
def test_browser_upload_with_a_v2_token(local_imagekit):
    with local_imagekit.client() as ik:
        token = ik.get_upload_token("t.png", {"folder": "/web", "use_unique_file_name": False, "tags": ["a", "b"]})
    url = local_imagekit.upload_base_url + "/api/v2/files/upload"
    fields = {"fileName": "t.png", "folder": "/web", "useUniqueFileName": "false", "tags": "a,b", "token": token}
    sent = requests.post(url, files={"file": ("t.png", images.png(3, 2))}, data=fields, timeout=5)
    assert sent.status_code == 200 and sent.json()["filePath"] == "/web/t.png"
    again = requests.post(url, files={"file": ("t.png", images.png(3, 2))}, data=fields, timeout=5)
    assert again.status_code == 400, "a token is accepted once"
    with local_imagekit.client() as ik:
        tampered = ik.get_upload_token("t.png", {"folder": "/web"})
        expired_soon = ik.get_upload_token("t.png", {}, expires_in=1)
    changed = requests.post(url, files={"file": ("t.png", b"x")}, data={"fileName": "t.png", "folder": "/admin",
                                                                         "token": tampered}, timeout=5)
    assert changed.status_code == 400 and "do not match" in changed.json()["message"]
    time.sleep(1.1)
    late = requests.post(url, files={"file": ("t.png", b"x")}, data={"fileName": "t.png", "token": expired_soon},
                         timeout=5)
    assert late.status_code == 400
    assert requests.post(url, files={"file": ("t.png", b"x")}, data={"fileName": "t.png"}, timeout=5).status_code == 401


def test_server_side_upload_v2(local_imagekit):
    with local_imagekit.client() as ik:
        result = ik.upload_file_v2(images.png(5, 4), "s.png", {"description": "a picture"})
    assert (result.width, result.height) == (5, 4)


# ---------------------------------------------------------------------- webhook events
class _Receiver(BaseHTTPRequestHandler):
    received = []

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((dict(self.headers), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_the_emulator_delivers_signed_events_the_sdk_verifies(local_imagekit):
    _Receiver.received = []
    receiver = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    hook_url = f"http://127.0.0.1:{receiver.server_address[1]}/imagekit"
    try:
        with local_imagekit.client(webhook_secret=local_imagekit.webhook_secret) as ik:
            uploaded = ik.upload_file(images.png(2, 2), "w.png", {"webhook_url": hook_url})
            deliveries = local_imagekit.wait_for_deliveries(1)
            assert deliveries[0]["status"] == 204
            headers, body = _Receiver.received[0]
            event = ik.verify_webhook_event(body, headers)
    finally:
        receiver.shutdown()
    assert event.type == "file.created" and event["type"] == "file.created" and event.id.startswith("evt_")
    assert isinstance(event.data, FileResult) and event.data.file_id == uploaded.file_id
    assert isinstance(event.created_at, datetime.datetime)
    with pytest.raises(WebhookVerificationError):
        ImageKit.verify_webhook_event(body, headers, "whsec_wrong")


def signed(body, secret="whsec_abc", stamp=None):
    import base64
    import hashlib
    import hmac
    stamp = stamp or str(int(time.time()))
    signature = base64.b64encode(hmac.new(secret.encode(), f"m1.{stamp}.{body}".encode(), hashlib.sha256).digest())
    return {"webhook-id": "m1", "webhook-timestamp": stamp, "webhook-signature": "v1," + signature.decode()}


@pytest.mark.parametrize("event_type", __import__("imagekitio.webhooks").webhooks.EVENT_TYPES)
def test_every_event_type_reads_as_an_event(event_type):
    from imagekitio.webhooks import EventData
    data = {"fileId": "f1", "name": "a.png", "asset": {"url": "https://x/v.mp4"}}
    body = json.dumps({"id": "evt_9", "type": event_type, "created_at": "2026-03-01T10:00:00.000Z", "data": data,
                       "request": {"x_request_id": "r1"}})
    event = ImageKit(**API_KEYS, webhook_secret="whsec_abc").verify_webhook_event(body, signed(body))
    assert (event.type, event.id, event.request) == (event_type, "evt_9", {"x_request_id": "r1"})
    assert event.created_at == datetime.datetime(2026, 3, 1, 10, tzinfo=datetime.timezone.utc)
    expected = {"file.created": FileResult, "file.updated": FileResult, "file-version.created": FileResult,
                "upload.pre-transform.success": UploadFileResult}.get(event_type, EventData)
    assert type(event.data) is expected and event.data.file_id == "f1"
    assert event == json.loads(body)


def test_the_webhook_secret_defaults_to_the_client_or_the_environment(monkeypatch):
    import base64
    import hashlib
    import hmac
    body = json.dumps({"id": "evt_1", "type": "file.deleted", "created_at": "2026-01-01T00:00:00Z",
                       "data": {"fileId": "f1"}})
    stamp = str(int(time.time()))
    signature = base64.b64encode(hmac.new(b"whsec_abc", f"m1.{stamp}.{body}".encode(), hashlib.sha256).digest())
    headers = {"webhook-id": "m1", "webhook-timestamp": stamp, "webhook-signature": "v1," + signature.decode()}
    assert ImageKit(**API_KEYS, webhook_secret="whsec_abc").verify_webhook_event(body, headers).data.file_id == "f1"
    monkeypatch.setenv("IMAGEKIT_WEBHOOK_SECRET", "whsec_abc")
    assert ImageKit(**API_KEYS).verify_webhook_event(body, headers)["data"] == {"fileId": "f1"}
    monkeypatch.delenv("IMAGEKIT_WEBHOOK_SECRET")
    with pytest.raises(ValueError, match="webhook_secret"):
        ImageKit(**API_KEYS).verify_webhook_event(body, headers)


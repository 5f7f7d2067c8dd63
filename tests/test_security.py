"""Safe by construction (issue 8): data an app passes on, or a server's answer, never changes what the SDK
does. One test (or group) per numbered item, named after it; each attacks the SDK the way the review did.
"""
import base64
import gc
import hashlib
import hmac
import inspect
import io
import json
import os
import socket
import sys
import threading
import time
import types
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
import requests_mock
import responses
from requests_toolbelt.multipart.decoder import MultipartDecoder

from imagekitio import ImageKit
from imagekitio.exceptions import (ClientClosedError, ImageKitConnectionError, ImageKitException,
                                   ImageKitTimeoutError, NotFoundException, TooManyRequestsException)
from imagekitio.models.UploadFileRequestOptions import UploadFileRequestOptions
from imagekitio.resource import RetryPolicy, default_deadline, parse_retry_after
from imagekitio.transformation import CODES

from . import images
from .conftest import API_KEYS

BOUNDARY = "--randomBoundary---------------------"
TOKEN = base64.b64encode(b"private_test_key:").decode()




def form_fields(request):
    """The fields of a multipart request as a server parses them (name -> list of values)."""
    body = request.body if isinstance(request.body, bytes) else request.body.read()
    fields = {}
    for part in MultipartDecoder(body, request.headers["Content-Type"]).parts:
        disposition = part.headers[b"Content-Disposition"].decode()
        name = disposition.split('name="', 1)[1].split('"', 1)[0]
        fields.setdefault(name, []).append(part.content)
    return fields


def injected_part(name, value):
    return f"\r\n--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}".encode()


# ---------------------------------------------------------------------- 1. multipart boundary injection
@pytest.mark.parametrize("where", ["file", "tag", "file name"])
def test_1_multipart_boundary_injection_adds_no_field(where):
    evil = injected_part("folder", "/finance") + injected_part("isPrivateFile", "true")
    file = io.BytesIO(b"GIF89a" + evil if where == "file" else b"GIF89a")
    tags = ["ok", evil.decode()] if where == "tag" else ["ok"]
    name = ("report.gif" + evil.decode()) if where == "file name" else "report.gif"
    with requests_mock.Mocker() as mocked:
        mocked.post("https://upload.imagekit.io/api/v1/files/upload", json={"fileId": "x"})
        ImageKit(**API_KEYS).upload_file(file, name, UploadFileRequestOptions(folder="/public", tags=tags))
        fields = form_fields(mocked.request_history[0])
    assert fields["folder"] == [b"/public"] and "isPrivateFile" not in fields
    assert len(fields["file"]) == 1 and fields["file"][0] == file.getvalue()
    assert fields["tags"] == [",".join(tags).encode()]
    assert BOUNDARY not in mocked.request_history[0].headers["Content-Type"]


def test_1_multipart_boundary_injection_through_the_emulator(local_imagekit):
    """End to end: the stored file keeps its folder, privacy and bytes."""
    evil = images.png(2, 2) + injected_part("folder", "/finance") + injected_part("isPrivateFile", "true")
    with local_imagekit.client() as ik:
        result = ik.upload_file(evil, "report.png", {"folder": "/public", "use_unique_file_name": False})
        assert result.file_path == "/public/report.png" and not result.is_private_file
        assert result.size == len(evil)


def test_1_streamed_files_get_an_unguessable_boundary():
    with requests_mock.Mocker() as mocked:
        mocked.post("https://upload.imagekit.io/api/v1/files/upload", json={"fileId": "x"})
        ik = ImageKit(**API_KEYS)
        ik.upload_file(io.BytesIO(b"abc"), "a.bin", progress=lambda sent, total: None)
        ik.upload_file(io.BytesIO(b"abc"), "a.bin", progress=lambda sent, total: None)
        types_ = [r.headers["Content-Type"] for r in mocked.request_history]
    assert BOUNDARY not in types_[0] and types_[0] != types_[1]


# ---------------------------------------------------------------------- 2. signed URLs steered by values
STEERING = ["100/secret/doc.gif#", "100/secret/doc.gif?", "1#x", "1?x=1", "a/b", "a\\b", "1%2Fx", "1\n", "1\t2"]


@pytest.mark.parametrize("value", STEERING)
def test_2_signed_urls_steered_by_values_are_refused(value):
    ik = ImageKit(**API_KEYS)
    with pytest.raises(ValueError, match="width"):
        ik.url({"path": "/me/pub.gif", "transformation": [{"width": value}], "signed": True})


@pytest.mark.parametrize("name", sorted(set(CODES) - {"raw"}))
def test_2_every_transformation_name_refuses_a_fragment(name):
    ik = ImageKit(**API_KEYS)
    with pytest.raises(ValueError):
        ik.url({"path": "/me/pub.gif", "transformation": [{name: "1#/secret/doc.gif"}], "signed": True})


@pytest.mark.parametrize("step", [{"raw": "w-1?x"}, {"raw": "w-1#x"}, {"raw": "w-1 h-2"}, {"raw": "w\n1"},
                                  {"w-1/../x": 1}, {"overlay": {"type": "solidColor", "color": "F00#x"}},
                                  {"overlay": {"type": "text", "text": "a", "position": {"x": "1?a"}}},
                                  {"overlay": {"type": "video", "input": "v", "timing": {"start": "1#"}}}])
def test_2_raw_unknown_names_and_overlays_cannot_leave_the_path(step):
    with pytest.raises(ValueError):
        ImageKit(**API_KEYS).url({"path": "/a.gif", "transformation": [step], "signed": True})


def test_2_commas_colons_and_paths_keep_their_4x_meaning():
    ik = ImageKit(**API_KEYS)
    url = ik.url({"path": "/a.gif", "transformation": [{"border": "5_FF0000,w-1:h-2", "raw": "l-image,i-a/b,l-end"},
                                                        {"default_image": "/f/b.jpg"}]})
    assert url == "https://ik.imagekit.io/demo_id/tr:b-5_FF0000,w-1:h-2,l-image,i-a/b,l-end:di-f@@b.jpg/a.gif"


def test_2_signing_a_signed_src_replaces_its_signature():
    ik = ImageKit(**API_KEYS)
    first = ik.url({"path": "/a.gif", "signed": True, "expire_seconds": 60})
    again = ik.url({"src": first, "signed": True, "expire_seconds": 120})
    query = parse_qsl(urlsplit(again).query)
    assert [key for key, _ in query].count("ik-s") == 1 and [key for key, _ in query].count("ik-t") == 1
    expiry, signature = dict(query)["ik-t"], dict(query)["ik-s"]
    message = f"a.gif{expiry}".encode()
    assert signature == hmac.new(b"private_test_key", message, hashlib.sha1).hexdigest()


# ---------------------------------------------------------------------- 3. dot-segment ids
ID_CALLS = [
    ("get_file_details", ("{}",)), ("get_file_versions", ("{}",)), ("get_file_version_details", ("f", "{}")),
    ("get_file_version_details", ("{}", "v")), ("update_file_details", ("{}", {"tags": ["a"]})),
    ("delete_file", ("{}",)), ("delete_file_version", ("f", "{}")), ("delete_file_version", ("{}", "v")),
    ("restore_file_version", ("f", "{}")), ("get_bulk_job_status", ("{}",)),
    ("get_purge_file_cache_status", ("{}",)), ("get_file_metadata", ("{}",)),
    ("update_custom_metadata_fields", ("{}", {"label": "x"})), ("delete_custom_metadata_field", ("{}",)),
]


@pytest.mark.parametrize("bad,error", [(".", ValueError), ("..", ValueError), (b"abc", TypeError),
                                       (123, TypeError), (["a"], TypeError)])
@pytest.mark.parametrize("method,args", ID_CALLS, ids=[f"{m}{i}" for i, (m, _) in enumerate(ID_CALLS)])
def test_3_dot_segment_and_non_str_ids_are_refused_before_sending(method, args, bad, error):
    call_args = [bad if a == "{}" else a for a in args]
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mocked:
        with pytest.raises(error):
            getattr(ImageKit(**API_KEYS), method)(*call_args)
        assert not mocked.calls


# ---------------------------------------------------------------------- 4. replays of work already done
def test_4_rename_is_not_replayed_after_the_server_did_it(local_imagekit, sleeps):
    with local_imagekit.client() as ik:
        ik.upload_file(b"abc", "old.txt", {"use_unique_file_name": False})
        local_imagekit.inject("PUT", "/v1/files/rename", drop_after=True)
        with pytest.raises(ImageKitConnectionError):
            ik.rename_file({"file_path": "/old.txt", "new_file_name": "new.txt"})
        assert [f.name for f in ik.list_files()] == ["new.txt"]
    assert sleeps == [] and local_imagekit.requests.count(("PUT", "/v1/files/rename")) == 1


def test_4_a_delete_whose_replay_finds_nothing_counts_as_done(local_imagekit, sleeps, caplog):
    with local_imagekit.client() as ik:
        file_id = ik.upload_file(b"abc", "a.txt").file_id
        local_imagekit.inject("DELETE", "/v1/files/", drop_after=True)
        result = ik.delete_file(file_id)
        assert result.response_metadata.http_status_code == 204 and len(ik.list_files()) == 0
    assert "counted as deleted" in caplog.text and len(sleeps) == 1


def test_4_a_first_404_is_still_not_found(local_imagekit):
    with local_imagekit.client() as ik, pytest.raises(NotFoundException):
        ik.delete_file_version("nope", "v1")


def test_4_tls_and_malformed_request_errors_are_never_retried(sleeps):
    policy = RetryPolicy()
    for error in (requests.exceptions.SSLError("x"), requests.exceptions.InvalidURL("x"),
                  requests.exceptions.MissingSchema("x"), requests.exceptions.InvalidHeader("x")):
        assert not policy.retries_error("GET", error)
    with ImageKit(**API_KEYS, api_base_url="http://[::1:bad") as ik, pytest.raises(requests.exceptions.InvalidURL):
        ik.list_files()
    assert sleeps == []


def test_4_urllib3_errors_are_matched_by_class_not_name():
    import urllib3

    class NewConnectionError(Exception):  # same name, not urllib3's: the request may have gone out
        pass
    same_name = requests.exceptions.ConnectionError(urllib3.exceptions.MaxRetryError(None, "/", NewConnectionError()))
    real = requests.exceptions.ConnectionError(urllib3.exceptions.MaxRetryError(
        None, "/", urllib3.exceptions.NewConnectionError(None, "refused")))
    assert not RetryPolicy().retries_error("POST", same_name) and RetryPolicy().retries_error("POST", real)


# ---------------------------------------------------------------------- 5. bounded time
@pytest.mark.parametrize("value", ["²", "١٢", "1e3", "-1", "Tue, 99 Foo 2015", "9" * 400])
def test_5_retry_after_that_is_not_ascii_digits_or_a_date_falls_back(value):
    assert parse_retry_after(value) is None or parse_retry_after(value) >= 0
    assert 0 <= RetryPolicy().delay(1, value) <= 60


def test_5_retry_after_superscript_from_a_server(local_imagekit, sleeps):
    local_imagekit.inject("GET", "/v1/files$", status=503, retry_after="²", times=1)
    with local_imagekit.client() as ik:
        assert len(ik.list_files()) == 0
    assert len(sleeps) == 1 and sleeps[0] <= 0.5


class DripServer:
    """Accepts a request, then sends its answer one byte at a time (headers first unless `body_only`)."""

    def __init__(self, body_only=True, interval=0.2):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.body_only, self.interval, self.stop = body_only, interval, threading.Event()
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.drip, args=(conn,), daemon=True).start()

    def drip(self, conn):
        with conn:
            conn.recv(65536)
            head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
            try:
                if self.body_only:
                    conn.sendall(head)
                for byte in ([] if self.body_only else [head[i:i + 1] for i in range(len(head))]) + [b" "] * 10000:
                    if self.stop.is_set():
                        return
                    conn.sendall(byte)
                    time.sleep(self.interval)
            except OSError:
                return

    def close(self):
        self.stop.set()
        self.sock.close()


@pytest.mark.parametrize("body_only", [True, False], ids=["dripping body", "dripping headers"])
def test_5_a_dripping_server_cannot_hold_a_call_past_its_deadline(body_only):
    server = DripServer(body_only)
    try:
        with ImageKit(**API_KEYS, api_base_url=server.url, timeout=(1, 2), deadline=1.5) as ik:
            started = time.monotonic()
            with pytest.raises(ImageKitTimeoutError, match="deadline"):
                ik.list_files()
            assert time.monotonic() - started < 4
    finally:
        server.close()


def test_5_the_default_deadline_is_derived_from_timeout_and_retries():
    assert default_deadline((1, 2), 2) == 9 and default_deadline((5.0, 60.0), 2) == 195
    assert default_deadline(10, 0) == 20 and default_deadline((None, None), 0) == 65
    ik = ImageKit(**API_KEYS, timeout=(1, 2))
    assert ik.ik_request.effective_deadline() == (9, False)
    assert ik.with_options(deadline=30).ik_request.effective_deadline() == (30, True)


def test_5_never_sleeps_for_retry_after_past_the_deadline(local_imagekit, sleeps):
    local_imagekit.inject("GET", "/v1/files$", status=429, retry_after="50", times=1)
    with local_imagekit.client(deadline=10) as ik, pytest.raises(TooManyRequestsException):
        ik.list_files()
    assert sleeps == []


# ---------------------------------------------------------------------- 6. hostile response bodies
HOSTILE = ["[" * 100000, "{\"a\": " * 100000, '{"self": 1, "__class__": 1, "__dict__": {}, "_fields": 1}',
           '{"AITags": 5, "versionInfo": "v", "embeddedMetadata": 5, "exif": 3, "schema": [], "list": 1}',
           '[{"self": 1}, 5, {"__init__": 2}]', '{"exif": {"gps": {"gpsVersionId": 7}, "image": []}}', '"s"',
           "null", "1e999999", "{'message': " * 2000, "\xff\xfe", ""]
FACADE_CALLS = [("upload_file", (b"x", "a")), ("list_files", ()), ("get_file_details", ("f",)),
                ("get_file_versions", ("f",)), ("get_file_version_details", ("f", "v")),
                ("update_file_details", ("f", {"tags": ["a"]})), ("add_tags", (["f"], ["t"])),
                ("remove_tags", (["f"], ["t"])), ("remove_ai_tags", (["f"], ["t"])), ("delete_file", ("f",)),
                ("delete_file_version", ("f", "v")), ("bulk_file_delete", (["f"],)),
                ("copy_file", ({"source_file_path": "/a", "destination_path": "/b"},)),
                ("move_file", ({"source_file_path": "/a", "destination_path": "/b"},)),
                ("rename_file", ({"file_path": "/a", "new_file_name": "b"},)), ("restore_file_version", ("f", "v")),
                ("create_folder", ({"folder_name": "a"},)), ("delete_folder", ({"folder_path": "/a"},)),
                ("copy_folder", ({"source_folder_path": "/a", "destination_path": "/b"},)),
                ("move_folder", ({"source_folder_path": "/a", "destination_path": "/b"},)),
                ("get_bulk_job_status", ("j",)), ("purge_file_cache", ("https://a/b",)),
                ("get_purge_file_cache_status", ("p",)), ("get_file_metadata", ("f",)),
                ("get_remote_file_url_metadata", ("https://a/b",)), ("create_custom_metadata_fields", ({"name": "a"},)),
                ("get_custom_metadata_fields", ()), ("update_custom_metadata_fields", ("f", {"label": "x"})),
                ("delete_custom_metadata_field", ("f",))]


@pytest.mark.parametrize("body", HOSTILE, ids=[f"body{i}" for i in range(len(HOSTILE))])
def test_6_hostile_response_bodies_end_as_a_result_or_an_imagekit_exception(body, sleeps):
    ik = ImageKit(**API_KEYS, max_retries=0)
    with requests_mock.Mocker() as mocked:
        for status in (200, 201, 204, 207, 400, 404, 409, 500):
            mocked.register_uri(requests_mock.ANY, requests_mock.ANY, status_code=status,
                                content=body.encode("utf-8", "surrogateescape") if isinstance(body, str) else body)
            for method, args in FACADE_CALLS:
                try:
                    getattr(ik, method)(*args)
                except ImageKitException:
                    pass


# ---------------------------------------------------------------------- 7. wrong argument types
BAD_VALUES = [123, 1.5, float("inf"), float("nan"), b"abc", object(), [object()], {"a": object()}, True,
              {1: "a"}, ["a", 3], ("a",), -1]


def facade_methods():
    ik = ImageKit(**API_KEYS)
    for name, _ in FACADE_CALLS:
        yield name, inspect.signature(getattr(ik, name))


@pytest.mark.parametrize("method,args", FACADE_CALLS, ids=[m for m, _ in FACADE_CALLS])
def test_7_wrong_argument_types_raise_type_or_value_errors_before_sending(method, args, sleeps):
    ik = ImageKit(**API_KEYS, max_retries=0)
    with requests_mock.Mocker() as mocked:
        mocked.register_uri(requests_mock.ANY, requests_mock.ANY, status_code=200, json={})
        for position in range(len(args)):
            for bad in BAD_VALUES:
                call = list(args)
                call[position] = bad
                sent_before = mocked.call_count
                try:
                    getattr(ik, method)(*call)
                except (TypeError, ValueError) as error:
                    assert mocked.call_count == sent_before, f"{method}{tuple(call)} sent, then raised"
                    assert "argument must have __dict__" not in str(error) and "is not JSON" not in str(error)
                except ImageKitException:
                    pass  # sent, and the (mocked) server's answer did not fit: that is the API's call to make


@pytest.mark.parametrize("options", [{"expire_seconds": float("inf"), "signed": True},
                                     {"expire_seconds": "soon", "signed": True}, {"path": 5},
                                     {"path": "/a", "query_parameters": 5}, {"path": "/a", "transformation": [5]},
                                     {"src": b"https://a"}])
def test_7_url_options_of_the_wrong_type(options):
    with pytest.raises((TypeError, ValueError)) as error:
        ImageKit(**API_KEYS).url({"path": "/a.jpg", **options} if "path" not in options and "src" not in options
                                 else options)
    assert type(error.value) in (TypeError, ValueError)


def test_7_upload_options_that_a_form_cannot_carry():
    with requests_mock.Mocker() as mocked:
        for options in ({"folder": object()}, {"tags": [object()]}, {"someNewField": {"a": 1}}):
            with pytest.raises(TypeError, match="options"):
                ImageKit(**API_KEYS).upload_file(b"x", "a.txt", options)
        assert mocked.call_count == 0


def test_7_url_refuses_options_that_are_not_a_dict():
    for bad in (None, "path", ["/a"]):
        with pytest.raises(TypeError, match="options"):
            ImageKit(**API_KEYS).url(bad)


def test_7_client_settings_are_checked():
    for kwargs in ({"timeout": "5"}, {"timeout": -1}, {"max_retries": -1}, {"max_retries": 1.5},
                   {"pool_size": 0}, {"deadline": 0}, {"public_key": 5}):
        with pytest.raises((TypeError, ValueError)):
            ImageKit(**{**API_KEYS, **kwargs})


def test_7_options_as_dicts_keep_working():
    with responses.RequestsMock() as mocked:
        mocked.add("POST", "https://api.imagekit.io/v1/files/copy", status=204)
        ImageKit(**API_KEYS).copy_file({"sourceFilePath": "/a.jpg", "destination_path": "/b/"})
        assert json.loads(mocked.calls[0].request.body) == {"sourceFilePath": "/a.jpg", "destinationPath": "/b/"}


# ---------------------------------------------------------------------- 8. non-seekable streams
class ReadOnly:
    def __init__(self, data):
        self._data = io.BytesIO(data)

    def read(self, size=-1):
        return self._data.read(size)


def test_8_non_seekable_streams_upload_and_survive_a_retry(local_imagekit, sleeps, tmp_path):
    data = images.png(30, 20)
    read_end, write_end = os.pipe()
    os.write(write_end, data)
    os.close(write_end)
    served = tmp_path / "served.png"
    served.write_bytes(data)
    with local_imagekit.client() as ik:
        source = ik.upload_file(served, "served.png")
        local_imagekit.inject("POST", "/api/v1/files/upload", status=429)
        with open(read_end, "rb", buffering=0) as pipe:
            piped = ik.upload_file(pipe, "pipe.png")
        local_imagekit.inject("POST", "/api/v1/files/upload", status=429)
        only_read = ik.upload_file(ReadOnly(data), "read.png")
        raw = requests.get(source.url, stream=True, timeout=5).raw
        local_imagekit.inject("POST", "/api/v1/files/upload", status=429)
        streamed = ik.upload_file(raw, "raw.png")
        for result in (piped, only_read, streamed):
            assert result.size == len(data) and requests.get(result.url, timeout=5).content == data
    assert len(sleeps) == 3


def test_8_stdin_is_accepted(local_imagekit, tmp_path):
    script = ("import sys\nfrom imagekitio import ImageKit\n"
              f"ik = ImageKit(public_key='p', private_key={local_imagekit.private_key!r}, url_endpoint='http://x/y',"
              f" upload_base_url={local_imagekit.upload_base_url!r})\n"
              "print(ik.upload_file(sys.stdin.buffer, 'stdin.bin').size)\n")
    import subprocess
    done = subprocess.run([sys.executable, "-c", script], input=b"x" * 5000, capture_output=True, timeout=60,
                          cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.strip() == b"5000"


# ---------------------------------------------------------------------- 9. closed clients
def test_9_closed_clients_and_their_copies_refuse_calls(local_imagekit):
    ik = local_imagekit.client()
    copy = ik.with_options(timeout=3)
    ik.list_files()
    ik.close()
    for client in (ik, copy):
        with pytest.raises(ClientClosedError):
            client.list_files()
    with pytest.raises(ClientClosedError):
        ik.with_options(timeout=1)
    assert ik.url({"path": "/a.jpg"}).endswith("/a.jpg")  # offline helpers keep working
    assert local_imagekit.connections_opened == 1


def test_9_closing_a_copy_leaves_the_original_working(local_imagekit):
    with local_imagekit.client() as ik:
        copy = ik.with_options(max_retries=0)
        copy.close()
        assert len(ik.list_files()) == 0
        with pytest.raises(ClientClosedError):
            copy.list_files()


# ---------------------------------------------------------------------- 10. the key in chained errors
def reachable(root, limit=20000):
    """Every object reachable from `root` (breadth first), skipping modules, classes, functions and frames."""
    seen, queue, found = {id(root)}, [root], []
    # Tracebacks reach every frame's locals (the whole program); what the SDK raises is the rest.
    skip = (types.ModuleType, type, types.FunctionType, types.BuiltinFunctionType, types.MethodType,
            types.FrameType, types.TracebackType)
    while queue and len(found) < limit:
        item = queue.pop(0)
        found.append(item)
        for child in gc.get_referents(item):
            if id(child) not in seen and not isinstance(child, skip):
                seen.add(id(child))
                queue.append(child)
    return found


def leaks_key(error):
    for item in reachable(error):
        if isinstance(item, (str, bytes, bytearray)):
            text = item.decode("latin-1") if isinstance(item, (bytes, bytearray)) else item
            if TOKEN in text or "private_test_key" in text:
                return text
    return None


def test_10_the_key_is_not_in_a_connection_error():
    with ImageKit(**API_KEYS, api_base_url="http://127.0.0.1:9", max_retries=0) as ik:
        with pytest.raises(ImageKitConnectionError) as error:
            ik.list_files()
    assert error.value.__cause__ is not None
    assert error.value.__cause__.request.headers["Authorization"] == "[redacted]"
    assert leaks_key(error.value) is None


def test_10_the_key_is_not_in_a_timeout_or_deadline_error(local_imagekit):
    local_imagekit.inject("GET", "/v1/files$", delay=3, times=2)
    for kwargs in ({"timeout": 0.5}, {"deadline": 0.5}):
        with ImageKit(**{**API_KEYS, "private_key": local_imagekit.private_key}, max_retries=0,
                      api_base_url=local_imagekit.api_base_url, **kwargs) as ik:
            with pytest.raises(ImageKitTimeoutError) as error:
                ik.list_files()
        token = base64.b64encode(f"{local_imagekit.private_key}:".encode()).decode()
        assert not any(isinstance(i, str) and token in i for i in reachable(error.value))

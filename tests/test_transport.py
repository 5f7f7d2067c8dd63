"""The transport: pooled connections, timeouts, retries, streaming uploads, logging, configuration.

Everything runs against real HTTP servers on 127.0.0.1 that the tests start themselves.
"""
import logging
import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
import requests

from imagekitio import ImageKit
from imagekitio.exceptions import (ImageKitException, InternalServerException,
                                   TooManyRequestsException, UnknownException)
from imagekitio.resource import ImageKitConnectionError, ImageKitTimeoutError, RetryPolicy, USER_AGENT

from . import images

ROOT = Path(__file__).resolve().parent.parent




# ---------------------------------------------------------------------- connection pool
def test_fifty_sequential_calls_use_one_connection(local_imagekit):
    with local_imagekit.client() as ik:
        for _ in range(50):
            ik.list_files()
    assert local_imagekit.connections_opened == 1


def test_threads_share_the_pool_and_never_exceed_its_size(local_imagekit):
    errors = []
    with local_imagekit.client(pool_size=4) as ik:
        ik.upload_file(images.png(2, 2), "t.png")

        def work():
            try:
                for _ in range(10):
                    assert len(ik.list_files().list) == 1
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)
        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []
    assert local_imagekit.connections_opened <= 4


def test_caller_session_is_used_and_not_closed(local_imagekit):
    session = requests.Session()
    session.headers["X-Trace"] = "abc"
    with local_imagekit.client(session=session) as ik:
        ik.list_files()
    assert session.get(local_imagekit.base_url + "/_emulator/health", timeout=5).status_code == 200


def test_with_options_shares_the_pool(local_imagekit):
    with local_imagekit.client() as ik:
        ik.list_files()
        quick = ik.with_options(timeout=2, max_retries=0)
        quick.list_files()
        assert quick.ik_request.timeout == 2 and ik.ik_request.timeout == (5.0, 60.0)
    assert local_imagekit.connections_opened == 1


# ---------------------------------------------------------------------- timeouts
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_stalled_server_fails_within_the_timeout(local_imagekit, method):
    local_imagekit.inject(method, "/v1/", delay=5, times=5)
    with local_imagekit.client(timeout=1, max_retries=0 if method == "GET" else 2) as ik:
        started = time.monotonic()
        with pytest.raises(ImageKitTimeoutError) as error:
            ik.list_files() if method == "GET" else ik.add_tags(["x"], ["y"])
        elapsed = time.monotonic() - started
    assert elapsed < 1 + 1, "a POST that reached the server must not be retried after a read timeout"
    assert isinstance(error.value, requests.exceptions.Timeout) and isinstance(error.value, ImageKitException)
    assert local_imagekit.base_url in str(error.value) and "timeout=1" in str(error.value)


def test_connection_refused_is_both_kinds_of_error(sleeps):
    with ImageKit(public_key="p", private_key="k", url_endpoint="http://127.0.0.1:9/x",
                  api_base_url="http://127.0.0.1:9", max_retries=2) as ik:
        with pytest.raises(requests.exceptions.ConnectionError) as error:
            ik.add_tags(["a"], ["b"])
    assert isinstance(error.value, ImageKitConnectionError) and "127.0.0.1:9" in str(error.value)
    assert len(sleeps) == 2, "nothing was sent, so even a POST is retried"


# ---------------------------------------------------------------------- retries
def test_429_honours_retry_after_then_succeeds(local_imagekit, sleeps):
    local_imagekit.inject("GET", "/v1/files$", status=429, retry_after="3", times=1)
    with local_imagekit.client() as ik:
        assert ik.list_files().list == []
    assert sleeps == [3.0]


def test_retry_after_as_http_date_and_cap(local_imagekit, sleeps):
    local_imagekit.inject("GET", "/v1/files$", status=503, retry_after="Wed, 21 Oct 2015 07:28:00 GMT", times=1)
    local_imagekit.inject("GET", "/v1/files$", status=429, retry_after="3600", times=1)
    with local_imagekit.client() as ik:
        ik.list_files()
    assert sleeps == [0.0, 60.0]


def test_503_then_200_with_exponential_jittered_backoff(local_imagekit, sleeps):
    local_imagekit.inject("GET", "/v1/files$", status=503, times=2)
    with local_imagekit.client() as ik:
        assert ik.list_files().response_metadata.http_status_code == 200
    assert len(sleeps) == 2 and 0 <= sleeps[0] <= 0.5 and 0 <= sleeps[1] <= 1.0


def test_post_is_not_retried_on_500_but_is_on_429(local_imagekit, sleeps):
    local_imagekit.inject("POST", "/v1/files/addTags", status=500, times=1)
    with local_imagekit.client() as ik:
        with pytest.raises(InternalServerException):
            ik.add_tags(["x"], ["t"])
        assert sleeps == []
        local_imagekit.inject("POST", "/v1/files/addTags", status=429, times=1)
        with pytest.raises(Exception) as after_retry:
            ik.add_tags(["x"], ["t"])
    assert len(sleeps) == 1 and after_retry.value.response_metadata.http_status_code == 404


def test_final_failure_is_the_4x_exception(local_imagekit, sleeps):
    local_imagekit.inject("GET", "/v1/files$", status=429, times=10)
    with local_imagekit.client(max_retries=3) as ik:
        with pytest.raises(TooManyRequestsException):
            ik.list_files()
    assert len(sleeps) == 3 and local_imagekit.faults[0].hits == 4


def test_max_retries_zero_sends_once(local_imagekit, sleeps):
    local_imagekit.inject("GET", "/v1/files$", status=503, times=10)
    with local_imagekit.client(max_retries=0) as ik:
        with pytest.raises(InternalServerException):
            ik.list_files()
    assert sleeps == [] and local_imagekit.faults[0].hits == 1


def test_upload_retry_resends_the_same_bytes(local_imagekit, sleeps, tmp_path):
    path = tmp_path / "big.png"
    path.write_bytes(images.png(40, 30))
    local_imagekit.inject("POST", "/api/v1/files/upload", status=429, times=1)
    with local_imagekit.client() as ik, open(path, "rb") as fh:
        result = ik.upload_file(fh, "big.png")
    assert (result.width, result.size) == (40, path.stat().st_size) and len(sleeps) == 1


def test_retry_policy_rules():
    policy = RetryPolicy()
    assert policy.retries_status("GET", 408) and policy.retries_status("DELETE", 502)
    assert policy.retries_status("PUT", 500) and not policy.retries_status("GET", 404)
    assert policy.retries_status("POST", 429) and not policy.retries_status("PATCH", 503)
    assert all(0 <= policy.delay(n) <= 8 for n in range(1, 20))
    assert policy.delay(1, "12") == 12 and policy.delay(1, "999") == 60


# ---------------------------------------------------------------------- responses the server should not send
@pytest.mark.parametrize("fault,expected", [
    (dict(status=200, garbage=True), UnknownException),    # success status, HTML body
    (dict(status=502, garbage=True), InternalServerException),
    (dict(status=200, drop=True), ImageKitConnectionError),
])
def test_bad_responses_raise_imagekit_exceptions(local_imagekit, sleeps, fault, expected):
    local_imagekit.inject("GET", "/v1/files$", times=10, **fault)
    with local_imagekit.client() as ik:
        with pytest.raises(expected) as error:
            ik.list_files()
    if not fault.get("drop"):
        assert error.value.response_metadata.http_status_code == fault["status"]
        assert "garbage" in error.value.response_metadata.raw


def test_wrong_success_status_is_an_error_with_the_body(local_imagekit):
    # delete answers 204; a 200 with a body is not what the API promises, and is reported as such
    local_imagekit.inject("DELETE", "/v1/files/", status=200, times=1)
    with local_imagekit.client() as ik:
        with pytest.raises(UnknownException) as error:
            ik.delete_file("abc")
    assert error.value.response_metadata.http_status_code == 200


# ---------------------------------------------------------------------- streaming uploads
def test_progress_reports_bytes_sent(local_imagekit, tmp_path):
    path = tmp_path / "p.png"
    path.write_bytes(images.png(300, 300))
    seen = []
    with local_imagekit.client() as ik:
        ik.upload_file(path, "p.png", progress=lambda sent, total: seen.append((sent, total)))
    assert seen and seen[-1][0] == seen[-1][1] > path.stat().st_size
    assert [s for s, _ in seen] == sorted(s for s, _ in seen)


STREAM_CHILD = textwrap.dedent("""
    import json, os, resource, sys
    from imagekitio import ImageKit
    from imagekitio.testing.sink import UploadSink

    path, size = sys.argv[1], int(sys.argv[2])
    with open(path, "wb") as fh:
        chunk = os.urandom(1 << 20)
        for _ in range(size >> 20):
            fh.write(chunk)
    with UploadSink() as sink:
        ik = ImageKit(public_key="p", private_key="k", url_endpoint="http://x/y", upload_base_url=sink.base_url)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        with open(path, "rb") as fh:
            result = ik.upload_file(fh, "big.bin")
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert result.size > size
    print(json.dumps({"growth_kb": after - before}))
""")


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss is in KiB on Linux")
def test_200_mb_upload_streams_in_constant_memory(tmp_path):
    script = tmp_path / "child.py"
    script.write_text(STREAM_CHILD)
    # The child imports the package from this checkout even when it is not installed.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    out = subprocess.run([sys.executable, str(script), str(tmp_path / "big.bin"), str(200 << 20)],
                         capture_output=True, text=True, timeout=300, check=True, env=env)
    growth_mb = int(out.stdout.strip().splitlines()[-1].split(":")[1].strip(" }")) / 1024
    assert growth_mb < 30, f"peak RSS grew by {growth_mb:.1f} MB"


# ---------------------------------------------------------------------- configuration, logging, secrecy
def test_keys_from_the_environment(monkeypatch, local_imagekit):
    monkeypatch.setenv("IMAGEKIT_PUBLIC_KEY", local_imagekit.public_key)
    monkeypatch.setenv("IMAGEKIT_PRIVATE_KEY", local_imagekit.private_key)
    monkeypatch.setenv("IMAGEKIT_URL_ENDPOINT", local_imagekit.url_endpoint)
    monkeypatch.setenv("IMAGEKIT_API_BASE_URL", local_imagekit.api_base_url)
    with ImageKit() as ik:
        assert ik.list_files().list == []
    monkeypatch.delenv("IMAGEKIT_PRIVATE_KEY")
    with pytest.raises(ValueError) as missing:
        ImageKit()
    assert missing.value.args[0]["message"].startswith("Missing public_key or private_key")


def test_user_agent_names_the_sdk(local_imagekit):
    seen = {}
    session = requests.Session()
    session.hooks["response"].append(lambda r, *a, **k: seen.update(r.request.headers))
    with local_imagekit.client(session=session) as ik:
        ik.list_files()
    assert seen["User-Agent"] == USER_AGENT and USER_AGENT.startswith("imagekitio-python/")


def test_debug_log_has_method_url_status_and_never_the_key(local_imagekit, caplog, sleeps):
    local_imagekit.inject("GET", "/v1/files$", status=503, times=1)
    with caplog.at_level(logging.DEBUG, logger="imagekitio"):
        with local_imagekit.client() as ik:
            ik.list_files()
            ik.upload_file(b"abc", "a.txt")
    text = caplog.text
    assert f"GET {local_imagekit.api_base_url}/v1/files -> 503" in text and "retry 1 of 2" in text
    assert "-> 200" in text and "POST" in text
    assert local_imagekit.private_key not in text and "Basic" not in text


def test_repr_never_shows_the_private_key(local_imagekit):
    ik = local_imagekit.client()
    for obj in (ik, ik.ik_request, ik.file, ik.url_obj):
        assert local_imagekit.private_key not in repr(obj) and local_imagekit.private_key not in str(obj)

"""Issue 16, the audit's additions: the gaps an item's own tests left open, each named after its item.

- 3: a storage name is one encoded path in variant URLs too (``{% ik_url photo.image %}``, ``field.ik()``).
- 6: the Django webhook view answers every malformed delivery with 400, never a 500.
- 10: a server cycling through earlier pages stops, ids the server sends as lists do not crash paging,
  and the storage's listing stops as ``iter_files`` does.
- 12: a template cannot drop a private file's expiry.
"""
import base64
import hashlib
import hmac
import json
import re
import time
from types import SimpleNamespace
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
import responses

from imagekitio import ImageKit
from imagekitio.exceptions import ImageKitException

from .conftest import API_KEYS
from .fakes import django_site, list_item, serve_pages

django = pytest.importorskip("django")


@pytest.fixture(scope="module")
def site():
    """The Django test project (configured here when this module runs alone) on a fresh emulator."""
    with django_site(VARIANTS={"thumb": {"width": 10}}) as server:
        yield server


@pytest.fixture
def private_report(site):
    """A private storage holding ``docs/report.pdf``, and a model-file stand-in naming it plus ``#x``."""
    from django.core.files.base import ContentFile

    from imagekitio.contrib.django.storage import ImageKitStorage
    site.reset()
    storage = ImageKitStorage(location="/private", private=True)  # the settings' client, as variants use
    assert storage.save("docs/report.pdf", ContentFile(b"the real report")) == "docs/report.pdf"
    return storage


# ---- 3: variant URLs encode the name as storage.url() does
@pytest.mark.parametrize("suffix", ["#x", "?x", "?x=1&y=2"])
def test_16_3_variant_urls_of_a_storage_name_are_one_encoded_path(private_report, suffix):
    from django.template import Context, Template

    from imagekitio.contrib.django.variants import variant_url
    field_file = SimpleNamespace(storage=private_report, name="docs/report.pdf" + suffix)
    for url in (variant_url(field_file), variant_url(field_file, "thumb"),
                Template("{% load imagekitio %}{% ik_url f %}").render(Context({"f": field_file}))):
        url = url.replace("&amp;", "&")
        assert urlsplit(url).path.endswith(private_report.url_path(field_file.name)), url
        served = requests.get(url, timeout=5)
        assert served.status_code == 404 and served.content != b"the real report"
    good = variant_url(SimpleNamespace(storage=private_report, name="docs/report.pdf"))
    assert requests.get(good, timeout=5).content == b"the real report"  # the fixture itself is reachable


# ---- 12: a template may shorten a private file's expiry, never drop it
@pytest.mark.parametrize("seconds", [0, None, -1, "0", True])
def test_16_12_a_template_cannot_drop_a_private_files_expiry(private_report, seconds):
    from imagekitio.contrib.django.variants import variant_url
    field_file = SimpleNamespace(storage=private_report, name="docs/report.pdf")
    with pytest.raises(ValueError, match="expire_seconds"):
        variant_url(field_file, expire_seconds=seconds)
    url = variant_url(field_file, expire_seconds=60)
    assert time.time() < int(dict(parse_qsl(urlsplit(url).query))["ik-t"]) <= time.time() + 61


# ---- 6: the Django view turns every malformed delivery into a 400
def _signed(secret, body, stamp, message_id="m"):
    mac = hmac.new(secret.encode(), f"{message_id}.{stamp}.".encode() + body, hashlib.sha256).digest()
    return {"HTTP_WEBHOOK_ID": message_id, "HTTP_WEBHOOK_TIMESTAMP": stamp,
            "HTTP_WEBHOOK_SIGNATURE": "v1," + base64.b64encode(mac).decode()}


def test_16_6_the_django_webhook_view_answers_400_to_malformed_deliveries(site):
    from django.test import Client

    from tests.contrib.djangoproject.urls import RECEIVED
    secret, now = site.webhook_secret, str(int(time.time()))
    good = json.dumps({"id": "evt_1", "type": "file.deleted", "created_at": "2026-01-01T00:00:00Z",
                       "data": {"fileId": "f1"}}).encode()
    not_utf8 = b'{"id":"\xff\xfe","type":"file.deleted"}'
    legacy_mac = hmac.new(secret.encode(), b"9" * 5000 + b"." + good, hashlib.sha256).hexdigest()
    deliveries = [
        (not_utf8, _signed(secret, not_utf8, now)),                              # signed, but not UTF-8
        (good, {**_signed(secret, good, now), "HTTP_WEBHOOK_TIMESTAMP": "\u00b2"}),
        (good, _signed(secret, good, "1" * 5000)),
        (good, {**_signed(secret, good, now), "HTTP_WEBHOOK_SIGNATURE": "v1,\u00e9\u00e9"}),
        (good, {"HTTP_X_IK_SIGNATURE": f"t={'9' * 5000},v1={legacy_mac}"}),      # a long legacy t=
    ]
    before = len(RECEIVED)
    for body, headers in deliveries:
        answer = Client(raise_request_exception=False).post("/hooks/imagekit/", body,
                                                            content_type="application/json", **headers)
        assert answer.status_code == 400, (headers, answer.status_code)
    assert len(RECEIVED) == before  # none reached the handler
    accepted = Client().post("/hooks/imagekit/", good, content_type="application/json", **_signed(secret, good, now))
    assert accepted.status_code == 200  # the same view and secret take a good delivery


# ---- 10: paging stops on any repeated page, whatever the ids look like



def test_16_10_a_server_cycling_through_earlier_pages_stops():
    with responses.RequestsMock() as mocked:
        # skip honoured only modulo 2 pages: A, B, A, B... never the same page twice in a row
        calls = serve_pages(mocked, lambda skip, limit: [list_item((skip // limit) % 2 * limit + i)
                                                         for i in range(limit)])
        with pytest.raises(ImageKitException, match="ignores skip"):
            list(ImageKit(**API_KEYS).iter_files(page_size=10))
        assert len(calls) == 3


def test_16_10_ids_sent_as_lists_or_objects_do_not_crash_the_repeat_check():
    with responses.RequestsMock() as mocked:
        serve_pages(mocked, lambda skip, limit: [list_item(i, file_id=[i]) for i in range(limit)])  # skip ignored
        with pytest.raises(ImageKitException, match="ignores skip"):
            list(ImageKit(**API_KEYS).iter_files(page_size=5))
    with responses.RequestsMock() as mocked:
        serve_pages(mocked, lambda skip, limit: [list_item(skip + i, file_id={"id": skip + i})
                                                 for i in range(limit)][:7 - skip])
        assert len(list(ImageKit(**API_KEYS).iter_files(page_size=5))) == 7


def test_16_10_the_storage_listing_stops_when_the_server_ignores_skip(site):
    from imagekitio.contrib.django.storage import ImageKitStorage
    with responses.RequestsMock() as mocked, ImageKit(**API_KEYS) as client:
        serve_pages(mocked, lambda skip, limit: [list_item(i) for i in range(limit)])
        with pytest.raises(ImageKitException, match="ignores skip"):
            ImageKitStorage(location="/", client=client).listdir("")


# ---- 8: after Ctrl-C, failed uploads are named too, and every file is in exactly one list
def test_16_8_ctrl_c_summary_names_failed_uploads_as_well(local_imagekit, tmp_path):
    import signal
    from pathlib import Path

    from .test_security_cli import cli
    for i in range(30):
        (tmp_path / f"f{i:02}.txt").write_bytes(b"x")
    local_imagekit.inject("POST", "/api/v1/files/upload", status=400, times=2)  # the first two are refused
    local_imagekit.inject("POST", "/api/v1/files/upload", delay=0.4, times=1000)
    process = cli(local_imagekit, "upload", str(tmp_path), "--workers", "2", wait=False)
    deadline = time.monotonic() + 60
    while len(local_imagekit.store.files) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    summary = re.search(r"Interrupted: uploaded (\d+) of 30 files, (\d+) failed, (\d+) not started\.", stdout)
    assert summary and summary.group(2) == "2", stdout

    def names(text, label):
        return {Path(line.split(": ", 2)[1]).name for line in text.splitlines() if line.startswith(f"  {label}: ")}
    uploaded, failed, not_started = names(stdout, "uploaded"), names(stderr, "failed"), names(stdout, "not started")
    assert len(failed) == 2 and len(uploaded) == int(summary.group(1)) and len(not_started) == int(summary.group(3))
    assert uploaded | failed | not_started == {f"f{i:02}.txt" for i in range(30)}
    assert len(uploaded) + len(failed) + len(not_started) == 30

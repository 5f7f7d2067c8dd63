"""Replays the recorded imagekitio 4.x vectors (tests/conformance/*.jsonl) against this package.

Each line is one test. Semantics (see tests/conformance/README.md of the shared folder): the clock,
uuid4 and sleep are frozen; HTTP is intercepted by `responses`, so nothing leaves the process.
"""
import base64
import importlib
import json
import re
import time
import uuid
import warnings
from collections.abc import Mapping
from enum import Enum
from pathlib import Path
from unittest import mock

import pytest
import responses

import imagekitio
from imagekitio.constants.url import URL

from .conftest import API_KEYS

HERE = Path(__file__).parent / "conformance"
FILES = HERE / "files"
DEFAULT_UUID = "00000000-0000-4000-8000-000000000000"


def load(corpus):
    with open(HERE / f"{corpus}.jsonl", encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh]
    return pytest.mark.parametrize("rec", records, ids=[r["id"] for r in records])


def option_class(name):
    return getattr(importlib.import_module(f"imagekitio.models.{name}"), name)


def decode(value, opened):
    """Turn the vectors' argument encoding ($options, $enum, $file...) into Python values."""
    if isinstance(value, list):
        return [decode(v, opened) for v in value]
    if not isinstance(value, dict):
        return value
    if "$enum" in value:
        cls, member = value["$enum"].split(".")
        return getattr(option_class(cls), member)
    if "$tuple" in value:
        return tuple(decode(v, opened) for v in value["$tuple"])
    if "$bytes_b64" in value:
        return base64.b64decode(value["$bytes_b64"])
    if "$file" in value:
        fh = open(FILES / value["$file"], "rb")
        opened.append(fh)
        return fh
    if "$options" in value:
        return option_class(value["$options"])(**{k: decode(v, opened) for k, v in value["kwargs"].items()})
    return {k: decode(v, opened) for k, v in value.items()}


def check(expected, actual, where="value"):
    """Assert a recorded value matches a live one ($class = type name + listed attributes)."""
    if isinstance(expected, dict) and "$enum" in expected:
        assert isinstance(actual, Enum) and f"{type(actual).__name__}.{actual.name}" == expected["$enum"], where
    elif isinstance(expected, dict) and "$class" in expected:
        assert type(actual).__name__ == expected["$class"], f"{where}: {type(actual).__name__}"
        for key, value in expected.items():
            if key not in ("$class", "response_metadata"):
                assert hasattr(actual, key) or value is None, f"{where}.{key} missing"
                check(value, getattr(actual, key, None), f"{where}.{key}")
    elif isinstance(expected, dict):
        assert isinstance(actual, Mapping), f"{where}: {actual!r}"
        assert set(expected) == set(actual), f"{where}: keys {sorted(actual)}"
        for key, value in expected.items():
            check(value, actual[key], f"{where}[{key!r}]")
    elif isinstance(expected, list):
        assert isinstance(actual, (list, tuple)) and len(actual) == len(expected), f"{where}: {actual!r}"
        for i, (e, a) in enumerate(zip(expected, actual)):
            check(e, a, f"{where}[{i}]")
    else:
        assert actual == expected and (type(expected) is not bool or type(actual) is bool), \
            f"{where}: expected {expected!r}, got {actual!r}"


def check_metadata(expected, actual, where):
    assert actual is not None, f"{where} missing"
    check(expected["raw"], actual.raw, f"{where}.raw")
    check(expected["http_status_code"], actual.http_status_code, f"{where}.http_status_code")
    headers = {str(k).lower(): v for k, v in dict(actual.headers or {}).items()}
    for key, value in (expected.get("headers") or {}).items():
        assert headers.get(key.lower()) == value, f"{where}.headers[{key}]"


def check_error(expected, error):
    assert type(error).__name__ == expected["$raises"], f"raised {type(error).__name__}: {error}"
    if "args" in expected:
        check(expected["args"], list(error.args), "args")
    for attr in ("message", "response_help"):
        if attr in expected:
            check(expected[attr], getattr(error, attr), attr)
    if "response_metadata" in expected:
        check_metadata(expected["response_metadata"], error.response_metadata, "error.response_metadata")


def frozen(now, uuid4=DEFAULT_UUID):
    return mock.patch.multiple(time, time=lambda: float(now), sleep=lambda s: None), \
        mock.patch.object(uuid, "uuid4", lambda: uuid.UUID(uuid4))


def run_frozen(now, fn, uuid4=DEFAULT_UUID):
    clock, ids = frozen(now, uuid4)
    with clock, ids, warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        try:
            return "value", fn()
        except Exception as error:  # noqa: BLE001 - the vector says what must be raised
            return "error", error


def expect_outcome(expect, outcome, value, key="value"):
    if "error" in expect:
        assert outcome == "error", f"returned {value!r}, expected {expect['error']['$raises']}"
        check_error(expect["error"], value)
    else:
        if outcome == "error":
            raise value
        check(expect[key], value)


@load("url")
def test_url(rec):
    client = imagekitio.ImageKit(**rec["client"])
    outcome, value = run_frozen(rec["now"], lambda: client.url(json.loads(json.dumps(rec["options"]))))
    expect_outcome(rec["expect"], outcome, value, "url")


@load("url_modern")
def test_url_modern(rec):
    url = imagekitio.ImageKit(**API_KEYS).url({"path": "/img.jpg", "transformation": rec["transformation"]})
    assert url == rec["expect"]["url"]


def helper(name):
    owner, attr = name.split(".")
    if owner == "Url":
        return getattr(importlib.import_module("imagekitio.url").Url, attr)
    if owner == "formatter":
        return getattr(importlib.import_module("imagekitio.utils.formatter"), attr)
    return getattr(imagekitio.ImageKit(**API_KEYS), attr)


@load("helpers")
def test_helper(rec):
    fn = helper(rec["function"])
    outcome, value = run_frozen(rec["now"], lambda: fn(**rec["args"]), rec["uuid4"])
    expect_outcome(rec["expect"], outcome, value)


@load("models")
def test_model(rec):
    module, _, name = rec["class"].rpartition(".")
    cls = getattr(importlib.import_module(f"{module}.{name}"), name)
    opened = []
    outcome, value = run_frozen(0, lambda: cls(*decode(rec["args"], opened), **decode(rec["kwargs"], opened)))
    expect_outcome(rec["expect"], outcome, value)
    if outcome == "value":
        want = rec["expect"]["unknown_attribute"]
        if want == {"$raises": "AttributeError"}:
            with pytest.raises(AttributeError):
                _ = value.zz_not_an_attribute
        else:
            assert value.zz_not_an_attribute == want


def request_body(request):
    body = request.body
    if hasattr(body, "read"):
        body = body.read()
    if isinstance(body, str):
        body = body.encode()
    return body or b""


@load("exchanges")
def test_exchange(rec):
    URL.API_BASE_URL, URL.UPLOAD_BASE_URL = "https://api.imagekit.io", "https://upload.imagekit.io"
    want, canned = rec["request"], rec["response"]
    opened = []
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mocked:
        target = re.compile(".*") if want is None else want["url"]
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
            if want is None or method == want["method"]:
                mocked.add(method, target, status=canned["status"], body=canned["body"],
                           content_type=canned["content_type"], headers=canned["headers"])
        args = decode(rec["call"]["args"], opened)
        client = imagekitio.ImageKit(**API_KEYS)
        try:
            outcome, value = run_frozen(1700000000, lambda: getattr(client, rec["call"]["method"])(**args))
        finally:
            for fh in opened:
                fh.close()
        calls = list(mocked.calls)

    if want is None:
        assert not calls, "a request was sent where the SDK must reject the call first"
    else:
        assert calls, "nothing was sent"
        sent = calls[0].request
        assert sent.method == want["method"]
        assert sent.url == want["url"]
        body = want["body"]
        if body is None:
            assert request_body(sent) == b""
        else:
            assert request_body(sent) == (body["text"].encode() if "text" in body else base64.b64decode(body["b64"]))
        for key, header in want["headers"].items():
            if key != "Accept-Encoding":  # requests' own default varies by version
                assert sent.headers.get(key) == header, key
    expect_outcome(rec["expect"], outcome, value, "result")
    if outcome == "value" and "response_metadata" in rec["expect"]["result"]:
        check_metadata(rec["expect"]["result"]["response_metadata"], value.response_metadata, "response_metadata")

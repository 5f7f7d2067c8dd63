"""Replays the recorded imagekitio 5.11 vectors (tests/conformance/v5) through their own runner, replay_v5.py.

Every vector is one test. The deliberate differences listed in tests/conformance/v5/README.md are
skipped by id, with their reason, and the project's own behaviour is tested for each below instead.
"""
import importlib.util
import json
import os
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parents[1] / "conformance" / "v5"

_spec = importlib.util.spec_from_file_location("replay_v5", HERE / "replay_v5.py")
replay = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
sys.modules["replay_v5"] = replay
_spec.loader.exec_module(replay)  # type: ignore[union-attr]

# README.md "Deliberate differences": 5.11 defects this project does not copy.
DELIBERATE = {
    "files.upload.2": "5.11 sends upload extensions with snake_case keys; we send maxTags/minConfidence",
    "beta.v2.files.upload.2": "5.11 sends upload extensions with snake_case keys; we send maxTags/minConfidence",
    "h.build_url.query_params": "5.11 appends query_parameters unencoded; we encode them as url() does",
    "h.validate.upload_str_file": "5.11 refuses a str file; we upload from the URL or base64 text as 4.x does",
    "accounts.origins.get.3": "5.11 parses an unknown origin type as S3; we give a model that keeps every field",
    "h.webhooks.unsafe_unwrap.unknown_type": "5.11 gives an unknown event another event's class",
    "h.client.default_timeout": "5.11 reports httpx's Timeout repr; we report the same values in our form",
    **{f"h.webhooks.unwrap.{case}": "5.11 raises standardwebhooks' exceptions; we raise our own"
       for case in ("tampered", "wrong_key", "v2_only", "too_old", "too_new", "bad_timestamp",
                    "missing_headers", "empty_key")},
}
# Python's own TypeError for a bad call names the method by its qualified name from 3.10 on
# ("FilesResource.copy() takes ..."), by its bare name before; 5.11 on those Pythons says the same.
INTERPRETER_WORDED = ("h.validate.missing_required_kw", "h.validate.positional_only_kw")


def _vectors():
    out = []
    for name in ("exchanges_v5.jsonl", "helpers_v5.jsonl"):
        with open(HERE / name, encoding="utf-8") as fh:
            out += [json.loads(line) for line in fh if line.strip()]
    return out


VECTORS = _vectors()


def _param(vec):
    marks = []
    if vec["id"] in DELIBERATE:
        marks.append(pytest.mark.skip(reason=f"deliberate difference: {DELIBERATE[vec['id']]}"))
    return pytest.param(vec, id=vec["id"], marks=marks)


class _Opts:
    verbose = True
    strict_extras = False
    loose_numbers = False
    lenient_json_text = False
    no_class_names = False


@pytest.fixture(scope="module")
def server():
    saved = {k: os.environ.pop(k) for k in replay.ENV_VARS if k in os.environ}
    srv = replay.LoopbackServer()
    yield srv
    srv.close()
    os.environ.update(saved)


def _as_this_python_words_it(vec):
    if sys.version_info >= (3, 10) or vec["id"] not in INTERPRETER_WORDED:
        return vec
    vec = json.loads(json.dumps(vec))
    raises = vec["expect"]["raises"]
    raises["message"] = raises["message"].split(".", 1)[1]
    return vec


@pytest.mark.parametrize("vec", [_param(v) for v in VECTORS])
def test_vector(vec, server, monkeypatch):
    for key in replay.ENV_VARS:
        monkeypatch.delenv(key, raising=False)
    if "kind" in vec:
        diff = replay.run_helper(_as_this_python_words_it(vec), server, _Opts())
    else:
        diff = replay.run_exchange(vec, server, _Opts())
    assert not diff.items, "\n".join(diff.items)


def test_every_recorded_operation_is_declared():
    from imagekitio._v5.engine import OPERATIONS

    recorded = {v["call"]["path"] for v in VECTORS if "kind" not in v}
    assert recorded <= set(OPERATIONS)
    assert len(OPERATIONS) == 58

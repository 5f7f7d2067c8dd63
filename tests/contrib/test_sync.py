"""``imagekitio.sync``: plans, apply, the journal, resume after a kill, push and pull round trips."""
import hashlib
import io
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from imagekitio import sync
from imagekitio.sync import DELETE, DOWNLOAD, HASH_FIELD, JOURNAL_NAME, REPLACE, SKIP, UPLOAD

ROOT = Path(__file__).resolve().parents[2]
UPLOAD_PATH = "/api/v1/files/upload"


def tree(root: Path, files: dict) -> Path:
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def kinds(plan):
    return {a.path: (a.kind, a.reason) for a in plan.actions}


def remote_paths(server):
    return sorted(r["filePath"] for r in server.store.files.values())


def uploads(server):
    return sum(1 for method, path in server.requests if method == "POST" and path == UPLOAD_PATH)


def test_push_plans_upload_then_skip_replace_and_delete(local_imagekit, imagekit, tmp_path):
    src = tree(tmp_path / "src", {"a.txt": b"alpha", "sub/b.txt": b"beta", "sub/c.txt": b"gamma"})
    first = sync.plan(imagekit, src, "/site")
    assert kinds(first) == {"a.txt": (UPLOAD, "new"), "sub/b.txt": (UPLOAD, "new"), "sub/c.txt": (UPLOAD, "new")}
    result = sync.apply(imagekit, first, workers=2)
    assert (result.uploaded, result.failed, result.ok) == (3, [], True)
    assert remote_paths(local_imagekit) == ["/site/a.txt", "/site/sub/b.txt", "/site/sub/c.txt"]
    stored = {r["filePath"]: r["customMetadata"][HASH_FIELD] for r in local_imagekit.store.files.values()}
    assert stored["/site/a.txt"] == hashlib.sha256(b"alpha").hexdigest()

    (src / "a.txt").write_bytes(b"ALPHA")          # same size, other content
    (src / "sub" / "b.txt").write_bytes(b"beta, longer")
    (src / "sub" / "c.txt").unlink()
    (src / "d.txt").write_bytes(b"delta")
    second = sync.plan(imagekit, src, "/site")
    assert kinds(second) == {"a.txt": (REPLACE, "content differs"), "sub/b.txt": (REPLACE, "size differs"),
                             "sub/c.txt": (SKIP, "only at the destination (--delete removes it)"),
                             "d.txt": (UPLOAD, "new")}
    with_delete = sync.plan(imagekit, src, "/site", delete=True)
    assert kinds(with_delete)["sub/c.txt"] == (DELETE, "not in the source")
    result = sync.apply(imagekit, with_delete)
    assert (result.uploaded, result.replaced, result.deleted, result.skipped) == (1, 2, 1, 0)
    assert "uploaded 1, replaced 2, downloaded 0, deleted 1, skipped 0, failed 0" == result.summary()
    assert remote_paths(local_imagekit) == ["/site/a.txt", "/site/d.txt", "/site/sub/b.txt"]
    assert all(a.kind == SKIP for a in sync.plan(imagekit, src, "/site", delete=True).actions)


def test_a_finished_sync_rerun_transfers_nothing_and_lists_once(local_imagekit, imagekit, tmp_path):
    src = tree(tmp_path / "src", {f"f{i}.txt": str(i).encode() for i in range(12)})
    sync.sync(imagekit, src, "/x", workers=4)
    local_imagekit.requests.clear()
    result = sync.sync(imagekit, src, "/x")
    assert (result.skipped, result.uploaded, result.replaced) == (12, 0, 0)
    assert list(local_imagekit.requests) == [("GET", "/v1/files")]  # one page of up to 1,000: one request


def test_dry_run_changes_nothing_not_even_the_journal(local_imagekit, imagekit, tmp_path):
    src = tree(tmp_path / "src", {"a.txt": b"a"})
    plan = sync.plan(imagekit, src, "/site", delete=True)
    assert [a.kind for a in plan.actions] == [UPLOAD]
    assert not (src / JOURNAL_NAME).exists()
    assert local_imagekit.store.files == {} and not local_imagekit.store.fields
    assert all(method == "GET" for method, _ in local_imagekit.requests)


def test_a_remote_file_without_our_hash_is_replaced_once_then_trusted(local_imagekit, imagekit, tmp_path):
    src = tree(tmp_path / "src", {"a.txt": b"same"})
    imagekit.upload_file(io.BytesIO(b"same"), "a.txt", {"folder": "/site", "use_unique_file_name": False})
    assert kinds(sync.plan(imagekit, src, "/site"))["a.txt"] == (REPLACE, "no content hash on the remote file")
    sync.sync(imagekit, src, "/site")
    assert kinds(sync.plan(imagekit, src, "/site"))["a.txt"] == (SKIP, "unchanged")


def test_pull_round_trip_downloads_replaces_and_deletes_locally(local_imagekit, imagekit, tmp_path):
    src = tree(tmp_path / "src", {"a.txt": b"alpha", "deep/er/b.bin": bytes(range(256)) * 40})
    sync.sync(imagekit, src, "/site")
    dst = tmp_path / "dst"
    plan = sync.plan(imagekit, dst, "/site", "pull")
    assert kinds(plan) == {"a.txt": (DOWNLOAD, "new"), "deep/er/b.bin": (DOWNLOAD, "new")}
    assert sync.apply(imagekit, plan).downloaded == 2
    for rel in ("a.txt", "deep/er/b.bin"):
        assert (dst / rel).read_bytes() == (src / rel).read_bytes()
    assert not [p for p in dst.rglob("*") if ".ikpart-" in p.name]

    (dst / "a.txt").write_bytes(b"ALPHA")
    (dst / "local-only.txt").write_bytes(b"x")
    again = sync.plan(imagekit, dst, "/site", "pull", delete=True)
    assert kinds(again) == {"a.txt": (DOWNLOAD, "content differs"), "deep/er/b.bin": (SKIP, "unchanged"),
                            "local-only.txt": (DELETE, "not in the source")}
    result = sync.apply(imagekit, again)
    assert (result.downloaded, result.deleted, result.skipped) == (1, 1, 1)
    assert (dst / "a.txt").read_bytes() == b"alpha" and not (dst / "local-only.txt").exists()

    # and back: a pushed copy of the pulled folder is already in place
    assert all(a.kind == SKIP for a in sync.plan(imagekit, dst, "/site").actions)


def test_pull_downloads_private_files_with_a_signed_url(local_imagekit, imagekit, tmp_path):
    imagekit.upload_file(io.BytesIO(b"secret"), "p.txt", {"folder": "/priv", "use_unique_file_name": False,
                                              "is_private_file": True})
    result = sync.sync(imagekit, tmp_path / "dst", "/priv", "pull")
    assert result.downloaded == 1 and (tmp_path / "dst" / "p.txt").read_bytes() == b"secret"


def test_pull_never_writes_outside_the_folder(local_imagekit, imagekit, tmp_path):
    imagekit.upload_file(io.BytesIO(b"ok"), "fine.txt", {"folder": "/site", "use_unique_file_name": False})
    record = next(iter(local_imagekit.store.files.values()))
    evil = dict(record, fileId="evil", filePath="/site/../../escape.txt")
    local_imagekit.store.files["evil"] = evil
    plan = sync.plan(imagekit, tmp_path / "dst", "/site", "pull")
    assert kinds(plan)["/site/../../escape.txt"] == (SKIP, "remote path cannot be mirrored locally")
    sync.apply(imagekit, plan)
    assert not (tmp_path / "escape.txt").exists() and (tmp_path / "dst" / "fine.txt").exists()


def test_filters_hidden_files_and_symlinks(local_imagekit, imagekit, tmp_path):
    outside = tree(tmp_path / "outside", {"secret.txt": b"s"})
    src = tree(tmp_path / "src", {"a.jpg": b"1", "b.png": b"2", "skip/c.jpg": b"3", ".env": b"KEY=1",
                                  ".git/config": b"x"})
    (src / "link").symlink_to(outside, target_is_directory=True)
    plan = sync.plan(imagekit, src, "/s", include=["*.jpg"], exclude=["skip/*"])
    assert list(kinds(plan)) == ["a.jpg"]
    assert {p.path.name for p in plan.left_out} == {".env", ".git", "link"}
    everything = sync.plan(imagekit, src, "/s", include_hidden=True, follow_symlinks=True)
    assert {".env", ".git/config", "link/secret.txt"} <= set(kinds(everything))
    assert JOURNAL_NAME not in kinds(everything)


def test_two_local_files_for_one_remote_path_are_refused_before_anything_is_sent(local_imagekit, imagekit,
                                                                                    tmp_path):
    src = tree(tmp_path / "src", {"a b.txt": b"1", "a_b.txt": b"2", "c.txt": b"3"})
    with pytest.raises(sync.SyncError, match="a_b.txt"):
        sync.plan(imagekit, src, "/s")
    assert local_imagekit.store.files == {} and uploads(local_imagekit) == 0


def test_failures_are_collected_and_the_rest_goes_on(local_imagekit, imagekit, tmp_path):
    src = tree(tmp_path / "src", {"a.txt": b"a", "b.txt": b"b"})
    local_imagekit.inject("POST", UPLOAD_PATH, status=400, times=1)
    result = sync.apply(imagekit, sync.plan(imagekit, src, "/s"), workers=1)
    assert result.uploaded == 1 and len(result.failed) == 1 and not result.ok
    assert [a.kind for a in sync.plan(imagekit, src, "/s").actions].count(UPLOAD) == 1  # only the failed one


def test_transport_retries_are_honoured_for_downloads(local_imagekit, imagekit, tmp_path):
    sync.sync(imagekit, tree(tmp_path / "src", {"a.txt": b"a"}), "/s")
    local_imagekit.inject("GET", r"^/local/s/a\.txt", status=503, times=1)
    result = sync.sync(imagekit, tmp_path / "dst", "/s", "pull")
    assert result.downloaded == 1 and (tmp_path / "dst" / "a.txt").read_bytes() == b"a"
    with imagekit.with_options(max_retries=0) as strict:
        local_imagekit.inject("GET", r"^/local/s/a\.txt", status=503, times=1)
        failed = sync.sync(strict, tmp_path / "dst2", "/s", "pull")
    assert failed.downloaded == 0 and len(failed.failed) == 1


def test_downloads_keep_to_the_deadline_and_the_client_endpoint(local_imagekit, imagekit, tmp_path):
    sync.sync(imagekit, tree(tmp_path / "src", {"a.txt": b"a"}), "/s")
    record = next(iter(local_imagekit.store.files.values()))
    record["url"] = "http://127.0.0.2:9/elsewhere/a.txt"  # a listing's url is not where the client fetches from
    local_imagekit.inject("GET", r"^/local/s/a\.txt", delay=3, times=1)
    with imagekit.with_options(deadline=0.5, max_retries=0) as hurried:
        started = time.monotonic()
        late = sync.sync(hurried, tmp_path / "late", "/s", "pull")
    assert time.monotonic() - started < 2.5 and len(late.failed) == 1 and not (tmp_path / "late" / "a.txt").exists()
    assert not list((tmp_path / "late").glob("*ikpart*"))  # nothing half-written is left behind
    assert sync.sync(imagekit, tmp_path / "dst", "/s", "pull").downloaded == 1
    assert (tmp_path / "dst" / "a.txt").read_bytes() == b"a"


SCRIPT = """
import sys
from imagekitio import ImageKit, sync
with ImageKit(api_base_url=sys.argv[3], upload_base_url=sys.argv[3], public_key="public_local_key",
              private_key="private_local_key", url_endpoint=sys.argv[4]) as ik:
    sync.sync(ik, sys.argv[1], sys.argv[2], workers=2)
"""


def test_resume_after_a_kill_resends_at_most_the_files_in_flight(local_imagekit, imagekit, tmp_path):
    count = 40
    src = tree(tmp_path / "src", {f"f{i:03}.txt": f"file {i}".encode() for i in range(count)})
    local_imagekit.inject("POST", UPLOAD_PATH, delay=0.25, times=10 ** 6)  # slow enough to be killed mid-run
    process = subprocess.Popen([sys.executable, "-c", SCRIPT, str(src), "/big", local_imagekit.api_base_url,
                                local_imagekit.url_endpoint], cwd=ROOT,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
    journal = src / JOURNAL_NAME
    deadline = time.monotonic() + 60
    done = 0
    while time.monotonic() < deadline and done < count // 2:
        time.sleep(0.02)
        if journal.exists():
            try:
                with sqlite3.connect(str(journal), timeout=5) as db:
                    done = db.execute("SELECT COUNT(*) FROM files").fetchone()[0]
            except sqlite3.OperationalError:
                continue
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    assert count // 2 <= done < count, "the run was not killed half-way"
    local_imagekit.clear_faults()
    before = len(local_imagekit.store.files)
    local_imagekit.requests.clear()
    plan = sync.plan(imagekit, src, "/big")
    resent = [a for a in plan.actions if a.kind != SKIP]
    assert len(resent) == count - before <= count - done  # nothing journalled or already stored is re-sent
    result = sync.apply(imagekit, plan)
    assert result.uploaded == len(resent) == uploads(local_imagekit)
    assert len(remote_paths(local_imagekit)) == count
    assert all(a.kind == SKIP for a in sync.plan(imagekit, src, "/big").actions)

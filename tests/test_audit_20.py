"""Audit of issue 20 (library-scale work): the requirements the feature tests left implicit."""
import io
import os
import subprocess
import sys
import threading

import pytest

from imagekitio import sync
from imagekitio.sync import DELETE, DOWNLOAD, HASH_FIELD, JOURNAL_NAME, SKIP
from imagekitio.testing.decoding import Blob
from tests.contrib.test_sync import kinds, tree
from tests.fakes import cli_environment

UPLOAD_PATH = "/api/v1/files/upload"
LIST = ("GET", "/v1/files")


def stored(server, folder, count):
    """``count`` files straight into the emulator's store (no request), as another uploader left them."""
    for number in range(count):
        server.store.upload({"file": Blob(data=b"x"), "fileName": f"f{number:05}.txt", "folder": folder,
                             "useUniqueFileName": "false", "_file_is_binary": True})


def paths(server):
    return sorted(r["filePath"] for r in server.store.files.values())


# ---- sync: the hash field, the listing budget, pull without --delete
def test_the_hash_field_is_created_once_per_account(local_imagekit, imagekit, tmp_path):
    src = tree(tmp_path / "src", {"a.txt": b"a"})
    sync.sync(imagekit, src, "/one")
    (src / "a.txt").write_bytes(b"b")
    assert sync.sync(imagekit, src, "/one").replaced == 1
    assert sync.sync(imagekit, tree(tmp_path / "other", {"b.txt": b"b"}), "/two").uploaded == 1
    fields = [f for f in local_imagekit.store.fields.values() if f["name"] == HASH_FIELD and not f["_deleted"]]
    assert len(fields) == 1 and fields[0]["schema"]["type"] == "Text"
    assert sum(1 for entry in local_imagekit.requests if entry == ("POST", "/v1/customMetadataFields")) == 1


def test_listing_takes_one_request_per_1000_remote_files(local_imagekit, imagekit, tmp_path):
    stored(local_imagekit, "/many", 2500)
    local_imagekit.requests.clear()
    plan = sync.plan(imagekit, tmp_path / "dst", "/many", "pull")
    assert len(plan.actions) == 2500 and {a.kind for a in plan.actions} == {DOWNLOAD}
    assert local_imagekit.requests.count(LIST) == 3  # the short last page ends the list
    assert not (tmp_path / "dst").exists()  # planning a pull creates nothing
    # An exact multiple of the page size needs one more (empty) page: the API gives no total, and ten full
    # pages cannot tell 10,000 files from more (README, "Sync a folder").
    stored(local_imagekit, "/exact", 2000)
    local_imagekit.requests.clear()
    assert len(sync.plan(imagekit, tmp_path / "dst", "/exact", "pull").actions) == 2000
    assert local_imagekit.requests.count(LIST) == 3


def test_pull_deletes_local_files_only_with_delete(local_imagekit, imagekit, tmp_path):
    imagekit.upload_file(io.BytesIO(b"r"), "r.txt", {"folder": "/p", "use_unique_file_name": False})
    dst = tree(tmp_path / "dst", {"mine.txt": b"local only"})
    plan = sync.plan(imagekit, dst, "/p", "pull")
    assert kinds(plan)["mine.txt"] == (SKIP, "only at the destination (--delete removes it)")
    result = sync.apply(imagekit, plan)
    assert (result.downloaded, result.deleted, result.skipped) == (1, 0, 1)
    assert (dst / "mine.txt").read_bytes() == b"local only"
    assert kinds(sync.plan(imagekit, dst, "/p", "pull", delete=True))["mine.txt"] == (DELETE, "not in the source")
    assert (dst / "mine.txt").exists()  # a plan alone deletes nothing


# ---- sync: bounded open files, progress, retries
def test_open_files_stay_within_the_workers_and_progress_counts_every_byte(local_imagekit, imagekit, tmp_path,
                                                                           monkeypatch):
    src = tree(tmp_path / "src", {f"f{i:02}.bin": os.urandom(100 + i) for i in range(24)})
    local_imagekit.inject("POST", UPLOAD_PATH, delay=0.02, times=10 ** 6)  # so transfers overlap
    lock, open_now, most = threading.Lock(), [0], [0]

    class Counting(sync.ProgressReader):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            with lock:
                open_now[0] += 1
                most[0] = max(most[0], open_now[0])

        def close(self):
            with lock:
                open_now[0] -= 1
            super().close()

    monkeypatch.setattr(sync, "ProgressReader", Counting)
    events = {"bytes": 0, "done": 0, "failed": 0}

    def progress(event, action, count):
        events[event] += count if event == "bytes" else 1

    plan = sync.plan(imagekit, src, "/bounded")
    result = sync.apply(imagekit, plan, workers=3, progress=progress)
    assert result.uploaded == 24 and open_now[0] == 0
    assert 2 <= most[0] <= 3
    assert events == {"bytes": plan.bytes_to_transfer, "done": 24, "failed": 0}
    assert plan.bytes_to_transfer == sum(100 + i for i in range(24))


def test_uploads_honour_the_transport_retries(local_imagekit, imagekit, tmp_path):
    src = tree(tmp_path / "src", {"a.txt": b"a"})
    local_imagekit.inject("POST", UPLOAD_PATH, status=429, times=1)
    result = sync.sync(imagekit, src, "/retry")
    assert result.uploaded == 1 and result.ok
    assert local_imagekit.requests.count(("POST", UPLOAD_PATH)) == 2
    with imagekit.with_options(max_retries=0) as strict:
        local_imagekit.inject("POST", UPLOAD_PATH, status=429, times=1)
        (src / "b.txt").write_bytes(b"b")
        failed = sync.sync(strict, src, "/retry")
    assert failed.uploaded == 0 and [path for path, _ in failed.failed] == ["b.txt"]


# ---- the command line
@pytest.fixture
def run(local_imagekit, tmp_path):
    pytest.importorskip("click")
    pytest.importorskip("rich")

    def run(*args, stdin=""):
        return subprocess.run([sys.executable, "-m", "imagekitio.cli", *args], capture_output=True, text=True,
                              timeout=60, env=cli_environment(local_imagekit, tmp_path), cwd=tmp_path, input=stdin)
    return run


def test_cli_sync_globs_hidden_files_and_pull_dry_run(run, local_imagekit, imagekit, tmp_path):
    src = tree(tmp_path / "src", {"a.jpg": b"1", "b.png": b"2", "raw/c.jpg": b"3", ".env": b"KEY=1"})
    filtered = run("sync", str(src), "/g", "--push", "--include", "*.jpg", "--exclude", "raw/*")
    assert filtered.returncode == 0, filtered.stderr
    assert paths(local_imagekit) == ["/g/a.jpg"]
    hidden = run("sync", str(src), "/h", "--push", "--include-hidden")
    assert hidden.returncode == 0, hidden.stderr
    assert "/h/.env" in paths(local_imagekit)

    before = paths(local_imagekit)
    dry = run("sync", str(tmp_path / "copy"), "/g", "--pull", "--dry-run")
    assert dry.returncode == 0 and "download a.jpg  (new)" in dry.stdout and "Dry run" in dry.stdout
    assert not (tmp_path / "copy").exists() and paths(local_imagekit) == before
    dst = tree(tmp_path / "dst", {"a.jpg": b"1", "extra.txt": b"x"})
    kept = run("sync", str(dst), "/g", "--pull", "--delete", "--dry-run")
    assert "delete   extra.txt  (not in the source)" in kept.stdout and (dst / "extra.txt").exists()
    assert not (dst / JOURNAL_NAME).exists()


def test_cli_rm_a_single_path_mv_a_glob_and_cp_dry_run(run, local_imagekit, imagekit):
    for path in ("/w/a.jpg", "/w/a.jpg.jpg", "/w/b.jpg", "/w/c.png"):
        imagekit.upload_file(io.BytesIO(b"x"), path.rsplit("/", 1)[1],
                             {"folder": "/w", "use_unique_file_name": False})
    removed = run("rm", "/w/a.jpg", "--yes")
    assert removed.returncode == 0, removed.stderr
    assert paths(local_imagekit) == ["/w/a.jpg.jpg", "/w/b.jpg", "/w/c.png"]  # exactly that path
    copied = run("cp", "/w/*.png", "/c", "--dry-run")
    assert "copy     /w/c.png -> /c/" in copied.stdout and "/c/c.png" not in paths(local_imagekit)
    moved = run("mv", "/w/*.jpg", "/m", "--yes")
    assert moved.returncode == 0, moved.stderr
    assert paths(local_imagekit) == ["/m/a.jpg.jpg", "/m/b.jpg", "/w/c.png"]  # "*" stays within /w


def test_cli_sync_shows_a_progress_bar_on_a_terminal_and_fails_with_exit_1(run, local_imagekit, tmp_path,
                                                                           monkeypatch):
    src = tree(tmp_path / "src", {f"{i}.bin": b"x" * 1000 for i in range(3)})
    monkeypatch.setenv("FORCE_COLOR", "1")  # rich draws the bar as on a terminal
    monkeypatch.setenv("COLUMNS", "120")
    done = run("sync", str(src), "/bar", "--push", "--workers", "2")
    assert done.returncode == 0, done.stderr
    final = done.stderr.replace("\x1b", "").split("\n")
    assert any("3/3 files" in line and "3.0/3.0 kB" in line for line in final), done.stderr
    (src / "0.bin").write_bytes(b"y" * 1000)
    local_imagekit.inject("POST", UPLOAD_PATH, status=400, times=1)
    failed = run("sync", str(src), "/bar", "--push")
    assert failed.returncode == 1 and "failed 1" in failed.stdout and "failed: 0.bin" in failed.stderr

"""``imagekitio sync / download / rm / mv / cp``, run as a subprocess against the local emulator."""
import io
import signal
import subprocess
import sys
import time

import pytest

pytest.importorskip("click")
pytest.importorskip("rich")

from tests.fakes import cli_environment  # noqa: E402

UPLOAD_PATH = "/api/v1/files/upload"


@pytest.fixture
def run(local_imagekit, tmp_path):
    def run(*args, stdin="", timeout=60):
        return subprocess.run([sys.executable, "-m", "imagekitio.cli", *args], capture_output=True, text=True,
                              timeout=timeout, env=cli_environment(local_imagekit, tmp_path), cwd=tmp_path, input=stdin)
    return run


def tree(root, files):
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def paths(server):
    return sorted(r["filePath"] for r in server.store.files.values())


def put(imagekit, path, data=b"x"):
    folder, _, name = path.rpartition("/")
    imagekit.upload_file(io.BytesIO(data), name, {"folder": folder or "/", "use_unique_file_name": False})


def test_sync_push_dry_run_then_push_then_nothing_to_do(run, local_imagekit, tmp_path):
    src = tree(tmp_path / "src", {"a.txt": b"a", "sub/b.txt": b"b", ".env": b"SECRET=1"})
    dry = run("sync", str(src), "/site", "--push", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "upload   a.txt  (new)" in dry.stdout and "upload   sub/b.txt  (new)" in dry.stdout
    assert "Dry run: nothing was changed." in dry.stdout and ".env" not in dry.stdout
    assert local_imagekit.store.files == {}

    done = run("sync", str(src), "/site", "--push", "--workers", "2")
    assert done.returncode == 0, done.stderr
    assert "Done: uploaded 2, replaced 0, downloaded 0, deleted 0, skipped 0, failed 0." in done.stdout
    assert paths(local_imagekit) == ["/site/a.txt", "/site/sub/b.txt"]

    local_imagekit.requests.clear()
    again = run("sync", str(src), "/site", "--push")
    assert "Done: uploaded 0, replaced 0, downloaded 0, deleted 0, skipped 2, failed 0." in again.stdout
    assert not any(path == UPLOAD_PATH for _, path in local_imagekit.requests)


def test_sync_delete_needs_the_flag(run, local_imagekit, imagekit, tmp_path):
    src = tree(tmp_path / "src", {"keep.txt": b"k"})
    put(imagekit, "/site/old.txt")
    kept = run("sync", str(src), "/site", "--push", "-v")
    assert "skip     old.txt  (only at the destination (--delete removes it))" in kept.stdout
    assert "/site/old.txt" in paths(local_imagekit)
    removed = run("sync", str(src), "/site", "--push", "--delete")
    assert "delete   old.txt  (not in the source)" in removed.stdout and "deleted 1" in removed.stdout
    assert paths(local_imagekit) == ["/site/keep.txt"]


def test_sync_pull_round_trip(run, local_imagekit, imagekit, tmp_path):
    put(imagekit, "/lib/a.txt", b"alpha")
    put(imagekit, "/lib/x/y/b.txt", b"beta")
    pulled = run("sync", str(tmp_path / "copy"), "/lib", "--pull")
    assert pulled.returncode == 0, pulled.stderr
    assert "downloaded 2" in pulled.stdout
    assert (tmp_path / "copy" / "x" / "y" / "b.txt").read_bytes() == b"beta"
    pushed = run("sync", str(tmp_path / "copy"), "/lib", "--push")
    # no hash on the remote files (another uploader's), but the journal knows the versions it pulled
    assert "uploaded 0, replaced 0, downloaded 0, deleted 0, skipped 2" in pushed.stdout
    assert "skipped 2" in run("sync", str(tmp_path / "copy"), "/lib", "--pull").stdout


def test_sync_refuses_collisions_and_needs_a_direction(run, local_imagekit, tmp_path):
    src = tree(tmp_path / "src", {"a b.txt": b"1", "a_b.txt": b"2"})
    refused = run("sync", str(src), "/site", "--push")
    assert refused.returncode == 1 and "a_b.txt" in refused.stderr and "nothing was sent" in refused.stderr
    assert local_imagekit.store.files == {}
    no_way = run("sync", str(src), "/site")
    assert no_way.returncode == 2 and "--push" in no_way.stderr


def test_sync_ctrl_c_prints_a_summary_and_a_rerun_resumes(run, local_imagekit, tmp_path):
    src = tree(tmp_path / "src", {f"f{i:02}.txt": str(i).encode() for i in range(30)})
    local_imagekit.inject("POST", UPLOAD_PATH, delay=0.1, times=10 ** 6)
    process = subprocess.Popen([sys.executable, "-m", "imagekitio.cli", "sync", str(src), "/s", "--push",
                                "--workers", "2"], env=cli_environment(local_imagekit, tmp_path), cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while len(local_imagekit.store.files) < 4 and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130, err
    assert "Interrupted: uploaded" in err and "(interrupted)" in err
    local_imagekit.clear_faults()
    before = len(local_imagekit.store.files)
    assert 4 <= before < 30
    resumed = run("sync", str(src), "/s", "--push")
    assert f"uploaded {30 - before}, replaced 0, downloaded 0, deleted 0, skipped {before}" in resumed.stdout


def test_download_by_path_folder_and_glob(run, local_imagekit, imagekit, tmp_path):
    put(imagekit, "/m/a.jpg", b"A")
    put(imagekit, "/m/b.png", b"B")
    put(imagekit, "/m/deep/c.jpg", b"C")
    dry = run("download", "/m/**/*.jpg", "--to", "out", "--dry-run")
    assert "Dry run: 2 file(s)" in dry.stdout and not (tmp_path / "out").exists()
    glob = run("download", "/m/*.jpg", "--to", "glob")
    assert glob.returncode == 0, glob.stderr
    assert sorted(p.name for p in (tmp_path / "glob").rglob("*")) == ["a.jpg"]
    deep = run("download", "/m/**/*.jpg", "--to", "deep")
    assert sorted(p.relative_to(tmp_path / "deep").as_posix() for p in (tmp_path / "deep").rglob("*.jpg")) == \
        ["a.jpg", "deep/c.jpg"]
    assert deep.returncode == 0
    folder = run("download", "/m", "--to", "all")
    assert (tmp_path / "all" / "m" / "deep" / "c.jpg").read_bytes() == b"C"
    assert "Downloaded 3 of 3 files." in folder.stdout
    one = run("download", "/m/b.png", "--to", "one")
    assert one.returncode == 0 and (tmp_path / "one" / "b.png").read_bytes() == b"B"
    assert not list((tmp_path / "one").glob(".*"))  # no journal left behind by a one-off download
    missing = run("download", "/m/nope.jpg")
    assert missing.returncode == 1 and "nothing at /m/nope.jpg" in missing.stderr


def test_rm_asks_unless_yes_and_honours_dry_run(run, local_imagekit, imagekit):
    for path in ("/r/a.jpg", "/r/b.jpg", "/r/c.png", "/gone/x.txt"):
        put(imagekit, path)
    dry = run("rm", "/r/*.jpg", "--dry-run")
    assert "delete   /r/a.jpg" in dry.stdout and "Dry run" in dry.stdout and len(paths(local_imagekit)) == 4
    declined = run("rm", "/r/*.jpg", stdin="n\n")
    assert declined.returncode == 1 and "Delete 2 file(s)" in declined.stderr and len(paths(local_imagekit)) == 4
    silent = run("rm", "/r/*.jpg")  # no answer (a script without --yes): nothing happens
    assert silent.returncode == 1 and len(paths(local_imagekit)) == 4
    accepted = run("rm", "/r/*.jpg", stdin="y\n")
    assert accepted.returncode == 0, accepted.stderr
    assert paths(local_imagekit) == ["/gone/x.txt", "/r/c.png"]
    folder = run("rm", "/gone", "--yes")
    assert "(folder, 1 file(s) in it)" in folder.stdout and paths(local_imagekit) == ["/r/c.png"]


def test_mv_and_cp_files_globs_and_folders(run, local_imagekit, imagekit):
    for path in ("/src/a.jpg", "/src/b.jpg", "/src/sub/c.jpg"):
        put(imagekit, path)
    copied = run("cp", "/src/*.jpg", "/copy")
    assert copied.returncode == 0, copied.stderr
    assert {"/copy/a.jpg", "/copy/b.jpg", "/src/a.jpg"} <= set(paths(local_imagekit))
    dry = run("mv", "/src/a.jpg", "/moved", "--dry-run")
    assert "move     /src/a.jpg -> /moved/" in dry.stdout and "/src/a.jpg" in paths(local_imagekit)
    declined = run("mv", "/src/a.jpg", "/moved")
    assert declined.returncode == 1 and "/src/a.jpg" in paths(local_imagekit)
    moved = run("mv", "/src/a.jpg", "/moved", "--yes")
    assert moved.returncode == 0 and "/moved/a.jpg" in paths(local_imagekit)
    assert "/src/a.jpg" not in paths(local_imagekit)
    folder = run("cp", "/src/sub", "/tree")
    assert folder.returncode == 0, folder.stderr
    assert "/tree/sub/c.jpg" in paths(local_imagekit)
    moved_folder = run("mv", "/tree", "/elsewhere", "--yes")
    assert moved_folder.returncode == 0, moved_folder.stderr
    assert "/elsewhere/tree/sub/c.jpg" in paths(local_imagekit)
    assert not any(p.startswith("/tree/") for p in paths(local_imagekit))

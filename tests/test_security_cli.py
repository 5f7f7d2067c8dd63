"""Issue 16, items 7-11 and 13-16: the command line and the helpers are safe by default.

Each test is named after the item it covers and attacks it the way an unlucky user or a hostile server
would: thousands of files under a low descriptor limit, Ctrl-C mid-upload, secrets beside the site,
a server that ignores ``skip``, a generator of large items, two files with one remote name, names
ImageKit rewrites, tokens minted in one second, and names that look like rich markup.
"""
import base64
import json
import os
import re
import resource
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import CancelledError
from pathlib import Path

import pytest
import requests
import responses

from imagekitio import ImageKit, bulk, localfiles, tokens
from imagekitio.exceptions import ImageKitException
from imagekitio.results import FileResult

from .conftest import API_KEYS
from .fakes import list_item, serve_pages

ROOT = Path(__file__).resolve().parents[1]
GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"


def cli(server, *args, limit_files=None, wait=True, timeout=120):
    """Run ``imagekitio`` against ``server`` in a subprocess (optionally with RLIMIT_NOFILE lowered)."""
    env = {**os.environ, "IMAGEKIT_PUBLIC_KEY": server.public_key, "IMAGEKIT_PRIVATE_KEY": server.private_key,
           "IMAGEKIT_URL_ENDPOINT": server.url_endpoint, "IMAGEKIT_API_BASE_URL": server.api_base_url,
           "IMAGEKIT_UPLOAD_BASE_URL": server.upload_base_url,
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}

    def lower_limit():
        resource.setrlimit(resource.RLIMIT_NOFILE, (limit_files, limit_files))

    process = subprocess.Popen([sys.executable, "-m", "imagekitio.cli", *args], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT,
                               preexec_fn=lower_limit if limit_files else None)
    if not wait:
        return process
    stdout, stderr = process.communicate(timeout=timeout)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def stored_paths(server):
    return sorted(record["filePath"] for record in server.store.files.values())


# ---------------------------------------------------------------------- 7. one open file per running upload
def test_16_7_a_folder_of_1500_files_uploads_under_a_128_descriptor_limit(local_imagekit, tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(1500):
        (folder / f"{i:04}.txt").write_bytes(b"%d" % i)
    done = cli(local_imagekit, "upload", str(folder), "--workers", "8", limit_files=128, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Uploaded 1500 of 1500 files" in done.stdout
    assert len(local_imagekit.store.files) == 1500


def test_16_7_each_file_is_closed_when_its_upload_ends(local_imagekit, tmp_path, monkeypatch):
    from imagekitio import cli as command
    from imagekitio.localfiles import ProgressReader

    opened, closed, most_open = [], [], [0]
    real_init, real_close = ProgressReader.__init__, ProgressReader.close

    def counting_init(self, path, report):
        real_init(self, path, report)
        opened.append(path)
        most_open[0] = max(most_open[0], len(opened) - len(closed))

    def counting_close(self):
        closed.append(self)
        real_close(self)

    monkeypatch.setattr(ProgressReader, "__init__", counting_init)
    monkeypatch.setattr(ProgressReader, "close", counting_close)
    monkeypatch.setattr(command, "_client", local_imagekit.client)
    for i in range(40):
        (tmp_path / f"{i}.txt").write_bytes(b"x")
    with pytest.raises(SystemExit) as ended:
        command.main(["upload", str(tmp_path), "--workers", "3"])
    assert ended.value.code in (0, None)
    assert len(opened) == len(closed) == 40 and most_open[0] <= 3


# ---------------------------------------------------------------------- 8. Ctrl-C keeps track
def test_16_8_ctrl_c_lists_uploaded_failed_and_not_started_and_exits_130(local_imagekit, tmp_path):
    for i in range(30):
        (tmp_path / f"f{i:02}.txt").write_bytes(b"x")
    local_imagekit.inject("POST", "/api/v1/files/upload", delay=0.4, times=1000)
    process = cli(local_imagekit, "upload", str(tmp_path), "--workers", "2", wait=False)
    deadline = time.monotonic() + 60
    while len(local_imagekit.store.files) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "Aborted!" not in stderr and "Traceback" not in stderr
    summary = re.search(r"Interrupted: uploaded (\d+) of 30 files, (\d+) failed, (\d+) not started\.", stdout)
    assert summary, stdout
    uploaded = {Path(line.split(": ", 1)[1]).name for line in stdout.splitlines() if line.startswith("  uploaded: ")}
    not_started = {Path(line.split(": ", 1)[1]).name for line in stdout.splitlines()
                   if line.startswith("  not started: ")}
    assert len(uploaded) == int(summary.group(1)) >= 2 and len(not_started) == int(summary.group(3)) >= 1
    assert uploaded | not_started == {f"f{i:02}.txt" for i in range(30)} and not uploaded & not_started
    assert {Path(p).name for p in stored_paths(local_imagekit)} == uploaded  # exactly what the summary says


def test_16_8_an_interrupt_records_every_item_of_a_sized_input():
    started = threading.Event()

    def upload(file, name, options):
        started.set()
        time.sleep(0.2)
        return name

    def interrupting_progress(done, total):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt) as interrupt:
        bulk.upload_all(upload, [(b"x", str(i)) for i in range(10)], 2, interrupting_progress)
    outcomes = interrupt.value.outcomes
    assert len(outcomes) == 10 and started.is_set()
    assert sum(isinstance(o, CancelledError) for o in outcomes) >= 7 and "0" in outcomes


# ---------------------------------------------------------------------- 9. no secrets published
@pytest.fixture
def site(tmp_path):
    site = tmp_path / "site"
    (site / "css").mkdir(parents=True)
    (site / ".git").mkdir()
    (tmp_path / "home").mkdir()
    (site / "index.html").write_text("<p>hi</p>")
    (site / "css" / "main.css").write_text("p{}")
    (site / ".env").write_text("SECRET=1")
    (site / ".git" / "config").write_text("[remote]")
    (tmp_path / "home" / "id_rsa").write_text("PRIVATE KEY")
    (site / "key").symlink_to(tmp_path / "home" / "id_rsa")           # a file out of the tree
    (site / "home").symlink_to(tmp_path / "home", target_is_directory=True)  # a folder out of the tree
    (site / "style.css").symlink_to(site / "css" / "main.css")        # stays inside: uploaded
    return site


def test_16_9_hidden_files_and_symlinks_leaving_the_folder_are_skipped_and_listed(local_imagekit, site):
    done = cli(local_imagekit, "upload", str(site), "--folder", "/pub")
    assert done.returncode == 0, done.stderr
    assert stored_paths(local_imagekit) == ["/pub/site/css/main.css", "/pub/site/index.html", "/pub/site/style.css"]
    for name, reason in ((".env", "hidden"), (".git", "hidden"), ("key", "symlink leaving the folder"),
                         ("home", "symlink leaving the folder")):
        assert f"skipped: {site / name} ({reason})" in done.stderr
    assert "Skipped 4" in done.stderr


def test_16_9_include_hidden_and_follow_symlinks_opt_in(local_imagekit, site):
    done = cli(local_imagekit, "upload", str(site), "--folder", "/pub", "--include-hidden", "--follow-symlinks")
    assert done.returncode == 0, done.stderr
    assert {"/pub/site/.env", "/pub/site/.git/config", "/pub/site/key", "/pub/site/home/id_rsa"} <= set(
        stored_paths(local_imagekit))


def test_16_9_walk_never_loops_nor_opens_special_files(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "f.txt").write_text("x")
    (tmp_path / "a" / "up").symlink_to(tmp_path, target_is_directory=True)   # a loop inside the tree
    (tmp_path / "gone").symlink_to(tmp_path / "missing")
    os.mkfifo(tmp_path / "pipe")  # opening it would block for ever
    files, skipped = localfiles.walk(tmp_path, follow_symlinks=True)
    assert files == [tmp_path / "a" / "f.txt"]
    assert {(s.path.name, s.reason) for s in skipped} == {
        ("up", localfiles.LOOP), ("gone", localfiles.BROKEN), ("pipe", localfiles.SPECIAL)}


# ---------------------------------------------------------------------- 10. paging trusts nothing
def test_16_10_a_server_ignoring_skip_stops_with_an_imagekit_exception():
    with responses.RequestsMock() as mocked:
        calls = serve_pages(mocked, lambda skip, limit: [list_item(i) for i in range(limit)])  # skip ignored
        seen = []
        with pytest.raises(ImageKitException, match="ignores skip"):
            for item in ImageKit(**API_KEYS).iter_files(page_size=10):
                seen.append(item)
        assert len(seen) == 10 and len(calls) == 2


def test_16_10_a_page_longer_than_asked_is_cut_to_the_limit():
    with responses.RequestsMock() as mocked:
        serve_pages(mocked, lambda skip, limit: [list_item(skip + i) for i in range(limit + 50)])  # limit ignored
        got = [f.file_id for f in ImageKit(**API_KEYS).iter_files({"limit": 25}, page_size=10)]
    assert got == [f"id{i}" for i in range(25)]


@pytest.mark.parametrize("bad", [1, "a.png", None, ["x"]])
def test_16_10_items_that_are_not_objects_are_refused(bad):
    with responses.RequestsMock() as mocked:
        serve_pages(mocked, lambda skip, limit: [list_item(0), bad])
        with pytest.raises(ImageKitException, match="not an object"):
            list(ImageKit(**API_KEYS).iter_files())


def test_16_10_a_page_that_is_not_a_list_is_refused():
    with responses.RequestsMock() as mocked:
        mocked.add(responses.GET, re.compile(r"https://api\.imagekit\.io/v1/files.*"), json={"a": 1})
        with pytest.raises(ImageKitException):
            list(ImageKit(**API_KEYS).iter_folders())


# ---------------------------------------------------------------------- 11. generators stay lazy
def test_16_11_upload_files_pulls_a_generator_a_few_items_ahead(imagekit):
    pulled, most_ahead, totals = [0], [0], []

    def items():
        for i in range(40):
            pulled[0] += 1
            yield GIF, f"{i}.gif"

    def progress(done, total):
        totals.append(total)
        most_ahead[0] = max(most_ahead[0], pulled[0] - done)

    outcomes = imagekit.upload_files(items(), workers=4, progress=progress)
    assert len(outcomes) == 40 and not any(isinstance(o, BaseException) for o in outcomes)
    assert set(totals) == {None} and most_ahead[0] <= 4
    sized = []
    imagekit.upload_files([(GIF, "a.gif"), (GIF, "b.gif")], progress=lambda done, total: sized.append(total))
    assert sized == [2, 2]


MEMORY_CHILD = """
import os, resource
from imagekitio import ImageKit
from imagekitio.testing.sink import UploadSink
with UploadSink() as sink:
    ik = ImageKit(public_key="p", private_key="k", url_endpoint="http://x/y", upload_base_url=sink.base_url)
    ik.upload_file(b"warm up", "w.bin")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    outcomes = ik.upload_files(((os.urandom(1 << 20), "%d.bin" % i) for i in range(300)), workers=8)
    assert not any(isinstance(o, BaseException) for o in outcomes)
    print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024)
"""


def test_16_11_300_generated_1_mib_items_do_not_grow_memory_by_300_mib():
    done = subprocess.run([sys.executable, "-c", MEMORY_CHILD], capture_output=True, text=True, timeout=120,
                          cwd=ROOT, check=True)
    assert float(done.stdout) < 100, done.stdout  # measured: 319 MiB when drained with list(), 13 MiB lazily


# ---------------------------------------------------------------------- 13. one remote name, two files
def test_16_13_two_local_folders_mapping_to_one_remote_path_are_refused_before_sending(local_imagekit, tmp_path):
    for year in ("2023", "2024"):
        (tmp_path / year / "img").mkdir(parents=True)
        (tmp_path / year / "img" / "a.png").write_bytes(GIF)
        (tmp_path / year / "img" / f"only{year}.png").write_bytes(GIF)
    done = cli(local_imagekit, "upload", str(tmp_path / "2023" / "img"), str(tmp_path / "2024" / "img"))
    assert done.returncode == 1 and "nothing was uploaded" in done.stderr
    assert "/img/a.png" in done.stderr and "only2023" not in done.stderr
    assert local_imagekit.store.files == {} and ("POST", "/api/v1/files/upload") not in local_imagekit.requests


def test_16_13_names_imagekit_would_make_equal_collide_and_unique_names_do_not(local_imagekit, tmp_path):
    (tmp_path / "a b.png").write_bytes(GIF)
    (tmp_path / "a_b.png").write_bytes(GIF)
    refused = cli(local_imagekit, "upload", str(tmp_path))
    assert refused.returncode == 1 and local_imagekit.store.files == {}
    assert localfiles.remote_collisions({Path("x"): "/f/a b.png", Path("y"): "/f/a_b.png"}) == {
        "/f/a_b.png": [Path("x"), Path("y")]}
    unique = cli(local_imagekit, "upload", str(tmp_path), "--unique")
    assert unique.returncode == 0 and len(local_imagekit.store.files) == 2


# ---------------------------------------------------------------------- 14. the emulator renames as ImageKit
def test_16_14_the_emulator_applies_imagekits_name_rules(imagekit):
    uploaded = imagekit.upload_file(GIF, "my photo#1?(final).gif", {"folder": "/summer sale/best & new",
                                                                   "use_unique_file_name": False})
    assert uploaded.file_path == "/summer_sale/best___new/my_photo_1__final_.gif"
    assert uploaded.name == "my_photo_1__final_.gif"
    kept = imagekit.upload_file(GIF, "Café-déjà_vu.v2.gif", {"use_unique_file_name": False})
    assert kept.file_path == "/Café-déjà_vu.v2.gif"  # letters of any script, digits, . - _ are kept
    imagekit.rename_file({"file_path": kept.file_path, "new_file_name": "new name!.gif"})
    assert imagekit.get_file_details(kept.file_id).file_path == "/new_name_.gif"
    imagekit.create_folder({"folder_name": "my drafts", "parent_folder_path": "/"})
    assert "/my_drafts" in [f.folder_path for f in imagekit.iter_folders()]


# ---------------------------------------------------------------------- 15. every token is unique
def test_16_15_tokens_for_the_same_fields_in_the_same_second_differ_and_each_is_accepted_once(imagekit,
                                                                                                monkeypatch):
    monkeypatch.setattr(tokens.time, "time", lambda: 1_900_000_000.0)
    first = imagekit.get_upload_token("a.png", {"folder": "/u"})
    second = imagekit.get_upload_token("a.png", {"folder": "/u"})
    assert first != second
    # Only the documented claims: ImageKit wants exactly the signed upload parameters plus iat and exp.
    payloads = [json.loads(base64.urlsafe_b64decode(t.split(".")[1] + "==")) for t in (first, second)]
    assert [sorted(p) for p in payloads] == [["exp", "fileName", "folder", "iat"]] * 2
    assert payloads[0]["exp"] == payloads[1]["exp"] and payloads[1]["iat"] == payloads[0]["iat"] - 1
    monkeypatch.undo()
    fields = {"fileName": "a.png", "folder": "/u"}
    url = imagekit.ik_request.upload_base_url + "/api/v2/files/upload"
    # the emulator checks expiry against the real clock: mint the two for now, again in one second
    now = int(time.time())
    pair = [tokens.mint(imagekit.ik_request.public_key, imagekit.ik_request.private_key, fields, now=now)
            for _ in range(2)]
    for token in pair:
        sent = requests.post(url, data={**fields, "token": token}, files={"file": ("a.png", GIF)}, timeout=10)
        assert sent.status_code == 200, sent.text
    replay = requests.post(url, data={**fields, "token": pair[0]}, files={"file": ("a.png", GIF)}, timeout=10)
    assert replay.status_code == 400 and "used before" in replay.text
    respelled = pair[1] + "="  # the same bytes spelled another way is still the used token
    again = requests.post(url, data={**fields, "token": respelled}, files={"file": ("a.png", GIF)}, timeout=10)
    assert again.status_code == 400


# ---------------------------------------------------------------------- 16. names are text, not markup
def test_16_16_table_cells_are_never_read_as_markup(capsys):
    from imagekitio import cli as command

    item = FileResult.from_api({"type": "file", "name": "[bold]x[/bold]", "filePath": "/docs/[/x]/[bold]x.png",
                                "fileId": "[link=https://evil.example]id[/link]"})
    command._print([item], "table")
    out = capsys.readouterr().out
    assert "/docs/[/x]/[bold]x.png" in out and "[link=https://evil.example]id[/link]" in out
    assert "\x1b" not in out


def test_16_16_ls_shows_a_path_with_closing_tag_literally(local_imagekit):
    with local_imagekit.client() as ik:
        record_id = ik.upload_file(GIF, "a.gif", {"use_unique_file_name": False}).file_id
    # ImageKit would not store such a name, but a listing is server data: it must never drive the output
    local_imagekit.store.files[record_id].update({"filePath": "/[/x][bold]a.gif", "name": "[/x][bold]a.gif"})
    listed = cli(local_imagekit, "ls", "--format", "table")
    assert listed.returncode == 0, listed.stderr
    assert "/[/x][bold]a.gif" in listed.stdout

"""The ``imagekitio`` command, run as a subprocess against the local emulator."""
import csv
import io
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

pytest.importorskip("click")
pytest.importorskip("rich")

from .. import images  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


def run(server, *args, timeout=60):
    env = {**os.environ, "IMAGEKIT_PUBLIC_KEY": server.public_key, "IMAGEKIT_PRIVATE_KEY": server.private_key,
           "IMAGEKIT_URL_ENDPOINT": server.url_endpoint, "IMAGEKIT_API_BASE_URL": server.api_base_url,
           "IMAGEKIT_UPLOAD_BASE_URL": server.upload_base_url,
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    return subprocess.run([sys.executable, "-m", "imagekitio.cli", *args], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=ROOT)


def test_upload_a_folder_tree_then_list_and_search(local_imagekit, tmp_path):
    tree = tmp_path / "shop"
    (tree / "shoes" / "red").mkdir(parents=True)
    (tree / "a.png").write_bytes(images.png(2, 2))
    (tree / "shoes" / "b.png").write_bytes(images.png(3, 3))
    (tree / "shoes" / "red" / "c.png").write_bytes(images.png(4, 4))
    done = run(local_imagekit, "upload", str(tree), "--folder", "/site", "--tags", "summer,sale", "--workers", "3")
    assert done.returncode == 0, done.stderr
    assert "Uploaded 3 of 3 files" in done.stdout
    paths = sorted(r["filePath"] for r in local_imagekit.store.files.values())
    assert paths == ["/site/shop/a.png", "/site/shop/shoes/b.png", "/site/shop/shoes/red/c.png"]
    assert all(r["tags"] == ["summer", "sale"] for r in local_imagekit.store.files.values())

    listed = json.loads(run(local_imagekit, "ls", "--path", "/site", "--format", "json").stdout)
    assert {row["file_path"] for row in listed if row["type"] == "file"} == set(paths)
    rows = list(csv.DictReader(io.StringIO(run(local_imagekit, "search", "name = \"c.png\"", "--format",
                                               "csv").stdout)))
    assert [row["file_path"] for row in rows] == ["/site/shop/shoes/red/c.png"]
    table = run(local_imagekit, "ls", "--path", "/site/shop/shoes", "--format", "table")
    assert table.returncode == 0 and "b.png" in table.stdout


def test_a_terminal_shows_files_bytes_rate_and_eta(local_imagekit, tmp_path, monkeypatch):
    for i in range(3):
        (tmp_path / f"{i}.bin").write_bytes(b"x" * 1000)
    monkeypatch.setenv("FORCE_COLOR", "1")  # rich draws the bar as on a terminal
    monkeypatch.setenv("COLUMNS", "120")
    done = run(local_imagekit, "upload", str(tmp_path), "--workers", "2")
    assert done.returncode == 0, done.stderr
    final = done.stderr.replace("\x1b", "").split("\n")
    assert any("3/3 files" in line and "3.0/3.0 kB" in line and "0:00:00" in line for line in final), done.stderr
    assert any("/s" in line or "?" in line for line in final)


def test_failures_are_summarised_with_a_non_zero_exit(local_imagekit, tmp_path):
    (tmp_path / "ok.png").write_bytes(images.png(1, 1))
    (tmp_path / "bad.png").write_bytes(images.png(1, 1))
    local_imagekit.inject("POST", "/api/v1/files/upload", status=400, times=1)
    done = run(local_imagekit, "upload", str(tmp_path / "bad.png"), str(tmp_path / "ok.png"), "--workers", "1")
    assert done.returncode == 1
    assert "Uploaded 1 of 2 files" in done.stdout and "failed:" in done.stderr and "bad.png" in done.stderr


def test_url_and_purge(local_imagekit):
    url = run(local_imagekit, "url", "/a.jpg", "--width", "300", "--signed", "--expire", "600").stdout.strip()
    assert url.startswith(local_imagekit.url_endpoint + "/tr:w-300/a.jpg?ik-t=") and "ik-s=" in url
    purged = run(local_imagekit, "purge", local_imagekit.url_endpoint + "/a.jpg")
    assert purged.returncode == 0 and purged.stdout.strip()


def test_errors_are_one_line_unless_debug(local_imagekit):
    missing = run(local_imagekit, "upload", "/no/such/file.png")
    assert missing.returncode != 0 and "Traceback" not in missing.stderr
    assert "no such file or folder" in missing.stderr and len(missing.stderr.strip().splitlines()) == 1
    local_imagekit.inject("POST", "/v1/files/purge", status=403, times=2)
    refused = run(local_imagekit, "purge", "https://x/y.jpg")
    assert refused.returncode == 1 and refused.stderr.strip().splitlines() == [
        "Error: ForbiddenException: Injected fault: 403"]
    debugged = run(local_imagekit, "--debug", "purge", "https://x/y.jpg")
    assert "Traceback" in debugged.stderr


def test_emulator_command_serves(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-m", "imagekitio.cli", "emulator", "--port", str(port)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    try:
        for _ in range(100):
            try:
                if requests.get(f"http://127.0.0.1:{port}/_emulator/health", timeout=1).ok:
                    break
            except requests.ConnectionError:
                time.sleep(0.05)
        assert requests.get(f"http://127.0.0.1:{port}/_emulator/health", timeout=1).json()["status"] == "ok"
    finally:
        process.terminate()
        process.wait(timeout=10)

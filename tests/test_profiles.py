"""Profiles: owner-only files, the environment winning, ``--profile`` on every command, hidden private key."""
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from imagekitio import profiles

ROOT = Path(__file__).resolve().parents[1]
KEYS = ("IMAGEKIT_PUBLIC_KEY", "IMAGEKIT_PRIVATE_KEY", "IMAGEKIT_URL_ENDPOINT", "IMAGEKIT_API_BASE_URL",
        "IMAGEKIT_UPLOAD_BASE_URL", "IMAGEKIT_PROFILE")
SECRET_KEY = "private_super_secret_value"


@pytest.fixture
def config_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cfg" / "imagekitio"
    monkeypatch.setenv("IMAGEKIT_CONFIG_DIR", str(folder))
    for key in KEYS:
        monkeypatch.delenv(key, raising=False)
    return folder


def cli(*args, env=None, stdin=""):
    base = {k: v for k, v in os.environ.items() if k not in KEYS}
    return subprocess.run([sys.executable, "-m", "imagekitio.cli", *args], capture_output=True, text=True,
                          timeout=60, input=stdin, cwd=ROOT,
                          env={**base, "PYTHONPATH": str(ROOT), **(env or {})})


def test_profiles_are_written_owner_only(config_dir):
    written = profiles.save("shop", {"public_key": "pub", "private_key": SECRET_KEY, "url_endpoint": "https://e"})
    assert written == config_dir / "profiles.json"
    assert stat.S_IMODE(os.stat(config_dir).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(written).st_mode) == 0o600
    os.chmod(config_dir, 0o755)  # noqa: S103 - a folder made lax by hand is tightened on the next write
    profiles.save("other", {"public_key": "p2", "private_key": "k2", "url_endpoint": "https://f"})
    assert stat.S_IMODE(os.stat(config_dir).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(written).st_mode) == 0o600
    assert profiles.names() == ["other", "shop"] and profiles.default_name() == "shop"
    assert not [p for p in config_dir.iterdir() if p.name != "profiles.json"]  # no temporary file left


def test_the_environment_wins_over_a_profile(config_dir, monkeypatch):
    profiles.save("shop", {"public_key": "pub", "private_key": "priv", "url_endpoint": "https://profile"})
    monkeypatch.setenv("IMAGEKIT_URL_ENDPOINT", "https://from-env")
    options = profiles.client_options("shop")
    assert options == {"public_key": "pub", "private_key": "priv", "url_endpoint": "https://from-env"}
    with pytest.raises(profiles.ProfileError, match="no profile named 'nope'"):
        profiles.client_options("nope")


def test_config_set_show_list_use_remove(config_dir):
    saved = cli("config", "set", "shop", "--public-key", "pub", "--url-endpoint", "https://ik.example/shop",
                stdin=SECRET_KEY + "\n", env={"IMAGEKIT_CONFIG_DIR": str(config_dir)})
    assert saved.returncode == 0, saved.stderr
    assert SECRET_KEY not in saved.stdout + saved.stderr  # the prompt hides what is typed
    assert json.loads((config_dir / "profiles.json").read_text())["profiles"]["shop"]["private_key"] == SECRET_KEY
    env = {"IMAGEKIT_CONFIG_DIR": str(config_dir)}
    for shown in (cli("config", "show", "shop", env=env), cli("config", "show", env=env),
                  cli("config", "show", "--format", "json", env=env)):
        assert shown.returncode == 0, shown.stderr
        assert SECRET_KEY not in shown.stdout + shown.stderr and "<set>" in shown.stdout
        assert "https://ik.example/shop" in shown.stdout
    cli("config", "set", "b", "--public-key", "p", "--private-key", "k", "--url-endpoint", "https://b", env=env)
    assert cli("config", "list", env=env).stdout.split("\n")[:2] == ["  b", "* shop"]
    assert cli("config", "use", "b", env=env).returncode == 0
    assert "* b" in cli("config", "list", env=env).stdout
    assert cli("config", "remove", "b", env=env).returncode == 0
    assert "b" not in cli("config", "list", env=env).stdout.split()


def test_profile_option_on_every_command(config_dir, local_imagekit, imagekit):
    import io
    imagekit.upload_file(io.BytesIO(b"x"), "p.txt", {"folder": "/prof", "use_unique_file_name": False})
    profiles.save("emu", {"public_key": local_imagekit.public_key, "private_key": local_imagekit.private_key,
                          "url_endpoint": local_imagekit.url_endpoint,
                          "api_base_url": local_imagekit.api_base_url,
                          "upload_base_url": local_imagekit.upload_base_url})
    profiles.save("broken", {"public_key": "x", "private_key": "wrong", "url_endpoint": "http://127.0.0.1:9/x",
                             "api_base_url": "http://127.0.0.1:9", "upload_base_url": "http://127.0.0.1:9"},
                  make_default=True)
    env = {"IMAGEKIT_CONFIG_DIR": str(config_dir)}
    for args in (("--profile", "emu", "ls", "--path", "/prof", "--format", "json"),
                 ("ls", "--path", "/prof", "--format", "json", "--profile", "emu")):
        listed = cli(*args, env=env)
        assert listed.returncode == 0, listed.stderr
        assert "/prof/p.txt" in listed.stdout
    by_env = cli("ls", "--path", "/prof", "--format", "json", env={**env, "IMAGEKIT_PROFILE": "emu"})
    assert "/prof/p.txt" in by_env.stdout
    default = cli("ls", "--path", "/prof", env=env)  # the default profile points nowhere
    assert default.returncode == 1
    # the environment wins: the default profile's bad endpoint is overridden
    fixed = cli("ls", "--path", "/prof", "--format", "json", env={
        **env, "IMAGEKIT_PUBLIC_KEY": local_imagekit.public_key, "IMAGEKIT_PRIVATE_KEY": local_imagekit.private_key,
        "IMAGEKIT_URL_ENDPOINT": local_imagekit.url_endpoint, "IMAGEKIT_API_BASE_URL": local_imagekit.api_base_url,
        "IMAGEKIT_UPLOAD_BASE_URL": local_imagekit.upload_base_url})
    assert fixed.returncode == 0 and "/prof/p.txt" in fixed.stdout
    for command in ("upload", "sync", "download", "rm", "mv", "cp", "search", "url", "purge"):
        assert "--profile" in cli(command, "--help", env=env).stdout, command
    unknown = cli("--profile", "nope", "ls", env=env)
    assert unknown.returncode == 2 and "no profile named 'nope'" in unknown.stderr

"""Named sets of keys (profiles) for the command line and scripts, kept in the user's config directory.

    imagekitio config set shop --public-key public_... --url-endpoint https://ik.imagekit.io/shop
    imagekitio --profile shop ls          # or: imagekitio ls --profile shop, or IMAGEKIT_PROFILE=shop

The file is ``profiles.json`` in ``$IMAGEKIT_CONFIG_DIR``, else the platform's config directory
(``$XDG_CONFIG_HOME/imagekitio`` or ``~/.config/imagekitio`` on Linux, ``~/Library/Application Support/imagekitio``
on macOS, ``%APPDATA%\\imagekitio`` on Windows). The folder is made owner-only (0700) and the file is
written owner-only (0600) through a temporary file and a rename, so a reader never sees half a file and the
private key is never readable by others, not even for a moment. Environment variables win over a profile:
a profile only fills in what the environment leaves unset.
"""
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any, Dict, List, MutableMapping, Optional

FILE_NAME = "profiles.json"
#: profile key -> the environment variable that wins over it (and that the client reads).
ENVIRONMENT = {"public_key": "IMAGEKIT_PUBLIC_KEY", "private_key": "IMAGEKIT_PRIVATE_KEY",
               "url_endpoint": "IMAGEKIT_URL_ENDPOINT", "api_base_url": "IMAGEKIT_API_BASE_URL",
               "upload_base_url": "IMAGEKIT_UPLOAD_BASE_URL"}
SECRET = "private_key"  # noqa: S105 - the name of the key, not a key


class ProfileError(ValueError):
    """A profile that does not exist, or a profiles file that cannot be read."""


def config_dir() -> Path:
    """Where profiles live (see the module docstring); ``IMAGEKIT_CONFIG_DIR`` overrides it."""
    override = os.environ.get("IMAGEKIT_CONFIG_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming") / "imagekitio"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "imagekitio"
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "imagekitio"


def _path() -> Path:
    return config_dir() / FILE_NAME


def _read() -> Dict[str, Any]:
    path = _path()
    if not path.exists():
        return {"default": None, "profiles": {}}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ProfileError(f"cannot read {path}: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("profiles"), dict):
        raise ProfileError(f"{path} is not a profiles file")
    return data


def _write(data: Dict[str, Any]) -> Path:
    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(folder, 0o700)  # mkdir's mode is filtered by the umask, and an existing folder keeps its own
    handle, temporary = tempfile.mkstemp(prefix=".profiles-", dir=folder)  # created 0600
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, indent=2, sort_keys=True)
        os.chmod(temporary, 0o600)
        os.replace(temporary, folder / FILE_NAME)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    return folder / FILE_NAME


def names() -> List[str]:
    return sorted(_read()["profiles"])


def default_name() -> Optional[str]:
    name = _read().get("default")
    return name if isinstance(name, str) else None


def load(name: str) -> Dict[str, str]:
    """The saved values of profile ``name`` (private key included: do not print it)."""
    profile = _named(_read(), name)
    return {key: str(value) for key, value in profile.items() if key in ENVIRONMENT and value}


def _named(data: Dict[str, Any], name: str) -> Dict[str, Any]:
    profiles = data["profiles"]
    if name not in profiles:
        raise ProfileError(f"no profile named {name!r} (saved: {', '.join(sorted(profiles)) or 'none'})")
    return dict(profiles[name])


def save(name: str, values: Dict[str, Optional[str]], make_default: bool = False) -> Path:
    """Create or update profile ``name`` with the given (non-empty) values; returns the file written."""
    if not name or not name.replace("-", "").replace("_", "").replace(".", "").isalnum():
        raise ProfileError("a profile name is letters, digits, '-', '_' and '.'")
    unknown = set(values) - set(ENVIRONMENT)
    if unknown:
        raise ProfileError(f"unknown profile keys: {', '.join(sorted(unknown))}")
    data = _read()
    profile = dict(data["profiles"].get(name) or {})
    profile.update({key: value for key, value in values.items() if value})
    data["profiles"][name] = profile
    if make_default or not data.get("default"):
        data["default"] = name
    return _write(data)


def remove(name: str) -> Path:
    data = _read()
    _named(data, name)
    del data["profiles"][name]
    if data.get("default") == name:
        data["default"] = None
    return _write(data)


def set_default(name: str) -> Path:
    data = _read()
    _named(data, name)
    data["default"] = name
    return _write(data)


def shown(values: Dict[str, str]) -> Dict[str, str]:
    """``values`` safe to print: the private key reduced to whether it is set."""
    return {key: ("<set>" if key == SECRET else value) for key, value in values.items()}


def activate(name: Optional[str], environ: Optional[MutableMapping[str, str]] = None) -> Optional[str]:
    """Fill in the environment from profile ``name`` (or ``IMAGEKIT_PROFILE``, or the default profile) for
    every variable not already set, so the environment wins. Returns the profile used, if any. Naming a
    profile that does not exist is an error; having none saved is not."""
    env = os.environ if environ is None else environ
    chosen = name or env.get("IMAGEKIT_PROFILE") or None
    if chosen is None:
        if not _path().exists():
            return None
        chosen = default_name()
        if chosen is None:
            return None
    for key, value in load(chosen).items():
        env.setdefault(ENVIRONMENT[key], value)
    return chosen


def client_options(name: Optional[str] = None) -> Dict[str, str]:
    """Keyword arguments for :class:`imagekitio.ImageKit` from a profile, environment variables winning::

        ImageKit(**profiles.client_options("shop"))
    """
    env: Dict[str, str] = {}
    activate(name or os.environ.get("IMAGEKIT_PROFILE"), env)
    values = {key: os.environ.get(variable) or env.get(variable, "") for key, variable in ENVIRONMENT.items()}
    return {key: value for key, value in values.items() if value}


__all__ = ["ENVIRONMENT", "ProfileError", "activate", "client_options", "config_dir", "default_name", "load",
           "names", "remove", "save", "set_default", "shown"]

"""Helpers of the 4.x surface: key formatting, HMAC/pHash calculations, response reading."""
import importlib
from typing import Any

_SUBMODULES = ("calculation", "formatter", "utils")


def __getattr__(name: str) -> Any:
    # `imagekitio.utils.utils` and friends, as 4.x exposed them, without an import cycle at start-up.
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

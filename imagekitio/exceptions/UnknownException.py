"""4.x import path: re-exports only (the names 4.x made importable here)."""
from imagekitio.exceptions import UnknownException  # noqa: F401
from imagekitio.results import ResponseMetadata  # noqa: F401

__all__ = ["ResponseMetadata", "UnknownException"]

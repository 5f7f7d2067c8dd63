"""4.x import path: re-exports only (the names 4.x made importable here)."""
from imagekitio.results import ResponseMetadata, TagsResult  # noqa: F401

__all__ = ["ResponseMetadata", "TagsResult"]

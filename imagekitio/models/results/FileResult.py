"""4.x import path: re-exports only (the names 4.x made importable here)."""
from imagekitio.results import AITags, FileResult, VersionInfo  # noqa: F401
from imagekitio.utils.formatter import camel_dict_to_snake_dict  # noqa: F401

__all__ = ["AITags", "FileResult", "VersionInfo", "camel_dict_to_snake_dict"]

"""4.x import path: re-exports only (the names 4.x made importable here)."""
from imagekitio.results import (  # noqa: F401
    AITags, FileResult, FileResultWithResponseMetadata, ResponseMetadata, VersionInfo,
)

__all__ = ["AITags", "FileResult", "FileResultWithResponseMetadata", "ResponseMetadata", "VersionInfo"]

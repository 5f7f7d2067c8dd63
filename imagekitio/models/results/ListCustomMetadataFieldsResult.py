"""4.x import path: re-exports only (the names 4.x made importable here)."""
from imagekitio.results import (  # noqa: F401
    CustomMetadataFieldsResult, ListCustomMetadataFieldsResult, ResponseMetadata,
)

__all__ = ["CustomMetadataFieldsResult", "ListCustomMetadataFieldsResult", "ResponseMetadata"]

"""4.x import path: re-exports only (the names 4.x made importable here)."""
from imagekitio.options import (  # noqa: F401
    CreateCustomMetadataFieldsRequestOptions, CustomMetadataFieldsSchema,
)

__all__ = ["CreateCustomMetadataFieldsRequestOptions", "CustomMetadataFieldsSchema"]

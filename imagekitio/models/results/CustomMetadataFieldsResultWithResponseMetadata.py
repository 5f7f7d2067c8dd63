"""4.x import path: re-exports only (the names 4.x made importable here)."""
from imagekitio.results import (  # noqa: F401
    CustomMetadataFieldsResult, CustomMetadataFieldsResultWithResponseMetadata,
    CustomMetadataSchema, ResponseMetadata,
)

__all__ = [
    "CustomMetadataFieldsResult", "CustomMetadataFieldsResultWithResponseMetadata", "CustomMetadataSchema",
    "ResponseMetadata",
]

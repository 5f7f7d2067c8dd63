"""4.x import path: re-exports only (the names 4.x made importable here)."""
from imagekitio.options import CustomMetaDataTypeEnum  # noqa: F401

__all__ = ["CustomMetaDataTypeEnum"]

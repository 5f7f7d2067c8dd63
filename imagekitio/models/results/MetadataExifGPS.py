"""4.x import path: re-exports only (the names 4.x made importable here)."""
from imagekitio.results import MetadataExifGPS  # noqa: F401

__all__ = ["MetadataExifGPS"]

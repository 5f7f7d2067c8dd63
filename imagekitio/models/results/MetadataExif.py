"""4.x import path: re-exports only (the names 4.x made importable here)."""
from imagekitio.results import (  # noqa: F401
    MetadataExif, MetadataExifExif, MetadataExifGPS, MetadataExifImage,
    MetadataExifInteroperability, MetadataExifThumbnail,
)
from imagekitio.utils.formatter import camel_dict_to_snake_dict  # noqa: F401

__all__ = [
    "MetadataExif", "MetadataExifExif", "MetadataExifGPS", "MetadataExifImage",
    "MetadataExifInteroperability", "MetadataExifThumbnail", "camel_dict_to_snake_dict",
]

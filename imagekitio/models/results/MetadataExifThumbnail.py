from imagekitio.results import MetadataExifThumbnail  # noqa: F401  (4.x import path)

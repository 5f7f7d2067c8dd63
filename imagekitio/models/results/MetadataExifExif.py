from imagekitio.results import MetadataExifExif  # noqa: F401  (4.x import path)

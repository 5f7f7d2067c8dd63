from imagekitio.results import MetadataExif  # noqa: F401  (4.x import path)

from imagekitio.results import MetadataExifGPS  # noqa: F401  (4.x import path)

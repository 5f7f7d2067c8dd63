from imagekitio.results import MetadataExifImage  # noqa: F401  (4.x import path)

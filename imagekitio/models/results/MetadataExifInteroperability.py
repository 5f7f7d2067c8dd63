from imagekitio.results import MetadataExifInteroperability  # noqa: F401  (4.x import path)

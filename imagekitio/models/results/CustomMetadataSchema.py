from imagekitio.results import CustomMetadataSchema  # noqa: F401  (4.x import path)

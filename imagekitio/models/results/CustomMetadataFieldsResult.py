from imagekitio.results import CustomMetadataFieldsResult  # noqa: F401  (4.x import path)

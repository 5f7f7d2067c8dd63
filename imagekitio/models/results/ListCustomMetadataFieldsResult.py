from imagekitio.results import ListCustomMetadataFieldsResult  # noqa: F401  (4.x import path)

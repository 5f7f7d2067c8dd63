from imagekitio.options import CustomMetadataFieldsSchema  # noqa: F401  (4.x import path)

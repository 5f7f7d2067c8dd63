from imagekitio.options import CreateCustomMetadataFieldsRequestOptions  # noqa: F401  (4.x import path)

from imagekitio.options import UpdateCustomMetadataFieldsRequestOptions  # noqa: F401  (4.x import path)

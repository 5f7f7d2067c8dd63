from imagekitio.results import CustomMetadataFieldsResultWithResponseMetadata  # noqa: F401  (4.x import path)

from imagekitio.results import ResponseMetadataResult  # noqa: F401  (4.x import path)

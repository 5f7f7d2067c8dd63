from imagekitio.results import GetMetadataResult  # noqa: F401  (4.x import path)

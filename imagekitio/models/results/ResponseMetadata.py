from imagekitio.results import ResponseMetadata  # noqa: F401  (4.x import path)

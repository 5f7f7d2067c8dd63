from imagekitio.results import FileResultWithResponseMetadata  # noqa: F401  (4.x import path)

from imagekitio.results import EmbeddedMetadata  # noqa: F401  (4.x import path)

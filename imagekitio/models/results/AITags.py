from imagekitio.results import AITags  # noqa: F401  (4.x import path)

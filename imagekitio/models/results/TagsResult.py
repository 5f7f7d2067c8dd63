from imagekitio.results import TagsResult  # noqa: F401  (4.x import path)

from imagekitio.results import PurgeCacheStatusResult  # noqa: F401  (4.x import path)

from imagekitio.results import PurgeCacheResult  # noqa: F401  (4.x import path)

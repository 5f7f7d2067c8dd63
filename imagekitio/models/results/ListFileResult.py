from imagekitio.results import ListFileResult  # noqa: F401  (4.x import path)

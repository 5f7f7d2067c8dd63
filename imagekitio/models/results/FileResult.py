from imagekitio.results import FileResult  # noqa: F401  (4.x import path)

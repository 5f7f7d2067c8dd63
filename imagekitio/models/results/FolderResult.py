from imagekitio.results import FolderResult  # noqa: F401  (4.x import path)

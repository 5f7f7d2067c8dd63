from imagekitio.results import RenameFileResult  # noqa: F401  (4.x import path)

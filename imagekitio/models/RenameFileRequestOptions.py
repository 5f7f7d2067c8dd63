from imagekitio.options import RenameFileRequestOptions  # noqa: F401  (4.x import path)

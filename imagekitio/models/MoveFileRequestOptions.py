from imagekitio.options import MoveFileRequestOptions  # noqa: F401  (4.x import path)

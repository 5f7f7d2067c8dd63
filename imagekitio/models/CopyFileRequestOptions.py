from imagekitio.options import CopyFileRequestOptions  # noqa: F401  (4.x import path)

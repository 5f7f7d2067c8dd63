from imagekitio.options import UpdateFileRequestOptions  # noqa: F401  (4.x import path)

from imagekitio.options import ListAndSearchFileRequestOptions  # noqa: F401  (4.x import path)

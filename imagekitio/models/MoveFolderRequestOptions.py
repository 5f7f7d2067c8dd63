from imagekitio.options import MoveFolderRequestOptions  # noqa: F401  (4.x import path)

from imagekitio.options import CreateFolderRequestOptions  # noqa: F401  (4.x import path)

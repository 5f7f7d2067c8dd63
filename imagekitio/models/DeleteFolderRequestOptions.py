from imagekitio.options import DeleteFolderRequestOptions  # noqa: F401  (4.x import path)

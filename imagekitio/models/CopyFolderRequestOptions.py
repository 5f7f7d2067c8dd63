from imagekitio.options import CopyFolderRequestOptions  # noqa: F401  (4.x import path)

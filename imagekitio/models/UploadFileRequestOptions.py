from imagekitio.options import UploadFileRequestOptions  # noqa: F401  (4.x import path)

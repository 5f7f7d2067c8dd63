from imagekitio.results import UploadFileResult  # noqa: F401  (4.x import path)

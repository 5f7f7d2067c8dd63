from imagekitio.results import BulkDeleteFileResult  # noqa: F401  (4.x import path)

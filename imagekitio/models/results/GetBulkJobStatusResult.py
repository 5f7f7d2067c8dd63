from imagekitio.results import GetBulkJobStatusResult  # noqa: F401  (4.x import path)

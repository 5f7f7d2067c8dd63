from imagekitio.exceptions import ConflictException  # noqa: F401  (4.x import path)

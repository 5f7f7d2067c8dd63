from imagekitio.exceptions import ForbiddenException  # noqa: F401  (4.x import path)

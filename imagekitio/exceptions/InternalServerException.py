from imagekitio.exceptions import InternalServerException  # noqa: F401  (4.x import path)

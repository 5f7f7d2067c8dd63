from imagekitio.exceptions import BadRequestException  # noqa: F401  (4.x import path)

from imagekitio.exceptions import UnauthorizedException  # noqa: F401  (4.x import path)

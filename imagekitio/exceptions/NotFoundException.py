from imagekitio.exceptions import NotFoundException  # noqa: F401  (4.x import path)

from imagekitio.exceptions import UnknownException  # noqa: F401  (4.x import path)

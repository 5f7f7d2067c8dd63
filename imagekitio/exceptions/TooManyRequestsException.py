from imagekitio.exceptions import TooManyRequestsException  # noqa: F401  (4.x import path)

from imagekitio.exceptions import PartialSuccessException  # noqa: F401  (4.x import path)

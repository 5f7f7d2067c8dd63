"""Constants of the imagekitio 4.x surface (URLs, defaults, error messages, transformation codes)."""
from . import defaults, errors, files, supported_transform, url  # noqa: F401,E402  (4.x package attributes)

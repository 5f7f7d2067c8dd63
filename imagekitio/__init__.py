"""ImageKit.io SDK for Python: a faithful, drop-in implementation of the imagekitio 4.x API."""
from ._version import __version__
from .client import ImageKit
# 4.x made its submodules attributes of the package (`imagekitio.models.results...` after `import imagekitio`).
from . import client, constants, exceptions, file, models, resource, url, utils  # noqa: F401,E402

__all__ = ["ImageKit", "__version__"]

"""ImageKit.io SDK for Python: a faithful, drop-in implementation of the imagekitio 4.x API."""
from ._version import __version__
from .client import ImageKit

__all__ = ["ImageKit", "__version__"]

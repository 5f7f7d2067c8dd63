"""ImageKit.io SDK for Python: a faithful, drop-in implementation of the imagekitio 4.x API."""
from typing import TYPE_CHECKING

from ._version import __version__
from .client import ImageKit
# 4.x made its submodules attributes of the package (`imagekitio.models.results...` after `import imagekitio`).
from . import client, constants, exceptions, file, models, resource, url, utils  # noqa: F401,E402

Client = ImageKit  # the 5.x name of the same class

if TYPE_CHECKING:  # what `__getattr__` below loads on first use, spelled out for type checkers
    from . import types as types
    from ._v5.engine import NOT_GIVEN as NOT_GIVEN
    from ._v5.engine import APIResponse as APIResponse
    from ._v5.engine import NotGiven as NotGiven
    from ._v5.engine import Omit as Omit
    from ._v5.engine import not_given as not_given
    from ._v5.engine import omit as omit
    from ._v5.errors import APIConnectionError as APIConnectionError
    from ._v5.errors import APIError as APIError
    from ._v5.errors import APIResponseValidationError as APIResponseValidationError
    from ._v5.errors import APIStatusError as APIStatusError
    from ._v5.errors import APITimeoutError as APITimeoutError
    from ._v5.errors import APIWebhookValidationError as APIWebhookValidationError
    from ._v5.errors import AuthenticationError as AuthenticationError
    from ._v5.errors import BadRequestError as BadRequestError
    from ._v5.errors import ConflictError as ConflictError
    from ._v5.errors import ImageKitError as ImageKitError
    from ._v5.errors import InternalServerError as InternalServerError
    from ._v5.errors import NotFoundError as NotFoundError
    from ._v5.errors import PermissionDeniedError as PermissionDeniedError
    from ._v5.errors import RateLimitError as RateLimitError
    from ._v5.errors import UnprocessableEntityError as UnprocessableEntityError
    from ._v5.model import BaseModel as BaseModel

# The 5.x names (exceptions, sentinels, defaults), loaded on first use so that `import imagekitio` stays lean.
_V5_NAMES = {
    **{name: "imagekitio._v5.errors" for name in (
        "ImageKitError", "APIError", "APIStatusError", "APITimeoutError", "APIConnectionError",
        "APIResponseValidationError", "APIWebhookValidationError", "BadRequestError", "AuthenticationError",
        "PermissionDeniedError", "NotFoundError", "ConflictError", "UnprocessableEntityError", "RateLimitError",
        "InternalServerError")},
    **{name: "imagekitio._v5.engine" for name in ("NotGiven", "NOT_GIVEN", "not_given", "Omit", "omit",
                                                  "APIResponse")},
    "BaseModel": "imagekitio._v5.model",
    "types": "imagekitio.types",
}
DEFAULT_MAX_RETRIES = 2
DEFAULT_TIMEOUT = (5.0, 60.0)  # (connect, read) seconds, as the constructor's default


def __getattr__(name: str) -> object:
    module = _V5_NAMES.get(name)
    if module is None:
        raise AttributeError(f"module 'imagekitio' has no attribute {name!r}")
    import importlib
    loaded = importlib.import_module(module)
    value = loaded if name == "types" else getattr(loaded, name)
    globals()[name] = value
    return value


def __dir__() -> list:  # type: ignore[type-arg]
    return sorted(set(globals()) | set(_V5_NAMES))


__all__ = ["ImageKit", "__version__"]

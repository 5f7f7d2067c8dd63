"""Every exception the SDK raises, in one place.

    Exception
    └── ImageKitException                message, response_help, response_metadata; str(e) is the message
        ├── BadRequestException          400
        ├── UnauthorizedException        401
        ├── ForbiddenException           403
        ├── NotFoundException            404 (per endpoint, as 4.x maps it)
        ├── ConflictException            409
        ├── TooManyRequestsException     429
        ├── InternalServerException      500, 502, 503, 504
        ├── PartialSuccessException      207 (bulk calls)
        ├── UnknownException             any other status, or a response the SDK cannot read
        ├── ImageKitTimeoutError         also requests.exceptions.Timeout: a timeout or the call's deadline
        ├── ImageKitConnectionError      also requests.exceptions.ConnectionError: refused, reset, TLS failure
        ├── ClientClosedError            also RuntimeError: a call on a closed client
        └── WebhookVerificationError     also ValueError: a webhook that fails verification (``reason``)

Arguments the SDK refuses before sending raise the built-in ``TypeError`` / ``ValueError``; a malformed
base URL raises requests' own ``InvalidURL`` / ``MissingSchema`` (also ``ValueError``).
The nine 4.x classes also live at ``imagekitio.exceptions.<Name>.<Name>`` and report that module.
"""
from typing import Any, Dict, Optional, Tuple, Type

import requests

from ..results import ResponseMetadata


def _rebuild(cls: Type["ImageKitException"], args: Tuple[Any, ...], state: Dict[str, Any]) -> "ImageKitException":
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class ImageKitException(Exception):  # noqa: N818 - the 4.x name
    """Base of every error the ImageKit API answers with.

    ``args`` is ``(message, response_help, response_metadata)``, as in 4.x (``e.args[1]`` is the help text).
    """

    def __init__(self, message: Any = None, response_help: Any = None,
                 response_metadata: Optional[ResponseMetadata] = None) -> None:
        # Only the message reaches the bases' __init__: requests' errors are OSErrors, which would read
        # a second and third argument as errno and strerror.
        super().__init__(message)
        self.args = (message, response_help, response_metadata)
        self.message = message
        self.response_help = response_help
        self.response_metadata = response_metadata

    def __str__(self) -> str:
        return "" if self.message is None else str(self.message)

    def __reduce__(self) -> Any:
        # Rebuilt without calling __init__, so subclasses with other signatures pickle whole too.
        return _rebuild, (type(self), self.args, dict(self.__dict__))


class BadRequestException(ImageKitException):
    """400: missing or invalid parameters."""


class UnauthorizedException(ImageKitException):
    """401: no valid API key was provided."""


class ForbiddenException(ImageKitException):
    """403: the account cannot be authenticated, the key expired, or a limit was exceeded."""


class NotFoundException(ImageKitException):
    """404: the file, version, folder, job or field does not exist."""


class ConflictException(ImageKitException):
    """409: the target already exists (rename)."""


class TooManyRequestsException(ImageKitException):
    """429: too many requests made too quickly."""


class InternalServerException(ImageKitException):
    """500, 502, 503, 504: something went wrong on ImageKit's side."""


class PartialSuccessException(ImageKitException):
    """207: a bulk call succeeded for some items only."""


class UnknownException(ImageKitException):
    """Any other status, or a response the SDK cannot read."""


__all__ = [
    "ImageKitException", "BadRequestException", "UnauthorizedException", "ForbiddenException",
    "NotFoundException", "ConflictException", "TooManyRequestsException", "InternalServerException",
    "PartialSuccessException", "UnknownException",
]


class WebhookVerificationError(ImageKitException, ValueError):
    """A webhook could not be verified; ``reason`` says why (``missing_header``, ``bad_signature``,
    ``timestamp_out_of_range``, ``malformed_header``, ``invalid_body``, ``empty_secret``)."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message, "", None)
        self.reason = reason


__all__.append("WebhookVerificationError")


class ImageKitTimeoutError(ImageKitException, requests.exceptions.Timeout):
    """The server did not connect or answer in time, or the call ran past its deadline (also a
    ``requests.exceptions.Timeout``)."""


class ImageKitConnectionError(ImageKitException, requests.exceptions.ConnectionError):
    """The connection failed or was reset (also a ``requests.exceptions.ConnectionError``)."""


class ClientClosedError(ImageKitException, RuntimeError):
    """A call was made on a client (or a ``with_options`` copy of one) after ``close()``."""


__all__ += ["ImageKitTimeoutError", "ImageKitConnectionError", "ClientClosedError"]

# Tracebacks, error-tracker groupings and pickles name the module each class had in 4.x.
for _cls in (BadRequestException, UnauthorizedException, ForbiddenException, NotFoundException, ConflictException,
             TooManyRequestsException, InternalServerException, PartialSuccessException, UnknownException):
    _cls.__module__ = f"{__name__}.{_cls.__name__}"
del _cls

from .._compat import keep_classes_over_submodules  # noqa: E402

keep_classes_over_submodules(__name__)

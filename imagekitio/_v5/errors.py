"""The exceptions of the 5.x surface (``client.files.get(...)`` and the other resource methods).

    Exception
    └── ImageKitError                      also: a client built without a private key
        └── APIError                       message, request, body
            ├── APIStatusError             status_code, response (the requests.Response); other 4xx
            │   ├── BadRequestError        400
            │   ├── AuthenticationError    401
            │   ├── PermissionDeniedError  403
            │   ├── NotFoundError          404
            │   ├── ConflictError          409
            │   ├── UnprocessableEntityError 422
            │   ├── RateLimitError         429
            │   └── InternalServerError    any 5xx
            ├── APIConnectionError         "Connection error."
            │   └── APITimeoutError        "Request timed out." (a timeout or the call's deadline)
            ├── APIResponseValidationError
            └── APIWebhookValidationError

The 4.x methods (``client.get_file_details(...)``) keep raising the 4.x tree of
:mod:`imagekitio.exceptions` (``ImageKitException`` and its subclasses): the two trees are separate, so an
``except`` clause written for either generation catches exactly what that generation raised.
"""
import json
from typing import Any, Dict, Optional, Type

import requests

__all__ = ["ImageKitError", "APIError", "APIStatusError", "APIConnectionError", "APITimeoutError",
           "APIResponseValidationError", "APIWebhookValidationError", "BadRequestError", "AuthenticationError",
           "PermissionDeniedError", "NotFoundError", "ConflictError", "UnprocessableEntityError",
           "RateLimitError", "InternalServerError", "status_error"]


class ImageKitError(Exception):
    """Base of every 5.x-surface error."""


class APIError(ImageKitError):
    """A request failed: ``message``, the ``request`` sent (a ``requests.PreparedRequest``, when there was
    one) and the answer's ``body`` (parsed JSON, text, or None)."""

    message: str
    request: Any
    body: Optional[object]

    def __init__(self, message: str, request: Any, *, body: Optional[object]) -> None:
        super().__init__(message)
        self.message = message
        self.request = request
        self.body = body


class APIStatusError(APIError):
    """The API answered with an error status."""

    response: requests.Response
    status_code: int

    def __init__(self, message: str, *, response: requests.Response, body: Optional[object]) -> None:
        super().__init__(message, response.request, body=body)
        self.response = response
        self.status_code = response.status_code


class BadRequestError(APIStatusError):
    """400"""


class AuthenticationError(APIStatusError):
    """401"""


class PermissionDeniedError(APIStatusError):
    """403"""


class NotFoundError(APIStatusError):
    """404"""


class ConflictError(APIStatusError):
    """409"""


class UnprocessableEntityError(APIStatusError):
    """422"""


class RateLimitError(APIStatusError):
    """429"""


class InternalServerError(APIStatusError):
    """Any 5xx."""


class APIConnectionError(APIError):
    """The request could not be sent or its answer not read (refused, reset, TLS failure)."""

    def __init__(self, *, message: str = "Connection error.", request: Any = None) -> None:
        super().__init__(message, request, body=None)


class APITimeoutError(APIConnectionError):
    """The request timed out, or the call ran past its deadline."""

    def __init__(self, request: Any = None) -> None:
        super().__init__(message="Request timed out.", request=request)


class APIResponseValidationError(APIError):
    """An answer did not have the expected shape."""

    def __init__(self, response: requests.Response, body: Optional[object], *,
                 message: Optional[str] = None) -> None:
        super().__init__(message or "Data returned by API invalid for expected schema.", response.request,
                         body=body)
        self.response = response
        self.status_code = response.status_code


class APIWebhookValidationError(APIError):
    """A webhook payload could not be validated."""


_BY_STATUS: Dict[int, Type[APIStatusError]] = {
    400: BadRequestError, 401: AuthenticationError, 403: PermissionDeniedError, 404: NotFoundError,
    409: ConflictError, 422: UnprocessableEntityError, 429: RateLimitError,
}


def status_error(response: requests.Response) -> APIStatusError:
    """The exception for an error ``response`` (returned, for the caller's single ``raise``)."""
    text = response.text
    body: Optional[object]
    try:
        body = json.loads(text) if text else ""
    except ValueError:
        body = text.strip()
    if isinstance(body, str):
        message = body or f"Error code: {response.status_code}"
    else:
        message = f"Error code: {response.status_code} - {body!r}"
    status = response.status_code
    request = response.request
    if request is not None and "Authorization" in request.headers:  # errors get logged: never with the key
        request.headers["Authorization"] = "[redacted]"
    cls = InternalServerError if status >= 500 else _BY_STATUS.get(status, APIStatusError)
    return cls(message, response=response, body=body)

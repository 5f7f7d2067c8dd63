"""Reading API responses: parsing bodies, building results, and mapping statuses to exceptions.

Every response the server sends goes through here, so nothing it sends (HTML, empty, truncated or
non-JSON bodies) escapes as ``SyntaxError``, ``KeyError`` or ``JSONDecodeError``.
"""
import ast
import json
from contextlib import contextmanager
from typing import Any, Dict, Iterator, Mapping, Tuple, Type

from requests import Response

from .exceptions import (BadRequestException, ConflictException, ForbiddenException, ImageKitException,
                          InternalServerException, NotFoundException, PartialSuccessException,
                          TooManyRequestsException, UnauthorizedException, UnknownException)
from .results import ResponseMetadata, ResponseMetadataResult, StrictResult

# Status -> exception class, per error policy (SURFACE.md section 3). Anything else: UnknownException.
_SERVER = {500: InternalServerException, 502: InternalServerException, 503: InternalServerException,
           504: InternalServerException}
GENERAL: Mapping[int, Type[ImageKitException]] = {
    400: BadRequestException, 401: UnauthorizedException, 403: ForbiddenException,
    429: TooManyRequestsException, **_SERVER}
NOT_FOUND = {**GENERAL, 404: NotFoundException}
BULK = {**NOT_FOUND, 207: PartialSuccessException}
RENAME = {**BULK, 409: ConflictException}
ALL_UNKNOWN: Mapping[int, Type[ImageKitException]] = {}
# The operations 4.x lacks map statuses as ImageKit's current SDKs do.
CURRENT = {**RENAME, 207: UnknownException}
CREATE_FIELD = {400: BadRequestException}
UPDATE_FIELD = {400: BadRequestException, 404: NotFoundException}
DELETE_FIELD = {404: NotFoundException}

# A Python-literal error body is parsed only when it is small; literal_eval of huge input is costly.
_LITERAL_LIMIT = 64 * 1024


def _parse_body(text: str) -> Tuple[Any, str]:
    """``(value, how)``: the body as JSON (``"json"``), else as a Python dict literal, the form some
    ImageKit errors take (``"literal"``), else the text itself (``"text"``)."""
    try:
        return json.loads(text), "json"
    except (ValueError, RecursionError):  # RecursionError: nesting deeper than the parser's stack
        pass
    stripped = text.strip()
    if stripped.startswith("{") and len(stripped) <= _LITERAL_LIMIT:
        try:
            value = ast.literal_eval(stripped)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError, SystemError):
            return text, "text"
        if isinstance(value, dict):
            return value, "literal"
    return text, "text"


def get_response_json(response: Response) -> Any:
    """The parsed body of ``response``: JSON, or a Python dict literal, or else the text itself."""
    return _parse_body(response.text)[0]


def populate_response_metadata(response: Response) -> ResponseMetadata:
    """``raw`` (parsed body; None when empty), ``http_status_code`` and ``headers`` of ``response``."""
    raw = get_response_json(response) if response.content else None
    return ResponseMetadata(raw, response.status_code, response.headers)


def _read_success(response: Response) -> Tuple[Any, ResponseMetadata]:
    """The parsed JSON body of a success response, or an UnknownException when it is not JSON."""
    if not response.content:
        return None, ResponseMetadata(None, response.status_code, response.headers)
    try:
        body = json.loads(response.text)
    except (ValueError, RecursionError):
        raise UnknownException(
            f"The server answered {response.status_code} with a body that is not JSON: {response.text[:200]!r}",
            "", ResponseMetadata(response.text, response.status_code, response.headers)) from None
    return body, ResponseMetadata(body, response.status_code, response.headers)


_JSON_NAMES: Dict[type, str] = {dict: "object", list: "array"}


def _expect_shape(body: Any, shape: type, response: Response) -> None:
    if not isinstance(body, shape):
        raise UnknownException(
            f"The server answered {response.status_code} with a JSON {_JSON_NAMES.get(type(body), type(body).__name__)}"
            f" where a JSON {_JSON_NAMES[shape]} was expected", "",
            ResponseMetadata(body, response.status_code, response.headers))


@contextmanager
def _unreadable_as_unknown(response: Response, body: Any) -> Iterator[None]:
    """Last line of defence: a body the result classes cannot take is an UnknownException, never a crash."""
    try:
        yield
    except (TypeError, ValueError, AttributeError, RecursionError) as error:
        raise UnknownException(f"The server answered {response.status_code} with a body this SDK cannot read: "
                               f"{error}", "", ResponseMetadata(body, response.status_code, response.headers)) from None


def convert_to_response_object(response: Response, response_object: Type[StrictResult]) -> Any:
    """Build ``response_object`` from the JSON object in ``response``."""
    body, metadata = _read_success(response)
    _expect_shape(body, dict, response)
    with _unreadable_as_unknown(response, body):
        result = response_object.from_api(body)
    result.response_metadata = metadata
    return result


def convert_to_list_response_object(response: Response, response_object: Type[StrictResult],
                                    list_response_object: Type[StrictResult]) -> Any:
    """Build ``list_response_object`` holding one ``response_object`` per item of the JSON array."""
    body, metadata = _read_success(response)
    _expect_shape(body, list, response)
    with _unreadable_as_unknown(response, body):
        items = [response_object.from_api(item) if isinstance(item, dict) else item for item in body]
    result = list_response_object(items)
    result.response_metadata = metadata
    return result


def convert_to_response_metadata_result_object(response: Response) -> ResponseMetadataResult:
    """A result holding only the response metadata (for calls answered with 201/204)."""
    if response.status_code == 204:  # 4.x never reads a 204 body, whatever the server put in it
        return done_without_body(response, 204)
    result = ResponseMetadataResult()
    result.response_metadata = populate_response_metadata(response)
    return result


def done_without_body(response: Response, status: int) -> ResponseMetadataResult:
    """A result with no body: a 204, or a call an earlier attempt had already carried out (``status`` is
    the success it would have had)."""
    result = ResponseMetadataResult()
    result.response_metadata = ResponseMetadata(None, status, response.headers)
    return result


def exception_for(response: Response, policy: Mapping[int, Type[ImageKitException]] = GENERAL) -> ImageKitException:
    """The exception a failed ``response`` maps to under ``policy``, carrying message, help and metadata."""
    text = response.text
    parsed, how = _parse_body(text) if text else (text, "text")
    if isinstance(parsed, dict):
        message, help_text = parsed.get("message"), parsed.get("help")
        message = "" if message is None else message
        help_text = "" if help_text is None else help_text
    elif how == "text":
        message, help_text = text, ""
    else:  # JSON, but not an object
        message, help_text = "", ""
    # A dict literal keeps the text as `raw`, as 4.x did; JSON keeps the parsed value.
    metadata = ResponseMetadata(parsed if how == "json" else text, response.status_code, response.headers)
    return policy.get(response.status_code, UnknownException)(message, help_text, metadata)


def general_api_throw_exception(response: Response) -> None:
    """Raise the exception the general policy maps ``response`` to."""
    raise exception_for(response, GENERAL)


def throw_other_exception(response: Response) -> None:
    """Raise the exception for ``response`` under the bulk policy (404 and 207 included)."""
    raise exception_for(response, BULK)

"""4.x import path of the response helpers; they live in :mod:`imagekitio.responses`."""
from ..exceptions import (  # noqa: F401
    BadRequestException, ForbiddenException, InternalServerException, NotFoundException, PartialSuccessException,
    TooManyRequestsException, UnauthorizedException, UnknownException,
)
from ..responses import (  # noqa: F401
    ALL_UNKNOWN, BULK, CREATE_FIELD, CURRENT, DELETE_FIELD, GENERAL, NOT_FOUND, RENAME, UPDATE_FIELD,
    convert_to_list_response_object, convert_to_response_metadata_result_object, convert_to_response_object,
    done_without_body, exception_for, general_api_throw_exception, get_response_json, populate_response_metadata,
    throw_other_exception,
)
from ..results import ResponseMetadata, ResponseMetadataResult  # noqa: F401
from .formatter import camel_dict_to_snake_dict  # noqa: F401

__all__ = [
    "ALL_UNKNOWN", "BULK", "BadRequestException", "CREATE_FIELD", "CURRENT", "DELETE_FIELD",
    "ForbiddenException", "GENERAL", "InternalServerException", "NOT_FOUND", "NotFoundException",
    "PartialSuccessException", "RENAME", "ResponseMetadata", "ResponseMetadataResult",
    "TooManyRequestsException", "UPDATE_FIELD", "UnauthorizedException", "UnknownException",
    "camel_dict_to_snake_dict", "convert_to_list_response_object",
    "convert_to_response_metadata_result_object", "convert_to_response_object", "done_without_body",
    "exception_for", "general_api_throw_exception", "get_response_json", "populate_response_metadata",
    "throw_other_exception",
]

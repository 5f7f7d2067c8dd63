"""The media API service behind the facade, driven by one endpoint table.

Each endpoint is a row: HTTP method, host, path template, success status, how to read the result,
and which error policy maps failures to exceptions. :meth:`File.call` runs any row.
"""
import enum
import logging
import os
import re
import secrets
import shutil
import tempfile
from typing import Any, Callable, Dict, Iterable, List, Mapping, NamedTuple, Optional, Type, cast
from urllib.parse import quote, urlencode

from requests import Response
from requests_toolbelt import MultipartEncoder, MultipartEncoderMonitor

from .constants.errors import ERRORS
from .constants.url import URL
from .options import (ORIGIN_REQUIRED, NamedTransformationRequestOptions, OriginRequestOptions,
                      RenameFolderRequestOptions, SavedExtensionRequestOptions, URLEndpointRequestOptions,
                      WebhookRequestOptions)
from .options import (CopyFileRequestOptions, CopyFolderRequestOptions, CreateCustomMetadataFieldsRequestOptions,
                      CreateFolderRequestOptions, DeleteFolderRequestOptions,
                      ListAndSearchFileRequestOptions, MoveFileRequestOptions, MoveFolderRequestOptions,
                      RenameFileRequestOptions, RequestOptions, UpdateCustomMetadataFieldsRequestOptions,
                      UpdateFileRequestOptions, UploadFileRequestOptions, schema_from)
from . import arguments
from .exceptions import ImageKitException
from .resource import Exchange, Idempotency, ImageKitRequest
from .results import (ListNamedTransformationsResult, ListOriginsResult, ListSavedExtensionsResult,
                      ListURLEndpointsResult, ListWebhooksResult, NamedTransformation, Origin, SavedExtension,
                      URLEndpoint, Usage, UsageAnalytics, Webhook)
from .results import StrictResult
from .results import (BulkDeleteFileResult, CustomMetadataFieldsResult,
                      CustomMetadataFieldsResultWithResponseMetadata, FileResult, FileResultWithResponseMetadata,
                      FolderResult, GetBulkJobStatusResult, GetMetadataResult, ListCustomMetadataFieldsResult,
                      ListFileResult, PurgeCacheResult, PurgeCacheStatusResult, RenameFileResult, TagsResult,
                      UploadFileResult)
from .transformation import value_str
from . import responses
from .utils.formatter import camel_to_snake, snake_to_lower_camel

# Names 4.x also made importable from this module; code written for 4.x imports them from here.
from .exceptions import (  # noqa: F401
    BadRequestException, ConflictException, NotFoundException, UnknownException,
)
from .results import ResponseMetadataResult  # noqa: F401
from .utils.formatter import request_formatter  # noqa: F401
from .responses import (  # noqa: F401
    convert_to_list_response_object, convert_to_response_metadata_result_object,
    convert_to_response_object, general_api_throw_exception, get_response_json,
    populate_response_metadata, throw_other_exception,
)

logger = logging.getLogger("imagekitio")

API, UPLOAD = "api", "upload"
BOUNDARY = "--randomBoundary---------------------"
# Uploads up to this size are sent as bytes (as 4.x did); larger files are streamed.
STREAM_THRESHOLD = 8 * 1024 * 1024
JSON_CONTENT_TYPE = "application/json"
# API field names that do not follow plain lowerCamelCase.
_WIRE_NAMES = {"remove_ai_tags": "removeAITags", "overwrite_ai_tags": "overwriteAITags", "use_iam_role": "useIAMRole"}
# Upload form fields whose value is sent as JSON text.
_JSON_FORM_FIELDS = frozenset({"extensions", "customMetadata", "transformation"})


class Reads(NamedTuple):
    """What an endpoint's success response becomes: ``result`` built from the JSON object, or (with
    ``item``) a list result holding one ``item`` per element of the JSON array; a
    :class:`ResponseMetadataResult` keeps only the response metadata."""
    result: Type[StrictResult]
    item: Optional[Type[StrictResult]] = None

    def read(self, response: Response) -> Any:
        if self.result is ResponseMetadataResult:
            return responses.convert_to_response_metadata_result_object(response)
        if self.item is not None:
            return responses.convert_to_list_response_object(response, self.item, self.result)
        return responses.convert_to_response_object(response, self.result)


def obj(result_class: Type[StrictResult]) -> Reads:
    return Reads(result_class)


def listing(item_class: Type[StrictResult], list_class: Type[StrictResult]) -> Reads:
    return Reads(list_class, item_class)


metadata_only = Reads(ResponseMetadataResult)


class Endpoint(NamedTuple):
    """One API operation: everything :meth:`File.call` needs to run it. ``success`` is the status 4.x
    expects, or None for the operations 4.x lacks, where any 2xx is success (as ImageKit's current SDKs)."""
    method: str
    host: str
    path: str
    success: Optional[int]
    result: Reads
    policy: Mapping[int, Type[ImageKitException]]
    idempotency: Idempotency
    # 4.x sends `Content-Type: application/json` on these even when there is no body.
    json_header: bool = False


IDEMPOTENT, DELETE, NON_IDEMPOTENT = Idempotency.IDEMPOTENT, Idempotency.DELETE, Idempotency.NON_IDEMPOTENT
ENDPOINTS: Dict[str, Endpoint] = {
    "upload": Endpoint("POST", UPLOAD, "/api/v1/files/upload", 200, obj(UploadFileResult), responses.GENERAL,
                       NON_IDEMPOTENT),
    "list_files": Endpoint("GET", API, "/v1/files", 200, listing(FileResult, ListFileResult), responses.GENERAL,
                           IDEMPOTENT),
    "get_file_details": Endpoint("GET", API, "/v1/files/{file_id}/details", 200,
                                 obj(FileResultWithResponseMetadata), responses.GENERAL, IDEMPOTENT),
    "get_file_versions": Endpoint("GET", API, "/v1/files/{file_id}/versions", 200,
                                  listing(FileResult, ListFileResult), responses.NOT_FOUND, IDEMPOTENT),
    "get_file_version_details": Endpoint("GET", API, "/v1/files/{file_id}/versions/{version_id}", 200,
                                         obj(FileResultWithResponseMetadata), responses.NOT_FOUND, IDEMPOTENT),
    "update_file_details": Endpoint("PATCH", API, "/v1/files/{file_id}/details/", 200,
                                    obj(FileResultWithResponseMetadata), responses.GENERAL, NON_IDEMPOTENT,
                                    json_header=True),
    "add_tags": Endpoint("POST", API, "/v1/files/addTags", 200, obj(TagsResult), responses.BULK, NON_IDEMPOTENT,
                         json_header=True),
    "remove_tags": Endpoint("POST", API, "/v1/files/removeTags", 200, obj(TagsResult), responses.BULK, NON_IDEMPOTENT,
                            json_header=True),
    "remove_ai_tags": Endpoint("POST", API, "/v1/files/removeAITags", 200, obj(TagsResult), responses.BULK,
                               NON_IDEMPOTENT, json_header=True),
    "delete_file": Endpoint("DELETE", API, "/v1/files/{file_id}", 204, metadata_only, responses.GENERAL, DELETE),
    "delete_file_version": Endpoint("DELETE", API, "/v1/files/{file_id}/versions/{version_id}", 204,
                                    metadata_only, responses.NOT_FOUND, DELETE, json_header=True),
    "bulk_file_delete": Endpoint("POST", API, "/v1/files" + URL.BULK_FILE_DELETE, 200, obj(BulkDeleteFileResult),
                                 responses.BULK, NON_IDEMPOTENT, json_header=True),
    "copy_file": Endpoint("POST", API, "/v1/files/copy", 204, metadata_only, responses.NOT_FOUND, NON_IDEMPOTENT,
                          json_header=True),
    "move_file": Endpoint("POST", API, "/v1/files/move", 204, metadata_only, responses.NOT_FOUND, NON_IDEMPOTENT,
                          json_header=True),
    # A PUT, but renaming twice is not renaming once: the replay finds no file and answers 404.
    "rename_file": Endpoint("PUT", API, "/v1/files/rename", 200, obj(RenameFileResult), responses.RENAME,
                            NON_IDEMPOTENT, json_header=True),
    "restore_file_version": Endpoint("PUT", API, "/v1/files/{file_id}/versions/{version_id}/restore", 200,
                                     obj(FileResultWithResponseMetadata), responses.NOT_FOUND, IDEMPOTENT),
    "create_folder": Endpoint("POST", API, "/v1/folder", 201, metadata_only, responses.ALL_UNKNOWN, NON_IDEMPOTENT,
                              json_header=True),
    "delete_folder": Endpoint("DELETE", API, "/v1/folder", 204, metadata_only, responses.NOT_FOUND, DELETE,
                              json_header=True),
    "copy_folder": Endpoint("POST", API, "/v1/bulkJobs/copyFolder", 200, obj(FolderResult), responses.NOT_FOUND,
                            NON_IDEMPOTENT, json_header=True),
    "move_folder": Endpoint("POST", API, "/v1/bulkJobs/moveFolder", 200, obj(FolderResult), responses.NOT_FOUND,
                            NON_IDEMPOTENT, json_header=True),
    "get_bulk_job_status": Endpoint("GET", API, "/v1/bulkJobs/{job_id}", 200, obj(GetBulkJobStatusResult),
                                    responses.GENERAL, IDEMPOTENT),
    "purge_file_cache": Endpoint("POST", API, "/v1/files/purge", 201, obj(PurgeCacheResult), responses.GENERAL,
                                 NON_IDEMPOTENT, json_header=True),
    "get_purge_file_cache_status": Endpoint("GET", API, "/v1/files/purge/{purge_cache_id}", 200,
                                            obj(PurgeCacheStatusResult), responses.GENERAL, IDEMPOTENT),
    "get_file_metadata": Endpoint("GET", API, "/v1/files/{file_id}/metadata", 200, obj(GetMetadataResult),
                                  responses.GENERAL, IDEMPOTENT),
    "get_remote_file_url_metadata": Endpoint("GET", API, "/v1/metadata", 200, obj(GetMetadataResult),
                                             responses.GENERAL, IDEMPOTENT),
    "create_custom_metadata_fields": Endpoint("POST", API, "/v1/customMetadataFields", 201,
                                              obj(CustomMetadataFieldsResultWithResponseMetadata),
                                              responses.CREATE_FIELD, NON_IDEMPOTENT, json_header=True),
    "get_custom_metadata_fields": Endpoint("GET", API, "/v1/customMetadataFields", 200,
                                           listing(CustomMetadataFieldsResult, ListCustomMetadataFieldsResult),
                                           responses.ALL_UNKNOWN, IDEMPOTENT),
    "update_custom_metadata_fields": Endpoint("PATCH", API, "/v1/customMetadataFields/{field_id}", 200,
                                              obj(CustomMetadataFieldsResultWithResponseMetadata),
                                              responses.UPDATE_FIELD, NON_IDEMPOTENT, json_header=True),
    "delete_custom_metadata_field": Endpoint("DELETE", API, "/v1/customMetadataFields/{field_id}", 204,
                                             metadata_only, responses.DELETE_FIELD, DELETE),
}




class Resource(NamedTuple):
    """An account resource with the five usual operations (create, list, get, update, delete)."""
    path: str
    options: type
    item: type
    listing: type
    update_method: str  # PATCH changes the fields sent; PUT replaces the whole resource
    plural: str


RESOURCES: Dict[str, Resource] = {
    "saved_extension": Resource("/v1/saved-extensions", SavedExtensionRequestOptions, SavedExtension,
                                ListSavedExtensionsResult, "PATCH", "saved_extensions"),
    "named_transformation": Resource("/v1/named-transformations", NamedTransformationRequestOptions,
                                     NamedTransformation, ListNamedTransformationsResult, "PATCH",
                                     "named_transformations"),
    "origin": Resource("/v1/accounts/origins", OriginRequestOptions, Origin, ListOriginsResult, "PUT", "origins"),
    "url_endpoint": Resource("/v1/accounts/url-endpoints", URLEndpointRequestOptions, URLEndpoint,
                             ListURLEndpointsResult, "PUT", "url_endpoints"),
    "webhook": Resource("/v1/accounts/webhooks", WebhookRequestOptions, Webhook, ListWebhooksResult, "PATCH",
                        "webhooks"),
}
for _kind, _resource in RESOURCES.items():
    _one = _resource.path + "/{id}"
    ENDPOINTS.update({
        f"create_{_kind}": Endpoint("POST", API, _resource.path, None, obj(_resource.item), responses.CURRENT,
                                    NON_IDEMPOTENT, json_header=True),
        f"list_{_resource.plural}": Endpoint("GET", API, _resource.path, None,
                                             listing(_resource.item, _resource.listing), responses.CURRENT, IDEMPOTENT),
        f"get_{_kind}": Endpoint("GET", API, _one, None, obj(_resource.item), responses.CURRENT, IDEMPOTENT),
        f"update_{_kind}": Endpoint(_resource.update_method, API, _one, None, obj(_resource.item), responses.CURRENT,
                                    IDEMPOTENT if _resource.update_method == "PUT" else NON_IDEMPOTENT,
                                    json_header=True),
        f"delete_{_kind}": Endpoint("DELETE", API, _one, None, metadata_only, responses.CURRENT, DELETE),
    })
ENDPOINTS.update({
    "rename_folder": Endpoint("POST", API, "/v1/bulkJobs/renameFolder", None, obj(FolderResult), responses.CURRENT,
                              NON_IDEMPOTENT, json_header=True),
    "get_usage": Endpoint("GET", API, "/v1/accounts/usage", None, obj(Usage), responses.CURRENT, IDEMPOTENT),
    "get_usage_analytics": Endpoint("GET", API, "/v1/accounts/usage-analytics", None, obj(UsageAnalytics),
                                    responses.CURRENT, IDEMPOTENT),
    "upload_v2": Endpoint("POST", UPLOAD, "/api/v2/files/upload", None, obj(UploadFileResult), responses.CURRENT,
                          NON_IDEMPOTENT),
    # The 5.x `files.update`: 4.x's row addresses `.../details/` (with the slash) and keeps its recorded bytes.
    "update_file": Endpoint("PATCH", API, "/v1/files/{file_id}/details", None, obj(FileResultWithResponseMetadata),
                            responses.CURRENT, NON_IDEMPOTENT, json_header=True),
})


# --------------------------------------------------------------------------- arguments to wire form
def _require(value: Any, error: ERRORS, kind: type = TypeError) -> Any:
    """``value``, or the 4.x argument error when it is None or empty."""
    if value is None or value == "":
        raise kind(error.value)
    return value


def coerce_options(options: Any, option_class: Type[RequestOptions], name: str = "options") -> Any:
    """Accept a plain dict (snake_case or camelCase keys) wherever an options object is expected.

    Keys the option class does not know are kept and sent as they are, so newer API parameters
    can be used before this SDK names them.
    """
    options = arguments.options(options, name)
    if not isinstance(options, Mapping):
        return options
    known, extra = {}, {}
    for key, value in options.items():
        arguments.text(key, f"a key of {name}")
        snake = camel_to_snake(key)
        if snake in option_class._fields:
            # Converted here because UpdateCustomMetadataFieldsRequestOptions drops dict schemas (as 4.x).
            known[snake] = schema_from(value) if snake == "schema" else value
        else:
            extra[key] = value
    coerced = option_class(**known)
    coerced.__dict__.update(extra)
    return coerced


def _wire_value(value: Any) -> Any:
    if isinstance(value, RequestOptions):
        return wire_dict(value)
    if isinstance(value, enum.Enum):
        return value.name
    return value


def _wire(options: Any, option_class: Type[RequestOptions]) -> Dict[str, Any]:
    """The wire form of ``options`` given as an option object or a dict."""
    return wire_dict(coerce_options(options, option_class))


def wire_name(name: str) -> str:
    """The API's (camelCase) name of an option."""
    return _WIRE_NAMES.get(name) or snake_to_lower_camel(name)


def wire_dict(options: Any) -> Dict[str, Any]:
    """The options that were given, with API (camelCase) names, in their declared order."""
    if options is None:
        return {}
    return {wire_name(key): _wire_value(value) for key, value in vars(options).items() if value is not None}


def _query_string(params: Dict[str, Any]) -> str:
    pairs = []
    for key, value in params.items():
        if isinstance(value, (list, tuple)):
            value = ", ".join(map(str, value))
        pairs.append((key, value_str(value)))
    return urlencode(pairs)


def _form_value(key: str, value: Any) -> str:
    if key in _JSON_FORM_FIELDS and not isinstance(value, str):
        return arguments.as_json(value, f"options.{camel_to_snake(key)}")
    if key == "responseFields" and isinstance(value, (list, tuple)):
        return ",".join(snake_to_lower_camel(str(field)) for field in value)
    items = value if isinstance(value, (list, tuple)) else (value,)
    for item in items:
        if not isinstance(item, _FORM_SCALARS):
            raise TypeError(f"options.{camel_to_snake(key)} must be text, a number, a bool or a list of those, "
                            f"not {type(item).__name__}")
    if isinstance(value, (list, tuple)):
        return ",".join(map(str, value))
    return value_str(value)


# What a form field can carry as text (JSON fields take structured values: _JSON_FORM_FIELDS).
_FORM_SCALARS = (str, int, float, bool)


def upload_fields(file_name: str, options: Any) -> Dict[str, str]:
    """The form fields of an upload other than the file, as they are sent (and as an upload token signs them)."""
    form = wire_dict(options)
    # 4.x appends overwriteAITags after all other options.
    if "overwriteAITags" in form:
        form["overwriteAITags"] = form.pop("overwriteAITags")
    return {"fileName": file_name, **{key: _form_value(key, value) for key, value in form.items()}}


def _as_bytes(value: Any) -> bytes:
    return value if isinstance(value, bytes) else str(value).encode()


class _UploadBody:
    """The multipart upload body.

    Small bodies (URL, base64 and ``bytes`` sources, file objects up to :data:`STREAM_THRESHOLD`) are
    built as ``bytes``, as 4.x sent them, so HTTP mocks that compare ``request.body`` keep working. Larger
    files, and any upload with a ``progress`` callback, are streamed by toolbelt's encoder in constant
    memory, rewinding the file for each attempt. A stream that cannot seek (a pipe, ``sys.stdin.buffer``,
    a ``raw`` HTTP response) is first spooled to a temporary file (in memory up to the threshold, on disk
    beyond), so retries and progress work for it too.

    The boundary is 4.x's constant only when every part was checked and none contains it; otherwise (a
    part that contains it, or a streamed file that is not read in advance) it is random, so no file, tag or
    option can ever close a part early and add or override form fields.
    """

    def __init__(self, file: Any, file_name: str, options: Any,
                 progress: Optional[Callable[[int, int], Any]] = None) -> None:
        self._progress = progress
        self._to_close: List[Any] = []
        self._file: Any = None
        self._start = 0
        self._attempts = 0
        try:
            self._build(file, file_name, options)
        except BaseException:
            self.close()
            raise

    def _build(self, file: Any, file_name: str, options: Any) -> None:
        progress = self._progress
        if isinstance(file, os.PathLike):
            file = self._closing(open(file, "rb"))
        if hasattr(file, "read"):
            file = self._rewindable(file)
            self._file, self._start = file, file.tell()
            file.seek(0, os.SEEK_END)
            size = file.tell() - self._start
            file.seek(self._start)
            self.streamed = progress is not None or size > STREAM_THRESHOLD
            part: Any = (file_name, file) if self.streamed else (file_name, _as_bytes(file.read()))
        else:
            self.streamed = progress is not None
            part = file
        self.fields: List[Any] = [("file", part), *upload_fields(file_name, options).items()]
        self.boundary = self._random_boundary() if self.streamed else self._safe_boundary()
        self.content_type = f"multipart/form-data; boundary={self.boundary}"
        self._bytes = None if self.streamed else \
            MultipartEncoder(fields=self.fields, boundary=self.boundary).to_string()

    def _closing(self, resource: Any) -> Any:
        self._to_close.append(resource)
        return resource

    def _rewindable(self, file: Any) -> Any:
        try:
            if file.seekable() if hasattr(file, "seekable") else (file.tell() is not None):
                return file
        except (OSError, ValueError, AttributeError):
            pass
        spool = self._closing(tempfile.SpooledTemporaryFile(max_size=STREAM_THRESHOLD))
        shutil.copyfileobj(_BinaryReader(file), spool, 1024 * 1024)
        spool.seek(0)
        return spool

    def _parts(self) -> Iterable[bytes]:
        for name, value in self.fields:
            yield _as_bytes(name)
            if isinstance(value, tuple):
                yield from map(_as_bytes, value)
            else:
                yield _as_bytes(value)

    def _safe_boundary(self) -> str:
        boundary = BOUNDARY
        while any(boundary.encode() in part for part in self._parts()):
            boundary = self._random_boundary()
        return boundary

    @staticmethod
    def _random_boundary() -> str:
        # secrets, not uuid4: tests (and the vectors) freeze uuid4, and a boundary must stay unguessable.
        return secrets.token_hex(16)

    def __call__(self) -> Any:
        """The body for one attempt: the bytes, or a fresh encoder over the rewound file."""
        if self._bytes is not None:
            return self._bytes
        if self._attempts and self._file is not None:
            self._file.seek(self._start)
        self._attempts += 1
        encoder = MultipartEncoder(fields=self.fields, boundary=self.boundary)
        if self._progress is None:
            return encoder
        progress = self._progress
        return MultipartEncoderMonitor(encoder, lambda monitor: progress(monitor.bytes_read, monitor.len))

    def close(self) -> None:
        """Close what the SDK opened itself (a path, a spool); the caller's own file objects stay open."""
        for resource in self._to_close:
            resource.close()


class _BinaryReader:
    """``read(n)`` over any object that has ``read``, giving bytes even when it gives str."""

    def __init__(self, source: Any) -> None:
        self._source = source

    def read(self, size: int = -1) -> bytes:
        return _as_bytes(self._source.read(size))


# --------------------------------------------------------------------------- the service
class File:
    """Every media, metadata and custom-metadata API call of 4.x."""

    def __init__(self, request_obj: ImageKitRequest) -> None:
        self.request = request_obj

    def __repr__(self) -> str:
        return f"File({self.request!r})"

    def base_url(self, endpoint: Endpoint) -> str:
        """Where ``endpoint`` is sent: this client's API or upload base URL (read at each call)."""
        if endpoint.host == UPLOAD:
            return self.request.upload_base_url or URL.UPLOAD_BASE_URL
        return self.request.api_base_url or URL.API_BASE_URL

    def send(self, name: str, path: str, query: str = "", headers: Optional[Dict[str, str]] = None, data: Any = None,
             timeout: Any = None) -> Exchange:
        """Send the endpoint ``name`` with a path (its placeholders already filled and quoted), query string,
        headers and body prepared by the caller (the 5.x face), under the row's idempotency."""
        endpoint = ENDPOINTS[name]
        url = self.base_url(endpoint) + path + (f"?{query}" if query else "")
        return self.request.send(endpoint.method, url, headers=headers, data=data, timeout=timeout,
                                 idempotency=endpoint.idempotency)

    def call(self, name: str, query: Optional[Dict[str, Any]] = None, body: Any = None, **path_params: Any) -> Any:
        """Run the endpoint ``name`` of :data:`ENDPOINTS` and return its result (or raise its error)."""
        endpoint = ENDPOINTS[name]
        base = self.base_url(endpoint)
        path = endpoint.path.format(**{key: quote(arguments.path_segment(value, key), safe="")
                                       for key, value in path_params.items()})
        url = base + path + (f"?{_query_string(query)}" if query else "")
        headers = self.request.create_headers()
        data: Any = None
        if isinstance(body, _UploadBody):
            headers["Content-Type"] = body.content_type
            data = body
        elif body is not None:
            data = arguments.as_json(body, "options")
        if endpoint.json_header:
            headers["Content-Type"] = JSON_CONTENT_TYPE
        exchange = self.request.send(endpoint.method, url, headers=headers, data=data,
                                     idempotency=endpoint.idempotency)
        response = exchange.response
        status = response.status_code
        if status != endpoint.success and not (endpoint.success is None and 200 <= status <= 299):
            if endpoint.idempotency is DELETE and status == 404 and exchange.replayed_after_delivery:
                # An earlier attempt reached the server and deleted it; the replay found nothing left.
                logger.warning("%s %s: a replay answered 404 after an attempt that may have reached the server; "
                               "counted as deleted", endpoint.method, url)
                return responses.done_without_body(response, endpoint.success or 204)
            raise responses.exception_for(response, endpoint.policy)
        return endpoint.result.read(response)

    # ---- files
    def upload(self, file: Any = None, file_name: Optional[str] = None, options: Any = None,
               progress: Optional[Callable[[int, int], Any]] = None, endpoint: str = "upload") -> UploadFileResult:
        file = arguments.upload_source(_require(file, ERRORS.MISSING_UPLOAD_FILE_PARAMETER))
        file_name = arguments.text(_require(file_name, ERRORS.MISSING_UPLOAD_FILENAME_PARAMETER), "file_name")
        options = coerce_options(options, UploadFileRequestOptions)
        body = _UploadBody(file, file_name, options, arguments.callback(progress, "progress"))
        try:
            return cast(UploadFileResult, self.call(endpoint, body=body))
        finally:
            body.close()  # what the SDK opened itself (a path, a spool); the caller's own file objects stay open

    def list(self, options: Any = None) -> ListFileResult:
        return cast(ListFileResult,
                    self.call("list_files", query=_wire(options, ListAndSearchFileRequestOptions)))

    def details(self, file_id: Optional[str] = None) -> FileResultWithResponseMetadata:
        return cast(FileResultWithResponseMetadata,
                    self.call("get_file_details", file_id=_require(file_id, ERRORS.FILE_ID_MISSING)))

    def get_file_versions(self, file_id: Optional[str] = None) -> ListFileResult:
        return cast(ListFileResult, self.call("get_file_versions", file_id=_require(file_id, ERRORS.FILE_ID_MISSING)))

    def get_file_version_details(self, file_id: Optional[str] = None,
                                 version_id: Optional[str] = None) -> FileResultWithResponseMetadata:
        return cast(FileResultWithResponseMetadata, self.call(
            "get_file_version_details", file_id=_require(file_id, ERRORS.FILE_ID_MISSING),
            version_id=_require(version_id, ERRORS.FILE_VERSION_ID_MISSING)))

    def update_file_details(self, file_id: Optional[str] = None, options: Any = None) -> FileResultWithResponseMetadata:
        return cast(FileResultWithResponseMetadata, self.call(
            "update_file_details", file_id=_require(file_id, ERRORS.FILE_ID_MISSING),
            body=_wire(options, UpdateFileRequestOptions)))

    def add_tags(self, file_ids: Optional[List[str]] = None, tags: Optional[List[str]] = None) -> TagsResult:
        return cast(TagsResult, self.call("add_tags", body=_tagging(file_ids, "tags", tags, "tags")))

    def remove_tags(self, file_ids: Optional[List[str]] = None, tags: Optional[List[str]] = None) -> TagsResult:
        return cast(TagsResult, self.call("remove_tags", body=_tagging(file_ids, "tags", tags, "tags")))

    def remove_ai_tags(self, file_ids: Optional[List[str]] = None, ai_tags: Optional[List[str]] = None) -> TagsResult:
        return cast(TagsResult, self.call("remove_ai_tags", body=_tagging(file_ids, "AITags", ai_tags, "ai_tags")))

    def delete(self, file_id: Optional[str] = None) -> ResponseMetadataResult:
        return cast(ResponseMetadataResult, self.call("delete_file", file_id=_require(file_id, ERRORS.FILE_ID_MISSING)))

    def delete_file_version(self, file_id: Optional[str] = None,
                            version_id: Optional[str] = None) -> ResponseMetadataResult:
        return cast(ResponseMetadataResult, self.call(
            "delete_file_version", file_id=_require(file_id, ERRORS.FILE_ID_MISSING),
            version_id=_require(version_id, ERRORS.FILE_VERSION_ID_MISSING)))

    def batch_delete(self, file_ids: Optional[Iterable[str]] = None) -> BulkDeleteFileResult:
        if not file_ids:
            raise ValueError(ERRORS.MISSING_FILE_IDS.value)
        return cast(BulkDeleteFileResult,
                    self.call("bulk_file_delete", body={"fileIds": arguments.text_list(file_ids, "file_ids")}))

    def copy_file(self, options: Any = None) -> ResponseMetadataResult:
        return cast(ResponseMetadataResult,
                    self.call("copy_file", body=_wire(options, CopyFileRequestOptions)))

    def move_file(self, options: Any = None) -> ResponseMetadataResult:
        return cast(ResponseMetadataResult,
                    self.call("move_file", body=_wire(options, MoveFileRequestOptions)))

    def rename_file(self, options: Any = None) -> RenameFileResult:
        return cast(RenameFileResult,
                    self.call("rename_file", body=_wire(options, RenameFileRequestOptions)))

    def restore_file_version(self, file_id: Optional[str] = None,
                             version_id: Optional[str] = None) -> FileResultWithResponseMetadata:
        return cast(FileResultWithResponseMetadata, self.call(
            "restore_file_version", file_id=_require(file_id, ERRORS.FILE_ID_MISSING),
            version_id=_require(version_id, ERRORS.FILE_VERSION_ID_MISSING)))

    # ---- folders and bulk jobs
    def create_folder(self, options: Any = None) -> ResponseMetadataResult:
        return cast(ResponseMetadataResult,
                    self.call("create_folder", body=_wire(options, CreateFolderRequestOptions)))

    def delete_folder(self, options: Any = None) -> ResponseMetadataResult:
        return cast(ResponseMetadataResult,
                    self.call("delete_folder", body=_wire(options, DeleteFolderRequestOptions)))

    def copy_folder(self, options: Any = None) -> FolderResult:
        return cast(FolderResult, self.call("copy_folder", body=_wire(options, CopyFolderRequestOptions)))

    def move_folder(self, options: Any = None) -> FolderResult:
        return cast(FolderResult, self.call("move_folder", body=_wire(options, MoveFolderRequestOptions)))

    def get_bulk_job_status(self, job_id: Optional[str] = None) -> GetBulkJobStatusResult:
        return cast(GetBulkJobStatusResult,
                    self.call("get_bulk_job_status", job_id=_require(job_id, ERRORS.JOB_ID_MISSING)))

    # ---- cache
    def purge_cache(self, file_url: Optional[str] = None) -> PurgeCacheResult:
        file_url = arguments.text(_require(file_url, ERRORS.MISSING_FILE_URL), "file_url")
        return cast(PurgeCacheResult, self.call("purge_file_cache", body={"url": file_url}))

    def get_purge_cache_status(self, purge_cache_id: Optional[str] = None) -> PurgeCacheStatusResult:
        return cast(PurgeCacheStatusResult, self.call(
            "get_purge_file_cache_status",
            purge_cache_id=_require(purge_cache_id, ERRORS.CACHE_PURGE_STATUS_ID_MISSING)))

    # ---- metadata
    def get_metadata(self, file_id: Optional[str] = None) -> GetMetadataResult:
        return cast(GetMetadataResult,
                    self.call("get_file_metadata", file_id=_require(file_id, ERRORS.FILE_ID_MISSING)))

    def get_metadata_from_remote_url(self, remote_file_url: Optional[str] = None) -> GetMetadataResult:
        url = arguments.text(_require(remote_file_url, ERRORS.MISSING_REMOTE_URL, ValueError), "remote_file_url")
        return cast(GetMetadataResult, self.call("get_remote_file_url_metadata", query={"url": url}))

    # ---- custom metadata fields
    def create_custom_metadata_fields(self, options: Any = None) -> CustomMetadataFieldsResultWithResponseMetadata:
        return cast(CustomMetadataFieldsResultWithResponseMetadata, self.call(
            "create_custom_metadata_fields", body=_wire(options, CreateCustomMetadataFieldsRequestOptions)))

    def get_custom_metadata_fields(self, include_deleted: bool = False,
                                   folder_path: Optional[str] = None) -> ListCustomMetadataFieldsResult:
        query: Dict[str, Any] = {"includeDeleted": bool(include_deleted)}
        if folder_path is not None:
            query["folderPath"] = arguments.text(folder_path, "folder_path")
        return cast(ListCustomMetadataFieldsResult, self.call("get_custom_metadata_fields", query=query))

    def update_custom_metadata_fields(self, field_id: Optional[str] = None,
                                      options: Any = None) -> CustomMetadataFieldsResultWithResponseMetadata:
        return cast(CustomMetadataFieldsResultWithResponseMetadata, self.call(
            "update_custom_metadata_fields",
            field_id=_require(field_id, ERRORS.MISSING_CUSTOM_METADATA_FIELD_ID, ValueError),
            body=_wire(options, UpdateCustomMetadataFieldsRequestOptions)))

    def delete_custom_metadata_field(self, field_id: Optional[str] = None) -> ResponseMetadataResult:
        return cast(ResponseMetadataResult,
                    self.call("delete_custom_metadata_field", field_id=_require(field_id, ERRORS.MISSING_FIELD_ID)))

    # ---- beyond 4.x: folders, uploads v2, account resources, usage
    def rename_folder(self, options: Any = None) -> FolderResult:
        body = _required(_wire(options, RenameFolderRequestOptions), "folderPath", "newFolderName")
        return cast(FolderResult, self.call("rename_folder", body=body))

    def upload_v2(self, file: Any = None, file_name: Optional[str] = None, options: Any = None,
                  progress: Optional[Callable[[int, int], Any]] = None) -> UploadFileResult:
        return self.upload(file, file_name, options, progress, endpoint="upload_v2")

    def create(self, kind: str, options: Any) -> Any:
        return self.call(f"create_{kind}", body=_checked_resource(kind, _wire(options, RESOURCES[kind].options)))

    def list_all(self, kind: str) -> Any:
        return self.call(f"list_{RESOURCES[kind].plural}")

    def get(self, kind: str, resource_id: Any) -> Any:
        return self.call(f"get_{kind}", id=_required_id(resource_id, f"{kind}_id"))

    def update(self, kind: str, resource_id: Any, options: Any) -> Any:
        resource = RESOURCES[kind]
        body = _wire(options, resource.options)
        if resource.update_method == "PUT":  # a full replacement: the same rules as creating
            body = _checked_resource(kind, body)
        return self.call(f"update_{kind}", id=_required_id(resource_id, f"{kind}_id"), body=body)

    def delete_resource(self, kind: str, resource_id: Any) -> Any:
        return self.call(f"delete_{kind}", id=_required_id(resource_id, f"{kind}_id"))

    def usage(self, name: str, start_date: Any, end_date: Any, start_counted_only: bool) -> Any:
        start, end = arguments.date(start_date, "start_date"), arguments.date(end_date, "end_date")
        days = (end - start).days
        if start_counted_only and days <= 0 or days < 0:
            raise ValueError(f"start_date ({start}) must come before end_date ({end})")
        if days >= 90:
            raise ValueError(f"the range from start_date to end_date must be under 90 days, not {days}")
        return self.call(name, query={"startDate": start.isoformat(), "endDate": end.isoformat()})


def _required_id(value: Any, name: str) -> Any:
    """``value``, or ``TypeError`` naming it when it is missing (``call`` checks it as a path segment)."""
    if value is None or value == "":
        raise TypeError(f"{name} is required")
    return value


def _required(body: Dict[str, Any], *names: str) -> Dict[str, Any]:
    missing = [name for name in names if body.get(name) in (None, "")]
    if missing:
        raise ValueError(f"options needs {', '.join(camel_to_snake(name) for name in missing)}")
    return body


def _checked_resource(kind: str, body: Dict[str, Any]) -> Dict[str, Any]:
    """The rules the API states for a new (or fully replaced) resource, checked before sending."""
    if kind == "origin":
        origin_type = body.get("type")
        if origin_type not in ORIGIN_REQUIRED:
            raise ValueError(f"options.type must be one of {', '.join(ORIGIN_REQUIRED)}, not {origin_type!r}")
        _required(body, "name", *map(wire_name, ORIGIN_REQUIRED[origin_type]))
    elif kind == "url_endpoint":
        _required(body, "description")
    elif kind == "named_transformation":
        _required(body, "name", "transformation")
        if not re.fullmatch(r"[A-Za-z0-9_]+", str(body["name"])):
            raise ValueError(f"options.name may hold only letters, digits and _, not {body['name']!r}")
    elif kind == "saved_extension":
        _required(body, "name", "description", "config")
    elif kind == "webhook":
        _required(body, "endpoint", "events")
        if not str(body["endpoint"]).startswith(("http://", "https://")):
            raise ValueError(f"options.endpoint must be an http(s) URL, not {body['endpoint']!r}")
    return body


def _tagging(file_ids: Any, tags_key: str, tags: Any, tags_name: str) -> Dict[str, Any]:
    return {"fileIds": arguments.text_list(file_ids, "file_ids"), tags_key: arguments.text_list(tags, tags_name)}


__all__ = [
    "BOUNDARY", "BadRequestException", "BulkDeleteFileResult", "ConflictException", "CopyFileRequestOptions",
    "CopyFolderRequestOptions", "CreateCustomMetadataFieldsRequestOptions", "CreateFolderRequestOptions",
    "CustomMetadataFieldsResult", "CustomMetadataFieldsResultWithResponseMetadata",
    "DeleteFolderRequestOptions", "ENDPOINTS", "ERRORS", "Endpoint", "File", "FileResult",
    "FileResultWithResponseMetadata", "FolderResult", "GetBulkJobStatusResult", "GetMetadataResult",
    "ListAndSearchFileRequestOptions", "ListCustomMetadataFieldsResult", "ListFileResult",
    "MoveFileRequestOptions", "MoveFolderRequestOptions", "NotFoundException", "PurgeCacheResult",
    "PurgeCacheStatusResult", "RESOURCES", "Reads", "RenameFileRequestOptions", "RenameFileResult",
    "Resource", "ResponseMetadataResult", "STREAM_THRESHOLD", "TagsResult", "URL", "UnknownException",
    "UpdateCustomMetadataFieldsRequestOptions", "UpdateFileRequestOptions", "UploadFileRequestOptions",
    "UploadFileResult", "convert_to_list_response_object", "convert_to_response_metadata_result_object",
    "convert_to_response_object", "general_api_throw_exception", "get_response_json",
    "populate_response_metadata", "request_formatter", "snake_to_lower_camel", "throw_other_exception",
    "upload_fields", "wire_dict", "wire_name",
]

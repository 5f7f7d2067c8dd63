"""The 5.x face of the one engine: each 5.x method is a declaration run here over the 4.x endpoint rows.

An :class:`Op` names the row of :data:`imagekitio.file.ENDPOINTS` it runs, which parameters fill the row's
path, where the others go (JSON body, query string or multipart form) and the result type. What differs
from the 4.x face is only the wire dialect 5.x code expects (its ``Authorization`` form, JSON text,
query and form encoding) and the way answers are read (:mod:`imagekitio.types`) and failures raised
(:mod:`imagekitio._v5.errors`); rows, transport, retries and deadlines are shared.
"""
import datetime
import importlib
import io
import json
import mimetypes
import os
import platform
import secrets
import typing
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Mapping, NamedTuple, Optional, Tuple, Union
from urllib.parse import quote, urlencode

import requests
from requests.structures import CaseInsensitiveDict
from requests_toolbelt import MultipartEncoder

from ..exceptions import ImageKitConnectionError, ImageKitTimeoutError
from ..resource import Idempotency
from . import errors
from .model import BaseModel, Plan, _keep

if TYPE_CHECKING:
    from ..client import ImageKit

__all__ = ["Op", "OPERATIONS", "Omit", "omit", "NotGiven", "not_given", "NOT_GIVEN", "APIResponse", "run"]

SDK_VERSION = "5.11.0"  # the 5.x release whose observable behaviour this face reproduces (tests/conformance/v5)


class Omit:
    """The default of an optional 5.x parameter: leave it out of the request (``None`` sends ``null``)."""

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "omit"


class NotGiven(Omit):
    """The default of ``timeout``: use the client's."""

    def __repr__(self) -> str:
        return "NOT_GIVEN"


omit = Omit()
not_given = NOT_GIVEN = NotGiven()


class Op(NamedTuple):
    """A 5.x operation: the endpoint row, path parameters (name -> row placeholder), where the other
    parameters go ("body", "query" or "form"), and the result type (``module:Name``; None for no result)."""
    row: str
    path: Tuple[Tuple[str, str], ...] = ()
    where: str = "body"
    result: Optional[str] = None


_T = "imagekitio.types."
_ID = (("id", "id"),)
_FILE = (("file_id", "file_id"),)
_VERSION = (("file_id", "file_id"), ("version_id", "version_id"))


def _account(kind: str, plural: str, item: str, listing: str) -> Dict[str, Op]:
    prefix = {"saved_extension": "saved_extensions", "named_transformation": "named_transformations"}.get(
        kind, "accounts." + plural)
    return {
        f"{prefix}.create": Op(f"create_{kind}", result=item),
        f"{prefix}.update": Op(f"update_{kind}", _ID, result=item),
        f"{prefix}.list": Op(f"list_{plural}", where="none", result=listing),
        f"{prefix}.get": Op(f"get_{kind}", _ID, where="none", result=item),
        f"{prefix}.delete": Op(f"delete_{kind}", _ID, where="none"),
    }


OPERATIONS: Dict[str, Op] = {
    "files.upload": Op("upload", where="form", result=_T + "file_upload_response:FileUploadResponse"),
    "files.get": Op("get_file_details", _FILE, where="none", result=_T + "file:File"),
    "files.update": Op("update_file", _FILE, result=_T + "file_update_response:FileUpdateResponse"),
    "files.delete": Op("delete_file", _FILE, where="none"),
    "files.copy": Op("copy_file"),
    "files.move": Op("move_file"),
    "files.rename": Op("rename_file", result=_T + "file_rename_response:FileRenameResponse"),
    "files.bulk.delete": Op("bulk_file_delete", result=_T + "files.bulk_delete_response:BulkDeleteResponse"),
    "files.bulk.add_tags": Op("add_tags", result=_T + "files.bulk_add_tags_response:BulkAddTagsResponse"),
    "files.bulk.remove_tags": Op("remove_tags",
                                 result=_T + "files.bulk_remove_tags_response:BulkRemoveTagsResponse"),
    "files.bulk.remove_ai_tags": Op("remove_ai_tags",
                                    result=_T + "files.bulk_remove_ai_tags_response:BulkRemoveAITagsResponse"),
    "files.versions.list": Op("get_file_versions", _FILE, where="none",
                              result=_T + "files.version_list_response:VersionListResponse"),
    "files.versions.get": Op("get_file_version_details", _VERSION, where="none", result=_T + "file:File"),
    "files.versions.delete": Op("delete_file_version", _VERSION, where="none"),
    "files.versions.restore": Op("restore_file_version", _VERSION, where="none", result=_T + "file:File"),
    "files.metadata.get": Op("get_file_metadata", _FILE, where="none", result=_T + "metadata:Metadata"),
    "files.metadata.get_from_url": Op("get_remote_file_url_metadata", where="query",
                                      result=_T + "metadata:Metadata"),
    "assets.list": Op("list_files", where="query", result=_T + "asset_list_response:AssetListResponse"),
    "cache.invalidation.create": Op("purge_file_cache",
                                    result=_T + "cache.invalidation_create_response:InvalidationCreateResponse"),
    "cache.invalidation.get": Op("get_purge_file_cache_status", (("request_id", "purge_cache_id"),), where="none",
                                 result=_T + "cache.invalidation_get_response:InvalidationGetResponse"),
    "folders.create": Op("create_folder", result=_T + "folder_create_response:FolderCreateResponse"),
    "folders.delete": Op("delete_folder"),
    "folders.copy": Op("copy_folder", result=_T + "folder_copy_response:FolderCopyResponse"),
    "folders.move": Op("move_folder", result=_T + "folder_move_response:FolderMoveResponse"),
    "folders.rename": Op("rename_folder", result=_T + "folder_rename_response:FolderRenameResponse"),
    "folders.job.get": Op("get_bulk_job_status", (("job_id", "job_id"),), where="none",
                          result=_T + "folders.job_get_response:JobGetResponse"),
    "custom_metadata_fields.create": Op("create_custom_metadata_fields",
                                        result=_T + "custom_metadata_field:CustomMetadataField"),
    "custom_metadata_fields.list": Op("get_custom_metadata_fields", where="query",
                                      result=_T + "custom_metadata_field_list_response:"
                                                  "CustomMetadataFieldListResponse"),
    "custom_metadata_fields.update": Op("update_custom_metadata_fields", (("id", "field_id"),),
                                        result=_T + "custom_metadata_field:CustomMetadataField"),
    "custom_metadata_fields.delete": Op("delete_custom_metadata_field", (("id", "field_id"),), where="none"),
    **_account("saved_extension", "saved_extensions", _T + "shared.saved_extension:SavedExtension",
               _T + "saved_extension_list_response:SavedExtensionListResponse"),
    **_account("named_transformation", "named_transformations",
               _T + "shared.named_transformation:NamedTransformation",
               _T + "named_transformation_list_response:NamedTransformationListResponse"),
    **_account("origin", "origins", _T + "accounts.origin_response:OriginResponse",
               _T + "accounts.origin_list_response:OriginListResponse"),
    **_account("url_endpoint", "url_endpoints", _T + "accounts.url_endpoint_response:URLEndpointResponse",
               _T + "accounts.url_endpoint_list_response:URLEndpointListResponse"),
    **_account("webhook", "webhooks", _T + "accounts.webhook:Webhook",
               _T + "accounts.webhook_list_response:WebhookListResponse"),
    "accounts.usage.get": Op("get_usage", where="query", result=_T + "accounts.usage_get_response:UsageGetResponse"),
    "accounts.usage_analytics.get": Op("get_usage_analytics", where="query",
                                       result=_T + "accounts.usage_analytics_response:UsageAnalyticsResponse"),
    "beta.v2.files.upload": Op("upload_v2", where="form",
                               result=_T + "beta.v2.file_upload_response:FileUploadResponse"),
}

# Parameters whose value is a structure the API defines: its keys are renamed to wire names too
# (custom metadata, extra_body and default_query are the caller's own keys and are sent as given).
_STRUCTURED = frozenset({"schema", "url_rewriter", "publish", "extensions", "config", "transformation"})
# Form fields sent as JSON text, and lists sent comma-joined.
_FORM_JSON = frozenset({"customMetadata", "extensions", "transformation"})
_PATH_SAFE = "!$&'()*+,;=:@"


# --------------------------------------------------------------------------- results
_plans: Dict[str, Plan] = {}


def plan_of(hint: Any) -> Plan:
    """The conversion plan of a typing object (a result alias such as ``List[Union[File, Folder]]``)."""
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (list, List):
        return ("list", plan_of(args[0]) if args else ("any",))
    if origin is Union:
        return ("union", tuple(plan_of(arg) for arg in args))
    if origin is dict:
        return ("dict", plan_of(args[1]) if len(args) > 1 else ("any",))
    if origin is typing.Literal:
        return ("lit", args)
    if hint is type(None):
        return ("none",)
    if isinstance(hint, type) and issubclass(hint, BaseModel):
        return ("model", hint)
    return {str: ("str",), int: ("int",), float: ("float",), bool: ("bool",)}.get(hint, ("any",))


def _result_plan(spec: str) -> Plan:
    plan = _plans.get(spec)
    if plan is None:
        module, name = spec.split(":")
        plan = _plans[spec] = plan_of(getattr(importlib.import_module(module), name))
    return plan


def _read(op: Op, response: requests.Response) -> Any:
    if op.result is None:
        return None
    text = response.text
    try:
        data = json.loads(text)
    except ValueError:
        return text  # a 2xx that is not JSON (a maintenance page): given as text, as 5.x does
    return _keep(_result_plan(op.result), data)


class APIResponse:
    """What ``with_raw_response`` methods return: the HTTP answer, and :meth:`parse` for the result."""

    def __init__(self, response: requests.Response, op: Op) -> None:
        self.http_response = response
        self._op = op

    @property
    def headers(self) -> Any:
        return self.http_response.headers

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def url(self) -> str:
        return str(self.http_response.url)

    @property
    def method(self) -> str:
        return str(self.http_response.request.method)

    @property
    def content(self) -> bytes:
        return self.http_response.content

    @property
    def text(self) -> str:
        return self.http_response.text

    @property
    def elapsed(self) -> datetime.timedelta:
        return self.http_response.elapsed

    def json(self) -> Any:
        return self.http_response.json()

    def parse(self) -> Any:
        """The result the method would have returned."""
        return _read(self._op, self.http_response)

    def read(self) -> bytes:
        return self.http_response.content

    def iter_bytes(self, chunk_size: Optional[int] = None) -> Iterator[bytes]:
        return self.http_response.iter_content(chunk_size)

    def close(self) -> None:
        self.http_response.close()

    def __enter__(self) -> "APIResponse":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<APIResponse [{self.status_code}] type={self._op.result}>"


# --------------------------------------------------------------------------- encoding
def wire_key(name: str, names: Mapping[str, str]) -> str:
    return names.get(name, name)


def _renamed(value: Any, names: Mapping[str, str]) -> Any:
    if isinstance(value, Mapping):
        return {wire_key(str(key), names): _renamed(item, names) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_renamed(item, names) for item in value]
    return value


def _json_ready(value: Any) -> Any:
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {key: _json_ready(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_ready(item) for item in value]
    if isinstance(value, BaseModel):
        return value.to_dict()
    return value


def _query_value(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    return str(value)


def _query_pairs(key: str, value: Any) -> List[Tuple[str, str]]:
    if value is None or isinstance(value, Omit):
        return []
    if isinstance(value, Mapping):
        return [pair for sub, item in value.items() for pair in _query_pairs(f"{key}[{sub}]", item)]
    if isinstance(value, (list, tuple)):
        return [(key, ",".join(_query_value(item) for item in value))]
    return [(key, _query_value(value))]


def query_string(*layers: Mapping[str, Any]) -> str:
    """The query string: later layers win on a key clash, and a key keeps its first position."""
    merged: Dict[str, Any] = {}
    for layer in layers:
        merged.update(layer)
    return urlencode([pair for key, value in merged.items() for pair in _query_pairs(key, value)])


def _form_value(key: str, value: Any) -> Optional[str]:
    if key in _FORM_JSON:
        return json.dumps(_json_ready(value))
    if isinstance(value, (list, tuple)):
        return ",".join(_query_value(item) for item in value) if value else None
    return _query_value(value)


def _form_fields(key: str, value: Any) -> List[Tuple[str, str]]:
    """``extra_body`` fields: nested mappings become ``key[sub]`` and lists repeated ``key[]``."""
    if isinstance(value, Mapping):
        return [field for sub, item in value.items() for field in _form_fields(f"{key}[{sub}]", item)]
    if isinstance(value, (list, tuple)):
        return [field for item in value for field in _form_fields(f"{key}[]", item)]
    if value is None:
        return []
    return [(key, _query_value(value))]


def _file_part(file: Any) -> Any:
    """The multipart ``file`` part: ``(filename, content, content type)``, as 5.x names each input kind.
    A ``str`` (a URL or base64 text) is sent as a plain field, as 4.x does (5.11 refuses it)."""
    if isinstance(file, str):
        return file
    if isinstance(file, tuple):
        name, content = file[0], file[1]
        content = _read_content(content)
        mime = file[2] if len(file) > 2 and file[2] else _guess(name)
        return (name or "upload", content, mime)
    if isinstance(file, os.PathLike):
        path = os.fspath(file)
        with open(path, "rb") as fh:
            return (os.path.basename(path), fh.read(), _guess(path))
    if isinstance(file, (bytes, bytearray, memoryview)):
        return ("upload", bytes(file), "application/octet-stream")
    if isinstance(file, io.IOBase) or hasattr(file, "read"):
        name = getattr(file, "name", None)
        if isinstance(name, str) and name and not isinstance(file, io.BytesIO):
            return (os.path.basename(name), _read_content(file), _guess(name))
        return ("upload", _read_content(file), "application/octet-stream")
    raise TypeError(f"file must be bytes, a file object, a path, a (name, content[, type]) tuple, or a URL or "
                    f"base64 str, not {type(file).__name__}")


def _read_content(content: Any) -> bytes:
    if isinstance(content, (bytes, bytearray, memoryview)):
        return bytes(content)
    if isinstance(content, os.PathLike):
        with open(content, "rb") as fh:
            return fh.read()
    data = content.read()
    return data.encode() if isinstance(data, str) else bytes(data)


def _guess(name: Optional[str]) -> str:
    return (mimetypes.guess_type(name)[0] if name else None) or "application/octet-stream"


# --------------------------------------------------------------------------- running an operation
def _stainless_headers(read_timeout: Any) -> Dict[str, str]:
    return {
        "User-Agent": f"ImageKit/Python {SDK_VERSION}",
        "X-Stainless-Lang": "python", "X-Stainless-Package-Version": SDK_VERSION,
        "X-Stainless-OS": platform.system() or "Unknown", "X-Stainless-Arch": platform.machine() or "unknown",
        "X-Stainless-Runtime": platform.python_implementation(),
        "X-Stainless-Runtime-Version": platform.python_version(), "X-Stainless-Async": "false",
        "X-Stainless-Retry-Count": "0", "X-Stainless-Read-Timeout": _seconds(read_timeout),
    }


def _seconds(value: Any) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _path_value(name: str, value: Any) -> str:
    if not isinstance(value, str) or value == "":
        raise ValueError(f"Expected a non-empty value for `{name}` but received {value!r}")
    return quote(value, safe=_PATH_SAFE)


def run(client: "ImageKit", name: str, params: Dict[str, Any], raw: bool = False) -> Any:
    """Run the 5.x operation ``name`` with the method's ``params`` (its ``locals()``)."""
    from ..file import ENDPOINTS  # the row table; imported here so that `import imagekitio` stays lean

    op = OPERATIONS[name]
    endpoint = ENDPOINTS[op.row]
    config = client._v5
    params = {key: value for key, value in params.items() if key not in ("self", "__class__")}
    extra_headers = params.pop("extra_headers", None) or {}
    extra_query = params.pop("extra_query", None) or {}
    extra_body = params.pop("extra_body", None)
    timeout = params.pop("timeout", not_given)
    path_values = {placeholder: _path_value(param, params.pop(param)) for param, placeholder in op.path}
    path = endpoint.path.format(**path_values)
    for segment in path.split("/"):
        if segment in (".", ".."):
            raise ValueError(f"Constructed path {path!r} contains dot-segment {segment!r} which is not allowed")
    from .resources import WIRE_NAMES
    given = {key: value for key, value in params.items() if not isinstance(value, Omit)}

    headers: CaseInsensitiveDict = CaseInsensitiveDict()  # type: ignore[type-arg]
    headers["Accept"] = "application/json" if op.result is not None else "*/*"
    request_timeout = client.ik_request.timeout if isinstance(timeout, NotGiven) else timeout
    read_timeout = request_timeout[1] if isinstance(request_timeout, tuple) else request_timeout
    headers.update(_stainless_headers(read_timeout))
    headers["Authorization"] = config.authorization(client.ik_request.private_key)
    query: Dict[str, Any] = {}
    data: Any = None
    if op.where == "query":
        query = {wire_key(key, WIRE_NAMES): value for key, value in given.items()}
    elif op.where == "form":
        fields: List[Tuple[str, Any]] = []
        file = given.pop("file")
        for key, value in given.items():
            wire = wire_key(key, WIRE_NAMES)
            text = _form_value(wire, _renamed(value, WIRE_NAMES) if key in _STRUCTURED else value)
            if text is not None:
                fields.append((wire, text))
        for key, value in (extra_body or {}).items():
            fields.extend(_form_fields(key, value))
        fields.append(("file", _file_part(file)))
        # secrets, not the encoder's uuid4: a boundary no file or field can contain by design
        encoder = MultipartEncoder(fields=fields, boundary=secrets.token_hex(16))
        headers["Content-Type"] = encoder.content_type
        data = encoder.to_string()
    else:
        if endpoint.method != "GET":
            headers["Content-Type"] = "application/json"
        body = {wire_key(key, WIRE_NAMES): _renamed(value, WIRE_NAMES) if key in _STRUCTURED else value
                for key, value in given.items()}
        if extra_body:
            body.update(extra_body)
        if op.where == "body":
            data = json.dumps(_json_ready(body), separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    for key, value in config.default_headers.items():
        headers[key] = value
    for key, value in extra_headers.items():
        if isinstance(value, Omit):
            headers.pop(key, None)
        else:
            headers[key] = value
    qs = query_string(config.default_query, query, extra_query)
    try:
        exchange = client.file.send(op.row, path, query=qs, headers=dict(headers), data=data,
                                    timeout=request_timeout if not isinstance(timeout, NotGiven) else None)
    except ImageKitTimeoutError as error:
        raise errors.APITimeoutError(request=_request_of(error)) from error
    except ImageKitConnectionError as error:
        raise errors.APIConnectionError(request=_request_of(error)) from error
    response = exchange.response
    if raw:
        return APIResponse(response, op)
    if not 200 <= response.status_code <= 299:
        if endpoint.idempotency is Idempotency.DELETE and response.status_code == 404 \
                and exchange.replayed_after_delivery:
            return None  # an earlier attempt reached the server and deleted it; the replay found nothing
        raise errors.status_error(response)
    return _read(op, response)


def _request_of(error: BaseException) -> Any:
    cause = error.__cause__
    return getattr(cause, "request", None)

"""Request option classes: the typed arguments of the media API calls.

Each class stores only the options that were given (``None`` means "not given"), in its declared
order, which is the order they go on the wire. Unknown attributes raise ``AttributeError``.
"""
import enum
import warnings
from typing import Any, ClassVar, Dict, List, Optional, Tuple

from .model import Model
from .utils.formatter import camel_to_snake


class RequestOptions(Model):
    """Options base: only the options given are stored (``None`` means "not given"), in field order."""

    # Options 4.x kept as attributes even when None.
    _always: ClassVar[Tuple[str, ...]] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        values = self._bind(args, kwargs, extra_allowed=False)
        for name in self._fields:
            value = self._convert(name, values.get(name))
            if value is not None or name in self._always:
                setattr(self, name, value)

    def _convert(self, name: str, value: Any) -> Any:
        return value


class UploadFileRequestOptions(RequestOptions):
    use_unique_file_name: Optional[bool]
    tags: Optional[List[str]]
    folder: Optional[str]
    is_private_file: Optional[bool]
    custom_coordinates: Optional[str]
    response_fields: Optional[List[str]]
    extensions: Optional[List[Dict[str, Any]]]
    webhook_url: Optional[str]
    overwrite_file: Optional[bool]
    overwrite_ai_tags: Optional[bool]
    overwrite_tags: Optional[bool]
    overwrite_custom_metadata: Optional[bool]
    custom_metadata: Optional[Dict[str, Any]]
    transformation: Any
    checks: Optional[str]
    is_published: Optional[bool]
    description: Optional[str]
    token: Optional[str]
    public_key: Optional[str]
    signature: Optional[str]
    expire: Optional[int]


class ListAndSearchFileRequestOptions(RequestOptions):
    type: Any
    sort: Optional[str]
    path: Optional[str]
    search_query: Optional[str]
    file_type: Optional[str]
    limit: Optional[int]
    skip: Optional[int]
    tags: Optional[List[str]]
    include_folder: Optional[bool]


class UpdateFileRequestOptions(RequestOptions):
    publish: Optional[Dict[str, Any]]
    remove_ai_tags: Any
    webhook_url: Optional[str]
    extensions: Optional[List[Dict[str, Any]]]
    tags: Optional[List[str]]
    custom_coordinates: Optional[str]
    custom_metadata: Optional[Dict[str, Any]]
    description: Optional[str]

    def __init__(self, remove_ai_tags: Optional[List[str]] = None, webhook_url: Optional[str] = None,
                 extensions: Any = None, tags: Optional[List[str]] = None, custom_coordinates: Optional[str] = None,
                 custom_metadata: Optional[Dict[str, Any]] = None, publish: Optional[Dict[str, Any]] = None,
                 description: Optional[str] = None) -> None:
        # 4.x takes `publish` last but stores it first; the wire order follows the storage order.
        super().__init__(publish=publish, remove_ai_tags=remove_ai_tags, webhook_url=webhook_url,
                         extensions=extensions, tags=tags, custom_coordinates=custom_coordinates,
                         custom_metadata=custom_metadata, description=description)


class CopyFileRequestOptions(RequestOptions):
    source_file_path: Optional[str]
    destination_path: Optional[str]
    include_file_versions: Optional[bool]


class MoveFileRequestOptions(RequestOptions):
    source_file_path: Optional[str]
    destination_path: Optional[str]


class RenameFileRequestOptions(RequestOptions):
    file_path: Optional[str]
    new_file_name: Optional[str]
    purge_cache: Optional[bool]


class CreateFolderRequestOptions(RequestOptions):
    folder_name: Optional[str]
    parent_folder_path: Optional[str]


class DeleteFolderRequestOptions(RequestOptions):
    folder_path: Optional[str]


class CopyFolderRequestOptions(RequestOptions):
    source_folder_path: Optional[str]
    destination_path: Optional[str]
    include_file_versions: Optional[bool]


class MoveFolderRequestOptions(RequestOptions):
    source_folder_path: Optional[str]
    destination_path: Optional[str]


class CustomMetaDataTypeEnum(enum.Enum):
    Text = 1
    Textarea = 2
    Number = 3
    Date = 4
    Boolean = 5
    SingleSelect = 6
    MultiSelect = 7


class CustomMetadataFieldsSchema(RequestOptions):
    """The schema of a custom metadata field; ``type`` is stored by name (``"Number"``)."""
    type: Any
    select_options: Optional[List[Any]]
    default_value: Any
    is_value_required: Optional[bool]
    min_value: Any
    max_value: Any
    min_length: Optional[int]
    max_length: Optional[int]

    def _convert(self, name: str, value: Any) -> Any:
        if name == "type" and isinstance(value, enum.Enum):
            return value.name
        return value


def schema_from(value: Any) -> Any:
    """A ``CustomMetadataFieldsSchema`` from a dict with snake_case or camelCase keys; others unchanged."""
    if isinstance(value, dict):
        return CustomMetadataFieldsSchema(**{camel_to_snake(key): item for key, item in value.items()})
    return value


class CreateCustomMetadataFieldsRequestOptions(RequestOptions):
    name: Optional[str]
    label: Optional[str]
    schema: Optional["CustomMetadataFieldsSchema"]
    description: Optional[str]

    def _convert(self, name: str, value: Any) -> Any:
        return schema_from(value) if name == "schema" else value


class UpdateCustomMetadataFieldsRequestOptions(RequestOptions):
    label: Optional[str]
    schema: Optional["CustomMetadataFieldsSchema"]
    description: Optional[str]
    _always = ("label", "schema")

    def _convert(self, name: str, value: Any) -> Any:
        if name == "schema" and value is not None and not isinstance(value, CustomMetadataFieldsSchema):
            # 4.x stores None here (the recorded behaviour); say so rather than drop it silently.
            warnings.warn("UpdateCustomMetadataFieldsRequestOptions ignores a schema that is not a "
                          "CustomMetadataFieldsSchema; pass CustomMetadataFieldsSchema(...)", UserWarning,
                          stacklevel=4)
            return None
        return value


# --------------------------------------------------------------------------- beyond 4.x
class RenameFolderRequestOptions(RequestOptions):
    folder_path: Optional[str]
    new_folder_name: Optional[str]
    purge_cache: Optional[bool]


class SavedExtensionRequestOptions(RequestOptions):
    """``name``, ``description`` and ``config`` (an extension such as ``{"name": "remove-bg"}``)."""
    name: Optional[str]
    description: Optional[str]
    config: Optional[Dict[str, Any]]


class NamedTransformationRequestOptions(RequestOptions):
    """``name`` (``[A-Za-z0-9_]``), ``transformation`` (such as ``"w-100"``) and ``enabled``."""
    name: Optional[str]
    transformation: Any
    enabled: Optional[bool]


# Fields each origin type requires (sent under their camelCase names).
ORIGIN_REQUIRED = {
    "S3": ("bucket", "access_key", "secret_key"),
    "S3_COMPATIBLE": ("bucket", "endpoint", "access_key", "secret_key"),
    "CLOUDINARY_BACKUP": ("bucket", "access_key", "secret_key"),
    "WEB_FOLDER": ("base_url",),
    "WEB_PROXY": (),
    "GCS": ("bucket", "client_email", "private_key"),
    "AZURE_BLOB": ("account_name", "container", "sas_token"),
    "AKENEO_PIM": ("base_url", "client_id", "client_secret", "username", "password"),
}


class OriginRequestOptions(RequestOptions):
    """An origin: ``type`` (one of :data:`ORIGIN_REQUIRED`), ``name`` and that type's own fields."""
    type: Any
    name: Optional[str]
    include_canonical_header: Optional[bool]
    base_url_for_canonical_header: Optional[str]
    bucket: Optional[str]
    prefix: Optional[str]
    endpoint: Optional[str]
    access_key: Optional[str]
    secret_key: Optional[str]
    use_iam_role: Optional[bool]
    s3_force_path_style: Optional[bool]
    base_url: Optional[str]
    forward_host_header_to_origin: Optional[bool]
    client_email: Optional[str]
    private_key: Optional[str]
    account_name: Optional[str]
    container: Optional[str]
    sas_token: Optional[str]
    client_id: Optional[str]
    client_secret: Optional[str]
    username: Optional[str]
    password: Optional[str]

    def __repr__(self) -> str:  # secrets stay out of logs and tracebacks
        secret = {"access_key", "secret_key", "private_key", "sas_token", "client_secret", "password"}
        shown = ", ".join(f"{k}={'***' if k in secret else repr(v)}" for k, v in vars(self).items())
        return f"{type(self).__name__}({shown})"


class URLEndpointRequestOptions(RequestOptions):
    """``description``, ``origins`` (origin ids, tried in order), ``url_prefix`` and ``url_rewriter``
    (``{"type": "CLOUDINARY" | "IMGIX" | "AKAMAI", ...}``)."""
    description: Optional[str]
    origins: Optional[List[str]]
    url_prefix: Optional[str]
    url_rewriter: Optional[Dict[str, Any]]


class WebhookRequestOptions(RequestOptions):
    """An account webhook: ``endpoint`` (http/https URL), ``events`` (event type names) and ``enabled``."""
    endpoint: Optional[str]
    events: Optional[List[str]]
    enabled: Optional[bool]


__all__ = [
    "RenameFolderRequestOptions", "SavedExtensionRequestOptions", "NamedTransformationRequestOptions",
    "OriginRequestOptions", "URLEndpointRequestOptions", "WebhookRequestOptions", "ORIGIN_REQUIRED",
    "RequestOptions", "UploadFileRequestOptions", "ListAndSearchFileRequestOptions", "UpdateFileRequestOptions",
    "CopyFileRequestOptions", "MoveFileRequestOptions", "RenameFileRequestOptions", "CreateFolderRequestOptions",
    "DeleteFolderRequestOptions", "CopyFolderRequestOptions", "MoveFolderRequestOptions", "CustomMetaDataTypeEnum",
    "CustomMetadataFieldsSchema", "CreateCustomMetadataFieldsRequestOptions",
    "UpdateCustomMetadataFieldsRequestOptions",
]

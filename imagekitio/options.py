"""Request option classes: the typed arguments of the media API calls.

Each class stores only the options that were given (``None`` means "not given"), in its declared
order, which is the order they go on the wire. Unknown attributes raise ``AttributeError``.
"""
import enum
import warnings
from typing import Any, Dict, List, Optional, Tuple

from .utils.formatter import camel_to_snake


class RequestOptions:
    _fields: Tuple[str, ...] = ()
    # Options 4.x kept as attributes even when None.
    _always: Tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if len(args) > len(self._fields):
            raise TypeError(f"{type(self).__name__} takes at most {len(self._fields)} positional arguments")
        values = dict(zip(self._fields, args))
        for key, value in kwargs.items():
            if key not in self._fields:
                raise TypeError(f"{type(self).__name__} got an unexpected keyword argument {key!r}")
            if key in values:
                raise TypeError(f"{type(self).__name__} got multiple values for argument {key!r}")
            values[key] = value
        for name in self._fields:
            value = self._convert(name, values.get(name))
            if value is not None or name in self._always:
                setattr(self, name, value)

    def _convert(self, name: str, value: Any) -> Any:
        return value

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in vars(self).items())})"

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and vars(self) == vars(other)

    __hash__ = None


class UploadFileRequestOptions(RequestOptions):
    _fields = ("use_unique_file_name", "tags", "folder", "is_private_file", "custom_coordinates",
               "response_fields", "extensions", "webhook_url", "overwrite_file", "overwrite_ai_tags",
               "overwrite_tags", "overwrite_custom_metadata", "custom_metadata", "transformation", "checks",
               "is_published", "description", "token", "public_key", "signature", "expire")


class ListAndSearchFileRequestOptions(RequestOptions):
    _fields = ("type", "sort", "path", "search_query", "file_type", "limit", "skip", "tags", "include_folder")


class UpdateFileRequestOptions(RequestOptions):
    _fields = ("publish", "remove_ai_tags", "webhook_url", "extensions", "tags", "custom_coordinates",
               "custom_metadata", "description")

    def __init__(self, remove_ai_tags: Optional[List[str]] = None, webhook_url: Optional[str] = None,
                 extensions: Any = None, tags: Optional[List[str]] = None, custom_coordinates: Optional[str] = None,
                 custom_metadata: Optional[Dict[str, Any]] = None, publish: Optional[Dict[str, Any]] = None,
                 description: Optional[str] = None) -> None:
        # 4.x takes `publish` last but stores it first; the wire order follows the storage order.
        super().__init__(publish=publish, remove_ai_tags=remove_ai_tags, webhook_url=webhook_url,
                         extensions=extensions, tags=tags, custom_coordinates=custom_coordinates,
                         custom_metadata=custom_metadata, description=description)


class CopyFileRequestOptions(RequestOptions):
    _fields = ("source_file_path", "destination_path", "include_file_versions")


class MoveFileRequestOptions(RequestOptions):
    _fields = ("source_file_path", "destination_path")


class RenameFileRequestOptions(RequestOptions):
    _fields = ("file_path", "new_file_name", "purge_cache")


class CreateFolderRequestOptions(RequestOptions):
    _fields = ("folder_name", "parent_folder_path")


class DeleteFolderRequestOptions(RequestOptions):
    _fields = ("folder_path",)


class CopyFolderRequestOptions(RequestOptions):
    _fields = ("source_folder_path", "destination_path", "include_file_versions")


class MoveFolderRequestOptions(RequestOptions):
    _fields = ("source_folder_path", "destination_path")


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
    _fields = ("type", "select_options", "default_value", "is_value_required", "min_value", "max_value",
               "min_length", "max_length")

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
    _fields = ("name", "label", "schema", "description")

    def _convert(self, name: str, value: Any) -> Any:
        return schema_from(value) if name == "schema" else value


class UpdateCustomMetadataFieldsRequestOptions(RequestOptions):
    _fields = ("label", "schema", "description")
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
    _fields = ("folder_path", "new_folder_name", "purge_cache")


class SavedExtensionRequestOptions(RequestOptions):
    """``name``, ``description`` and ``config`` (an extension such as ``{"name": "remove-bg"}``)."""
    _fields = ("name", "description", "config")


class NamedTransformationRequestOptions(RequestOptions):
    """``name`` (``[A-Za-z0-9_]``), ``transformation`` (such as ``"w-100"``) and ``enabled``."""
    _fields = ("name", "transformation", "enabled")


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
    _fields = ("type", "name", "include_canonical_header", "base_url_for_canonical_header", "bucket", "prefix",
               "endpoint", "access_key", "secret_key", "use_iam_role", "s3_force_path_style", "base_url",
               "forward_host_header_to_origin", "client_email", "private_key", "account_name", "container",
               "sas_token", "client_id", "client_secret", "username", "password")

    def __repr__(self) -> str:  # secrets stay out of logs and tracebacks
        secret = {"access_key", "secret_key", "private_key", "sas_token", "client_secret", "password"}
        shown = ", ".join(f"{k}={'***' if k in secret else repr(v)}" for k, v in vars(self).items())
        return f"{type(self).__name__}({shown})"


class URLEndpointRequestOptions(RequestOptions):
    """``description``, ``origins`` (origin ids, tried in order), ``url_prefix`` and ``url_rewriter``
    (``{"type": "CLOUDINARY" | "IMGIX" | "AKAMAI", ...}``)."""
    _fields = ("description", "origins", "url_prefix", "url_rewriter")


class WebhookRequestOptions(RequestOptions):
    """An account webhook: ``endpoint`` (http/https URL), ``events`` (event type names) and ``enabled``."""
    _fields = ("endpoint", "events", "enabled")


__all__ = [
    "RenameFolderRequestOptions", "SavedExtensionRequestOptions", "NamedTransformationRequestOptions",
    "OriginRequestOptions", "URLEndpointRequestOptions", "WebhookRequestOptions", "ORIGIN_REQUIRED",
    "RequestOptions", "UploadFileRequestOptions", "ListAndSearchFileRequestOptions", "UpdateFileRequestOptions",
    "CopyFileRequestOptions", "MoveFileRequestOptions", "RenameFileRequestOptions", "CreateFolderRequestOptions",
    "DeleteFolderRequestOptions", "CopyFolderRequestOptions", "MoveFolderRequestOptions", "CustomMetaDataTypeEnum",
    "CustomMetadataFieldsSchema", "CreateCustomMetadataFieldsRequestOptions",
    "UpdateCustomMetadataFieldsRequestOptions",
]

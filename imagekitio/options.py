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
               "is_published")


class ListAndSearchFileRequestOptions(RequestOptions):
    _fields = ("type", "sort", "path", "search_query", "file_type", "limit", "skip", "tags")


class UpdateFileRequestOptions(RequestOptions):
    _fields = ("publish", "remove_ai_tags", "webhook_url", "extensions", "tags", "custom_coordinates",
               "custom_metadata")

    def __init__(self, remove_ai_tags: Optional[List[str]] = None, webhook_url: Optional[str] = None,
                 extensions: Any = None, tags: Optional[List[str]] = None, custom_coordinates: Optional[str] = None,
                 custom_metadata: Optional[Dict[str, Any]] = None, publish: Optional[Dict[str, Any]] = None) -> None:
        # 4.x takes `publish` last but stores it first; the wire order follows the storage order.
        super().__init__(publish=publish, remove_ai_tags=remove_ai_tags, webhook_url=webhook_url,
                         extensions=extensions, tags=tags, custom_coordinates=custom_coordinates,
                         custom_metadata=custom_metadata)


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
    _fields = ("name", "label", "schema")

    def _convert(self, name: str, value: Any) -> Any:
        return schema_from(value) if name == "schema" else value


class UpdateCustomMetadataFieldsRequestOptions(RequestOptions):
    _fields = ("label", "schema")
    _always = ("label", "schema")

    def _convert(self, name: str, value: Any) -> Any:
        if name == "schema" and value is not None and not isinstance(value, CustomMetadataFieldsSchema):
            # 4.x stores None here (the recorded behaviour); say so rather than drop it silently.
            warnings.warn("UpdateCustomMetadataFieldsRequestOptions ignores a schema that is not a "
                          "CustomMetadataFieldsSchema; pass CustomMetadataFieldsSchema(...)", UserWarning,
                          stacklevel=4)
            return None
        return value


__all__ = [
    "RequestOptions", "UploadFileRequestOptions", "ListAndSearchFileRequestOptions", "UpdateFileRequestOptions",
    "CopyFileRequestOptions", "MoveFileRequestOptions", "RenameFileRequestOptions", "CreateFolderRequestOptions",
    "DeleteFolderRequestOptions", "CopyFolderRequestOptions", "MoveFolderRequestOptions", "CustomMetaDataTypeEnum",
    "CustomMetadataFieldsSchema", "CreateCustomMetadataFieldsRequestOptions",
    "UpdateCustomMetadataFieldsRequestOptions",
]

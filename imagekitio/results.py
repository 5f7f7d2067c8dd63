"""Result classes: what the facade methods return.

One base, :class:`Result`, takes the fields a class declares (positionally or by keyword), keeps any
field the API adds that the class does not know, and carries ``response_metadata``. Classes declare
only their fields, defaults and nested types.
"""
from typing import Any, Callable, Dict, Iterator, Tuple

from .utils.formatter import camel_dict_to_snake_dict


class ResponseMetadata:
    """The raw parsed body, HTTP status and headers of the response behind a result or an error.

    Holds exactly ``raw``, ``http_status_code`` and ``headers`` (plus extra keywords it was given),
    so ``vars(result.response_metadata)`` compares equal to a plain dict.
    """

    def __init__(self, raw: Any = None, http_status_code: Any = None, headers: Any = None, **kwargs: Any) -> None:
        self.raw = raw
        self.http_status_code = http_status_code
        self.headers = headers
        for key, value in kwargs.items():
            setattr(self, key, value)

    def __getattr__(self, name: str) -> None:
        return _missing(name)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and vars(self) == vars(other)

    __hash__ = None  # mutable

    def __repr__(self) -> str:
        return f"ResponseMetadata(http_status_code={self.http_status_code!r}, raw={self.raw!r})"


def _missing(name: str) -> None:
    # Dunder lookups (copy, pickle, ...) must keep raising, or those protocols break.
    if name.startswith("__"):
        raise AttributeError(name)
    return None


def _empty_metadata() -> ResponseMetadata:
    return ResponseMetadata("", "", "")


class StrictResult:
    """Result base whose unknown attributes raise ``AttributeError`` (as these 4.x classes did)."""

    _fields: Tuple[str, ...] = ()
    _defaults: Dict[str, Any] = {}
    _convert: Dict[str, Callable[[Any], Any]] = {}

    def __init__(self, /, *args: Any, **kwargs: Any) -> None:  # `self` positional-only: a field may be "self"
        if len(args) > len(self._fields):
            raise TypeError(f"{type(self).__name__} takes at most {len(self._fields)} positional arguments")
        values = dict(zip(self._fields, args))
        for key in kwargs:
            if key in values:
                raise TypeError(f"{type(self).__name__} got multiple values for argument {key!r}")
        values.update(kwargs)
        response_metadata = values.pop("response_metadata", None)
        for name in self._fields:
            value = values.pop(name) if name in values else _default(self._defaults.get(name))
            convert = self._convert.get(name)
            setattr(self, name, convert(value) if convert else value)
        for name, value in values.items():  # fields the API added after this class was written
            if not name.startswith("_"):  # "__class__", "__dict__"...: never let a body reach the object's internals
                setattr(self, name, value)
        self.response_metadata = response_metadata if response_metadata is not None else _empty_metadata()

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if k != "response_metadata")
        return f"{type(self).__name__}({shown})"

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and vars(self) == vars(other)

    __hash__ = None  # mutable


class Result(StrictResult):
    """Result base where reading a field that was never set gives ``None``."""

    def __getattr__(self, name: str) -> None:
        return _missing(name)


def _default(value: Any) -> Any:
    # Defaults such as `list` / `dict` are factories, so instances never share a mutable default.
    return value() if isinstance(value, type) else value


def one(cls: type) -> Callable[[Any], Any]:
    """Converter: a camelCase dict (or None) becomes an instance of ``cls``."""
    def convert(value: Any) -> Any:
        if value is None:
            return cls()
        if isinstance(value, dict):
            return cls(**camel_dict_to_snake_dict(value))
        return value
    return convert


def many(cls: type, when_none: Callable[[], Any] = list) -> Callable[[Any], Any]:
    """Converter: a list of camelCase dicts becomes a list of ``cls``."""
    def convert(value: Any) -> Any:
        if value is None:
            return when_none()
        if not isinstance(value, list):  # not what the API promises: kept as sent rather than crashed on
            return value
        return [cls(**camel_dict_to_snake_dict(item)) if isinstance(item, dict) else item for item in value]
    return convert


# --------------------------------------------------------------------------- small parts
class AITags(Result):
    _fields = ("name", "confidence", "source")


class VersionInfo(Result):
    _fields = ("id", "name")


class EmbeddedMetadata(Result):
    _fields = ("x_resolution", "y_resolution", "date_created", "date_time_created")


# --------------------------------------------------------------------------- files
_FILE_FIELDS = (
    "type", "name", "created_at", "updated_at", "file_id", "tags", "ai_tags", "version_info",
    "embedded_metadata", "custom_coordinates", "custom_metadata", "is_private_file", "url", "thumbnail",
    "file_type", "file_path", "height", "width", "size", "has_alpha", "mime", "extension_status",
)
_FILE_DEFAULTS = {"custom_coordinates": "", "is_private_file": False, "url": "", "thumbnail": "",
                  "file_type": "", "file_path": "", "has_alpha": False}
_FILE_CONVERT = {"ai_tags": many(AITags), "version_info": one(VersionInfo)}


class FileResult(Result):
    """One file (or folder) of a listing."""
    _fields = _FILE_FIELDS
    _defaults = {**_FILE_DEFAULTS, "embedded_metadata": dict, "custom_metadata": dict, "extension_status": dict}
    _convert = _FILE_CONVERT


class FileResultWithResponseMetadata(Result):
    """The details of one file, returned by the single-file calls."""
    _fields = _FILE_FIELDS
    _defaults = _FILE_DEFAULTS
    _convert = _FILE_CONVERT


class UploadFileResult(Result):
    _fields = (
        "file_id", "name", "url", "thumbnail_url", "height", "width", "size", "file_path", "tags", "ai_tags",
        "version_info", "is_private_file", "custom_coordinates", "custom_metadata", "embedded_metadata",
        "extension_status", "file_type", "orientation",
    )
    _defaults = {"is_private_file": False}
    # 4.x fills a missing AITags list with one empty tag; code written against it relies on that.
    _convert = {"ai_tags": many(AITags, when_none=lambda: [AITags()]), "version_info": one(VersionInfo),
                "embedded_metadata": one(EmbeddedMetadata)}


class ListResult(StrictResult):
    """A result holding ``.list``; iterating it and ``len()`` go through that list. It stays truthy when
    empty, as every 4.x result object was."""
    _fields = ("list",)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.list or ())

    def __len__(self) -> int:
        return len(self.list or ())

    def __bool__(self) -> bool:
        return True


class ListFileResult(ListResult):
    pass


class TagsResult(Result):
    _fields = ("successfully_updated_file_ids",)


class BulkDeleteFileResult(Result):
    _fields = ("successfully_deleted_file_ids",)


class RenameFileResult(StrictResult):
    _fields = ("purge_request_id",)


class ResponseMetadataResult(StrictResult):
    """Returned by calls whose response has no body worth keeping: only ``response_metadata``."""


class FolderResult(Result):
    _fields = ("job_id",)


class GetBulkJobStatusResult(Result):
    _fields = ("job_id", "type", "status")


class PurgeCacheResult(StrictResult):
    _fields = ("request_id",)


class PurgeCacheStatusResult(StrictResult):
    _fields = ("status",)


# --------------------------------------------------------------------------- metadata
class MetadataExifImage(Result):
    _fields = ("make", "model", "orientation", "x_resolution", "y_resolution", "resolution_unit", "software",
               "modify_date", "y_cb_cr_positioning", "exif_offset", "gps_info")


class MetadataExifThumbnail(Result):
    _fields = ("compression", "x_resolution", "y_resolution", "resolution_unit", "thumbnail_offset",
               "thumbnail_length")


class MetadataExifExif(Result):
    _fields = (
        "exposure_time", "f_number", "exposure_program", "iso", "exif_version", "date_time_original",
        "create_date", "shutter_speed_value", "aperture_value", "exposure_compensation", "metering_mode",
        "flash", "focal_length", "sub_sec_time", "sub_sec_time_original", "sub_sec_time_digitized",
        "flashpix_version", "color_space", "exif_image_width", "exif_image_height", "interop_offset",
        "focal_plane_x_resolution", "focal_plane_y_resolution", "focal_plane_resolution_unit",
        "custom_rendered", "exposure_mode", "white_balance", "scene_capture_type",
    )


class MetadataExifGPS(Result):
    _fields = ("gps_version_id",)
    # 4.x applies list() to whatever it is given (a str becomes its characters: vector m041); a value
    # list() cannot take is kept as sent.
    _convert = {"gps_version_id": lambda v: [] if v is None else list(v) if isinstance(v, (list, tuple, str)) else v}


class MetadataExifInteroperability(Result):
    _fields = ("interop_index", "interop_version")


class MetadataExif(Result):
    _fields = ("image", "thumbnail", "exif", "gps", "interoperability", "makernote")
    _defaults = {"makernote": dict}
    _convert = {"image": one(MetadataExifImage), "thumbnail": one(MetadataExifThumbnail),
                "exif": one(MetadataExifExif), "gps": one(MetadataExifGPS),
                "interoperability": one(MetadataExifInteroperability)}


class GetMetadataResult(Result):
    _fields = ("height", "width", "size", "format", "has_color_profile", "quality", "density",
               "has_transparency", "p_hash", "exif")
    _convert = {"exif": one(MetadataExif)}


# --------------------------------------------------------------------------- custom metadata fields
class CustomMetadataSchema(Result):
    _fields = ("type", "select_options", "default_value", "is_value_required", "min_value", "max_value",
               "min_length", "max_length")


class CustomMetadataFieldsResult(Result):
    _fields = ("id", "name", "label", "schema")
    _convert = {"schema": one(CustomMetadataSchema)}


class CustomMetadataFieldsResultWithResponseMetadata(CustomMetadataFieldsResult):
    pass


class ListCustomMetadataFieldsResult(ListResult):
    pass


# --------------------------------------------------------------------------- beyond 4.x
class SavedExtension(Result):
    _fields = ("id", "name", "description", "config", "created_at", "updated_at")


class NamedTransformation(Result):
    _fields = ("id", "name", "transformation", "enabled", "created_at")


class Usage(Result):
    _fields = ("bandwidth_bytes", "media_library_storage_bytes", "original_cache_storage_bytes",
               "video_processing_units_count", "extension_units_count")


class UsageAnalytics(Result):
    _fields = ("start_date", "end_date", "generated_at", "bandwidth_bytes", "request_count", "cache")


class Origin(Result):
    _fields = ("id", "type", "name", "include_canonical_header", "base_url_for_canonical_header", "bucket",
               "prefix")


class URLEndpoint(Result):
    _fields = ("id", "description", "origins", "url_prefix", "url_rewriter")


class Webhook(Result):
    _fields = ("id", "endpoint", "events", "enabled", "secret", "created_at", "updated_at")

    def __repr__(self) -> str:  # the signing secret stays out of logs and tracebacks
        return f"Webhook(id={self.id!r}, endpoint={self.endpoint!r}, events={self.events!r})"


class ListSavedExtensionsResult(ListResult):
    pass


class ListNamedTransformationsResult(ListResult):
    pass


class ListOriginsResult(ListResult):
    pass


class ListURLEndpointsResult(ListResult):
    pass


class ListWebhooksResult(ListResult):
    pass


__all__ = [
    "SavedExtension", "NamedTransformation", "Usage", "UsageAnalytics", "Origin", "URLEndpoint", "Webhook",
    "ListResult", "ListSavedExtensionsResult", "ListNamedTransformationsResult", "ListOriginsResult",
    "ListURLEndpointsResult", "ListWebhooksResult",
    "ResponseMetadata", "ResponseMetadataResult", "AITags", "VersionInfo", "EmbeddedMetadata", "FileResult",
    "FileResultWithResponseMetadata", "UploadFileResult", "ListFileResult", "TagsResult", "BulkDeleteFileResult",
    "RenameFileResult", "FolderResult", "GetBulkJobStatusResult", "PurgeCacheResult", "PurgeCacheStatusResult",
    "MetadataExifImage", "MetadataExifThumbnail", "MetadataExifExif", "MetadataExifGPS",
    "MetadataExifInteroperability", "MetadataExif", "GetMetadataResult", "CustomMetadataSchema",
    "CustomMetadataFieldsResult", "CustomMetadataFieldsResultWithResponseMetadata",
    "ListCustomMetadataFieldsResult",
]

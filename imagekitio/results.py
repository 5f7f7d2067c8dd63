"""Result classes: what the facade methods return.

One base, :class:`Result`, takes the fields a class declares (positionally or by keyword), keeps any
field the API adds that the class does not know, and carries ``response_metadata``. Classes declare
only their fields, defaults and nested types.
"""
from typing import Any, Callable, ClassVar, Dict, Generic, Iterator, List, Mapping, Optional, Tuple, Type, TypeVar, cast

from .model import Model
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

    # Compared by identity and hashable, as in 4.x; compare vars() to compare contents.

    def __repr__(self) -> str:
        return f"ResponseMetadata(http_status_code={self.http_status_code!r}, raw={self.raw!r})"


def _missing(name: str) -> None:
    # Dunder lookups (copy, pickle, ...) must keep raising, or those protocols break.
    if name.startswith("__"):
        raise AttributeError(name)
    return None


def _empty_metadata() -> ResponseMetadata:
    return ResponseMetadata("", "", "")


R = TypeVar("R", bound="StrictResult")


class StrictResult(Model):
    """Result base whose unknown attributes raise ``AttributeError`` (as these 4.x classes did).

    Fields are the class's annotations; fields the API adds later are kept as attributes, except names
    starting with ``_`` (a body may never reach the object's internals).

    ``response_metadata`` lives where 4.x kept it, so ``vars(result)`` has 4.x's keys: most 4.x results
    held a private ``self.__response_metadata`` behind a property (the key is ``_<Class>__response_metadata``);
    the two ``...WithResponseMetadata`` classes a plain ``response_metadata``; the parts of a result
    (``FileResult`` in a list, ``AITags``...) none at all (reading it gives ``None``).
    """

    _defaults: ClassVar[Dict[str, Any]] = {}
    _convert: ClassVar[Dict[str, Callable[[Any], Any]]] = {}
    _not_shown: ClassVar[Tuple[str, ...]] = ("response_metadata",)
    # The instance-dict key of the response metadata (each class its own, as Python's name mangling
    # gave 4.x), and whether a new instance carries an empty one.
    _metadata_key: ClassVar[str] = "_StrictResult__response_metadata"
    _has_metadata: ClassVar[bool] = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "_metadata_key" not in cls.__dict__:
            cls._metadata_key = f"_{cls.__name__.lstrip('_')}__response_metadata"

    def __init__(self, /, *args: Any, **kwargs: Any) -> None:  # `self` positional-only: a field may be "self"
        values = self._bind(args, kwargs, extra_allowed=True)
        response_metadata = values.pop("response_metadata", None)
        for name in self._fields:
            value = values.pop(name) if name in values else _default(self._defaults.get(name))
            convert = self._convert.get(name)
            setattr(self, name, convert(value) if convert else value)
        for name, value in values.items():  # fields the API added after this class was written
            if not name.startswith("_"):
                setattr(self, name, value)
        if response_metadata is not None:
            self.response_metadata = response_metadata
        elif self._has_metadata:
            self.response_metadata = _empty_metadata()

    @property
    def response_metadata(self) -> ResponseMetadata:
        """The raw parsed body, HTTP status and headers of the response behind this result."""
        return cast(ResponseMetadata, self.__dict__.get(self._metadata_key))

    @response_metadata.setter
    def response_metadata(self, value: ResponseMetadata) -> None:
        self.__dict__[self._metadata_key] = value

    @classmethod
    def from_api(cls: Type[R], data: Mapping[str, Any]) -> R:
        """The result for a JSON object as the API sends it (camelCase keys)."""
        return cls(**camel_dict_to_snake_dict(dict(data)))


class Result(StrictResult):
    """Result base where reading a field that was never set gives ``None``."""

    def __getattr__(self, name: str) -> Any:
        return _missing(name)


def _default(value: Any) -> Any:
    # Defaults such as `list` / `dict` are factories, so instances never share a mutable default.
    return value() if isinstance(value, type) else value


def one(cls: Type[StrictResult]) -> Callable[[Any], Any]:
    """Converter: a camelCase dict (or None) becomes an instance of ``cls``."""
    def convert(value: Any) -> Any:
        if value is None:
            return cls()
        if isinstance(value, dict):
            return cls.from_api(value)
        return value
    return convert


def many(cls: Type[StrictResult], when_none: Callable[[], Any] = list) -> Callable[[Any], Any]:
    """Converter: a list of camelCase dicts becomes a list of ``cls``."""
    def convert(value: Any) -> Any:
        if value is None:
            return when_none()
        if not isinstance(value, list):  # not what the API promises: kept as sent rather than crashed on
            return value
        return [cls.from_api(item) if isinstance(item, dict) else item for item in value]
    return convert


# --------------------------------------------------------------------------- small parts
class AITags(Result):
    _metadata_key, _has_metadata = "response_metadata", False
    name: str
    confidence: float
    source: str


class VersionInfo(Result):
    _metadata_key, _has_metadata = "response_metadata", False
    id: str
    name: str


class EmbeddedMetadata(Result):
    _metadata_key, _has_metadata = "response_metadata", False
    x_resolution: Any
    y_resolution: Any
    date_created: Any
    date_time_created: Any


# --------------------------------------------------------------------------- files
class _FileFields(Result):
    """The fields of a file (or folder) in the order 4.x takes them positionally."""
    type: str
    name: str
    created_at: str
    updated_at: str
    file_id: str
    tags: Optional[List[str]]
    ai_tags: List[AITags]
    version_info: VersionInfo
    embedded_metadata: Dict[str, Any]
    custom_coordinates: Optional[str]
    custom_metadata: Dict[str, Any]
    is_private_file: bool
    url: str
    thumbnail: str
    file_type: str
    file_path: str
    height: Optional[float]
    width: Optional[float]
    size: int
    has_alpha: bool
    mime: str
    extension_status: Dict[str, str]

    _defaults = {"custom_coordinates": "", "is_private_file": False, "url": "", "thumbnail": "",
                 "file_type": "", "file_path": "", "has_alpha": False}
    _convert = {"ai_tags": many(AITags), "version_info": one(VersionInfo)}


class FileResult(_FileFields):
    """One file (or folder) of a listing."""
    _metadata_key, _has_metadata = "response_metadata", False
    _defaults = {**_FileFields._defaults, "embedded_metadata": dict, "custom_metadata": dict,
                 "extension_status": dict}


class FileResultWithResponseMetadata(_FileFields):
    """The details of one file, returned by the single-file calls."""
    _metadata_key, _has_metadata = "response_metadata", True


class UploadFileResult(Result):
    file_id: str
    name: str
    url: str
    thumbnail_url: str
    height: Optional[float]
    width: Optional[float]
    size: int
    file_path: str
    tags: Optional[List[str]]
    ai_tags: List[AITags]
    version_info: VersionInfo
    is_private_file: bool
    custom_coordinates: Optional[str]
    custom_metadata: Dict[str, Any]
    embedded_metadata: EmbeddedMetadata
    extension_status: Dict[str, str]
    file_type: str
    orientation: Any

    _defaults = {"is_private_file": False}
    # 4.x fills a missing AITags list with one empty tag; code written against it relies on that.
    _convert = {"ai_tags": many(AITags, when_none=lambda: [AITags()]), "version_info": one(VersionInfo),
                "embedded_metadata": one(EmbeddedMetadata)}


T = TypeVar("T")


class ListResult(StrictResult, Generic[T]):
    """A result holding ``.list``; iterating it and ``len()`` go through that list. It stays truthy when
    empty, as every 4.x result object was."""
    list: List[T]

    def __iter__(self) -> Iterator[T]:
        return iter(self.list or ())

    def __len__(self) -> int:
        return len(self.list or ())

    def __bool__(self) -> bool:
        return True


class ListFileResult(ListResult["FileResult"]):
    pass


class TagsResult(Result):
    successfully_updated_file_ids: List[str]


class BulkDeleteFileResult(Result):
    successfully_deleted_file_ids: List[str]


class RenameFileResult(StrictResult):
    purge_request_id: Optional[str]


class ResponseMetadataResult(StrictResult):
    """Returned by calls whose response has no body worth keeping: only ``response_metadata``."""


class FolderResult(Result):
    job_id: str


class GetBulkJobStatusResult(Result):
    job_id: str
    type: str
    status: str


class PurgeCacheResult(StrictResult):
    request_id: str


class PurgeCacheStatusResult(StrictResult):
    status: str


# --------------------------------------------------------------------------- metadata
class MetadataExifImage(Result):
    _metadata_key, _has_metadata = "response_metadata", False
    make: Any
    model: Any
    orientation: Any
    x_resolution: Any
    y_resolution: Any
    resolution_unit: Any
    software: Any
    modify_date: Any
    y_cb_cr_positioning: Any
    exif_offset: Any
    gps_info: Any


class MetadataExifThumbnail(Result):
    _metadata_key, _has_metadata = "response_metadata", False
    compression: Any
    x_resolution: Any
    y_resolution: Any
    resolution_unit: Any
    thumbnail_offset: Any
    thumbnail_length: Any


class MetadataExifExif(Result):
    _metadata_key, _has_metadata = "response_metadata", False
    exposure_time: Any
    f_number: Any
    exposure_program: Any
    iso: Any
    exif_version: Any
    date_time_original: Any
    create_date: Any
    shutter_speed_value: Any
    aperture_value: Any
    exposure_compensation: Any
    metering_mode: Any
    flash: Any
    focal_length: Any
    sub_sec_time: Any
    sub_sec_time_original: Any
    sub_sec_time_digitized: Any
    flashpix_version: Any
    color_space: Any
    exif_image_width: Any
    exif_image_height: Any
    interop_offset: Any
    focal_plane_x_resolution: Any
    focal_plane_y_resolution: Any
    focal_plane_resolution_unit: Any
    custom_rendered: Any
    exposure_mode: Any
    white_balance: Any
    scene_capture_type: Any


class MetadataExifGPS(Result):
    _metadata_key, _has_metadata = "response_metadata", False
    gps_version_id: List[Any]

    # 4.x applies list() to whatever it is given (a str becomes its characters: vector m041); a value
    # list() cannot take is kept as sent.
    _convert = {"gps_version_id": lambda v: [] if v is None else list(v) if isinstance(v, (list, tuple, str)) else v}


class MetadataExifInteroperability(Result):
    _metadata_key, _has_metadata = "response_metadata", False
    interop_index: Any
    interop_version: Any


class MetadataExif(Result):
    _metadata_key, _has_metadata = "response_metadata", False
    image: MetadataExifImage
    thumbnail: MetadataExifThumbnail
    exif: MetadataExifExif
    gps: MetadataExifGPS
    interoperability: MetadataExifInteroperability
    makernote: Dict[str, Any]

    _defaults = {"makernote": dict}
    _convert = {"image": one(MetadataExifImage), "thumbnail": one(MetadataExifThumbnail),
                "exif": one(MetadataExifExif), "gps": one(MetadataExifGPS),
                "interoperability": one(MetadataExifInteroperability)}


class GetMetadataResult(Result):
    height: int
    width: int
    size: int
    format: str
    has_color_profile: bool
    quality: int
    density: int
    has_transparency: bool
    p_hash: str
    exif: MetadataExif

    _convert = {"exif": one(MetadataExif)}


# --------------------------------------------------------------------------- custom metadata fields
class CustomMetadataSchema(Result):
    _metadata_key, _has_metadata = "response_metadata", False
    type: str
    select_options: Optional[List[Any]]
    default_value: Any
    is_value_required: Optional[bool]
    min_value: Any
    max_value: Any
    min_length: Optional[int]
    max_length: Optional[int]


class CustomMetadataFieldsResult(Result):
    _metadata_key, _has_metadata = "response_metadata", False
    id: str
    name: str
    label: str
    schema: CustomMetadataSchema

    _convert = {"schema": one(CustomMetadataSchema)}


class CustomMetadataFieldsResultWithResponseMetadata(CustomMetadataFieldsResult):
    _metadata_key, _has_metadata = "response_metadata", True


class ListCustomMetadataFieldsResult(ListResult["CustomMetadataFieldsResult"]):
    pass


# --------------------------------------------------------------------------- beyond 4.x
class SavedExtension(Result):
    id: str
    name: str
    description: str
    config: Dict[str, Any]
    created_at: str
    updated_at: str


class NamedTransformation(Result):
    id: str
    name: str
    transformation: str
    enabled: bool
    created_at: str


class Usage(Result):
    bandwidth_bytes: int
    media_library_storage_bytes: int
    original_cache_storage_bytes: int
    video_processing_units_count: int
    extension_units_count: int


class UsageAnalytics(Result):
    start_date: str
    end_date: str
    generated_at: str
    bandwidth_bytes: float
    request_count: float
    cache: Dict[str, float]


class Origin(Result):
    id: str
    type: str
    name: str
    include_canonical_header: bool
    base_url_for_canonical_header: Optional[str]
    bucket: Optional[str]
    prefix: Optional[str]


class URLEndpoint(Result):
    id: str
    description: str
    origins: List[str]
    url_prefix: str
    url_rewriter: Optional[Dict[str, Any]]


class Webhook(Result):
    id: str
    endpoint: str
    events: List[str]
    enabled: bool
    secret: str
    created_at: str
    updated_at: str

    def __repr__(self) -> str:  # the signing secret stays out of logs and tracebacks
        return f"Webhook(id={self.id!r}, endpoint={self.endpoint!r}, events={self.events!r})"


class ListSavedExtensionsResult(ListResult["SavedExtension"]):
    pass


class ListNamedTransformationsResult(ListResult["NamedTransformation"]):
    pass


class ListOriginsResult(ListResult["Origin"]):
    pass


class ListURLEndpointsResult(ListResult["URLEndpoint"]):
    pass


class ListWebhooksResult(ListResult["Webhook"]):
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

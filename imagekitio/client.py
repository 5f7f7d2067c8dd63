"""The ``ImageKit`` facade: every 4.x method, same names, parameters and aliases."""
import copy
import os
from typing import (TYPE_CHECKING, Any, Callable, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence,
                    Union, cast)

import requests

from .constants.errors import ERRORS
from . import arguments, bulk, bypath, paging, responsive, tokens, webhooks
from .file import coerce_options, upload_fields
from .options import RequestOptions
from .results import (FileResult, ListNamedTransformationsResult, ListOriginsResult,
                      ListSavedExtensionsResult, ListURLEndpointsResult, ListWebhooksResult, NamedTransformation,
                      Origin, SavedExtension, URLEndpoint, Usage, UsageAnalytics, Webhook)
from .file import File
from .resource import DEFAULT_TIMEOUT, ImageKitRequest, Timeout
from .url import Url
from ._v5.settings import V5Settings
from .constants.url import URL

if TYPE_CHECKING:
    from ._v5 import resources as _resources
    from ._v5.helper import HelperResource
    from ._v5.raw import ImageKitWithRawResponse, ImageKitWithStreamedResponse
    from ._v5.webhooks import WebhooksResource
from .utils.calculation import get_authenticated_params, hamming_distance

# Names 4.x also made importable from this module; code written for 4.x imports them from here.
from .options import (  # noqa: F401
    CopyFileRequestOptions, CopyFolderRequestOptions, CreateCustomMetadataFieldsRequestOptions,
    CreateFolderRequestOptions, DeleteFolderRequestOptions, ListAndSearchFileRequestOptions,
    MoveFileRequestOptions, MoveFolderRequestOptions, RenameFileRequestOptions,
    UpdateCustomMetadataFieldsRequestOptions, UpdateFileRequestOptions, UploadFileRequestOptions,
)
from .results import (  # noqa: F401
    BulkDeleteFileResult, CustomMetadataFieldsResultWithResponseMetadata,
    FileResultWithResponseMetadata, FolderResult, GetBulkJobStatusResult, GetMetadataResult,
    ListCustomMetadataFieldsResult, ListFileResult, PurgeCacheResult, PurgeCacheStatusResult,
    RenameFileResult, ResponseMetadataResult, TagsResult, UploadFileResult,
)


# What every options parameter accepts: the option class of the call, or a dict (snake_case or camelCase keys).
OptionsLike = Union[RequestOptions, Mapping[str, Any]]


class ImageKit:
    """Client for ImageKit.io: URL generation and signing, uploads and the media library API.

    The three keys may be omitted when ``IMAGEKIT_PUBLIC_KEY``, ``IMAGEKIT_PRIVATE_KEY`` and
    ``IMAGEKIT_URL_ENDPOINT`` are set. Beyond 4.x: ``timeout`` (seconds, or ``(connect, read)``;
    default 5 s / 60 s), ``max_retries`` (default 2; 0 behaves as 4.x), ``deadline`` (seconds a whole call
    may take, retries included; by default ``(connect + read) * (max_retries + 1)``, 195 s, not counting
    the time spent sending an upload's body), ``pool_size``, and an
    optional caller-owned ``session``, and ``api_base_url`` / ``upload_base_url`` to talk to another
    host (such as :class:`imagekitio.testing.LocalImageKit`) from this client only; without them the
    ``imagekitio.constants.url.URL`` values are read at each call. Use as a context manager, or
    call :meth:`close`.
    """

    def __init__(self, public_key: Optional[str] = None, private_key: Optional[str] = None,
                 url_endpoint: Optional[str] = None, transformation_position: Optional[str] = None,
                 options: Any = None, *, timeout: Timeout = DEFAULT_TIMEOUT, max_retries: int = 2,
                 pool_size: int = 10, session: Optional[requests.Session] = None,
                 api_base_url: Optional[str] = None, upload_base_url: Optional[str] = None,
                 deadline: Optional[float] = None, webhook_secret: Optional[str] = None,
                 password: Optional[str] = None, base_url: Optional[str] = None,
                 default_headers: Optional[Mapping[str, str]] = None,
                 default_query: Optional[Mapping[str, object]] = None, http_client: Any = None,
                 _strict_response_validation: bool = False) -> None:
        # The 4.x form names a public key or URL endpoint (or passes arguments positionally); the 5.x form
        # gives only the private key, and its client serves every call that needs neither.
        v4_form = any(value is not None for value in (public_key, url_endpoint, transformation_position, options))
        public_key = public_key or os.environ.get("IMAGEKIT_PUBLIC_KEY")
        url_endpoint = url_endpoint or os.environ.get("IMAGEKIT_URL_ENDPOINT")
        if private_key is None or (v4_form and not private_key):
            private_key = os.environ.get("IMAGEKIT_PRIVATE_KEY")
        if v4_form or public_key or url_endpoint:
            if not (public_key and private_key and url_endpoint) and (v4_form or private_key is None):
                raise ValueError(ERRORS.MANDATORY_INITIALIZATION_MISSING.value)
        if private_key is None:
            from ._v5.errors import ImageKitError
            from ._v5.settings import MISSING_KEY
            raise ImageKitError(MISSING_KEY)
        for name, value in (("public_key", public_key), ("private_key", private_key), ("url_endpoint", url_endpoint)):
            if value is not None:
                arguments.text(value, name)
        if http_client is not None:
            raise TypeError("http_client (an httpx client) is not supported: this SDK sends with requests; pass "
                            "session=requests.Session() to share or configure the connection pool")
        if max_retries is None:
            from ._v5.settings import MAX_RETRIES_NONE
            raise TypeError(MAX_RETRIES_NONE)
        if session is not None and not isinstance(session, requests.Session):
            raise TypeError(f"session must be a requests.Session, not {type(session).__name__}")
        base_url = base_url or os.environ.get("IMAGE_KIT_BASE_URL") or None
        self.ik_request = ImageKitRequest(private_key, public_key or "", url_endpoint or "", transformation_position,
                                          options, session=session, timeout=arguments.timeout(timeout),
                                          max_retries=arguments.count(max_retries, "max_retries"),
                                          pool_size=arguments.count(pool_size, "pool_size", 1),
                                          deadline=arguments.seconds(deadline, "deadline", allow_inf=True),
                                          webhook_secret=webhook_secret or os.environ.get("IMAGEKIT_WEBHOOK_SECRET"),
                                          api_base_url=api_base_url or base_url
                                          or os.environ.get("IMAGEKIT_API_BASE_URL"),
                                          upload_base_url=upload_base_url or base_url
                                          or os.environ.get("IMAGEKIT_UPLOAD_BASE_URL"))
        self._v5 = V5Settings(password, default_headers, default_query, base_url)
        self._resources: Dict[str, Any] = {}
        self.file = File(self.ik_request)
        self.url_obj = Url(self.ik_request)

    def __repr__(self) -> str:
        return f"ImageKit(public_key={self.ik_request.public_key!r}, url_endpoint={self.ik_request.url_endpoint!r})"

    def close(self) -> None:
        """Release pooled connections. Any later API call on this client, or on a ``with_options`` copy of it,
        raises :class:`~imagekitio.exceptions.ClientClosedError`; ``url()`` and the other offline helpers keep
        working."""
        self.ik_request.close()

    def __enter__(self) -> "ImageKit":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def with_options(self, *, timeout: Timeout = None, max_retries: Optional[int] = None,
                     deadline: Optional[float] = None, private_key: Optional[str] = None,
                     password: Optional[str] = None, webhook_secret: Optional[str] = None,
                     base_url: Optional[str] = None, http_client: Any = None,
                     default_headers: Optional[Mapping[str, str]] = None,
                     set_default_headers: Optional[Mapping[str, str]] = None,
                     default_query: Optional[Mapping[str, object]] = None,
                     set_default_query: Optional[Mapping[str, object]] = None) -> "ImageKit":
        """A client with other settings that shares this one's connection pool, e.g.
        ``ik.with_options(timeout=300, deadline=900).upload_file(...)`` for one long upload.

        Also the 5.x form (``copy`` is the same method): ``private_key``, ``password``, ``webhook_secret`` and
        ``base_url`` replace this client's when given (an empty value keeps it); ``default_headers`` /
        ``default_query`` are merged into this client's, ``set_default_headers`` / ``set_default_query``
        replace them. ``timeout=None`` keeps this client's timeout.
        Closing the original client closes the pool for its copies too; closing a copy affects only the copy.
        """
        if http_client is not None:
            raise TypeError("http_client (an httpx client) is not supported: pass session= to the constructor")
        settings = self._v5.derive(password, default_headers, set_default_headers, default_query,
                                   set_default_query, base_url)
        clone = copy.copy(self)
        clone.ik_request = self.ik_request.derive(
            timeout=arguments.timeout(timeout),
            max_retries=None if max_retries is None else arguments.count(max_retries, "max_retries"),
            deadline=arguments.seconds(deadline, "deadline", allow_inf=True))
        if private_key:
            clone.ik_request.private_key = arguments.text(private_key, "private_key")
        if webhook_secret:
            clone.ik_request.webhook_secret = webhook_secret
        if base_url:
            clone.ik_request.api_base_url = clone.ik_request.upload_base_url = base_url.rstrip("/")
        clone._v5 = settings
        clone._resources = {}
        clone.file = File(clone.ik_request)
        clone.url_obj = Url(clone.ik_request)
        return clone

    copy = with_options

    # ---- the 5.x surface: settings, resource groups (loaded on first use) and helpers
    @property
    def private_key(self) -> str:
        return self.ik_request.private_key

    @property
    def public_key(self) -> Optional[str]:
        return self.ik_request.public_key or None

    @property
    def url_endpoint(self) -> Optional[str]:
        return self.ik_request.url_endpoint or None

    @property
    def webhook_secret(self) -> Optional[str]:
        return self.ik_request.webhook_secret

    @property
    def password(self) -> str:
        return self._v5.password

    @property
    def base_url(self) -> str:
        """The API base URL 5.x code sees (a trailing slash added under a path, as 5.x shows it)."""
        base = self.ik_request.api_base_url or URL.API_BASE_URL
        return base if base.count("/") <= 2 else base + "/"

    @property
    def max_retries(self) -> int:
        return self.ik_request.retry.max_retries

    @property
    def timeout(self) -> Timeout:
        return self.ik_request.timeout

    @property
    def default_headers(self) -> Dict[str, str]:
        return dict(self._v5.default_headers)

    @property
    def default_query(self) -> Dict[str, object]:
        return dict(self._v5.default_query)

    @property
    def auth_headers(self) -> Dict[str, str]:
        return {"Authorization": self._v5.authorization(self.ik_request.private_key)}

    def _resource(self, name: str) -> Any:
        found = self._resources.get(name)
        if found is None:
            if name == "helper":
                from ._v5.helper import HelperResource
                found = HelperResource(self)
            elif name == "webhooks":
                from ._v5.webhooks import WebhooksResource
                found = WebhooksResource(self)
            else:
                from ._v5.resources import TOP_LEVEL
                found = TOP_LEVEL[name](self)
            self._resources[name] = found
        return found

    @property
    def files(self) -> "_resources.FilesResource":
        return cast("_resources.FilesResource", self._resource("files"))

    @property
    def assets(self) -> "_resources.AssetsResource":
        return cast("_resources.AssetsResource", self._resource("assets"))

    @property
    def folders(self) -> "_resources.FoldersResource":
        return cast("_resources.FoldersResource", self._resource("folders"))

    @property
    def cache(self) -> "_resources.CacheResource":
        return cast("_resources.CacheResource", self._resource("cache"))

    @property
    def custom_metadata_fields(self) -> "_resources.CustomMetadataFieldsResource":
        return cast("_resources.CustomMetadataFieldsResource", self._resource("custom_metadata_fields"))

    @property
    def saved_extensions(self) -> "_resources.SavedExtensionsResource":
        return cast("_resources.SavedExtensionsResource", self._resource("saved_extensions"))

    @property
    def named_transformations(self) -> "_resources.NamedTransformationsResource":
        return cast("_resources.NamedTransformationsResource", self._resource("named_transformations"))

    @property
    def accounts(self) -> "_resources.AccountsResource":
        return cast("_resources.AccountsResource", self._resource("accounts"))

    @property
    def beta(self) -> "_resources.BetaResource":
        return cast("_resources.BetaResource", self._resource("beta"))

    @property
    def helper(self) -> "HelperResource":
        """URL building, transformation strings and upload authentication parameters (5.x names)."""
        return cast("HelperResource", self._resource("helper"))

    @property
    def with_raw_response(self) -> "ImageKitWithRawResponse":
        """The resource groups, with methods that return the raw HTTP answer (``parse()`` gives the result)."""
        from ._v5.raw import ImageKitWithRawResponse
        return ImageKitWithRawResponse(self)

    @property
    def with_streaming_response(self) -> "ImageKitWithStreamedResponse":
        from ._v5.raw import ImageKitWithStreamedResponse
        return ImageKitWithStreamedResponse(self)

    # ---- upload and files
    def upload(self, file: Any = None, file_name: Optional[str] = None, options: Optional[OptionsLike] = None, *,
               progress: Optional[Callable[[int, int], Any]] = None) -> UploadFileResult:
        """Upload ``file`` (a file object, path, bytes, URL or base64 string) as ``file_name``.

        File objects and paths are streamed, never read whole into memory; ``progress``, if given,
        is called as ``progress(bytes_sent, total_bytes)`` while the body goes out.
        """
        return self.file.upload(file, file_name, options, progress)

    upload_file = upload

    def list_files(self, options: Optional[OptionsLike] = None) -> ListFileResult:
        """List and search files (``ListAndSearchFileRequestOptions`` or a dict)."""
        return self.file.list(options)

    def get_file_details(self, file_id: Optional[str] = None) -> FileResultWithResponseMetadata:
        return self.file.details(file_id)

    def get_file_versions(self, file_id: Optional[str] = None) -> ListFileResult:
        return self.file.get_file_versions(file_id)

    def get_file_version_details(self, file_id: Optional[str] = None,
                                 version_id: Optional[str] = None) -> FileResultWithResponseMetadata:
        return self.file.get_file_version_details(file_id, version_id)

    def update_file_details(self, file_id: Optional[str] = None,
                            options: Optional[OptionsLike] = None) -> FileResultWithResponseMetadata:
        return self.file.update_file_details(file_id, options)

    def add_tags(self, file_ids: Optional[List[str]] = None, tags: Optional[List[str]] = None) -> TagsResult:
        return self.file.add_tags(file_ids, tags)

    def remove_tags(self, file_ids: Optional[List[str]] = None, tags: Optional[List[str]] = None) -> TagsResult:
        return self.file.remove_tags(file_ids, tags)

    def remove_ai_tags(self, file_ids: Optional[List[str]] = None, ai_tags: Optional[List[str]] = None) -> TagsResult:
        return self.file.remove_ai_tags(file_ids, ai_tags)

    def delete_file(self, file_id: Optional[str] = None) -> ResponseMetadataResult:
        return self.file.delete(file_id)

    def delete_file_version(self, file_id: Optional[str] = None,
                            version_id: Optional[str] = None) -> ResponseMetadataResult:
        return self.file.delete_file_version(file_id, version_id)

    def bulk_file_delete(self, file_ids: Optional[List[str]] = None) -> BulkDeleteFileResult:
        return self.file.batch_delete(file_ids)

    bulk_delete = bulk_file_delete

    def copy_file(self, options: Optional[OptionsLike] = None) -> ResponseMetadataResult:
        return self.file.copy_file(options)

    def move_file(self, options: Optional[OptionsLike] = None) -> ResponseMetadataResult:
        return self.file.move_file(options)

    def rename_file(self, options: Optional[OptionsLike] = None) -> RenameFileResult:
        return self.file.rename_file(options)

    def restore_file_version(self, file_id: Optional[str] = None,
                             version_id: Optional[str] = None) -> FileResultWithResponseMetadata:
        return self.file.restore_file_version(file_id, version_id)

    # ---- folders and bulk jobs
    def create_folder(self, options: Optional[OptionsLike] = None) -> ResponseMetadataResult:
        return self.file.create_folder(options)

    def delete_folder(self, options: Optional[OptionsLike] = None) -> ResponseMetadataResult:
        return self.file.delete_folder(options)

    def copy_folder(self, options: Optional[OptionsLike] = None) -> FolderResult:
        return self.file.copy_folder(options)

    def move_folder(self, options: Optional[OptionsLike] = None) -> FolderResult:
        return self.file.move_folder(options)

    def get_bulk_job_status(self, job_id: Optional[str] = None) -> GetBulkJobStatusResult:
        return self.file.get_bulk_job_status(job_id)

    # ---- cache
    def purge_file_cache(self, file_url: Optional[str] = None) -> PurgeCacheResult:
        return self.file.purge_cache(file_url)

    purge_cache = purge_file_cache

    def get_purge_file_cache_status(self, purge_cache_id: Optional[str] = None) -> PurgeCacheStatusResult:
        return self.file.get_purge_cache_status(purge_cache_id)

    get_purge_cache_status = get_purge_file_cache_status

    # ---- metadata
    def get_file_metadata(self, file_id: Optional[str] = None) -> GetMetadataResult:
        return self.file.get_metadata(file_id)

    get_metadata = get_file_metadata

    def get_remote_file_url_metadata(self, remote_file_url: Optional[str] = None) -> GetMetadataResult:
        return self.file.get_metadata_from_remote_url(remote_file_url)

    get_remote_url_metadata = get_remote_file_url_metadata

    # ---- custom metadata fields
    def create_custom_metadata_fields(
            self, options: Optional[OptionsLike] = None) -> CustomMetadataFieldsResultWithResponseMetadata:
        return self.file.create_custom_metadata_fields(options)

    def get_custom_metadata_fields(self, include_deleted: bool = False,
                                   folder_path: Optional[str] = None) -> ListCustomMetadataFieldsResult:
        """The fields (``include_deleted`` adds deleted ones; ``folder_path`` gives those that apply there)."""
        return self.file.get_custom_metadata_fields(include_deleted, folder_path)

    def update_custom_metadata_fields(
            self, field_id: Optional[str] = None,
            options: Optional[OptionsLike] = None) -> CustomMetadataFieldsResultWithResponseMetadata:
        return self.file.update_custom_metadata_fields(field_id, options)

    def delete_custom_metadata_field(self, field_id: Optional[str] = None) -> ResponseMetadataResult:
        return self.file.delete_custom_metadata_field(field_id)

    # ---- beyond 4.x: files by path or URL
    def find_file(self, path_or_url: str) -> Optional[FileResult]:
        """The file at exactly ``path_or_url`` (``/folder/a.jpg``, or a URL on this client's endpoint, with or
        without a transformation), or ``None``; one search request, whatever the library's size. A URL on
        another endpoint is a ``ValueError``."""
        return bypath.find_file(self, path_or_url)

    def get_file_details_by_path(self, path_or_url: str) -> FileResultWithResponseMetadata:
        """:meth:`get_file_details` of the file at ``path_or_url``; ``NotFoundException`` when there is none."""
        return bypath.get_file_details(self, path_or_url)

    def update_file_details_by_path(self, path_or_url: str,
                                    options: Optional[OptionsLike] = None) -> FileResultWithResponseMetadata:
        """:meth:`update_file_details` of the file at ``path_or_url``; ``NotFoundException`` when there is none."""
        return bypath.update_file_details(self, path_or_url, options)

    def delete_file_by_path(self, path_or_url: str) -> ResponseMetadataResult:
        """:meth:`delete_file` of the file at ``path_or_url``; ``NotFoundException`` when there is none."""
        return bypath.delete_file(self, path_or_url)

    # ---- beyond 4.x: folders, paging and bulk uploads
    def rename_folder(self, options: Optional[OptionsLike] = None) -> FolderResult:
        """Rename a folder (``folder_path``, ``new_folder_name``, ``purge_cache``): a job to follow with
        :meth:`get_bulk_job_status`."""
        return self.file.rename_folder(options)

    def iter_files(self, options: Optional[OptionsLike] = None, page_size: int = 100) -> Iterator[FileResult]:
        """Every file matching ``options`` (as for :meth:`list_files`, ``search_query`` included), fetched
        lazily ``page_size`` at a time. A ``skip`` in ``options`` is where to start and a ``limit`` the most
        to yield."""
        return paging.pages(self.list_files, options, arguments.count(page_size, "page_size", 1))

    def iter_folders(self, options: Optional[OptionsLike] = None, page_size: int = 100) -> Iterator[FileResult]:
        """Every folder under ``options``' ``path`` (all of them by default), page by page."""
        return paging.pages(self.list_files, options, arguments.count(page_size, "page_size", 1), type="folder")

    def iter_file_versions(self, options: Optional[OptionsLike] = None, page_size: int = 100) -> Iterator[FileResult]:
        """Every file version (current ones included), page by page."""
        return paging.pages(self.list_files, options, arguments.count(page_size, "page_size", 1),
                            type="file-version")

    def upload_files(self, items: Iterable[Any], workers: int = 8,
                     progress: Optional[Callable[[int, Optional[int]], Any]] = None) -> List[Any]:
        """Upload many files over this client's pool, ``workers`` at a time.

        ``items`` are ``(file, file_name)`` or ``(file, file_name, options)`` tuples, dicts with those keys,
        or file paths. Returns one outcome per item, in input order: the :class:`UploadFileResult`, or the
        exception that item raised (never raised itself). ``progress(done, total)`` is called as each one
        ends (``total`` is ``None`` when ``items`` has no ``len()``: a generator is pulled lazily, a few items
        ahead of the uploads, never drained into a list). On ``KeyboardInterrupt`` nothing more is started; the
        interrupt is raised again once running uploads end, with the outcomes so far (``CancelledError`` for
        those not started) as its ``outcomes``.
        """
        return bulk.upload_all(self.upload_file, items, arguments.count(workers, "workers", 1),
                               arguments.callback(progress, "progress"))

    def upload_file_v2(self, file: Any = None, file_name: Optional[str] = None,
                       options: Optional[OptionsLike] = None, *,
                       progress: Optional[Callable[[int, int], Any]] = None) -> UploadFileResult:
        """Upload through ImageKit's v2 upload API (``/api/v2/files/upload``), which also takes a ``token``
        from :meth:`get_upload_token` in place of the private key."""
        return self.file.upload_v2(file, file_name, options, progress)

    def get_upload_token(self, file_name: str, options: Optional[OptionsLike] = None, expires_in: int = 600) -> str:
        """A one-time token with which a browser may upload ``file_name`` with exactly ``options`` to the v2
        upload API, for ``expires_in`` seconds (under an hour); the private key never leaves the server."""
        if not self.ik_request.public_key:  # a client built in the 5.x form
            raise ValueError(ERRORS.MANDATORY_INITIALIZATION_MISSING.value)
        options = coerce_options(options, UploadFileRequestOptions)
        fields = upload_fields(arguments.text(file_name, "file_name"), options)
        return tokens.mint(self.ik_request.public_key, self.ik_request.private_key, fields,
                           arguments.count(expires_in, "expires_in", 1))

    # ---- beyond 4.x: saved extensions
    def create_saved_extension(self, options: Optional[OptionsLike] = None) -> SavedExtension:
        return cast(SavedExtension, self.file.create("saved_extension", options))

    def list_saved_extensions(self) -> ListSavedExtensionsResult:
        return cast(ListSavedExtensionsResult, self.file.list_all("saved_extension"))

    def get_saved_extension(self, extension_id: Optional[str] = None) -> SavedExtension:
        return cast(SavedExtension, self.file.get("saved_extension", extension_id))

    def update_saved_extension(self, extension_id: Optional[str] = None,
                               options: Optional[OptionsLike] = None) -> SavedExtension:
        return cast(SavedExtension, self.file.update("saved_extension", extension_id, options))

    def delete_saved_extension(self, extension_id: Optional[str] = None) -> ResponseMetadataResult:
        return cast(ResponseMetadataResult, self.file.delete_resource("saved_extension", extension_id))

    # ---- beyond 4.x: named transformations
    def create_named_transformation(self, options: Optional[OptionsLike] = None) -> NamedTransformation:
        return cast(NamedTransformation, self.file.create("named_transformation", options))

    def list_named_transformations(self) -> ListNamedTransformationsResult:
        return cast(ListNamedTransformationsResult, self.file.list_all("named_transformation"))

    def get_named_transformation(self, transformation_id: Optional[str] = None) -> NamedTransformation:
        return cast(NamedTransformation, self.file.get("named_transformation", transformation_id))

    def update_named_transformation(self, transformation_id: Optional[str] = None,
                                    options: Optional[OptionsLike] = None) -> NamedTransformation:
        return cast(NamedTransformation, self.file.update("named_transformation", transformation_id, options))

    def delete_named_transformation(self, transformation_id: Optional[str] = None) -> ResponseMetadataResult:
        return cast(ResponseMetadataResult, self.file.delete_resource("named_transformation", transformation_id))

    # ---- beyond 4.x: account
    def get_usage(self, start_date: Any = None, end_date: Any = None) -> Usage:
        """Usage from ``start_date`` (counted) to ``end_date`` (not counted): dates or ``YYYY-MM-DD``, under
        90 days apart."""
        return cast(Usage, self.file.usage("get_usage", start_date, end_date, start_counted_only=True))

    def get_usage_analytics(self, start_date: Any = None, end_date: Any = None) -> UsageAnalytics:
        """Delivery analytics for the UTC days from ``start_date`` to ``end_date``, both counted."""
        return cast(UsageAnalytics,
                    self.file.usage("get_usage_analytics", start_date, end_date, start_counted_only=False))

    def create_origin(self, options: Optional[OptionsLike] = None) -> Origin:
        """A new origin; ``options.type`` decides which fields it needs (checked before sending)."""
        return cast(Origin, self.file.create("origin", options))

    def list_origins(self) -> ListOriginsResult:
        return cast(ListOriginsResult, self.file.list_all("origin"))

    def get_origin(self, origin_id: Optional[str] = None) -> Origin:
        return cast(Origin, self.file.get("origin", origin_id))

    def update_origin(self, origin_id: Optional[str] = None, options: Optional[OptionsLike] = None) -> Origin:
        """Replace an origin: the whole definition, as for :meth:`create_origin`."""
        return cast(Origin, self.file.update("origin", origin_id, options))

    def delete_origin(self, origin_id: Optional[str] = None) -> ResponseMetadataResult:
        return cast(ResponseMetadataResult, self.file.delete_resource("origin", origin_id))

    def create_url_endpoint(self, options: Optional[OptionsLike] = None) -> URLEndpoint:
        return cast(URLEndpoint, self.file.create("url_endpoint", options))

    def list_url_endpoints(self) -> ListURLEndpointsResult:
        return cast(ListURLEndpointsResult, self.file.list_all("url_endpoint"))

    def get_url_endpoint(self, endpoint_id: Optional[str] = None) -> URLEndpoint:
        return cast(URLEndpoint, self.file.get("url_endpoint", endpoint_id))

    def update_url_endpoint(self, endpoint_id: Optional[str] = None,
                            options: Optional[OptionsLike] = None) -> URLEndpoint:
        """Replace a URL endpoint (``description`` is required here too)."""
        return cast(URLEndpoint, self.file.update("url_endpoint", endpoint_id, options))

    def delete_url_endpoint(self, endpoint_id: Optional[str] = None) -> ResponseMetadataResult:
        return cast(ResponseMetadataResult, self.file.delete_resource("url_endpoint", endpoint_id))

    def create_webhook(self, options: Optional[OptionsLike] = None) -> Webhook:
        """A new account webhook (``endpoint``, ``events``, ``enabled``); the result carries its ``secret``."""
        return cast(Webhook, self.file.create("webhook", options))

    def list_webhooks(self) -> ListWebhooksResult:
        return cast(ListWebhooksResult, self.file.list_all("webhook"))

    def get_webhook(self, webhook_id: Optional[str] = None) -> Webhook:
        return cast(Webhook, self.file.get("webhook", webhook_id))

    def update_webhook(self, webhook_id: Optional[str] = None, options: Optional[OptionsLike] = None) -> Webhook:
        return cast(Webhook, self.file.update("webhook", webhook_id, options))

    def delete_webhook(self, webhook_id: Optional[str] = None) -> ResponseMetadataResult:
        return cast(ResponseMetadataResult, self.file.delete_resource("webhook", webhook_id))

    # ---- URLs and helpers
    def url(self, options: Dict[str, Any]) -> str:
        """The URL for ``options``: ``path`` or ``src``, ``transformation``, ``signed``, ``expire_seconds``..."""
        if not self.ik_request.url_endpoint and isinstance(options, Mapping) \
                and not options.get("url_endpoint") and not options.get("src"):
            raise ValueError(ERRORS.MANDATORY_INITIALIZATION_MISSING.value)  # a client built in the 5.x form
        return self.url_obj.generate_url(options)

    def get_authentication_parameters(self, token: str = "", expire: int = 0) -> Dict[str, Any]:
        """``{"token", "expire", "signature"}`` for a browser upload straight to ImageKit."""
        return get_authenticated_params(token, expire, self.ik_request.private_key)

    def responsive_image_attributes(self, path: Optional[str] = None, src: Optional[str] = None, *,
                                    width: Optional[int] = None, sizes: Optional[str] = None,
                                    transformation: Optional[List[Dict[str, Any]]] = None,
                                    device_breakpoints: Sequence[int] = responsive.DEFAULT_DEVICE_BREAKPOINTS,
                                    image_breakpoints: Sequence[int] = responsive.DEFAULT_IMAGE_BREAKPOINTS,
                                    **url_options: Any) -> Dict[str, Any]:
        """``{"src", "srcset", "sizes"?, "width"?}`` for an ``<img>`` that serves each screen the right size.

        With ``sizes`` (e.g. ``"(max-width: 600px) 100vw, 50vw"``) the set is width-based (``480w``);
        with only ``width`` it is DPR-based (``1x``, ``2x``); with neither it covers the device
        breakpoints. Other keyword arguments (``signed``, ``expire_seconds``, ``url_endpoint``,
        ``query_parameters``...) are those of :meth:`url`.
        """
        options = {**url_options, "transformation": transformation or []}
        if path is not None:
            options["path"] = path
        if src is not None:
            options["src"] = src
        return responsive.attributes(self.url, options, width, sizes, device_breakpoints, image_breakpoints)

    @webhooks.class_or_instance
    def verify_webhook_event(self_or_class: Any, body: Any, headers: Any, secret: Optional[str] = None,  # noqa: N805
                             tolerance: float = webhooks.DEFAULT_TOLERANCE,
                             now: Optional[float] = None) -> webhooks.WebhookEvent:
        """The event of a webhook delivery, or :class:`~imagekitio.exceptions.WebhookVerificationError`.

        Accepts Standard Webhooks headers (``webhook-id``, ``webhook-timestamp``, ``webhook-signature``)
        and the legacy ``x-ik-signature``; ``body`` is the raw request body (str or bytes). The secret
        defaults to the client's ``webhook_secret`` (or ``IMAGEKIT_WEBHOOK_SECRET``). The event reads as
        the parsed dict and has ``.type``, ``.id``, ``.created_at`` and ``.data`` (result classes).
        """
        if secret is None:
            request = getattr(self_or_class, "ik_request", None)  # None when called on the class
            secret = request.webhook_secret if request is not None else os.environ.get("IMAGEKIT_WEBHOOK_SECRET")
        return webhooks.verify_webhook_event(body, headers, secret, tolerance, now)

    @staticmethod
    def phash_distance(first: str, second: str) -> int:
        """Hamming distance between two pHash strings (0 means perceptually identical)."""
        if not first or not second:
            raise TypeError(ERRORS.MISSING_PHASH_VALUE.value)
        return hamming_distance(first, second)

    # Last in the class body: above, `webhooks` names the module (``@webhooks.class_or_instance``).
    @property
    def webhooks(self) -> "WebhooksResource":
        """``unwrap`` (verify, then parse) and ``unsafe_unwrap`` (parse) of webhook deliveries (5.x names)."""
        return cast("WebhooksResource", self._resource("webhooks"))


__all__ = [
    "BulkDeleteFileResult", "CopyFileRequestOptions", "CopyFolderRequestOptions",
    "CreateCustomMetadataFieldsRequestOptions", "CreateFolderRequestOptions",
    "CustomMetadataFieldsResultWithResponseMetadata", "DeleteFolderRequestOptions", "ERRORS", "File",
    "FileResultWithResponseMetadata", "FolderResult", "GetBulkJobStatusResult", "GetMetadataResult",
    "ImageKit", "ImageKitRequest", "ListAndSearchFileRequestOptions", "ListCustomMetadataFieldsResult",
    "ListFileResult", "MoveFileRequestOptions", "MoveFolderRequestOptions", "OptionsLike", "PurgeCacheResult",
    "PurgeCacheStatusResult", "RenameFileRequestOptions", "RenameFileResult", "ResponseMetadataResult",
    "TagsResult", "UpdateCustomMetadataFieldsRequestOptions", "UpdateFileRequestOptions",
    "UploadFileRequestOptions", "UploadFileResult", "Url", "get_authenticated_params", "hamming_distance",
]

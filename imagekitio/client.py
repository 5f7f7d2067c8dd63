"""The ``ImageKit`` facade: every 4.x method, same names, parameters and aliases."""
import copy
import os
from typing import Any, Dict, Optional

import requests

from .constants.errors import ERRORS
from . import arguments, responsive, webhooks
from .file import File
from .resource import DEFAULT_TIMEOUT, ImageKitRequest, Timeout
from .url import Url
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
                 deadline: Optional[float] = None) -> None:
        public_key = public_key or os.environ.get("IMAGEKIT_PUBLIC_KEY")
        private_key = private_key or os.environ.get("IMAGEKIT_PRIVATE_KEY")
        url_endpoint = url_endpoint or os.environ.get("IMAGEKIT_URL_ENDPOINT")
        if not (public_key and private_key and url_endpoint):
            raise ValueError(ERRORS.MANDATORY_INITIALIZATION_MISSING.value)
        for name, value in (("public_key", public_key), ("private_key", private_key), ("url_endpoint", url_endpoint)):
            arguments.text(value, name)
        if session is not None and not isinstance(session, requests.Session):
            raise TypeError(f"session must be a requests.Session, not {type(session).__name__}")
        self.ik_request = ImageKitRequest(private_key, public_key, url_endpoint, transformation_position, options,
                                          session=session, timeout=arguments.timeout(timeout),
                                          max_retries=arguments.count(max_retries, "max_retries"),
                                          pool_size=arguments.count(pool_size, "pool_size", 1),
                                          deadline=arguments.seconds(deadline, "deadline", allow_inf=True),
                                          api_base_url=api_base_url or os.environ.get("IMAGEKIT_API_BASE_URL"),
                                          upload_base_url=upload_base_url
                                          or os.environ.get("IMAGEKIT_UPLOAD_BASE_URL"))
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
                     deadline: Optional[float] = None) -> "ImageKit":
        """A client with other timeout / retry / deadline settings that shares this one's connection pool,
        e.g. ``ik.with_options(timeout=300, deadline=900).upload_file(...)`` for one long upload.

        Closing the original client closes the pool for its copies too; closing a copy affects only the copy.
        """
        clone = copy.copy(self)
        clone.ik_request = self.ik_request.derive(
            timeout=arguments.timeout(timeout),
            max_retries=None if max_retries is None else arguments.count(max_retries, "max_retries"),
            deadline=arguments.seconds(deadline, "deadline", allow_inf=True))
        clone.file = File(clone.ik_request)
        clone.url_obj = Url(clone.ik_request)
        return clone

    # ---- upload and files
    def upload(self, file=None, file_name=None, options=None, *, progress=None):
        """Upload ``file`` (a file object, path, bytes, URL or base64 string) as ``file_name``.

        File objects and paths are streamed, never read whole into memory; ``progress``, if given,
        is called as ``progress(bytes_sent, total_bytes)`` while the body goes out.
        """
        return self.file.upload(file, file_name, options, progress)

    upload_file = upload

    def list_files(self, options=None):
        """List and search files (``ListAndSearchFileRequestOptions`` or a dict)."""
        return self.file.list(options)

    def get_file_details(self, file_id=None):
        return self.file.details(file_id)

    def get_file_versions(self, file_id=None):
        return self.file.get_file_versions(file_id)

    def get_file_version_details(self, file_id=None, version_id=None):
        return self.file.get_file_version_details(file_id, version_id)

    def update_file_details(self, file_id=None, options=None):
        return self.file.update_file_details(file_id, options)

    def add_tags(self, file_ids=None, tags=None):
        return self.file.add_tags(file_ids, tags)

    def remove_tags(self, file_ids=None, tags=None):
        return self.file.remove_tags(file_ids, tags)

    def remove_ai_tags(self, file_ids=None, ai_tags=None):
        return self.file.remove_ai_tags(file_ids, ai_tags)

    def delete_file(self, file_id=None):
        return self.file.delete(file_id)

    def delete_file_version(self, file_id=None, version_id=None):
        return self.file.delete_file_version(file_id, version_id)

    def bulk_file_delete(self, file_ids=None):
        return self.file.batch_delete(file_ids)

    bulk_delete = bulk_file_delete

    def copy_file(self, options=None):
        return self.file.copy_file(options)

    def move_file(self, options=None):
        return self.file.move_file(options)

    def rename_file(self, options=None):
        return self.file.rename_file(options)

    def restore_file_version(self, file_id=None, version_id=None):
        return self.file.restore_file_version(file_id, version_id)

    # ---- folders and bulk jobs
    def create_folder(self, options=None):
        return self.file.create_folder(options)

    def delete_folder(self, options=None):
        return self.file.delete_folder(options)

    def copy_folder(self, options=None):
        return self.file.copy_folder(options)

    def move_folder(self, options=None):
        return self.file.move_folder(options)

    def get_bulk_job_status(self, job_id=None):
        return self.file.get_bulk_job_status(job_id)

    # ---- cache
    def purge_file_cache(self, file_url=None):
        return self.file.purge_cache(file_url)

    purge_cache = purge_file_cache

    def get_purge_file_cache_status(self, purge_cache_id=None):
        return self.file.get_purge_cache_status(purge_cache_id)

    get_purge_cache_status = get_purge_file_cache_status

    # ---- metadata
    def get_file_metadata(self, file_id=None):
        return self.file.get_metadata(file_id)

    get_metadata = get_file_metadata

    def get_remote_file_url_metadata(self, remote_file_url=None):
        return self.file.get_metadata_from_remote_url(remote_file_url)

    get_remote_url_metadata = get_remote_file_url_metadata

    # ---- custom metadata fields
    def create_custom_metadata_fields(self, options=None):
        return self.file.create_custom_metadata_fields(options)

    def get_custom_metadata_fields(self, include_deleted=False):
        return self.file.get_custom_metadata_fields(include_deleted)

    def update_custom_metadata_fields(self, field_id=None, options=None):
        return self.file.update_custom_metadata_fields(field_id, options)

    def delete_custom_metadata_field(self, field_id=None):
        return self.file.delete_custom_metadata_field(field_id)

    # ---- URLs and helpers
    def url(self, options: Dict[str, Any]) -> str:
        """The URL for ``options``: ``path`` or ``src``, ``transformation``, ``signed``, ``expire_seconds``..."""
        return self.url_obj.generate_url(options)

    def get_authentication_parameters(self, token: str = "", expire: int = 0) -> Dict[str, Any]:
        """``{"token", "expire", "signature"}`` for a browser upload straight to ImageKit."""
        return get_authenticated_params(token, expire, self.ik_request.private_key)

    def responsive_image_attributes(self, path: Optional[str] = None, src: Optional[str] = None, *,
                                    width: Optional[int] = None, sizes: Optional[str] = None,
                                    transformation: Optional[list] = None,
                                    device_breakpoints=responsive.DEFAULT_DEVICE_BREAKPOINTS,
                                    image_breakpoints=responsive.DEFAULT_IMAGE_BREAKPOINTS,
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

    @staticmethod
    def verify_webhook_event(body, headers, secret: str, tolerance: float = webhooks.DEFAULT_TOLERANCE,
                             now: Optional[float] = None) -> Dict[str, Any]:
        """The parsed event of a webhook delivery, or :class:`~imagekitio.exceptions.WebhookVerificationError`.

        Accepts Standard Webhooks headers (``webhook-id``, ``webhook-timestamp``, ``webhook-signature``)
        and the legacy ``x-ik-signature``; ``body`` is the raw request body (str or bytes).
        """
        return webhooks.verify_webhook_event(body, headers, secret, tolerance, now)

    @staticmethod
    def phash_distance(first: str, second: str) -> int:
        """Hamming distance between two pHash strings (0 means perceptually identical)."""
        if not first or not second:
            raise TypeError(ERRORS.MISSING_PHASH_VALUE.value)
        return hamming_distance(first, second)

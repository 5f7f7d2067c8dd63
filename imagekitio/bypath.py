"""Files addressed by their path or CDN URL instead of their id.

The API addresses files by id only, so a path is resolved with one ``GET /v1/files`` searching for the
file's name inside its folder (``searchQuery='name = "..."'``, ``path=<folder>``), and the answer is
trusted only where a hit's ``filePath`` equals the path exactly: a search for ``a.jpg`` that also returns
``xa.jpg``, ``A.JPG`` or ``sub/a.jpg`` still finds only ``/a.jpg``. The name goes into the query only when
it holds no character that could end the quoted string (quotes, backslashes, control characters); any
other name is found by listing its folder instead, so a name can never change what the query asks.

:func:`ik_safe_name` is ImageKit's documented renaming of names on upload (letters, digits and marks of
any script, ``.``, ``-`` and ``_`` are kept; every other character becomes ``_``).
"""
import posixpath
import re
import unicodedata
from typing import TYPE_CHECKING, Dict, Iterator, Optional
from urllib.parse import unquote, urlsplit

from . import arguments
from .exceptions import NotFoundException
from .results import FileResult, FileResultWithResponseMetadata, ResponseMetadataResult

if TYPE_CHECKING:  # the facade imports this module
    from .client import ImageKit, OptionsLike

# Characters that could end or escape a quoted string in ImageKit's query language (its escaping
# rules are not documented), or that have no business in a name: such names are never put in a query.
_UNQUOTABLE = re.compile(r"[\"'\\\x00-\x1f\x7f]")
# The largest page the API gives; a name search normally fits in one, whatever the library's size.
PAGE_SIZE = 1000
_KEPT_PUNCTUATION = frozenset("._-")


def ik_safe_name(name: str) -> str:
    """The name ImageKit stores for ``name``: letters, digits and marks of any script, ``.``, ``-`` and ``_``
    are kept, every other character (space, ``#``, ``?``, quotes...) becomes ``_``."""
    return "".join(c if c in _KEPT_PUNCTUATION or unicodedata.category(c)[0] in "LMN" else "_"
                   for c in arguments.text(name, "name"))


def name_query(name: str) -> Optional[str]:
    """The ``searchQuery`` that finds files called ``name``, or ``None`` when ``name`` cannot be quoted safely."""
    if not name or _UNQUOTABLE.search(name):
        return None
    return f'name = "{name}"'


def path_of(client: "ImageKit", path_or_url: str) -> str:
    """The media-library path of a file path (``/a/b.jpg``; the leading ``/`` may be left out) or of a URL on
    ``client``'s URL endpoint (a ``tr:`` path segment, a ``?tr=`` query, signing parameters and a fragment
    are dropped; percent-escapes are decoded). A URL on another host or endpoint is a ``ValueError``."""
    arguments.text(path_or_url, "path_or_url")
    if path_or_url.lower().startswith(("http://", "https://")):
        path = _url_path(client.ik_request.url_endpoint, path_or_url)
    else:
        path = "/" + path_or_url.lstrip("/")
    if path.endswith("/"):
        raise ValueError(f"not a file path: {path_or_url!r}")
    return path


def _url_path(url_endpoint: str, url: str) -> str:
    endpoint, target = urlsplit(url_endpoint), urlsplit(url)
    prefix = endpoint.path.rstrip("/") + "/"
    if target.hostname != endpoint.hostname or target.port != endpoint.port or not target.path.startswith(prefix):
        raise ValueError(f"{url!r} is not a URL on this client's URL endpoint {url_endpoint!r}")
    segments = target.path[len(prefix):].split("/")
    if segments and segments[0].startswith("tr:"):  # the path form of a transformation
        segments = segments[1:]
    # Split first, then decode each segment, so an encoded "/" (%2F) stays inside its segment's name.
    return "/" + "/".join(unquote(segment) for segment in segments)


def _candidates(client: "ImageKit", path: str) -> Iterator[FileResult]:
    folder, name = posixpath.split(path)
    options: Dict[str, str] = {"path": folder.rstrip("/") + "/", "type": "file"}
    query = name_query(name)
    if query is not None:
        options["search_query"] = query
    return client.iter_files(options, page_size=PAGE_SIZE)


def find_file(client: "ImageKit", path_or_url: str) -> Optional[FileResult]:
    """The file at exactly ``path_or_url`` (see :func:`path_of`), or ``None``."""
    return find_path(client, path_of(client, path_or_url))


def find_path(client: "ImageKit", path: str) -> Optional[FileResult]:
    """The file whose ``filePath`` is exactly ``path`` (a media-library path, never read as a URL), or ``None``."""
    if not arguments.text(path, "path").startswith("/") or path.endswith("/"):
        raise ValueError(f"not a file path: {path!r}")
    for item in _candidates(client, path):
        if getattr(item, "file_path", None) == path and getattr(item, "type", "file") != "folder":
            return item
    return None


def file_id_of(client: "ImageKit", path_or_url: str) -> str:
    """The id of the file at ``path_or_url``; :class:`NotFoundException` (as the API's 404) when there is none."""
    found = find_file(client, path_or_url)
    if found is None:
        raise NotFoundException(f"No file at {path_of(client, path_or_url)!r}.",
                                "Check the path; find_file() returns None for a missing file.")
    return str(found.file_id)


def get_file_details(client: "ImageKit", path_or_url: str) -> FileResultWithResponseMetadata:
    return client.get_file_details(file_id_of(client, path_or_url))


def update_file_details(client: "ImageKit", path_or_url: str,
                        options: "Optional[OptionsLike]" = None) -> FileResultWithResponseMetadata:
    return client.update_file_details(file_id_of(client, path_or_url), options)


def delete_file(client: "ImageKit", path_or_url: str) -> ResponseMetadataResult:
    return client.delete_file(file_id_of(client, path_or_url))


__all__ = ["find_file", "find_path", "get_file_details", "update_file_details", "delete_file", "ik_safe_name",
           "path_of", "name_query"]

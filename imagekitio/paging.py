"""Paging through the media library with ``skip`` / ``limit``, lazily, trusting nothing the server sends.

A server (or a proxy) that ignores ``skip`` answers every page with the first one; one that ignores
``limit`` sends more than asked; a broken one sends items that are not objects. Each of those would make
a naive loop run for ever, yield past ``limit``, or hand out strings as files, so each is checked here.
"""
from typing import Any, Callable, Dict, Iterator, List, Optional, Set, Tuple

from .exceptions import UnknownException
from .file import coerce_options, wire_dict
from .options import ListAndSearchFileRequestOptions
from .results import StrictResult


def pages(list_files: Callable[[Dict[str, Any]], Any], options: Any, page_size: int,
          **fixed: Any) -> Iterator[Any]:
    """Every item ``list_files`` gives for ``options``, fetched ``page_size`` at a time.

    A page shorter than ``page_size`` is the last; a longer one is cut to the size asked. ``skip`` in
    ``options`` is where to start; ``limit`` is the most items to yield in all. A page identical to an
    earlier one (the server ignored ``skip``), or an item that is not an object, raises
    :class:`~imagekitio.exceptions.UnknownException` (an ``ImageKitException``).
    """
    query = wire_dict(coerce_options(options, ListAndSearchFileRequestOptions))
    query.update(fixed)
    skip = int(query.pop("skip", 0) or 0)
    wanted: Optional[int] = query.pop("limit", None)
    given = 0
    repeats = RepeatGuard()
    while wanted is None or given < wanted:
        size = page_size if wanted is None else min(page_size, wanted - given)
        answer = list_files({**query, "skip": skip, "limit": size})
        metadata = getattr(answer, "response_metadata", None)
        page = _checked(answer, metadata)[:size]
        repeats.check([_identity(item) for item in page], skip, metadata)
        yield from page
        given += len(page)
        if len(page) < size:
            return
        skip += size


class RepeatGuard:
    """Refuses a page seen before. It keeps one hash per page, not the items: a server cycling through a few
    pages (not only one ignoring ``skip`` outright) would otherwise page for ever, and a library of millions
    must not be held in memory."""

    def __init__(self) -> None:
        self.seen: Set[int] = set()

    def check(self, identities: List[Any], skip: int, metadata: Any = None) -> None:
        # repr, as a server may send lists or objects where ids belong, which hash() would refuse.
        identity = hash(repr(identities))
        if identities and identity in self.seen:
            raise UnknownException(f"the server sent an earlier page again for skip={skip}: "
                                   "it ignores skip, so paging stopped", response_metadata=metadata)
        self.seen.add(identity)


def _checked(answer: Any, metadata: Any) -> List[Any]:
    raw = getattr(answer, "list", answer)
    if raw is not None and not isinstance(raw, list):
        raise UnknownException(f"the server sent a page that is not a list but a {type(raw).__name__}",
                               response_metadata=metadata)
    items = list(raw or ())
    for item in items:
        if not isinstance(item, StrictResult):  # results.many keeps non-objects as sent
            raise UnknownException(f"the server sent a page item that is not an object but a {type(item).__name__}",
                                   response_metadata=metadata)
    return items


def _identity(item: Any) -> Tuple[Any, ...]:
    version = getattr(item, "version_info", None)
    return (getattr(item, "type", None), getattr(item, "file_id", None), getattr(item, "folder_id", None),
            getattr(item, "file_path", None), getattr(item, "folder_path", None), getattr(version, "id", None))

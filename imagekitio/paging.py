"""Paging through the media library with ``skip`` / ``limit``, lazily."""
from typing import Any, Callable, Dict, Iterator, Optional

from .file import coerce_options, wire_dict
from .options import ListAndSearchFileRequestOptions


def pages(list_files: Callable[[Dict[str, Any]], Any], options: Any, page_size: int,
          **fixed: Any) -> Iterator[Any]:
    """Every item ``list_files`` gives for ``options``, fetched ``page_size`` at a time.

    A page shorter than ``page_size`` is the last. ``skip`` in ``options`` is where to start; ``limit`` is
    the most items to yield in all.
    """
    query = wire_dict(coerce_options(options, ListAndSearchFileRequestOptions))
    query.update(fixed)
    skip = int(query.pop("skip", 0) or 0)
    wanted: Optional[int] = query.pop("limit", None)
    given = 0
    while wanted is None or given < wanted:
        size = page_size if wanted is None else min(page_size, wanted - given)
        page = list_files({**query, "skip": skip, "limit": size})
        for item in page:
            yield item
        given += len(page)
        if len(page) < size:
            return
        skip += size

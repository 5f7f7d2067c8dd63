"""A least-recently-used cache bounded by bytes, safe to share between request threads.

The lock guards only the dictionary: values are computed outside it, so one slow render never
holds up another request.
"""
import threading
from collections import OrderedDict
from typing import Callable, Generic, Hashable, Optional, Tuple, TypeVar

V = TypeVar("V")


class ByteLRU(Generic[V]):
    """Keeps values until their sizes add up to ``limit`` bytes, then drops the least recently used."""

    def __init__(self, limit: int, size_of: Callable[[V], int]) -> None:
        self.limit, self.size_of = limit, size_of
        self._items: "OrderedDict[Hashable, Tuple[V, int]]" = OrderedDict()
        self._lock = threading.Lock()
        self.bytes = 0
        self.hits = self.misses = 0

    def get(self, key: Hashable) -> Optional[V]:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return found[0]

    def put(self, key: Hashable, value: V) -> None:
        size = self.size_of(value)
        if size > self.limit:
            return  # larger than the whole cache: not worth evicting everything for
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.bytes -= old[1]
            self._items[key] = (value, size)
            self.bytes += size
            while self.bytes > self.limit:
                _, (_, dropped) = self._items.popitem(last=False)
                self.bytes -= dropped

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.bytes = 0

    def __len__(self) -> int:
        return len(self._items)

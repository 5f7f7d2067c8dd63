"""Checks on the arguments of public methods, run before anything is sent.

Each check raises ``TypeError`` or ``ValueError`` naming the argument and what it accepts, so a wrong
type never surfaces as an error from deep inside requests, toolbelt or ``json``. The 4.x errors for a
missing argument (a ``{"message", "help"}`` dict) are raised by the callers before these run.
"""
import datetime
import json
import math
import os
from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any, Callable, List, Optional, Tuple, cast


def _kind(value: Any) -> str:
    return "None" if value is None else type(value).__name__


def text(value: Any, name: str) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {_kind(value)}")
    return value


def path_segment(value: Any, name: str) -> str:
    """An id that goes into a URL path as one segment: a str that is not empty, ``.`` or ``..``
    (the HTTP stack would drop a dot segment and the request would address another resource)."""
    checked = text(value, name)
    if checked in ("", ".", ".."):
        raise ValueError(f"{name} must be an id, not {checked!r}")
    return checked


def text_list(value: Any, name: str) -> List[str]:
    """A list of strings (a tuple or set too); a single string counts as a list of one."""
    if isinstance(value, str):
        return [value]
    if not isinstance(value, (list, tuple, set, frozenset)):
        raise TypeError(f"{name} must be a list of str, not {_kind(value)}")
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise TypeError(f"{name}[{index}] must be a str, not {_kind(item)}")
    return list(value)


def options(value: Any, name: str = "options") -> Any:
    """An options object (any ``*RequestOptions``), a dict, or None."""
    from .options import RequestOptions
    if value is None or isinstance(value, (RequestOptions, Mapping, SimpleNamespace)):
        return value
    raise TypeError(f"{name} must be a *RequestOptions object or a dict, not {_kind(value)}")


_JSON_SCALARS = (str, int, float, bool, type(None))


def _not_json(value: Any, where: str) -> Optional[Tuple[str, Any]]:
    """The first place in ``value`` JSON cannot carry, as ``(where, value)``."""
    if isinstance(value, float) and not math.isfinite(value):
        return where, value
    if isinstance(value, _JSON_SCALARS):
        return None
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            found = _not_json(item, f"{where}[{index}]")
            if found:
                return found
        return None
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, _JSON_SCALARS):
                return f"{where} key", key
            found = _not_json(item, f"{where}.{key}" if where else str(key))
            if found:
                return found
        return None
    return where, value


def as_json(body: Any, name: str) -> str:
    """``body`` as the JSON text sent on the wire; a value JSON cannot carry is named, not crashed on."""
    try:
        return json.dumps(body, allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        pass
    found = _not_json(body, "")
    where, value = found if found else ("", body)
    where = f"{name}.{where}" if where else name
    raise TypeError(f"{where} must be JSON data (str, int, float, bool, None, list or dict), "
                    f"not {_kind(value)} {value!r:.80}") from None


def upload_source(value: Any) -> Any:
    if isinstance(value, (str, bytes, os.PathLike)) or hasattr(value, "read"):
        return value
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    raise TypeError("file must be a file object, a path (pathlib.Path), bytes, a URL or a base64 string, "
                    f"not {_kind(value)}")


def callback(value: Any, name: str) -> Optional[Callable[..., Any]]:
    if value is None:
        return None
    if not callable(value):
        raise TypeError(f"{name} must be callable, not {_kind(value)}")
    return cast(Callable[..., Any], value)


def seconds(value: Any, name: str, *, allow_none: bool = True, allow_inf: bool = False) -> Optional[float]:
    """A positive number of seconds."""
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number of seconds, not {_kind(value)}")
    if math.isnan(value) or value <= 0 or (math.isinf(value) and not allow_inf):
        raise ValueError(f"{name} must be a positive{'' if allow_inf else ', finite'} number of seconds, "
                         f"not {value!r}")
    return value


def timeout(value: Any, name: str = "timeout") -> Any:
    """Seconds, or a ``(connect, read)`` pair whose parts may be None."""
    if isinstance(value, tuple):
        if len(value) != 2:
            raise ValueError(f"{name} must be seconds or a (connect, read) pair, not {value!r}")
        return tuple(seconds(part, name) for part in value)
    return seconds(value, name)


def count(value: Any, name: str, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {_kind(value)}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, not {value}")
    return value


def date(value: Any, name: str) -> "datetime.date":
    """A ``datetime.date`` (a ``datetime`` gives its date) or an ISO ``YYYY-MM-DD`` string."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{name} must be a date as YYYY-MM-DD, not {value!r}") from None
    raise TypeError(f"{name} must be a datetime.date or a YYYY-MM-DD string, not {_kind(value)}")


def expire_seconds(value: Any) -> int:
    """``expire_seconds`` of url(): a whole number of seconds (a numeric str, as 4.x took it, too)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise TypeError(f"expire_seconds must be an int, not {_kind(value)}")
    try:
        return int(value)
    except (ValueError, OverflowError):
        raise ValueError(f"expire_seconds must be a whole number of seconds, not {value!r}") from None


__all__: Tuple[str, ...] = ("text", "path_segment", "text_list", "options", "as_json", "upload_source", "callback",
                            "seconds", "timeout", "count", "expire_seconds", "date")

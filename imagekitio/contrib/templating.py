"""What the Django and Flask template helpers share: keyword arguments split into URL options and one
transformation step, with values from a request unable to add steps to the URL.

A template often passes request data (``{% ik_url photo width=request.GET.w %}``), and a signed URL is
a promise about exactly which transformation may be served; so numeric parameters must be numbers (a
``width`` of ``"100,e-grayscale"`` or ``"1:rt-90"`` would add steps), and other text values may not hold
``,`` or ``:``, the characters that separate parameters and steps. ``raw`` and a whole ``transformation``
list are the template author's own syntax and pass as given.
"""
import math
import re
from typing import Any, Dict, List, Tuple

from imagekitio import ImageKit

URL_OPTIONS = frozenset({"signed", "expire_seconds", "url_endpoint", "transformation_position",
                         "query_parameters"})
# Step parameters whose value is a number, and the words some of them also take.
NUMERIC = frozenset({"width", "height", "quality", "blur", "x", "y", "x_center", "y_center", "radius",
                     "rotation", "dpr", "opacity", "zoom", "page", "start_offset", "end_offset", "duration"})
_WORDS = {"radius": {"max"}, "rotation": {"auto"}, "dpr": {"auto"}}
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?\Z")
_STEP_SEPARATORS = re.compile(r"[,:]")


def step_value(key: str, value: Any) -> Any:
    """``value`` for the step parameter ``key``, or ``ValueError`` when it could add parameters or steps."""
    if key in NUMERIC:
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
            return value
        if isinstance(value, str) and (_NUMBER.match(value.strip()) or value in _WORDS.get(key, ())):
            return value.strip()
        raise ValueError(f"{key} must be a number, not {value!r}")
    if key != "raw" and isinstance(value, str) and _STEP_SEPARATORS.search(value):
        raise ValueError(f"{key} {value!r} contains ',' or ':', which would add transformation parameters")
    return value


def split(arguments: Dict[str, Any]) -> Tuple[Dict[str, Any], List[Dict[str, Any]]]:
    """``(url options, transformation list)``: keyword arguments other than the URL options (and
    ``transformation``, the whole list) are one more step."""
    options = {key: value for key, value in arguments.items() if key in URL_OPTIONS}
    step = {key: step_value(key, value) for key, value in arguments.items()
            if key not in URL_OPTIONS and key != "transformation"}
    transformation = list(arguments.get("transformation") or []) + ([step] if step else [])
    return options, transformation


def is_url(path: Any) -> bool:
    return str(path).startswith(("http://", "https://"))


def url(client: ImageKit, path: str, arguments: Dict[str, Any]) -> str:
    """The URL of ``path`` (a media-library path, or a full URL as ``src``) with ``arguments``."""
    options, transformation = split(arguments)
    return client.url({"src" if is_url(path) else "path": path, "transformation": transformation, **options})

"""Turning transformation steps (dicts) into ImageKit's URL syntax.

The 4.x names of the README table keep their 4.x output byte for byte; the newer names, effects
that take no value, and layer overlays (``"overlay": {...}``) follow ImageKit's current syntax.
"""
import base64
import re
from typing import Any, Dict, List
from urllib.parse import quote

from .constants.supported_transform import SUPPORTED_TRANS

CHAIN = ":"
JOIN = ","

# Newer transformation names (not in 4.x).
MODERN_TRANS = {
    "x_center": "xc", "y_center": "yc", "video_codec": "vc", "audio_codec": "ac", "flip": "fl",
    "start_offset": "so", "end_offset": "eo", "duration": "du", "streaming_resolutions": "sr",
    "opacity": "o", "zoom": "z", "page": "pg", "color_replace": "cr", "distort": "e-distort",
    "grayscale": "e-grayscale", "contrast_stretch": "e-contrast", "sharpen": "e-sharpen",
    "unsharp_mask": "e-usm", "shadow": "e-shadow", "gradient": "e-gradient", "ai_upscale": "e-upscale",
    "ai_retouch": "e-retouch", "ai_variation": "e-genvar", "ai_drop_shadow": "e-dropshadow",
    "ai_change_background": "e-changebg", "ai_remove_background": "e-bgremove",
    "ai_remove_background_external": "e-removedotbg", "ai_edit": "e-edit",
    # inside layers
    "font_size": "fs", "font_family": "ff", "font_color": "co", "inner_alignment": "ia", "padding": "pa",
    "alpha": "al", "typography": "tg", "line_height": "lh", "font_outline": "fol", "font_shadow": "fsh",
    "color": "co",
}
# Newer effects that are switches: True (or "-") gives the bare code, False leaves them out.
SWITCH_EFFECTS = frozenset({"grayscale", "contrast_stretch", "ai_upscale", "ai_retouch", "ai_variation",
                            "ai_remove_background", "ai_remove_background_external"})
# Newer effects whose value is optional: True gives the bare code.
OPTIONAL_VALUE_EFFECTS = frozenset({"sharpen", "shadow", "gradient", "unsharp_mask", "ai_drop_shadow"})
CODES = {**SUPPORTED_TRANS, **MODERN_TRANS}
# Values that are paths: the leading "/" goes and "/" becomes "@@", keeping one URL segment.
PATH_VALUED = frozenset({"di", "oi", "ff"})

_SIMPLE_TEXT = re.compile(r"^[a-zA-Z0-9\-._ ]*$")
_SIMPLE_PATH = re.compile(r"^[a-zA-Z0-9\-._/ ]*$")
_URI_COMPONENT_SAFE = "-_.!~*'()"
_LAYER_TYPES = {"text": "l-text", "image": "l-image", "video": "l-video", "subtitle": "l-subtitles",
                "solidColor": "l-image"}


def value_str(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


# How each name other than a plain code is written; names absent here are "code-value".
_RAW, _OVERLAY, _PATH_VALUE, _SWITCH, _OPTIONAL, _JOINED = range(6)
_KIND = {"raw": _RAW, "overlay": _OVERLAY, "streaming_resolutions": _JOINED,
         **{name: _SWITCH for name in SWITCH_EFFECTS}, **{name: _OPTIONAL for name in OPTIONAL_VALUE_EFFECTS},
         **{name: _PATH_VALUE for name, code in CODES.items() if code in PATH_VALUED},
         **{code: _PATH_VALUE for code in PATH_VALUED}}


# name -> (code, kind) for every name with a known code or a special kind.
_SPEC = {**{name: (code, None) for name, code in CODES.items()},
         **{name: (CODES.get(name, name), kind) for name, kind in _KIND.items()}}


def step_to_str(step: Dict[str, Any]) -> str:
    """One step: ``{"height": 300, "width": 400}`` -> ``"h-300,w-400"``."""
    parts = []
    append = parts.append
    for key, value in step.items():
        code, kind = _SPEC.get(key) or (key, None)
        if kind is None:
            if type(value) is str:
                append(code if value == "-" else f"{code}-{value}")
            else:
                append(f"{code}-{value if type(value) is int else value_str(value)}")
        elif kind is _RAW:
            if value:
                append(str(value))
        elif kind is _OVERLAY:
            layer = overlay_to_str(value)
            if layer:
                append(layer)
        elif value == "-" or (value is True and kind in (_SWITCH, _OPTIONAL)):
            append(code)
        elif value is False and kind is _SWITCH:
            continue
        else:
            if kind is _JOINED and isinstance(value, (list, tuple)):
                value = "_".join(map(str, value))
            value = value_str(value)
            if kind is _PATH_VALUE:
                value = value.lstrip("/").replace("/", "@@")
            append(f"{code}-{value}")
    return JOIN.join(parts)


# Templates build the same transformation for many images, so strings are memoised by content.
# Only str/int/bool/None values take part: values that compare equal across those types carry
# their type in the key, and floats (-0.0 == 0.0) or containers are simply computed each time.
_CACHEABLE = frozenset({str, int, bool, type(None)})
_CACHE: Dict[tuple, str] = {}
_CACHE_LIMIT = 4096


def _cache_key(transformation: List[Any]) -> Any:
    key: List[Any] = []
    for step in transformation:
        if type(step) is not dict:
            return None
        key.append(len(step))
        for name, value in step.items():
            kind = value.__class__
            if kind not in _CACHEABLE:
                return None
            key += (name, kind, value)
    return tuple(key)


def to_str(transformation: Any) -> str:
    """Chained steps: ``[{"height": 300}, {"rotation": 90}]`` -> ``"h-300:rt-90"``; anything but a list -> ``""``."""
    if not isinstance(transformation, list):
        return ""
    key = _cache_key(transformation)
    if key is not None:
        cached = _CACHE.get(key)
        if cached is not None:
            return cached
    result = CHAIN.join([step_to_str(step) for step in transformation])
    if key is not None:
        if len(_CACHE) >= _CACHE_LIMIT:
            _CACHE.clear()
        _CACHE[key] = result
    return result


def _b64(text: str) -> str:
    return quote(base64.b64encode(text.encode()).decode(), safe="")


def _text_input(text: str, encoding: str) -> str:
    if encoding == "plain" or (encoding != "base64" and _SIMPLE_TEXT.match(text)):
        return "i-" + quote(text, safe=_URI_COMPONENT_SAFE)
    return "ie-" + _b64(text)


def _path_input(path: str, encoding: str) -> str:
    path = path.strip("/")
    if encoding == "plain" or (encoding != "base64" and _SIMPLE_PATH.match(path)):
        return "i-" + path.replace("/", "@@")
    return "ie-" + _b64(path)


def overlay_to_str(overlay: Any) -> str:
    """A layer: ``{"type": "text", "text": "Hi", "position": {"x": 10}}`` -> ``"l-text,i-Hi,lx-10,l-end"``."""
    if not isinstance(overlay, dict):
        return ""
    kind = overlay.get("type")
    encoding = overlay.get("encoding") or "auto"
    if kind == "text":
        source = overlay.get("text")
        entries: List[str] = [_LAYER_TYPES[kind], _text_input(str(source), encoding)] if source else []
    elif kind in ("image", "video", "subtitle"):
        source = overlay.get("input")
        entries = [_LAYER_TYPES[kind], _path_input(str(source), encoding)] if source else []
    elif kind == "solidColor":
        source = overlay.get("color")
        entries = [_LAYER_TYPES[kind], "i-ik_canvas", f"bg-{source}"] if source else []
    else:
        return ""
    if not entries:
        return ""
    if overlay.get("layer_mode"):
        entries.append(f"lm-{overlay['layer_mode']}")
    position = overlay.get("position") or {}
    timing = overlay.get("timing") or {}
    for prefix, value in (("lx", position.get("x")), ("ly", position.get("y")), ("lfo", position.get("focus")),
                          ("lso", timing.get("start")), ("leo", timing.get("end")),
                          ("ldu", timing.get("duration"))):
        if value:  # as ImageKit's SDKs do, 0 and "" mean "not set"
            entries.append(f"{prefix}-{value}")
    nested = to_str(overlay.get("transformation"))
    if nested.strip():
        entries.append(nested)
    entries.append("l-end")
    return JOIN.join(entries)

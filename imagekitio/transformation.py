"""Turning transformation steps (dicts) into ImageKit's URL syntax.

The 4.x names of the README table keep their 4.x output byte for byte; the newer names, effects
that take no value, and layer overlays (``"overlay": {...}``) follow ImageKit's current syntax.
"""
import base64
import enum
import re
from typing import Any, Callable, Dict, List, Tuple
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
    "color": "co", "colorize": "e-colorize", "density": "dn",
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


def number_str(value: Any) -> str:
    """How ImageKit's current SDKs write a value: a whole float as an integer (``4.0`` -> ``"4"``)."""
    if type(value) is float and value.is_integer():
        return str(int(value))
    return value_str(value)


# A value may not change the path, query or fragment that a URL (and its signature) addresses: no
# "/", "?", "#", "%" (the CDN decodes it), "\\" (browsers read it as "/") or control characters.
# "," and ":" only add steps for the same file, and a space stays in the path as 4.x wrote it.
_UNSAFE_VALUE = re.compile(r"[/?#%\\\x00-\x1f\x7f]")
# `raw` is the caller's own transformation syntax, so "/" and "%" stay, but it cannot leave the path.
_UNSAFE_RAW = re.compile(r"[?#\s\x00-\x1f\x7f]")


def checked(text: str, where: str, pattern: "re.Pattern[str]" = _UNSAFE_VALUE) -> str:
    """``text``, or ``ValueError`` when it holds a character that would steer the URL it goes into."""
    found = pattern.search(text)
    if found:
        raise ValueError(f"transformation {where} {text!r} contains {found.group()!r}, which would change the "
                         f"URL it is part of; use an overlay's text/input (encoded for you) or remove it")
    return text


class Kind(enum.Enum):
    """How a transformation name is written; names with no entry are ``code-value`` as in 4.x."""
    NUMBER = "code-value, whole floats written as integers (names newer than 4.x)"
    RAW = "the value as it is"
    OVERLAY = "a layer: l-...,l-end"
    PATH_VALUE = "a path kept in one segment: leading / dropped, / written @@"
    SWITCH = "True gives the bare code, False nothing"
    OPTIONAL = "True gives the bare code"
    JOINED = "a list joined with _"


_KIND = {**{name: Kind.NUMBER for name in MODERN_TRANS}, "raw": Kind.RAW, "overlay": Kind.OVERLAY,
         "streaming_resolutions": Kind.JOINED,
         **{name: Kind.SWITCH for name in SWITCH_EFFECTS}, **{name: Kind.OPTIONAL for name in OPTIONAL_VALUE_EFFECTS},
         **{name: Kind.PATH_VALUE for name, code in CODES.items() if code in PATH_VALUED},
         **{code: Kind.PATH_VALUE for code in PATH_VALUED}}


# name -> (code, kind) for every name with a known code or a special kind.
_SPEC = {**{name: (code, None) for name, code in CODES.items()},
         **{name: (CODES.get(name, name), kind) for name, kind in _KIND.items()}}


def step_to_str(step: Dict[str, Any]) -> str:
    """One step: ``{"height": 300, "width": 400}`` -> ``"h-300,w-400"``."""
    parts: List[str] = []
    append = parts.append
    for key, value in step.items():
        spec = _SPEC.get(key)
        if spec is None:  # a name this SDK does not know goes out as it is, so it must be safe too
            code, kind = checked(str(key), "name"), None
        else:
            code, kind = spec
        if kind is None:
            if type(value) is str:
                append(code if value == "-" else f"{code}-{checked(value, key) if value else value}")
            else:
                append(f"{code}-{value if type(value) is int else checked(value_str(value), key)}")
        elif kind is Kind.RAW:
            if value:
                append(checked(str(value), "raw", _UNSAFE_RAW))
        elif kind is Kind.OVERLAY:
            layer = overlay_to_str(value)
            if layer:
                append(layer)
        elif value == "-" or (value is True and kind in (Kind.SWITCH, Kind.OPTIONAL)):
            append(code)
        elif value is False and kind is Kind.SWITCH:
            continue
        else:
            if kind is Kind.JOINED and isinstance(value, (list, tuple)):
                value = "_".join(map(number_str, value))
            value = number_str(value)
            if kind is Kind.PATH_VALUE:
                value = value.lstrip("/").replace("/", "@@")
            append(f"{code}-{checked(value, key)}")
    return JOIN.join(parts)


# Templates build the same transformation for many images, so strings are memoised by content.
# Only str/int/bool/None values take part, and dicts and lists of them (overlays): values that compare
# equal across those types carry their type in the key, and floats (-0.0 == 0.0) or other objects are
# simply computed each time.
CACHEABLE = frozenset({str, int, bool, type(None)})
_CACHE: Dict[Tuple[Any, ...], str] = {}
_CACHE_LIMIT = 4096


def _frozen(value: Any, depth: int = 0) -> Any:
    """A hashable, type-exact image of a nested value, or None when it has a part that may not take part."""
    kind = value.__class__
    if kind in CACHEABLE:
        return kind, value
    if depth > 8:
        return None
    if kind is dict:
        parts: List[Any] = [dict]
        for name, item in value.items():
            frozen = _frozen(item, depth + 1)
            if frozen is None or name.__class__ is not str:
                return None
            parts += (name, frozen)
        return tuple(parts)
    if kind is list:
        items = [_frozen(item, depth + 1) for item in value]
        return None if None in items else (list, *items)
    return None


def cache_key(transformation: List[Any]) -> Any:
    key: List[Any] = []
    for step in transformation:
        if type(step) is not dict:
            return None
        key.append(len(step))
        for name, value in step.items():
            kind = value.__class__
            if kind in CACHEABLE:
                key += (name, kind, value)
            else:
                frozen = _frozen(value, 1)
                if frozen is None:
                    return None
                key += (name, frozen)
    return tuple(key)


def to_str(transformation: Any) -> str:
    """Chained steps: ``[{"height": 300}, {"rotation": 90}]`` -> ``"h-300:rt-90"``; anything but a list -> ``""``."""
    if not isinstance(transformation, list):
        return ""
    key = cache_key(transformation)
    if key is not None:
        cached = _CACHE.get(key)
        if cached is not None:
            return cached
    for index, step in enumerate(transformation):
        if not isinstance(step, dict):
            raise TypeError(f"transformation[{index}] must be a dict such as {{'width': 300}}, "
                            f"not {type(step).__name__}")
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


# Overlay keys, in snake_case or the camelCase of ImageKit's other SDKs.
_OVERLAY_KEYS = frozenset({"type", "text", "input", "color", "encoding", "position", "timing", "transformation",
                           "layer_mode", "layerMode"})
# (key, camelCase key, prefix) in the order the entries are written.
_POSITION = (("x", "x", "lx"), ("y", "y", "ly"), ("x_center", "xCenter", "lxc"), ("y_center", "yCenter", "lyc"),
             ("focus", "focus", "lfo"), ("anchor_point", "anchorPoint", "lap"))
_TIMING = (("start", "start", "lso"), ("end", "end", "leo"), ("duration", "duration", "ldu"))


def _unknown_keys(given: Dict[str, Any], known: Any, where: str) -> None:
    unknown = [key for key in given if key not in known]
    if unknown:
        raise ValueError(f"{where} does not know {', '.join(map(repr, unknown))}")


def _layer_entries(values: Any, names: Any, where: str, write: Callable[[Any], str]) -> List[str]:
    values = values or {}
    if not isinstance(values, dict):
        raise TypeError(f"{where} must be a dict, not {type(values).__name__}")
    _unknown_keys(values, {name for triple in names for name in triple[:2]}, where)
    entries = []
    for key, camel, prefix in names:
        value = values.get(key, values.get(camel))
        if value:  # as ImageKit's SDKs do, 0 and "" mean "not set"
            entries.append(f"{prefix}-{checked(write(value), f'{where} {key}')}")
    return entries


def overlay_to_str(overlay: Any) -> str:
    """A layer: ``{"type": "text", "text": "Hi", "position": {"x": 10}}`` -> ``"l-text,i-Hi,lx-10,l-end"``."""
    if not isinstance(overlay, dict):
        return ""
    _unknown_keys(overlay, _OVERLAY_KEYS, "overlay")
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
        entries = [_LAYER_TYPES[kind], "i-ik_canvas", f"bg-{checked(str(source), 'overlay color')}"] if source else []
    else:
        return ""
    if not entries:
        return ""
    layer_mode = overlay.get("layer_mode") or overlay.get("layerMode")
    if layer_mode:
        entries.append(f"lm-{checked(str(layer_mode), 'overlay layer_mode')}")
    # Positions keep their number as written (10.0 -> "10.0"); times are numbers (1.0 -> "1").
    entries += _layer_entries(overlay.get("position"), _POSITION, "overlay position", str)
    entries += _layer_entries(overlay.get("timing"), _TIMING, "overlay timing", number_str)
    nested = to_str(overlay.get("transformation"))
    if nested.strip():
        entries.append(nested)
    entries.append("l-end")
    return JOIN.join(entries)

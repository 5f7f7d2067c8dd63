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
    legacy: Dict[str, Any] = {}
    legacy_at = 0
    for key, value in step.items():
        spec = _SPEC.get(key)
        if spec is None:
            if type(key) is str and key.startswith(_LEGACY_PREFIX):
                if not legacy:
                    legacy_at = len(parts)
                legacy[key] = value
                continue
            code, kind = checked(str(key), "name"), None  # an unknown name goes out as it is: it must be safe too
        else:
            code, kind = spec
        if kind is None:
            if type(value) is str:
                if key in _COLOUR_NAMES:
                    value = css_colour(value)
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
                value = path_value(value)
            elif key in _COLOUR_NAMES:
                value = css_colour(value)
            append(f"{code}-{checked(value, key)}")
    if legacy:
        parts.insert(legacy_at, legacy_overlay(legacy))
    return JOIN.join(parts)


def path_value(value: str) -> str:
    """A path kept in one URL segment, as 4.x writes it: ``"/folder/img.jpg/"`` -> ``"folder@@img.jpg"``."""
    return value.strip("/").replace("/", "@@")


# A CSS-style colour ("#FFFFFF", "5_#FF0000" for a border): ImageKit takes the hex digits without "#".
_CSS_HEX = re.compile(r"#(?=[0-9A-Fa-f]{3,8}(?![0-9A-Za-z]))")
_COLOUR_NAMES = frozenset({"background", "border", "color", "font_color"})


def css_colour(value: str) -> str:
    return _CSS_HEX.sub("", value) if "#" in value else value


# ----------------------------------------------------------------------------- legacy overlay names
# The 2.x/3.x SDKs wrote these names as `oi-`, `ot-`, `ox-`... parameters, which ImageKit has answered
# with 400 since November 2023. Code written then (ImageKit's own quick-start sample among it) still
# passes them, so the overlay names of a step become one layer of today's syntax in that step.
_LEGACY_PREFIX = "overlay_"
_IMAGE, _TEXT, _ANY = "image", "text", "any"
# legacy name -> (layer parameter, the layer type it belongs to, how the value is written)
_LEGACY: Dict[str, Tuple[str, str, str]] = {
    "overlay_x": ("lx", _ANY, "offset"), "overlay_y": ("ly", _ANY, "offset"), "overlay_focus": ("lfo", _ANY, ""),
    "overlay_height": ("h", _ANY, ""), "overlay_width": ("w", _ANY, ""), "overlay_alpha": ("", _ANY, "alpha"),
    "overlay_background": ("bg", _ANY, "colour"), "overlay_radius": ("r", _ANY, ""),
    "overlay_image_aspect_ratio": ("ar", _IMAGE, ""), "overlay_image_background": ("bg", _IMAGE, "colour"),
    "overlay_image_border": ("b", _IMAGE, "colour"), "overlay_image_cropping": ("c", _IMAGE, "crop"),
    "overlay_image_dpr": ("dpr", _IMAGE, ""), "overlay_image_focus": ("fo", _IMAGE, ""),
    "overlay_image_quality": ("q", _IMAGE, ""), "overlay_image_trim": ("t", _IMAGE, ""),
    "overlay_text_background": ("bg", _TEXT, "colour"), "overlay_text_color": ("co", _TEXT, "colour"),
    "overlay_text_font_family": ("ff", _TEXT, "path"), "overlay_text_font_size": ("fs", _TEXT, ""),
    "overlay_text_inner_alignment": ("ia", _TEXT, ""), "overlay_text_padding": ("pa", _TEXT, ""),
    "overlay_text_transparency": ("al", _TEXT, ""), "overlay_text_typography": ("tg", _TEXT, ""),
    "overlay_text_width": ("w", _TEXT, ""),
}
_LEGACY_SOURCES = {"overlay_image": _IMAGE, "overlay_text": _TEXT, "overlay_text_encoded": _TEXT}
_CROP_MODES = frozenset({"extract", "pad_resize", "pad_extract"})
_BASE64 = re.compile(r"^[A-Za-z0-9+/_-]*={0,2}$")
_LAYER_HINT = ("write the layer with 'overlay', e.g. {'overlay': {'type': 'image', 'input': '/logo.png', "
               "'position': {'x': 10}, 'transformation': [{'width': 100}]}}")


def _legacy_value(name: str, value: Any, how: str, layer: str) -> Tuple[str, str]:
    """(parameter, value) of one legacy name inside the layer."""
    param = _LEGACY[name][0]
    text = number_str(value)
    if how == "offset" and type(value) in (int, float) and value < 0:
        text = "N" + number_str(-value)  # ImageKit writes negative offsets with N
    elif how == "colour":
        text = css_colour(text)
    elif how == "path":
        text = path_value(text)
    elif how == "crop" and text in _CROP_MODES:
        param = "cm"
    elif how == "alpha":
        if layer == _TEXT:
            param = "al"
        elif type(value) is int and 1 <= value <= 9:
            param, text = "o", str(value * 10)  # an image layer's transparency is its opacity, 0-100
        else:
            raise ValueError(f"{name}={value!r} has no layer equivalent for an image overlay (1-9 maps to opacity); "
                             f"put {{'opacity': 0-100}} in the overlay's transformation: {_LAYER_HINT}")
    return param, checked(text, name)


def legacy_overlay(names: Dict[str, Any]) -> str:
    """One layer from a step's legacy overlay names: ``{"overlay_image": "/a/logo.png", "overlay_x": 10}``
    -> ``"l-image,i-a@@logo.png,lx-10,l-end"``."""
    unknown = [name for name in names if name not in _LEGACY and name not in _LEGACY_SOURCES]
    if unknown:
        raise ValueError(f"{unknown[0]!r} is a legacy overlay name with no layer equivalent; {_LAYER_HINT}")
    sources = [name for name in names if name in _LEGACY_SOURCES and names[name] not in (None, "")]
    if len(sources) != 1:
        which = " and ".join(map(repr, sources)) or "none of 'overlay_image', 'overlay_text'"
        raise ValueError(f"the legacy overlay names {', '.join(map(repr, names))} need exactly one source in their "
                         f"step (given: {which}); for more than one overlay, {_LAYER_HINT}")
    source = sources[0]
    layer = _LEGACY_SOURCES[source]
    value = str(names[source])
    if source == "overlay_image":
        entries = ["l-image", _path_input(value, "auto")]
    elif source == "overlay_text":
        entries = ["l-text", _text_input(value, "auto")]
    else:  # overlay_text_encoded: the caller's base64 text
        if not _BASE64.match(value):
            raise ValueError(f"overlay_text_encoded must be base64 text, not {value!r}")
        entries = ["l-text", "ie-" + quote(value, safe="")]
    for name, given in names.items():
        if name in _LEGACY_SOURCES or given is None or given == "":
            continue
        param, belongs, how = _LEGACY[name]
        if belongs not in (_ANY, layer):
            raise ValueError(f"{name!r} applies to {belongs} overlays, not to this {layer} overlay; "
                             f"use the matching overlay_{layer}_... name, or {_LAYER_HINT}")
        param, text = _legacy_value(name, given, how, layer)
        entries.append(f"{param}-{text}")
    entries.append("l-end")
    return JOIN.join(entries)


# Templates build the same transformation for many images, so strings are memoised by content.
# Only str/int/bool/None values take part, and dicts and lists of them (overlays): values that compare
# equal across those types carry their type in the key, and floats (-0.0 == 0.0) or other objects are
# simply computed each time.
CACHEABLE = frozenset({str, int, bool, type(None)})


class Memo(Dict[Any, str]):
    """Strings remembered by key, emptied when ``limit`` is reached (pages repeat a few, so a simple bound
    beats bookkeeping). A hit is a plain ``dict.get``; only a miss pays for :meth:`put`."""

    def __init__(self, limit: int = 4096) -> None:
        super().__init__()
        self.limit = limit

    def put(self, key: Any, value: str) -> str:
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value


_CACHE = Memo()


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
    return result if key is None else _CACHE.put(key, result)


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
        entries = [_LAYER_TYPES[kind], "i-ik_canvas", f"bg-{checked(css_colour(str(source)), 'overlay color')}"] \
            if source else []
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

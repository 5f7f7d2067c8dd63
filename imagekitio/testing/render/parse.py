"""Transformation string → plan: a value the geometry and pixel steps read, testable without images.

Grammar (DELIVERY.md §1.3): steps joined by ``:``, parameters by ``,``; ``l-<type> … l-end`` opens a
layer whose own parameters may form a chain; ``if-<cond> … [if-else …] if-end`` is a conditional block.
Every value is checked here, once, so a malformed URL answers 400 before a pixel is decoded.
"""
import math
import re
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence, Tuple
from urllib.parse import unquote


class TransformError(Exception):
    """A transformation ImageKit refuses: ``status`` (400, 404 …) and the ``ik-error`` code."""

    def __init__(self, message: str, status: int = 400, code: str = "EINVALID") -> None:
        super().__init__(message)
        self.status, self.code = status, code


Param = Tuple[str, str]  # key, value ("" for a bare flag)


@dataclass(frozen=True)
class Layer:
    kind: str                    # "image", "text" or "solid"
    source: str                  # media-library path, text, or "" for a solid block
    steps: Tuple["Step", ...]


@dataclass(frozen=True)
class Conditional:
    condition: str
    then: Tuple["Step", ...]
    otherwise: Tuple["Step", ...]


@dataclass(frozen=True)
class Step:
    params: Tuple[Param, ...] = ()
    layers: Tuple[Layer, ...] = ()
    conditional: Optional[Conditional] = None

    def get(self, key: str) -> Optional[str]:
        """The last value given for ``key`` in this step (a later one overrides), or None."""
        found = None
        for name, value in self.params:
            if name == key:
                found = value
        return found

    def has(self, key: str) -> bool:
        return any(name == key for name, _ in self.params)


@dataclass(frozen=True)
class Plan:
    steps: Tuple[Step, ...]
    passthrough: Tuple[str, ...] = ()   # AI / paid effects left unrendered
    ignored: Tuple[str, ...] = ()       # accepted parameters the emulator does not render
    default_image: Optional[str] = None
    original: bool = False              # orig-true: the stored bytes, nothing else
    named: Tuple[str, ...] = field(default=())

    def last(self, key: str) -> Optional[str]:
        """The value of ``key`` from the last step that gives it (format and encoding flags)."""
        found = None
        for step in self.steps:
            value = step.get(key)
            if value is not None:
                found = value
        return found

    @property
    def empty(self) -> bool:
        return not self.steps


# ---------------------------------------------------------------------------------- value checks
_NUM = r"N?\d+(?:\.\d+)?"
_VAR = r"(?:iw|ih|iar|cw|ch|car|bw|bh|bar|idu|bdu)"
_OPERAND = rf"(?:{_VAR}|\d+(?:\.\d+)?)"
EXPRESSION = re.compile(rf"{_OPERAND}(?:_(?:add|sub|mul|div|mod|pow)_{_OPERAND})*")
_COLOUR = re.compile(r"[0-9A-Fa-f]{6}(?:[0-9]{2})?|[a-z]+")
RELATIVE_FOCUS = ("center", "top", "left", "bottom", "right", "top_left", "top_right", "bottom_left",
                  "bottom_right")
AI_FOCUS = ("auto", "face") + tuple(
    "person bicycle car motorcycle airplane bus train truck boat trafficLight fireHydrant stopSign "
    "parkingMeter bench bird cat dog horse sheep cow elephant bear zebra giraffe backpack umbrella handbag "
    "tie suitcase frisbee skis snowboard sportsBall kite baseballBat baseballGlove skateboard surfboard "
    "tennisRacket bottle wineGlass cup fork knife spoon bowl banana apple sandwich orange broccoli carrot "
    "hotDog pizza donut cake chair couch pottedPlant bed diningTable toilet tv laptop mouse remote keyboard "
    "cellPhone microwave oven toaster sink refrigerator book clock vase scissors teddyBear hairDrier "
    "toothbrush".split())
CROPS = ("maintain_ratio", "force", "at_max", "at_max_enlarge", "at_least", "maintain_ratio_no_enlarge")
CROP_MODES = ("pad_resize", "extract", "pad_extract", "pad_resize_no_enlarge", "pad_extract_no_shrink")
FORMATS = ("auto", "jpg", "jpeg", "webp", "avif", "png", "gif", "orig")
DIRECTIONS = {"top": 0, "top_right": 45, "right": 90, "bottom_right": 135, "bottom": 180, "bottom_left": 225,
              "left": 270, "top_left": 315, "topleft": 315}

AI_EFFECTS = ("e-bgremove", "e-removedotbg", "e-changebg", "e-edit", "e-dropshadow", "e-retouch", "e-upscale",
              "e-genvar")
LAYER_AI = ("e-bgremove", "e-removedotbg", "e-dropshadow")
# Parameters of videos and other media, and newer ones the emulator accepts without rendering.
IGNORED = ("vc", "ac", "so", "eo", "du", "sr", "lso", "leo", "ldu", "fol", "fsh", "dn", "c2pa", "z", "pg",
           "cp", "e-distort", "lm", "cr")
# A URL may be 64 KiB long: without these bounds one request could chain thousands of full-size
# operations (3,000 ``bl-1`` steps took 30 s on a 400x200 image) or nest until RecursionError.
MAX_OPERATIONS = 100      # steps and layers in one transformation, counting nested ones
MAX_CONDITION_NESTING = 3
DEPRECATED = ("oi", "ot", "ox", "oy", "ofo", "ow", "oh", "obg", "otc", "ots", "otf", "oa", "otw", "oth",
              "otbg", "otp", "otia", "oit", "oiw", "oih", "oibg", "oib")


def _fail(key: str, value: str, why: str) -> TransformError:
    return TransformError(f"Invalid transformation parameter {key}-{value}: {why}.")


def is_expression(value: str) -> bool:
    return bool(EXPRESSION.fullmatch(value)) and not re.fullmatch(r"\d+(?:\.\d+)?", value)


def number(value: str) -> float:
    """A number in ImageKit's spelling: ``N`` marks a negative."""
    found = -float(value[1:]) if value.startswith("N") else float(value)
    if not math.isfinite(found):  # 400 nines parse as infinity, which no size or offset can be
        raise TransformError(f"The number {value[:20]}... is too large.")
    return found


def _is_number(value: str) -> bool:
    return bool(re.fullmatch(_NUM, value))


def _size(key: str, value: str) -> None:
    if key == "w" and value == "auto":
        return
    if is_expression(value):
        return
    if not re.fullmatch(r"\d+(?:\.\d+)?|\.\d+", value) or float(value) <= 0:
        raise _fail(key, value, "a size is a number greater than 0 or an expression")


def _int_range(low: int, high: int) -> Callable[[str, str], None]:
    def check(key: str, value: str) -> None:
        if not re.fullmatch(r"\d+", value) or not low <= int(value) <= high:
            raise _fail(key, value, f"expected a whole number from {low} to {high}")
    return check


def _enum(*allowed: str) -> Callable[[str, str], None]:
    def check(key: str, value: str) -> None:
        if value not in allowed:
            raise _fail(key, value, f"expected one of {', '.join(allowed)}")
    return check


def check_colour(key: str, value: str) -> None:
    if not _COLOUR.fullmatch(value):
        raise _fail(key, value, "expected RRGGBB, RRGGBBAA or a colour name")
    if value.isalpha() and not re.fullmatch(r"[0-9A-Fa-f]{6}", value):
        from .geometry import colour  # colour names are checked against Pillow's table when it is there
        colour(value)


def _coordinate(key: str, value: str) -> None:
    if not (re.fullmatch(r"\d+(?:\.\d+)?", value) or is_expression(value)):
        raise _fail(key, value, "expected a whole number or an expression")


def _offset(key: str, value: str) -> None:
    if not (_is_number(value) or is_expression(value)):
        raise _fail(key, value, "expected a number (N for negative) or an expression")


def _ar(key: str, value: str) -> None:
    if not (re.fullmatch(r"\d+(?:\.\d+)?[-_]\d+(?:\.\d+)?", value) or is_expression(value)):
        raise _fail(key, value, "expected a-b, a_b or an expression")


def _focus(key: str, value: str) -> None:
    if value not in RELATIVE_FOCUS + AI_FOCUS + ("custom",) and not all(
            part in AI_FOCUS for part in value.split("_")) and value != "auto-custom_override":
        raise _fail(key, value, "unknown focus")


def _dpr(key: str, value: str) -> None:
    if value == "auto" or is_expression(value):
        return
    if not re.fullmatch(r"\d+(?:\.\d+)?", value) or not 0.1 <= float(value) <= 5:
        raise _fail(key, value, "expected 0.1 to 5, auto or an expression")


def _rotation(key: str, value: str) -> None:
    if value != "auto" and not _is_number(value):
        raise _fail(key, value, "expected degrees (N for counter-clockwise) or auto")


def _trim(key: str, value: str) -> None:
    if value not in ("true", "false") and not (re.fullmatch(r"\d+", value) and 1 <= int(value) <= 99):
        raise _fail(key, value, "expected true, false or 1 to 99")


def _radius(key: str, value: str) -> None:
    if value == "max" or re.fullmatch(r"[1-9]\d*", value) or re.fullmatch(r"\d+(?:_\d+){3}", value):
        return
    raise _fail(key, value, "expected a radius, max or four radii joined by _")


def _border(key: str, value: str) -> None:
    match = re.fullmatch(r"(.+?)[_-]([0-9A-Za-z]+)", value)
    if not match or not (re.fullmatch(r"\d+", match.group(1)) or is_expression(match.group(1))):
        raise _fail(key, value, "expected <width>_<colour>")
    check_colour(key, match.group(2))


def _background(key: str, value: str) -> None:
    if value.startswith("blurred"):
        parts = value.split("_")[1:]
        if len(parts) > 2 or (parts and parts[0] != "auto" and not (
                re.fullmatch(r"\d+", parts[0]) and int(parts[0]) <= 100)) or (
                len(parts) == 2 and not (_is_number(parts[1]) and abs(number(parts[1])) <= 255)):
            raise _fail(key, value, "expected blurred[_<intensity>][_<brightness>]")
        return
    if value in ("dominant", "gradient_dominant", "gradient_dominant_2", "gradient_dominant_4") or \
            value.startswith("genfill"):
        return
    check_colour(key, value)


def _boolean(key: str, value: str) -> None:
    if value not in ("true", "false"):
        raise _fail(key, value, "expected true or false")


def _flag(key: str, value: str) -> None:
    if value:
        raise _fail(key, value, "this effect takes no value")


def _sharpen(key: str, value: str) -> None:
    if value and not re.fullmatch(r"\d+(?:\.\d+)?", value):
        raise _fail(key, value, "expected a number")


def _usm(key: str, value: str) -> None:
    parts = value.split("-")
    if value and (len(parts) != 4 or not all(re.fullmatch(r"\d+(?:\.\d+)?|\.\d+", p) for p in parts)):
        raise _fail(key, value, "expected four positive numbers: radius-sigma-amount-threshold")


def sub_params(value: str) -> Dict[str, str]:
    """``bl-15_st-40_x-N5`` → {"bl": "15", "st": "40", "x": "N5"}."""
    found: Dict[str, str] = {}
    for part in filter(None, re.split(r"_(?=(?:bl|st|x|y|ld|from|to|sp|co|in)-)", value)):
        name, _, sub = part.partition("-")
        found[name] = sub
    return found


def _shadow(key: str, value: str) -> None:
    limits = {"bl": (0, 15), "st": (0, 100), "x": (-100, 100), "y": (-100, 100)}
    for name, sub in sub_params(value).items():
        if name not in limits or not _is_number(sub) or not limits[name][0] <= number(sub) <= limits[name][1]:
            raise _fail(key, value, f"bad shadow setting {name}")


def _gradient(key: str, value: str) -> None:
    for name, sub in sub_params(value).items():
        if name == "ld":
            if sub not in DIRECTIONS and not (re.fullmatch(r"\d+", sub) and int(sub) < 360):
                raise _fail(key, value, "ld is 0-359 or a direction")
        elif name in ("from", "to"):
            check_colour(key, sub)
        elif name == "sp":
            if not (re.fullmatch(r"\d+(?:\.\d+)?", sub) or is_expression(sub)):
                raise _fail(key, value, "sp is a fraction, pixels or an expression")
        else:
            raise _fail(key, value, f"bad gradient setting {name}")


def _colorize(key: str, value: str) -> None:
    for name, sub in sub_params(value).items():
        if name == "co":
            check_colour(key, sub)
        elif name != "in" or not (re.fullmatch(r"\d+", sub) and int(sub) <= 100):
            raise _fail(key, value, f"bad colorize setting {name}")


def _padding(key: str, value: str) -> None:
    parts = value.split("_") if not is_expression(value) else [value]
    if not 1 <= len(parts) <= 4 or not all(re.fullmatch(r"\d+", p) or is_expression(p) for p in parts):
        raise _fail(key, value, "expected 1 to 4 paddings joined by _")


def _anything(key: str, value: str) -> None:
    pass


CHECKS: Dict[str, Callable[[str, str], None]] = {
    "w": _size, "h": _size, "ar": _ar, "c": _enum(*CROPS, "pad_resize"), "cm": _enum(*CROP_MODES),
    "fo": _focus, "x": _coordinate, "y": _coordinate, "xc": _coordinate, "yc": _coordinate,
    "q": _int_range(1, 100), "f": _enum(*FORMATS), "pr": _boolean, "lo": _boolean, "md": _boolean,
    "cp": _boolean, "orig": _boolean, "rt": _rotation, "fl": _enum("h", "v", "h_v", "v_h"), "r": _radius,
    "b": _border, "bg": _background, "o": _int_range(0, 100), "t": _trim, "bl": _int_range(1, 100),
    "dpr": _dpr, "n": _anything, "di": _anything,
    "e-grayscale": _flag, "e-contrast": _flag, "e-sharpen": _sharpen, "e-usm": _usm, "e-shadow": _shadow,
    "e-gradient": _gradient, "e-colorize": _colorize,
    # layer parameters
    "i": _anything, "ie": _anything, "lx": _offset, "ly": _offset, "lxc": _offset, "lyc": _offset,
    "lfo": _enum(*RELATIVE_FOCUS), "lap": _enum(*RELATIVE_FOCUS),
    "fs": _coordinate, "ff": _anything, "co": check_colour, "ia": _enum("left", "right", "center"),
    "pa": _padding, "al": _int_range(1, 9), "tg": _anything, "lh": _coordinate,
}
LAYER_ONLY = ("i", "ie", "lx", "ly", "lxc", "lyc", "lfo", "lap", "fs", "ff", "co", "ia", "pa", "al", "tg", "lh")


# ---------------------------------------------------------------------------------- tokens
Token = Tuple[str, str]  # (separator before it: "," or ":", text)


def _tokens(text: str) -> List[Token]:
    tokens: List[Token] = []
    sep = ","
    for piece in re.split(r"([,:])", text):
        if piece in (",", ":"):
            sep = ":" if ":" in (sep, piece) and tokens else piece
            continue
        if piece:
            tokens.append((sep, piece))
            sep = ","
    return tokens


def split_key(token: str) -> Param:
    """``e-usm-2-2-0.8-0.024`` → ("e-usm", "2-2-0.8-0.024"); ``w-300`` → ("w", "300"); ``e-grayscale``."""
    if token.startswith(("e-", "l-", "if-")):
        head, _, rest = token.partition("-")
        name, _, value = rest.partition("-")
        return f"{head}-{name}", value
    key, _, value = token.partition("-")
    return key, value


def _expand_named(tokens: List[Token], named: Callable[[str], Optional[str]], used: List[str],
                  depth: int = 0) -> List[Token]:
    out: List[Token] = []
    for sep, text in tokens:
        if not text.startswith("n-"):
            out.append((sep, text))
            continue
        name = text[2:]
        stored = named(name)
        if stored is None:
            raise TransformError(f"Named transformation {name!r} does not exist or is disabled.")
        if depth > 3:
            raise TransformError("Named transformations nest too deeply.")
        used.append(name)
        inner = _expand_named(_tokens(re.sub(r"^tr:", "", stored.strip())), named, used, depth + 1)
        if inner:
            inner[0] = (sep, inner[0][1])
        out.extend(inner)
    return out


class _Parser:
    def __init__(self, tokens: List[Token]) -> None:
        self.tokens, self.pos = tokens, 0
        self.passthrough: List[str] = []
        self.ignored: List[str] = []
        self.default_image: Optional[str] = None
        self.original = False
        self.operations = 0
        self.conditions = 0

    def count(self) -> None:
        self.operations += 1
        if self.operations > MAX_OPERATIONS:
            raise TransformError(f"A transformation may have at most {MAX_OPERATIONS} steps and layers.",
                                 code="ELIMIT")

    def chain(self, stop: Sequence[str], depth: int, in_layer: bool) -> Tuple[Step, ...]:
        steps: List[Step] = []
        params: List[Param] = []
        layers: List[Layer] = []
        conditional: Optional[Conditional] = None
        first = True

        def close() -> None:
            if params or layers or conditional:
                if conditional and (params or layers):
                    raise TransformError("A conditional block must be alone in its step.")
                ai = [k for k, _ in params if k in AI_EFFECTS]
                if len(ai) > 1:
                    raise TransformError("Only one AI transformation is allowed per step: "
                                         f"{', '.join(ai)}.")
                self.count()
                steps.append(Step(tuple(params), tuple(layers), conditional))

        while self.pos < len(self.tokens):
            sep, text = self.tokens[self.pos]
            key, value = split_key(text)
            if text in stop or key in stop:
                break
            if sep == ":" and not first:
                close()
                params, layers, conditional = [], [], None
            first = False
            self.pos += 1
            if key in ("l-image", "l-text", "l-solid"):
                if depth >= 3:
                    raise TransformError("Layers nest at most 3 levels deep.")
                self.count()
                layers.append(self.layer(key[2:], depth + 1))
            elif key in ("l-video", "l-subtitles", "l-subtitle"):
                self.ignored.append(key)
                self.chain(("l-end",), depth + 1, True)
                self.expect("l-end")
            elif key.startswith("if-") and key not in ("if-else", "if-end"):
                conditional = self.conditional(text[3:], depth, in_layer)
            elif key in ("l-end", "if-else", "if-end") or key.startswith("l-"):
                raise TransformError(f"Unexpected {text} in the transformation.")
            else:
                self.param(key, unquote(value), params, in_layer)
        close()
        return tuple(steps)

    def expect(self, text: str) -> None:
        if self.pos >= len(self.tokens) or self.tokens[self.pos][1] != text:
            raise TransformError(f"Missing {text} in the transformation.")
        self.pos += 1

    def layer(self, kind: str, depth: int) -> Layer:
        steps = self.chain(("l-end",), depth, True)
        self.expect("l-end")
        source = ""
        for step in steps:
            for name, value in step.params:
                if name == "ie":
                    source = _base64_text(value)
                elif name == "i" and not any(k == "ie" for k, _ in step.params):
                    source = value
        if kind == "image" and source == "ik_canvas":
            kind = "solid"
        if kind in ("image", "text") and not source:
            raise TransformError(f"A {kind} layer needs an input (i- or ie-).")
        return Layer(kind, source, steps)

    def conditional(self, condition: str, depth: int, in_layer: bool) -> Conditional:
        value = r"(?:\d+(?:\.\d+)?|\.\d+)"
        clause = rf"(?:w|h|ar|iw|ih|iar)_(?:eq|ne|gt|gte|lt|lte)_{value}(?:-{value})?"
        if not re.fullmatch(rf"{clause}(?:_(?:and|or)_{clause})*", condition) or \
                re.search(r"-[0.]+(?:_|$)", condition):  # a ratio a-b never divides by 0
            raise TransformError(f"Invalid condition if-{condition}.")
        self.conditions += 1
        if self.conditions > MAX_CONDITION_NESTING:
            raise TransformError(f"Conditions nest at most {MAX_CONDITION_NESTING} levels deep.")
        then = self.chain(("if-else", "if-end"), depth, in_layer)
        otherwise: Tuple[Step, ...] = ()
        if self.pos < len(self.tokens) and self.tokens[self.pos][1] == "if-else":
            self.pos += 1
            otherwise = self.chain(("if-end",), depth, in_layer)
        self.expect("if-end")
        self.conditions -= 1
        return Conditional(condition, then, otherwise)

    def param(self, key: str, value: str, params: List[Param], in_layer: bool) -> None:
        if key in DEPRECATED:
            raise TransformError(f"The overlay parameter {key} is no longer supported; use layers.")
        if key in AI_EFFECTS or (key == "bg" and value.startswith("genfill")) or (
                key == "fo" and value not in RELATIVE_FOCUS + ("custom",)):
            if in_layer and key.startswith("e-") and key not in LAYER_AI:
                raise TransformError(f"{key} is not allowed inside a layer.")
            self.passthrough.append(f"{key}-{value}" if key in ("fo", "bg") else key)
            if key in AI_EFFECTS:
                params.append((key, value))
                return
        if key in IGNORED:
            self.ignored.append(key)
            return
        if key == "c" and value == "pad_resize":  # the conditional-transformations page writes it so
            key = "cm"
        check = CHECKS.get(key)
        if check is None or (key in LAYER_ONLY and not in_layer):
            raise TransformError(f"Unknown transformation parameter {key!r}.")
        check(key, value)
        if key == "orig" and value == "true":
            self.original = True
        if key == "di" and not in_layer:
            self.default_image = "/" + value.replace("@@", "/").lstrip("/")
            return
        params.append((key, value))


def _base64_text(value: str) -> str:
    import base64
    try:
        return base64.b64decode(value + "=" * (-len(value) % 4), altchars=b"-_").decode()
    except (ValueError, UnicodeDecodeError):
        raise TransformError("ie- must be base64 text.") from None


def parse(transformation: str, named: Optional[Callable[[str], Optional[str]]] = None) -> Plan:
    """Parse a transformation string (path and query chains already joined by ``:``) into a plan."""
    text = transformation.strip()
    if text.startswith("tr:"):
        text = text[3:]
    if text and not re.search(r"[,:]", text) and re.search(r"%2C|%3A", text, re.I):
        text = unquote(text)  # a query value whose separators were percent-encoded
    used: List[str] = []
    tokens = _expand_named(_tokens(text), named or (lambda name: None), used)
    parser = _Parser(tokens)
    steps = parser.chain((), 0, False)
    if parser.pos != len(tokens):
        raise TransformError(f"Unexpected {tokens[parser.pos][1]} in the transformation.")
    return Plan(steps, tuple(dict.fromkeys(parser.passthrough)), tuple(dict.fromkeys(parser.ignored)),
                parser.default_image, parser.original, tuple(used))

"""Plan step + input size → boxes: pure arithmetic, testable with numbers (DELIVERY.md §2.0–§2.2, §2.8)."""
import math
import operator
import re
from dataclasses import dataclass
from typing import Callable, Dict, Mapping, Optional, Tuple

from .parse import RELATIVE_FOCUS, Step, TransformError, is_expression, number

RGBA = Tuple[int, int, int, int]
MAX_DIMENSION = 65535     # larger values in a URL are ignored [DOC L-LIM]
MAX_DPR_SIZE = 5000       # a dpr-scaled size beyond this drops dpr [DOC]
MAX_PIXELS = 100_000_000  # 100 MP input or output → ELIMIT
OPERATORS: Dict[str, Callable[[float, float], float]] = {
    "mul": operator.mul, "div": operator.truediv, "add": operator.add, "sub": operator.sub, "mod": operator.mod,
    "pow": operator.pow}


def round_half_up(value: float) -> int:
    return int(math.floor(value + 0.5)) if value >= 0 else -int(math.floor(-value + 0.5))


def colour(value: str) -> RGBA:
    """``RRGGBB``, ``RRGGBBAA`` (AA decimal 00–99 = opacity) or a colour name → RGBA."""
    if re.fullmatch(r"[0-9A-Fa-f]{6}", value):
        return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16), 255
    if re.fullmatch(r"[0-9A-Fa-f]{6}[0-9]{2}", value):
        return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16),
                round_half_up(int(value[6:8]) * 2.55))
    try:
        from PIL import ImageColor
    except ImportError:  # without Pillow nothing is rendered, so any name will do
        return 0, 0, 0, 255
    try:
        rgb = ImageColor.getrgb(value)
    except ValueError:
        raise TransformError(f"Invalid colour {value!r}.") from None
    return rgb[0], rgb[1], rgb[2], 255


# ---------------------------------------------------------------------------------- expressions
def evaluate(expression: str, variables: Mapping[str, float]) -> float:
    """Evaluate in ImageKit's documented order: mul/div, then add/sub, then mod, then pow, each left→right."""
    parts = expression.split("_")
    values = []
    for operand in parts[0::2]:
        if operand in variables:
            values.append(float(variables[operand]))
        elif re.fullmatch(r"\d+(?:\.\d+)?", operand):
            values.append(float(operand))
        else:
            raise TransformError(f"Unknown variable {operand!r} in expression {expression!r}.")
    ops = parts[1::2]
    for group in (("mul", "div"), ("add", "sub"), ("mod",), ("pow",)):
        i = 0
        while i < len(ops):
            if ops[i] not in group:
                i += 1
                continue
            if ops[i] in ("div", "mod") and values[i + 1] == 0:
                raise TransformError(f"Division by zero in expression {expression!r}.")
            try:
                values[i:i + 2] = [float(OPERATORS[ops[i]](values[i], values[i + 1]))]
            except (OverflowError, ZeroDivisionError, TypeError):  # iw_pow_iw; 0_pow_N is complex in Python
                values[i:i + 2] = [math.inf]
            del ops[i]
    if not math.isfinite(values[0]):
        raise TransformError(f"The expression {expression[:40]!r} does not give a finite number.")
    return values[0]


def variables(original: Tuple[int, int], current: Tuple[int, int],
              base: Optional[Tuple[int, int]] = None) -> Dict[str, float]:
    names = {"iw": original[0], "ih": original[1], "iar": original[0] / original[1],
             "cw": current[0], "ch": current[1], "car": current[0] / current[1], "idu": 0, "bdu": 0}
    if base is not None:
        names.update({"bw": base[0], "bh": base[1], "bar": base[0] / base[1]})
    return names


def value_of(text: str, names: Mapping[str, float]) -> float:
    return evaluate(text, names) if is_expression(text) else number(text)


# ---------------------------------------------------------------------------------- sizes
@dataclass(frozen=True)
class Hints:
    """Client hints a request carries (§2.5)."""
    dpr: Optional[float] = None
    width: Optional[int] = None


def target_size(step: Step, current: Tuple[int, int], names: Mapping[str, float],
                hints: Hints = Hints()) -> Tuple[Optional[int], Optional[int], Dict[str, str]]:
    """The step's (tw, th) after fractions, expressions, ``ar`` and ``dpr``; either may be None.
    Also the response headers client hints call for (``Content-DPR``)."""
    headers: Dict[str, str] = {}
    sizes = []
    auto_width = False
    for key, length in (("w", current[0]), ("h", current[1])):
        text = step.get(key)
        value: Optional[float] = None
        if text == "auto":
            if hints.width:
                value, auto_width = float(hints.width), True
        elif text is not None:
            value = evaluate(text, names) if is_expression(text) else float(text)
            if not is_expression(text) and 0 < value < 1:
                value = value * length
            if value > MAX_DIMENSION:
                value = None
        sizes.append(value)
    tw, th = sizes
    ratio_text = step.get("ar")
    if ratio_text is not None and (tw is None) != (th is None):
        match = re.fullmatch(r"(\d+(?:\.\d+)?)[-_](\d+(?:\.\d+)?)", ratio_text)
        if match is None:
            ratio = evaluate(ratio_text, names)
        else:
            denominator = float(match.group(2))
            ratio = float(match.group(1)) / denominator if denominator else 0.0
        if not 0 < ratio < math.inf:  # also nan, from 400 nines over 400 nines
            raise TransformError("ar must be positive.")
        if tw is not None:
            th = tw / ratio
        elif th is not None:
            tw = th * ratio
    if auto_width and tw is not None:
        # ImageKit rounds the hinted width up to the next 100; the header already includes the DPR.
        chosen = math.ceil(tw / 100) * 100
        dpr = hints.dpr or 1.0
        headers["Content-DPR"] = f"{chosen / (tw / dpr):.2f}".rstrip("0").rstrip(".")
        th = th * chosen / tw if th is not None else None
        tw = chosen
    else:
        dpr_text = step.get("dpr")
        dpr = None
        if dpr_text == "auto":
            dpr = hints.dpr
        elif dpr_text is not None:
            dpr = value_of(dpr_text, names)
        if dpr is not None and (tw is not None or th is not None):
            scaled = [None if v is None else v * dpr for v in (tw, th)]
            if all(v is None or 1 <= v <= MAX_DPR_SIZE for v in scaled):
                tw, th = scaled
            if dpr_text == "auto":
                headers["Content-DPR"] = f"{dpr:g}"
    return (None if tw is None else max(1, round_half_up(tw)),
            None if th is None else max(1, round_half_up(th)), headers)


# ---------------------------------------------------------------------------------- resize boxes
@dataclass(frozen=True)
class Box:
    """How one step resizes: the input region ``source`` (in input pixels, floats allowed) is scaled to
    ``size`` and placed at ``offset`` on a ``canvas``; the rest of the canvas is padding."""
    source: Tuple[float, float, float, float]
    size: Tuple[int, int]
    canvas: Tuple[int, int]
    offset: Tuple[int, int]

    @property
    def padded(self) -> bool:
        return self.canvas != self.size or self.offset != (0, 0)

    @property
    def identity(self) -> bool:
        left, top, right, bottom = self.source
        return not self.padded and (left, top) == (0, 0) and (right, bottom) == self.size


def identity(size: Tuple[int, int]) -> Box:
    return Box((0, 0, size[0], size[1]), size, size, (0, 0))


def _focus_fractions(focus: Optional[str]) -> Tuple[float, float]:
    """Where a window sits along each axis: 0 = start, 0.5 = centred, 1 = end."""
    focus = focus if focus in RELATIVE_FOCUS else "center"
    fx = 0.0 if "left" in focus else 1.0 if "right" in focus else 0.5
    fy = 0.0 if "top" in focus else 1.0 if "bottom" in focus else 0.5
    return fx, fy


def _place(free: int, fraction: float) -> int:
    return int(math.floor(free * fraction)) if fraction != 1.0 else free


def _scaled(size: Tuple[int, int], scale: float) -> Tuple[int, int]:
    return max(1, round_half_up(size[0] * scale)), max(1, round_half_up(size[1] * scale))


def resize_box(step: Step, size: Tuple[int, int], target: Tuple[Optional[int], Optional[int]],
               names: Mapping[str, float], custom: Optional[Tuple[int, int, int, int]] = None) -> Box:
    """The box for ``c``/``cm``/``fo``/``x``/``y``/``xc``/``yc`` given the resolved target (§2.1, §2.2)."""
    width, height = size
    tw, th = target
    if tw is None and th is None:
        return identity(size)
    crop = step.get("c") or "maintain_ratio"
    mode = step.get("cm")
    focus = step.get("fo")
    fx, fy = _focus_fractions(focus)
    if mode in ("extract", "pad_extract", "pad_extract_no_shrink"):
        return _extract(step, mode, size, (tw or width, th or height), names, (fx, fy),
                        custom if focus == "custom" else None)
    if tw is None or th is None:  # Case A: one side known, proportional
        scale = tw / width if tw is not None else (th or height) / height
        out = (tw or max(1, round_half_up(width * scale)), th or max(1, round_half_up(height * scale)))
        no_enlarge = crop in ("at_max", "maintain_ratio_no_enlarge") or mode == "pad_resize_no_enlarge"
        if no_enlarge and scale > 1:
            return identity(size)
        return Box((0, 0, width, height), out, out, (0, 0))
    sx, sy = tw / width, th / height
    if mode in ("pad_resize", "pad_resize_no_enlarge"):
        scale = min(sx, sy) if mode == "pad_resize" else min(sx, sy, 1.0)
        inner = _scaled(size, scale)
        inner = (min(inner[0], tw), min(inner[1], th))
        offset = (_place(tw - inner[0], fx), _place(th - inner[1], fy))
        return Box((0, 0, width, height), inner, (tw, th), offset)
    if crop == "force":
        return Box((0, 0, width, height), (tw, th), (tw, th), (0, 0))
    if crop in ("at_max", "at_max_enlarge", "at_least"):
        scale = {"at_max": min(sx, sy, 1.0), "at_max_enlarge": min(sx, sy), "at_least": max(sx, sy)}[crop]
        out = _scaled(size, scale)
        return Box((0, 0, width, height), out, out, (0, 0))
    # maintain_ratio (and its no-enlarge variant): cover, then cut a window placed by focus
    scale = max(sx, sy)
    if crop == "maintain_ratio_no_enlarge" and scale > 1:
        k = min(1.0, width / tw, height / th)
        window = (max(1, round_half_up(tw * k)), max(1, round_half_up(th * k)))
        left, top = _place(width - window[0], fx), _place(height - window[1], fy)
        return Box((left, top, left + window[0], top + window[1]), window, window, (0, 0))
    if focus == "custom" and custom is not None:
        cx, cy = (custom[0] + custom[2] / 2) * scale, (custom[1] + custom[3] / 2) * scale
        scaled = _scaled(size, scale)
        left = min(max(0, round_half_up(cx - tw / 2)), scaled[0] - tw)
        top = min(max(0, round_half_up(cy - th / 2)), scaled[1] - th)
    else:
        scaled = _scaled(size, scale)
        left, top = _place(scaled[0] - tw, fx), _place(scaled[1] - th, fy)
    # The window in scaled pixels, mapped back to input pixels so one resize does scale and crop.
    kx, ky = width / scaled[0], height / scaled[1]
    return Box((left * kx, top * ky, (left + tw) * kx, (top + th) * ky), (tw, th), (tw, th), (0, 0))


def _extract(step: Step, mode: str, size: Tuple[int, int], target: Tuple[int, int], names: Mapping[str, float],
             focus: Tuple[float, float], custom: Optional[Tuple[int, int, int, int]]) -> Box:
    width, height = size
    tw, th = target
    if mode == "pad_extract_no_shrink":
        canvas = (max(tw, width), max(th, height))
        offset = (_place(canvas[0] - width, focus[0]), _place(canvas[1] - height, focus[1]))
        return Box((0, 0, width, height), size, canvas, offset)
    if mode == "pad_extract":
        # per axis: crop where the request is smaller, pad where it is larger
        region_w, region_h = min(tw, width), min(th, height)
        cut = (_place(width - region_w, focus[0]), _place(height - region_h, focus[1]))
        offset = (_place(tw - region_w, focus[0]), _place(th - region_h, focus[1]))
        return Box((cut[0], cut[1], cut[0] + region_w, cut[1] + region_h), (region_w, region_h), (tw, th), offset)
    # cm-extract: an unscaled window, from x/y, xc/yc, fo-custom or focus
    left: Optional[int] = None
    top: Optional[int] = None
    for key, centre_key, length, axis in (("x", "xc", tw, 0), ("y", "yc", th, 1)):
        corner, centre = step.get(key), step.get(centre_key)
        position: Optional[int] = None
        if corner is not None:
            position = round_half_up(value_of(corner, names))
        elif centre is not None:
            position = round_half_up(value_of(centre, names)) - length // 2
        if axis == 0:
            left = position
        else:
            top = position
    if custom is not None and left is None and top is None:
        left = custom[0] + custom[2] // 2 - tw // 2
        top = custom[1] + custom[3] // 2 - th // 2
        left, top = min(max(0, left), width - tw), min(max(0, top), height - th)
    left = _place(width - tw, focus[0]) if left is None else left
    top = _place(height - th, focus[1]) if top is None else top
    if left < 0 or top < 0 or left + tw > width or top + th > height:
        raise TransformError(f"The extract region {tw}x{th} at ({left:g},{top:g}) lies outside the "
                             f"{width}x{height} image.")
    return Box((left, top, left + tw, top + th), (tw, th), (tw, th), (0, 0))


# ---------------------------------------------------------------------------------- layers
def layer_position(step: Step, parent: Tuple[int, int], layer: Tuple[int, int],
                   names: Mapping[str, float]) -> Tuple[int, int]:
    """Top-left corner of a layer inside its parent (§2.8 position formulas)."""
    pw, ph = parent
    p, q = layer
    fx, fy = _focus_fractions(step.get("lfo"))
    lx, ly, lxc, lyc = (step.get(k) for k in ("lx", "ly", "lxc", "lyc"))
    anchor = step.get("lap")
    positioned = any(v is not None for v in (lx, ly, lxc, lyc))
    x = int(math.floor((pw - p) * fx)) if fx != 1.0 else pw - p
    y = int(math.floor((ph - q) * fy)) if fy != 1.0 else ph - q
    if not positioned:
        return x, y
    if anchor is not None and anchor != "top_left":
        ax, ay = _focus_fractions(anchor)
        dx = round_half_up(value_of(lx, names)) if lx is not None else 0
        dy = round_half_up(value_of(ly, names)) if ly is not None else 0
        # offsets run inward from the anchor; the layer's same-named point is aligned with it
        sx = 1 if ax == 0 else -1 if ax == 1 else 1
        sy = 1 if ay == 0 else -1 if ay == 1 else 1
        return (round_half_up(pw * ax + sx * dx - p * ax), round_half_up(ph * ay + sy * dy - q * ay))
    for text, centre, length, size, axis in ((lx, lxc, pw, p, 0), (ly, lyc, ph, q, 1)):
        if text is not None:
            value = value_of(text, names)
            pos = round_half_up(value) if value >= 0 and not text.startswith("N") else \
                length - size - round_half_up(abs(value))
            pos = max(min(pos, length - 1), -size + 1)  # pulled back inside the parent
        elif centre is not None:
            pos = round_half_up(value_of(centre, names)) - size // 2
        else:
            continue
        if axis == 0:
            x = pos
        else:
            y = pos
    return x, y


def condition_holds(condition: str, current: Tuple[int, int], original: Tuple[int, int]) -> bool:
    """``h_gte_100_and_h_lte_400_or_ar_lt_4-3``: ``and`` binds tighter than ``or`` (§2.9)."""
    props = {"w": current[0], "h": current[1], "ar": current[0] / current[1],
             "iw": original[0], "ih": original[1], "iar": original[0] / original[1]}

    def one(clause: str) -> bool:
        prop, op, raw = clause.split("_", 2)
        value = float(raw.split("-")[0]) / float(raw.split("-")[1]) if "-" in raw else float(raw)
        have = props[prop]
        return {"eq": have == value, "ne": have != value, "gt": have > value, "gte": have >= value,
                "lt": have < value, "lte": have <= value}[op]

    return any(all(one(c) for c in group.split("_and_")) for group in condition.split("_or_"))


def trim_box(threshold: int) -> float:
    """``t-true`` trims at 10 %; ``t-<n>`` at n % (§2.4): the per-channel distance counted as background."""
    return threshold * 255 / 100


def rotated_size(size: Tuple[int, int], degrees: float) -> Tuple[int, int]:
    angle = math.radians(degrees % 360)
    c, s = abs(math.cos(angle)), abs(math.sin(angle))
    return round_half_up(size[0] * c + size[1] * s), round_half_up(size[0] * s + size[1] * c)

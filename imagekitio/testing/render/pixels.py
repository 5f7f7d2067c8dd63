"""Boxes → Pillow calls: runs a plan's steps on an image in DELIVERY.md §2.14's order, and encodes it.

Images handed in (decoded originals, shared through the cache) are never changed in place: every
operation here returns a new image.
"""
import io
import math
import os
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont, ImageOps

from .geometry import (MAX_PIXELS, RGBA, Box, Hints, colour, condition_holds, layer_position, resize_box, rotated_size,
                       round_half_up, target_size, value_of, variables)
from .parse import DIRECTIONS, Layer, Step, TransformError, number, sub_params

# Pillow 9.1 moved its constants into enums; the extra allows Pillow 8, which has only the old names.
_RESAMPLING: Any = getattr(Image, "Resampling", Image)
_TRANSPOSE: Any = getattr(Image, "Transpose", Image)
_TRANSFORM: Any = getattr(Image, "Transform", Image)
LANCZOS, BICUBIC, BILINEAR = _RESAMPLING.LANCZOS, _RESAMPLING.BICUBIC, _RESAMPLING.BILINEAR
MEDIANCUT = getattr(Image, "Quantize", Image).MEDIANCUT

SHADOW_LIMIT = 2_000_000   # e-shadow refuses inputs above 2 MP [DOC L-EN]
TEXT_LIMIT = 16383
# Pixels one request may allocate over all its steps and layers: four images at the 100 MP limit.
# Each step is bounded by MAX_PIXELS; this bounds their sum, and so the time one URL can cost
# (w-10000,h-10000 then 99 bl-1 steps: minutes before; ~20 s to the refusal now).
WORK_PIXELS = 4 * MAX_PIXELS
ROUND_MASK_PIXELS = 16_000_000  # r-: the mask is drawn at 4x only while that stays this small
BLACK: RGBA = (0, 0, 0, 255)
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/Library/Fonts",
             "C:\\Windows\\Fonts")

LayerSource = Callable[[str], Image.Image]  # media-library path → decoded image (raises TransformError)


@dataclass
class Context:
    """What a step needs besides its image: the original's size, client hints, layer images."""
    original: Tuple[int, int]
    hints: Hints = Hints()
    load: Optional[LayerSource] = None
    custom: Optional[Tuple[int, int, int, int]] = None
    base: Optional[Tuple[int, int]] = None   # parent size inside a layer
    headers: Dict[str, str] = field(default_factory=dict)
    work: List[int] = field(default_factory=lambda: [0])  # pixels allocated so far, shared with layers

    def spend(self, size: Tuple[int, int]) -> None:
        """Count an image about to be made; refuse (400 ELIMIT) once the request exceeds WORK_PIXELS."""
        self.work[0] += size[0] * size[1]
        if self.work[0] > WORK_PIXELS:
            raise TransformError("The transformation needs more than 400 megapixels of work.", code="ELIMIT")


def normalise(image: Image.Image) -> Image.Image:
    """RGB, or RGBA when the image carries transparency."""
    if image.mode in ("RGB", "RGBA"):
        return image
    if image.mode in ("LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        return image.convert("RGBA")
    if image.mode == "CMYK":
        return ImageOps.invert(image.convert("RGB")) if image.info.get("adobe") else image.convert("RGB")
    return image.convert("RGB")


def has_alpha(image: Image.Image) -> bool:
    extrema: Any = image.getextrema()
    return image.mode == "RGBA" and extrema[3][0] < 255


# ---------------------------------------------------------------------------------- the chain
def run(steps: Tuple[Step, ...], image: Image.Image, context: Context,
        logical: Optional[Tuple[int, int]] = None) -> Image.Image:
    """Apply chained steps left to right. ``logical`` is the size the first step should see when
    ``image`` was decoded reduced (JPEG draft): its box is computed at that size and mapped onto it."""
    for index, step in enumerate(steps):
        image = apply_step(step, image, context, logical if index == 0 else None)
        _check_area(image.size)
    return image


def apply_step(step: Step, image: Image.Image, context: Context,
               logical: Optional[Tuple[int, int]] = None) -> Image.Image:
    size = logical or image.size
    if step.conditional is not None:
        cond = step.conditional
        branch = cond.then if condition_holds(cond.condition, size, context.original) else cond.otherwise
        return run(branch, image, context, logical)
    trim = step.get("t")
    if trim is not None and trim != "false" and context.base is None:
        image = _trim(image, 10 if trim == "true" else int(trim))
        size = image.size
    names = variables(context.original, size, context.base)
    tw, th, headers = target_size(step, size, names, context.hints)
    context.headers.update(headers)
    box = resize_box(step, size, (tw, th), names, context.custom)
    _check_area(box.canvas)  # before a pixel is allocated: w-65535,h-65535 must not take gigabytes
    if not box.identity:
        context.spend(box.canvas)
    image = _apply_box(image, box, (image.width / size[0], image.height / size[1]), step)
    rotation = step.get("rt")
    if rotation is not None and rotation != "auto":
        turned = rotated_size(image.size, number(rotation))
        _check_area(turned)  # before rotating: rt-45 of a 100 MP image would allocate 200 MP first
        context.spend(turned)
        image = _rotate(image, number(rotation), step.get("bg"))
    flip = step.get("fl")
    if flip:
        if "h" in flip:
            image = ImageOps.mirror(image)
        if "v" in flip:
            image = ImageOps.flip(image)
    names = variables(context.original, image.size, context.base)
    for key, value in step.params:
        if key in EFFECTS:
            context.spend(image.size)
        image = _effect(key, value, image, step, names)
    background = step.get("bg")
    if background and _solid(background) and not (box.padded or step.has("o")) and image.mode == "RGBA":
        image = _flatten(image, colour(background))  # bg fills the transparent area
    radius = step.get("r")
    if radius:
        image = _round(image, radius, step.get("bg"))
    border = step.get("b")
    if border:
        image = _border(image, border, names)
        context.spend(image.size)
    for layer in step.layers:
        image = _composite(image, layer, context)
    return image


EFFECTS = ("e-grayscale", "e-contrast", "e-sharpen", "e-usm", "e-shadow", "e-gradient", "e-colorize", "bl", "o")


def _check_area(size: Tuple[int, int]) -> None:
    if size[0] * size[1] > MAX_PIXELS:
        raise TransformError(f"The transformed image ({size[0]}x{size[1]}) exceeds 100 megapixels.", code="ELIMIT")


def _solid(background: str) -> bool:
    return not background.startswith(("blurred", "dominant", "gradient_dominant", "genfill"))


def _apply_box(image: Image.Image, box: Box, scale: Tuple[float, float], step: Step) -> Image.Image:
    if box.identity and scale == (1.0, 1.0):
        return image
    left, right = box.source[0] * scale[0], box.source[2] * scale[0]
    top, bottom = box.source[1] * scale[1], box.source[3] * scale[1]
    if box.size == (right - left, bottom - top) and all(float(v).is_integer() for v in (left, top, right, bottom)):
        content = image.crop((int(left), int(top), int(right), int(bottom)))  # an unscaled cut
    else:
        content = image.resize(box.size, LANCZOS, box=(left, top, right, bottom))
    if not box.padded:
        return content
    background = step.get("bg") or "000000"
    canvas = _pad_canvas(image, box, background, content.mode)
    canvas.paste(content, box.offset, content if content.mode == "RGBA" else None)
    return canvas


def _pad_canvas(image: Image.Image, box: Box, background: str, mode: str) -> Image.Image:
    if background.startswith("blurred"):
        parts = background.split("_")[1:]
        intensity = max(box.canvas) / 40 if not parts or parts[0] == "auto" else float(parts[0])
        brightness = number(parts[1]) if len(parts) > 1 else 0.0
        cover = ImageOps.fit(image.convert("RGB"), box.canvas, LANCZOS)
        blurred = cover.filter(ImageFilter.GaussianBlur(intensity))
        if brightness:
            blurred = blurred.point(lambda v: max(0, min(255, int(v + brightness))))
        return blurred.convert(mode) if mode == "RGBA" else blurred
    if background.startswith(("dominant", "genfill")):
        fill = dominant(image)
    elif background.startswith("gradient_dominant"):
        return _gradient_dominant(image, box.canvas, background).convert(mode)
    else:
        fill = colour(background)
    mode = "RGBA" if mode == "RGBA" or fill[3] < 255 else "RGB"
    return Image.new(mode, box.canvas, fill if mode == "RGBA" else fill[:3])


def dominant(image: Image.Image) -> RGBA:
    """The most frequent of 8 median-cut colours."""
    small = image.convert("RGB")
    small.thumbnail((64, 64))
    quantised = small.quantize(8, method=MEDIANCUT)
    palette = quantised.getpalette() or []
    index = int(max(quantised.getcolors() or [(1, 0)])[1])  # type: ignore[call-overload]
    return palette[index * 3], palette[index * 3 + 1], palette[index * 3 + 2], 255


def _gradient_dominant(image: Image.Image, size: Tuple[int, int], spec: str) -> Image.Image:
    small = image.convert("RGB")
    small.thumbnail((64, 64))
    quantised = small.quantize(4)
    palette = quantised.getpalette() or [0] * 12
    counted: Any = sorted(quantised.getcolors() or [], reverse=True)
    ranked = [palette[i * 3:i * 3 + 3] for _, i in counted]
    while len(ranked) < 4:
        ranked.append(ranked[-1] if ranked else [0, 0, 0])
    corners = ranked[:4] if spec.endswith("_4") else [ranked[0], ranked[0], ranked[1], ranked[1]]
    grid = Image.new("RGB", (2, 2))
    for point, rgb in zip(((0, 0), (1, 0), (0, 1), (1, 1)), corners):
        grid.putpixel(point, tuple(rgb))
    return grid.resize(size, BILINEAR)


def _trim(image: Image.Image, threshold: int) -> Image.Image:
    rgba = image.convert("RGBA")
    reference = Image.new("RGBA", rgba.size, rgba.getpixel((0, 0)))
    difference = ImageChops.difference(rgba, reference)
    limit = int(threshold * 255 / 100)
    mask = Image.merge("RGBA", difference.split()).convert("RGBA")
    channels = [band.point(lambda v: 255 if v > limit else 0) for band in mask.split()]
    combined = channels[0]
    for band in channels[1:]:
        combined = ImageChops.lighter(combined, band)
    bbox = combined.getbbox()
    return image if bbox is None else image.crop(bbox)


def _rotate(image: Image.Image, degrees: float, background: Optional[str]) -> Image.Image:
    turns = degrees % 360
    if turns in (90, 180, 270):  # exact turns: no resampling
        method = {90: _TRANSPOSE.ROTATE_270, 180: _TRANSPOSE.ROTATE_180, 270: _TRANSPOSE.ROTATE_90}[int(turns)]
        return image.transpose(method)
    if turns == 0:
        return image
    fill: RGBA = colour(background) if background and _solid(background) else (0, 0, 0, 0)
    source = image if fill[3] == 255 and image.mode == "RGB" else image.convert("RGBA")
    rotated = source.rotate(-degrees, BICUBIC, expand=True, fillcolor=fill if source.mode == "RGBA" else fill[:3])
    return rotated


def _effect(key: str, value: str, image: Image.Image, step: Step, names: Mapping[str, float]) -> Image.Image:
    if key == "e-grayscale":
        gray = image.convert("L")
        return Image.merge("RGBA", (gray, gray, gray, image.getchannel("A"))) if image.mode == "RGBA" \
            else gray.convert("RGB")
    if key == "e-contrast":
        return _keep_alpha(image, lambda rgb: ImageOps.autocontrast(rgb, cutoff=0))
    if key == "e-sharpen":
        percent = 150 if not value else int(100 + 10 * float(value))
        return _keep_alpha(image, lambda rgb: rgb.filter(ImageFilter.UnsharpMask(1, percent, 0)))
    if key == "e-usm":
        radius, sigma, amount, threshold = (float(v) for v in (value or "1-1-1-0").split("-"))
        return _keep_alpha(image, lambda rgb: rgb.filter(
            ImageFilter.UnsharpMask(sigma, int(amount * 100), round_half_up(threshold * 255))))
    if key == "e-shadow":
        return _shadow(image, value)
    if key == "e-gradient":
        return _gradient(image, value, names)
    if key == "e-colorize":
        settings = sub_params(value)
        tint = colour(settings.get("co", "gray"))
        amount = int(settings.get("in", "100")) / 100
        return _keep_alpha(image, lambda rgb: Image.blend(
            rgb, ImageOps.colorize(rgb.convert("L"), (0, 0, 0), tint[:3]), amount))
    if key == "bl":
        return image.filter(ImageFilter.GaussianBlur(int(value) / 2))
    if key == "o":
        alpha = image.convert("RGBA")
        alpha.putalpha(alpha.getchannel("A").point(lambda v: v * int(value) // 100))
        background = step.get("bg")
        if background and _solid(background):
            return _flatten(alpha, colour(background)[:3] + (255,))
        return alpha
    return image


def _keep_alpha(image: Image.Image, operation: Callable[[Image.Image], Image.Image]) -> Image.Image:
    if image.mode != "RGBA":
        return operation(image)
    result = operation(image.convert("RGB")).convert("RGBA")
    result.putalpha(image.getchannel("A"))
    return result


def _flatten(image: Image.Image, fill: RGBA) -> Image.Image:
    canvas = Image.new("RGBA", image.size, fill)
    flat = Image.alpha_composite(canvas, image.convert("RGBA"))
    return flat.convert("RGB") if fill[3] == 255 else flat


def _shadow(image: Image.Image, value: str) -> Image.Image:
    if image.width * image.height > SHADOW_LIMIT:
        raise TransformError("e-shadow needs an input of at most 2 megapixels; resize it first.")
    settings = {"bl": "10", "st": "30", "x": "2", "y": "2", **sub_params(value)}
    rgba = image.convert("RGBA")
    alpha = rgba.getchannel("A")
    dx = round_half_up(number(settings["x"]) * image.width / 100)
    dy = round_half_up(number(settings["y"]) * image.height / 100)
    shade = Image.new("L", image.size, 0)
    shade.paste(alpha.point(lambda v: v * int(float(settings["st"])) // 100), (dx, dy))
    shade = shade.filter(ImageFilter.GaussianBlur(float(settings["bl"])))
    shadow = Image.new("RGBA", image.size, (0, 0, 0, 0))
    shadow.putalpha(shade)
    return Image.alpha_composite(shadow, rgba)


def _gradient(image: Image.Image, value: str, names: Mapping[str, float]) -> Image.Image:
    settings = sub_params(value)
    direction = settings.get("ld", "180")
    degrees = DIRECTIONS[direction] if direction in DIRECTIONS else int(direction)
    start = colour(settings.get("from", "FFFFFF"))
    end = colour(settings.get("to", "00000000"))
    stop_text = settings.get("sp", "1")
    stop = value_of(stop_text, names)
    width, height = image.size
    angle = math.radians(degrees)
    ux, uy = math.sin(angle), -math.cos(angle)   # 0° points up, 90° right
    span = abs(ux) * width + abs(uy) * height
    length = max(stop * span if stop <= 1 else stop, 1e-9)
    # Colours along the direction, one per pixel of distance from the starting edge (constant `to`
    # beyond the stop); an affine map then projects every pixel of the image onto that strip.
    strip = Image.new("RGBA", (int(math.ceil(span)) + 2, 1))
    strip.putdata([tuple(round_half_up(a + (b - a) * min(1.0, i / length)) for a, b in zip(start, end))
                   for i in range(strip.width)])
    ox, oy = width / 2 - ux * span / 2, height / 2 - uy * span / 2
    offset = (0.5 - ox) * ux + (0.5 - oy) * uy
    overlay = strip.transform(image.size, _TRANSFORM.AFFINE, (ux, uy, offset, 0, 0, 0), resample=0)
    composed = Image.alpha_composite(image.convert("RGBA"), overlay)
    return composed if image.mode == "RGBA" else composed.convert("RGB")


def _radii(spec: str, size: Tuple[int, int]) -> Tuple[int, int, int, int]:
    limit = min(size) // 2
    if spec == "max":
        return (limit,) * 4
    values = [int(v) for v in spec.split("_")]
    if len(values) == 1:
        values *= 4
    return tuple(min(v, limit) for v in values)  # type: ignore[return-value]


def _round(image: Image.Image, spec: str, background: Optional[str]) -> Image.Image:
    # Drawn large and reduced for smooth edges; 4x (16x the pixels) only for images that stay small,
    # else r-max on a 100 MP image drew a 1.6 GP mask (2.5 GB, 50 s).
    scale = max(1, min(4, int(math.sqrt(ROUND_MASK_PIXELS / max(1, image.width * image.height)))))
    mask = Image.new("L", (image.width * scale, image.height * scale), 0)
    draw = ImageDraw.Draw(mask)
    if spec == "max":
        draw.ellipse((0, 0, mask.width - 1, mask.height - 1), fill=255)
    else:
        tl, tr, br, bl = (r * scale for r in _radii(spec, image.size))
        draw.rectangle((0, 0, mask.width - 1, mask.height - 1), fill=255)
        for r, (cx, cy), corner in ((tl, (0, 0), (0, 0)), (tr, (mask.width - 2 * tr, 0), (mask.width - tr, 0)),
                                    (br, (mask.width - 2 * br, mask.height - 2 * br),
                                     (mask.width - br, mask.height - br)),
                                    (bl, (0, mask.height - 2 * bl), (0, mask.height - bl))):
            if r:
                draw.rectangle((corner[0], corner[1], corner[0] + r - 1, corner[1] + r - 1), fill=0)
                draw.ellipse((cx, cy, cx + 2 * r - 1, cy + 2 * r - 1), fill=255)
    mask = mask.resize(image.size, LANCZOS)
    rounded = image.convert("RGBA")
    rounded.putalpha(ImageChops.multiply(rounded.getchannel("A"), mask))
    return rounded


def _border(image: Image.Image, spec: str, names: Mapping[str, float]) -> Image.Image:
    width_text, _, colour_text = spec.replace("-", "_").rpartition("_")  # checked by the parser
    width = max(0, round_half_up(value_of(width_text, names)))
    fill = colour(colour_text)
    _check_area((image.width + 2 * width, image.height + 2 * width))
    mode = "RGBA" if image.mode == "RGBA" or fill[3] < 255 else "RGB"
    canvas = Image.new(mode, (image.width + 2 * width, image.height + 2 * width), fill if mode == "RGBA" else fill[:3])
    canvas.paste(image, (width, width), image if image.mode == "RGBA" else None)
    return canvas


# ---------------------------------------------------------------------------------- layers
def _composite(base: Image.Image, layer: Layer, context: Context) -> Image.Image:
    inner = Context(context.original, context.hints, context.load, None, base.size, context.headers, context.work)
    context.spend(base.size)  # the overlay and the composite are both base-sized
    if layer.kind == "image":
        if context.load is None:
            raise TransformError(f"Layer image {layer.source} not found.", code="ENOENT")
        picture = normalise(context.load("/" + layer.source.replace("@@", "/").lstrip("/")))
        context.spend(picture.size)
        inner.original = picture.size
        trim = next((s.get("t") for s in layer.steps if s.get("t") is not None), None) or "true"
        if trim != "false":  # image layers are trimmed by default [DOC]
            picture = _trim(picture, 10 if trim == "true" else int(trim))
        picture = run(layer.steps, picture, inner)
    elif layer.kind == "solid":
        picture = _solid_block(layer, base.size, context)
        inner.original = picture.size
        picture = run(tuple(_without(s, ("w", "h", "bg", "al")) for s in layer.steps), picture, inner)
    else:
        picture = _text(layer, base.size, context)
        inner.original = picture.size
        picture = run(tuple(_without(s, ("w", "bg", "pa", "fs", "ff", "co", "ia", "tg", "lh", "al")) for s in
                            layer.steps), picture, inner)
    last = layer.steps[-1] if layer.steps else Step()
    names = variables(inner.original, picture.size, base.size)
    x, y = layer_position(_positions(layer.steps), base.size, picture.size, names)
    overlay = Image.new("RGBA", base.size, (0, 0, 0, 0))
    overlay.paste(picture.convert("RGBA"), (x, y))
    del last
    composed = Image.alpha_composite(base.convert("RGBA"), overlay)
    return composed if base.mode == "RGBA" else composed.convert("RGB")


def _positions(steps: Tuple[Step, ...]) -> Step:
    keys = ("lx", "ly", "lxc", "lyc", "lfo", "lap")
    return Step(tuple((k, v) for s in steps for k, v in s.params if k in keys))


def _without(step: Step, keys: Tuple[str, ...]) -> Step:
    return Step(tuple((k, v) for k, v in step.params if k not in keys), step.layers, step.conditional)


def _first(steps: Tuple[Step, ...], key: str) -> Optional[str]:
    return next((s.get(key) for s in steps if s.get(key) is not None), None)


def _block_size(steps: Tuple[Step, ...], parent: Tuple[int, int], context: Context) -> Tuple[int, int]:
    names = variables(parent, parent, parent)
    size = []
    for key, default in (("w", parent[0]), ("h", parent[1])):
        text = _first(steps, key)
        size.append(default if text is None else max(1, round_half_up(value_of(text, names))))
    return size[0], size[1]


def _alpha_of(steps: Tuple[Step, ...], background: Optional[str], fill: RGBA) -> RGBA:
    al = _first(steps, "al")
    if al is not None and background and len(background) == 6 and not background.isalpha():
        return fill[:3] + (round_half_up(int(al) * 25.5),)
    return fill


def _solid_block(layer: Layer, parent: Tuple[int, int], context: Context) -> Image.Image:
    background = _first(layer.steps, "bg") or "FFFFFF"
    fill = _alpha_of(layer.steps, background, colour(background))
    size = _block_size(layer.steps, parent, context)
    _check_area(size)
    context.spend(size)
    return Image.new("RGBA", size, fill)


def _font(family: Optional[str], size: int, bold: bool, italic: bool) -> "ImageFont.FreeTypeFont":
    name = "DejaVuSans" + ("-Bold" if bold else "") + ("Oblique" if italic and bold else "-Oblique" if italic else "")
    if family and "mono" in family.lower():
        name = name.replace("Sans", "SansMono")
    elif family and "serif" in family.lower():
        name = name.replace("Sans", "Serif").replace("Oblique", "Italic")
    for folder in FONT_DIRS:
        path = os.path.join(folder, name + ".ttf")
        if os.path.exists(path):
            return ImageFont.truetype(path, size)
    try:
        return ImageFont.load_default(size)  # type: ignore[return-value]
    except TypeError:  # Pillow < 10.1 has only the fixed bitmap font
        return ImageFont.load_default()  # type: ignore[return-value]


def _wrap(text: str, font: "ImageFont.FreeTypeFont", width: Optional[int]) -> List[str]:
    """Greedy wrapping: each line takes words while they fit (at least one). Each line's length is found by
    doubling then bisecting the word count, so a paragraph costs O(n log n) measures: adding words one at a
    time and measuring each candidate line was O(n²) (12,000 words at fs-1: 24 s for one URL)."""
    if width is None:
        return text.split("\n")
    lines: List[str] = []
    for paragraph in text.split("\n"):
        words = [word for word in paragraph.split(" ") if word]  # runs of spaces never start a line
        if not words:
            lines.append("")
        start = 0
        while start < len(words):
            remaining = len(words) - start
            good, probe = 1, 2
            while probe <= remaining and _fits(font, words[start:start + probe], width):
                good, probe = probe, probe * 2
            bad = min(probe, remaining + 1)
            while bad - good > 1:
                middle = (good + bad) // 2
                good, bad = (middle, bad) if _fits(font, words[start:start + middle], width) else (good, middle)
            lines.append(" ".join(words[start:start + good]))
            start += good
    return lines


def _fits(font: "ImageFont.FreeTypeFont", words: List[str], width: int) -> bool:
    return font.getlength(" ".join(words)) <= width


def _text(layer: Layer, parent: Tuple[int, int], context: Context) -> Image.Image:
    steps = layer.steps
    names = variables(parent, parent, parent)
    size = max(1, round_half_up(value_of(_first(steps, "fs") or "45", names)))
    tags = (_first(steps, "tg") or "").split("_")
    font = _font(_first(steps, "ff"), size, "b" in tags, "i" in tags)
    width_text = _first(steps, "w")
    width = None if width_text is None else max(1, round_half_up(value_of(width_text, names)))
    lines = _wrap(layer.source, font, width)
    ascent, descent = font.getmetrics()
    line_height = ascent + descent
    lh = _first(steps, "lh")
    if lh is not None and len(lines) > 1:
        line_height = max(1, round_half_up(value_of(lh, names)))
    widths = [int(math.ceil(font.getlength(line))) for line in lines]
    text_w = max(widths + [1]) if width is None else width
    text_h = max(1, line_height * len(lines))
    pads = [round_half_up(value_of(p, names)) for p in (_first(steps, "pa") or "0").split("_")]
    top, right, bottom, left = (pads * 4)[:4] if len(pads) == 1 else \
        (pads[0], pads[1], pads[0], pads[1]) if len(pads) == 2 else \
        (pads[0], pads[1], pads[2], pads[1]) if len(pads) == 3 else tuple(pads)
    canvas_size = (text_w + left + right, text_h + top + bottom)
    if max(canvas_size) > TEXT_LIMIT:
        raise TransformError("A text layer may be at most 16383 pixels on a side.")
    _check_area(canvas_size)  # before allocating: 16383x16383 RGBA would be 1 GiB
    context.spend(canvas_size)
    background = _first(steps, "bg")
    fill = (0, 0, 0, 0) if background is None else _alpha_of(steps, background, colour(background))
    canvas = Image.new("RGBA", canvas_size, fill)
    draw = ImageDraw.Draw(canvas)
    ink = colour(_first(steps, "co") or "000000")
    align = _first(steps, "ia") or "center"
    for index, (line, line_w) in enumerate(zip(lines, widths)):
        free = text_w - line_w
        x = left + (0 if align == "left" else free if align == "right" else free // 2)
        y = top + index * line_height
        draw.text((x, y), line, font=font, fill=ink)
        if "strikethrough" in tags:
            middle = y + ascent * 2 // 3
            draw.line((x, middle, x + line_w, middle), fill=ink, width=max(1, size // 15))
    return canvas


# ---------------------------------------------------------------------------------- encoding
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "AVIF": "image/avif",
                 "GIF": "image/gif"}


def encode(image: Image.Image, fmt: str, quality: int, progressive: bool, lossless: bool,
           fill: RGBA = BLACK, keep: Optional[Mapping[str, bytes]] = None) -> bytes:
    """Encode ``image`` as ``fmt`` (a Pillow format name); flatten onto ``fill`` when it has no alpha."""
    out = io.BytesIO()
    extra: Dict[str, object] = dict(keep or {})
    if fmt in ("JPEG",) and image.mode != "RGB":
        image = _flatten(image, fill[:3] + (255,)) if image.mode == "RGBA" else image.convert("RGB")
    if fmt == "JPEG":
        image.save(out, "JPEG", quality=quality, subsampling=0, progressive=progressive,
                   optimize=progressive, **extra)
    elif fmt == "PNG":
        image.save(out, "PNG", compress_level=6, **extra)
    elif fmt == "WEBP":
        image.save(out, "WEBP", quality=quality, lossless=lossless, method=4, **extra)
    elif fmt == "AVIF":
        image.save(out, "AVIF", quality=quality, **extra)
    else:
        image.save(out, "GIF")
    return out.getvalue()

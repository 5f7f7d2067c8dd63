"""The emulator's renderer: a delivery URL's transformation applied to a stored image with Pillow.

A pipeline of small steps (STYLE.md item 12): :mod:`.parse` turns the string into a plan,
:mod:`.geometry` turns a plan step and an input size into boxes, :mod:`.pixels` turns boxes into
Pillow calls and encodes. :class:`Renderer` wires them with two bounded caches (rendered variants,
decoded originals) and answers as ImageKit's delivery does. Without Pillow the originals are served
and the ``X-Emulator-Renderer`` header says why.
"""
import hashlib
import io
import math
import os
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

from .cache import ByteLRU
from .geometry import Hints, colour, resize_box, target_size, variables
from .parse import Plan, TransformError, parse

try:
    from PIL import Image, ImageOps

    from . import pixels
    PILLOW = True
except ImportError:  # the emulator works without the [emulator] extra; it just cannot render
    PILLOW = False

__all__ = ["Answer", "ByteLRU", "Renderer", "TransformError", "parse", "PILLOW"]

CACHE_CONTROL = "public, s-maxage=31536000, max-age=31536000, must-revalidate"
NO_PILLOW = "none; install imagekitio[emulator] (Pillow) to render transformations"
RASTER = ("image/jpeg", "image/png", "image/gif", "image/webp")


def _can_avif() -> bool:
    try:
        from PIL import features
        return bool(features.check_feature("avif"))
    except (ImportError, ValueError):
        return False


CAN_AVIF = _can_avif()
PILLOW_FORMATS = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "avif": "AVIF", "gif": "GIF"}
WEBP_MAX = 16383
# The media library's own thumbnails (record["thumbnail"]) name this built-in transformation.
BUILT_IN_NAMED = {"ik_ml_thumbnail": "w-200,h-200,c-at_max"}

Found = Tuple[Dict[str, Any], Any]   # a stored file's record and its Blob


@dataclass
class Answer:
    """What the delivery route sends: status, body (bytes or a Blob), Content-Type and headers."""
    status: int
    body: Any
    content_type: str
    headers: Dict[str, str] = field(default_factory=dict)


@dataclass
class _Variant:
    data: bytes
    content_type: str
    headers: Dict[str, str]
    depends: Tuple[Tuple[str, str], ...]   # (path, version id) of layer images used


class _RefusedError(Exception):
    """A layer names a file this URL may not read (a private file on an unsigned URL)."""

    def __init__(self, answer: Answer) -> None:
        super().__init__(answer.status)
        self.answer = answer


def _error(status: int, code: str, message: str) -> Answer:
    return Answer(status, f"{status} - {message}".encode(), "text/plain; charset=utf-8",
                  {"ik-error": f"{code} - {message}", "Cache-Control": "no-store"})


class Renderer:
    """Renders delivery requests; one per emulator. Thread-safe: caches lock only their dictionaries."""

    max_input_bytes = 40 * 1024 * 1024   # ImageKit transforms inputs up to 40 MB (DELIVERY.md §2.11)

    def __init__(self, cache_bytes: int = 64 * 1024 * 1024, decoded_bytes: int = 256 * 1024 * 1024,
                 default_quality: int = 80, avif_auto: bool = False, max_concurrent: Optional[int] = None) -> None:
        self.variants: ByteLRU[_Variant] = ByteLRU(cache_bytes, lambda v: len(v.data) + 512)
        self.decoded: ByteLRU[Any] = ByteLRU(
            decoded_bytes, lambda image: image.width * image.height * len(image.getbands()))
        self.default_quality, self.avif_auto = default_quality, avif_auto
        self.renders = 0  # variants rendered (not served from the cache)
        # Renders at once: each may hold about 1 GB at the limits (100 MP, 400 MP of work), and the server
        # starts a thread per connection; more renders than cores only add memory, not speed.
        self.rendering = threading.BoundedSemaphore(max_concurrent or max(2, os.cpu_count() or 2))

    def clear(self) -> None:
        self.variants.clear()
        self.decoded.clear()

    # ------------------------------------------------------------------------------ delivery
    def deliver(self, path: str, transformation: str, request_headers: Mapping[str, str],
                find: Callable[[str], Optional[Found]], named: Callable[[str], Optional[str]],
                authorise: Callable[[Dict[str, Any]], Optional[Answer]]) -> Answer:
        """Answer a GET of ``path`` with ``transformation`` (path and query chains joined by ``:``).
        ``find`` looks a stored file up by path, ``named`` a named transformation, and ``authorise``
        returns an answer (401) when a record may not be served on this URL."""
        request_headers = {name.lower(): value for name, value in request_headers.items()}
        try:
            plan = parse(transformation, lambda name: named(name) or BUILT_IN_NAMED.get(name))
        except TransformError as error:
            return _error(error.status, error.code, str(error))
        found = find(path)
        if found is None and plan.default_image:
            found = find(plan.default_image)
        if found is None:
            return _error(404, "ENOENT", f"The file {path} was not found.")
        record, blob = found
        refused = authorise(record)
        if refused is not None:
            return refused
        try:
            answer = self._answer(plan, record, blob, request_headers, find, authorise)
        except _RefusedError as refusal:
            return refusal.answer
        return _conditional(answer, request_headers)

    def _answer(self, plan: Plan, record: Dict[str, Any], blob: Any, request_headers: Mapping[str, str],
                find: Callable[[str], Optional[Found]],
                authorise: Callable[[Dict[str, Any]], Optional[Answer]]) -> Answer:
        mime = record.get("mime") or "application/octet-stream"
        original = Answer(200, blob, mime, {"ETag": f'"{blob.sha1}"', "Cache-Control": CACHE_CONTROL})
        if plan.empty or plan.original:
            return original
        if mime not in RASTER:
            original.headers["X-Emulator-Renderer"] = f"none; {mime} files are served as stored"
            return original
        if not PILLOW:
            original.headers["X-Emulator-Renderer"] = NO_PILLOW
            return original
        if len(blob) > self.max_input_bytes:
            return _error(400, "ELIMIT", f"The image is larger than {self.max_input_bytes} bytes, the limit for "
                                         "transformations.")
        hints = _hints(request_headers)
        accept = (request_headers.get("accept") or "").lower()
        key = (record["versionInfo"]["id"], plan, "image/avif" in accept, "image/webp" in accept, hints)
        cached = self.variants.get(key)
        if cached is not None and all(_version(_authorised(find(p), authorise)) == v for p, v in cached.depends):
            # every layer file was authorised for this URL too: a variant a signed URL rendered with a
            # private layer is not served to an unsigned URL asking for the same transformation
            return Answer(200, cached.data, cached.content_type, {**cached.headers, "X-Emulator-Cache": "hit"})
        try:
            with self.rendering:
                variant = self._render(plan, record, blob, accept, hints, find, authorise)
        except TransformError as error:
            return _error(error.status, error.code, str(error))
        except ArithmeticError as error:  # a value no check foresaw: the URL's fault, never a 500
            return _error(400, "EINVALID", f"The transformation cannot be computed ({error}).")
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
            # Pillow cannot read these bytes (a truncated or hand-made file): serve them as stored.
            original.headers["X-Emulator-Renderer"] = f"none; the stored image could not be decoded ({error})"
            return original
        self.variants.put(key, variant)
        return Answer(200, variant.data, variant.content_type, {**variant.headers, "X-Emulator-Cache": "miss"})

    # ------------------------------------------------------------------------------ rendering
    def _render(self, plan: Plan, record: Dict[str, Any], blob: Any, accept: str, hints: Hints,
                find: Callable[[str], Optional[Found]],
                authorise: Callable[[Dict[str, Any]], Optional[Answer]]) -> _Variant:
        self.renders += 1
        image, logical, source_format, info = self._decode(record, blob, plan, hints)
        depends: List[Tuple[str, str]] = []

        def load(layer_path: str) -> Any:
            found = _authorised(find(layer_path), authorise)
            if found is None or found[0].get("mime") not in RASTER:
                raise TransformError(f"The layer image {layer_path} was not found.", code="ENOENT")
            if len(found[1]) > self.max_input_bytes:
                raise TransformError(f"The layer image {layer_path} is larger than the limit for transformations.",
                                     code="ELIMIT")
            depends.append((layer_path, found[0]["versionInfo"]["id"]))
            return self._decode(found[0], found[1], None, hints)[0]

        coordinates = _custom(record.get("customCoordinates"))
        context = pixels.Context(logical, hints, load, coordinates)
        result = pixels.run(plan.steps, image, context, logical)
        fmt, negotiated = self._format(plan, source_format, result, accept)
        substituted = ""
        if fmt == "AVIF" and not CAN_AVIF:
            # Pillow before 11.2 has no AVIF encoder: say so rather than answer another format silently.
            fmt = "PNG" if pixels.has_alpha(result) else "JPEG"
            substituted = "f-avif (this Pillow cannot encode AVIF)"
        quality = int(plan.last("q") or self.default_quality)
        background = plan.last("bg")
        fill = colour(background) if background and pixels._solid(background) else pixels.BLACK
        keep = {k: info[k] for k in ("exif", "icc_profile") if plan.last("md") == "true" and info.get(k)}
        data = pixels.encode(result, fmt, quality, plan.last("pr") == "true", plan.last("lo") == "true",
                             fill, keep)
        headers = {"ETag": f'"{hashlib.sha1(data).hexdigest()}"', "Cache-Control": CACHE_CONTROL,  # noqa: S324
                   "X-Emulator-Renderer": "pillow", **context.headers}
        hinted = ["Sec-CH-DPR"] + (["Sec-CH-Width"] if hints.width and any(s.get("w") == "auto" for s in plan.steps)
                                   else [])
        vary = (["Accept"] if negotiated else []) + (hinted if "Content-DPR" in context.headers else [])
        if vary:
            headers["Vary"] = ", ".join(vary)
        if plan.passthrough:
            headers["X-Emulator-Passthrough"] = ",".join(plan.passthrough)
        ignored = list(plan.ignored) + ([substituted] if substituted else [])
        if ignored:
            headers["X-Emulator-Ignored"] = ",".join(ignored)
        return _Variant(data, pixels.CONTENT_TYPES[fmt], headers, tuple(depends))

    def _decode(self, record: Dict[str, Any], blob: Any, plan: Optional[Plan],
                hints: Hints) -> Tuple[Any, Tuple[int, int], str, Dict[str, Any]]:
        """The original, oriented and normalised, possibly reduced by JPEG draft when the plan's first
        step only needs a smaller image; and the size the plan should see it at."""
        opened = Image.open(blob.path if blob.on_disk else io.BytesIO(blob.read()))
        if opened.width * opened.height > 100_000_000:
            raise TransformError("The image exceeds 100 megapixels.", code="ELIMIT")
        source_format = opened.format or "PNG"
        orientation = opened.getexif().get(0x0112) or 1
        turned = orientation in (5, 6, 7, 8)
        logical = (opened.height, opened.width) if turned else opened.size
        info = {k: opened.info.get(k) for k in ("exif", "icc_profile")}
        if orientation != 1 and info["exif"]:
            # The pixels are turned upright below; EXIF kept by md-true must not tell a viewer to turn them again.
            upright = Image.Exif()
            upright.load(info["exif"])
            upright[0x0112] = 1
            info["exif"] = upright.tobytes()
        wanted = _draft_size(plan, logical, hints) if source_format == "JPEG" and plan is not None else None
        if wanted is not None:
            opened.draft("RGB", (wanted[1], wanted[0]) if turned else wanted)
        key = (record["versionInfo"]["id"], opened.size)
        image = self.decoded.get(key)
        if image is None:
            image = pixels.normalise(ImageOps.exif_transpose(opened) if orientation != 1 else opened)
            image.load()
            self.decoded.put(key, image)
        return image, logical, source_format, info

    def _format(self, plan: Plan, source: str, image: Any, accept: str) -> Tuple[str, bool]:
        """The output format and whether it was negotiated from ``Accept`` (§3.1)."""
        asked = plan.last("f")
        too_big_for_webp = max(image.size) > WEBP_MAX
        if asked in ("jpg", "jpeg", "png", "webp", "avif"):
            if asked == "webp" and too_big_for_webp:
                raise TransformError("WebP output is limited to 16383 pixels on a side.", code="ELIMIT")
            return PILLOW_FORMATS[asked], False
        if asked == "gif":
            if source != "GIF":
                raise TransformError("f-gif only works for GIF input.")
            return "GIF", False
        if asked == "orig":
            return (source if source in pixels.CONTENT_TYPES else "PNG"), False
        if source == "GIF":
            return "GIF", True
        usm = any(step.has("e-usm") for step in plan.steps)
        if self.avif_auto and "image/avif" in accept and not usm:
            return "AVIF", True
        if "image/webp" in accept and not too_big_for_webp:
            return "WEBP", True
        return ("PNG" if pixels.has_alpha(image) else "JPEG"), True


def _draft_size(plan: Optional[Plan], logical: Tuple[int, int], hints: Hints) -> Optional[Tuple[int, int]]:
    """The smallest size the first step can start from without losing detail, or None for full size."""
    if plan is None or not plan.steps:
        return None
    step = plan.steps[0]
    if step.conditional is not None or step.get("t") not in (None, "false") or \
            step.get("cm") in ("extract", "pad_extract", "pad_extract_no_shrink") or step.get("fo") == "custom":
        return None
    try:
        names = variables(logical, logical)
        tw, th, _ = target_size(step, logical, names, hints)
        box = resize_box(step, logical, (tw, th), names)
    except TransformError:
        return None  # the real run reports it
    left, top, right, bottom = box.source
    scale = max(box.size[0] / max(right - left, 1e-9), box.size[1] / max(bottom - top, 1e-9))
    if scale > 0.5:
        return None
    return max(1, math.ceil(logical[0] * scale)), max(1, math.ceil(logical[1] * scale))


def _hints(headers: Mapping[str, str]) -> Hints:
    def read(name: str) -> Optional[float]:
        try:
            value = float(headers.get(name) or "")
        except ValueError:
            return None
        return value if 0 < value < 100000 else None
    width = read("sec-ch-width") or read("width")
    return Hints(read("sec-ch-dpr") or read("dpr"), None if width is None else int(width))


def _custom(value: Any) -> Optional[Tuple[int, int, int, int]]:
    try:
        parts = tuple(int(p) for p in str(value).split(","))
    except ValueError:
        return None
    return (parts[0], parts[1], parts[2], parts[3]) if len(parts) == 4 else None


def _authorised(found: Optional[Found], authorise: Callable[[Dict[str, Any]], Optional[Answer]]) -> Optional[Found]:
    """``found`` if this URL may read it; a layer must not be a way around a private file's signature."""
    refused = None if found is None else authorise(found[0])
    if refused is not None:
        raise _RefusedError(refused)
    return found


def _version(found: Optional[Found]) -> Optional[str]:
    return None if found is None else found[0]["versionInfo"]["id"]


def _conditional(answer: Answer, headers: Mapping[str, str]) -> Answer:
    """``If-None-Match`` with the current ETag → 304 without a body."""
    etag = answer.headers.get("ETag")
    wanted = headers.get("if-none-match")
    if answer.status == 200 and etag and wanted and (wanted.strip() == "*" or etag in
                                                     [t.strip() for t in wanted.split(",")]):
        return Answer(304, b"", "", {k: v for k, v in answer.headers.items() if k != "Content-Length"})
    return answer

"""``src``/``srcset``/``sizes`` for responsive ``<img>`` tags."""
import re
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

DEFAULT_DEVICE_BREAKPOINTS = (640, 750, 828, 1080, 1200, 1920, 2048, 3840)
DEFAULT_IMAGE_BREAKPOINTS = (16, 32, 48, 64, 96, 128, 256, 384)
_VW = re.compile(r"(?:^|\s)(1?\d{1,2})vw")


def candidate_widths(width: Optional[int], sizes: Optional[str], device: Sequence[int],
                     image: Sequence[int]) -> Tuple[List[int], str]:
    """The widths to offer and their descriptor kind (``"w"`` or ``"x"``).

    With ``sizes``: every breakpoint at least as wide as the smallest viewport share needs.
    With only ``width``: the breakpoints nearest 1x and 2x of it (a DPR set). With neither: the
    device breakpoints.
    """
    every = sorted(set(device) | set(image))
    if sizes:
        shares = [int(v) for v in _VW.findall(sizes)]
        if shares:
            needed = min(device) * min(shares) / 100
            return [w for w in every if w >= needed], "w"
        return every, "w"
    if width is None:
        return sorted(set(device)), "w"

    def nearest(target: float) -> int:
        return next((w for w in every if w >= target), every[-1])
    return list(dict.fromkeys([nearest(width), nearest(width * 2)])), "x"


def attributes(build: Callable[[Dict[str, Any]], str], options: Dict[str, Any], width: Optional[int],
               sizes: Optional[str], device: Sequence[int], image: Sequence[int]) -> Dict[str, Any]:
    widths, kind = candidate_widths(width, sizes, device, image)
    base = list(options.get("transformation") or [])

    def url(w: int) -> str:
        return build({**options, "transformation": base + [{"width": w, "crop": "at_max"}]})

    entries = [f"{url(w)} {w}w" if kind == "w" else f"{url(w)} {i}x" for i, w in enumerate(widths, 1)]
    result: Dict[str, Any] = {"src": url(widths[-1]), "srcset": ", ".join(entries)}
    if kind == "w":
        result["sizes"] = sizes or "100vw"
    if width is not None:
        result["width"] = width
    return result

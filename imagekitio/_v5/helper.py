"""``client.helper``: 5.x's ``build_url``, ``build_transformation_string`` and ``get_authentication_parameters``,
plus ``get_responsive_image_attributes`` (the name ImageKit's JavaScript SDK gives it; 5.11 has none).

``build_url`` runs the one URL builder (:meth:`imagekitio.url.Url._build`, with its signing and the value
checks of :mod:`imagekitio.transformation`); this module only maps 5.x's options and value rules onto it:

* ``src`` is a path under ``url_endpoint`` (percent-encoded as a path: ``ü`` -> ``%C3%BC``, a space ->
  ``%20``, ``?`` and ``#`` stay part of the name) or an absolute ``http(s)://`` URL, kept with its query;
* ``transformation_position`` defaults to ``"query"``, and ``tr=`` is written as 5.x writes it (not
  form-encoded; only ``&``, ``+`` and ``#``, which would change the query, are escaped);
* in a step, ``None``, ``False`` and ``""`` are left out (``trim: ""`` and the optional-value effects
  give their bare code, as in 5.x), whole floats are written as integers, empty steps are dropped;
* ``expires_in`` > 0 signs (with ``ik-t``) even without ``signed=True``.
"""
import math
import re
import time
import uuid
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Mapping, Optional, Sequence
from urllib.parse import parse_qsl, quote

from .. import arguments, responsive
from .. import transformation as steps_module
from ..constants.defaults import Default
from ..utils.calculation import upload_auth

if TYPE_CHECKING:
    from ..client import ImageKit
    from ..types.shared.responsive_image_attributes import ResponsiveImageAttributes

_ABSOLUTE = re.compile(r"https?://", re.IGNORECASE)
# A path needs no encoding when it holds only RFC 3986 pchar characters (and "/").
_PLAIN_PATH = re.compile(r"[A-Za-z0-9/:@!$&'()*+,;=~._-]*\Z")
_PATH_SAFE = "/:@!$&'()*+,;=~"
_ESCAPE = re.compile(r"(%[0-9A-Fa-f]{2})")


def encode_path(path: str) -> str:
    """``path`` percent-encoded outside the pchar set; ``%XX`` escapes already there are kept."""
    if _PLAIN_PATH.match(path):
        return path
    pieces = _ESCAPE.split(path)  # odd items are the escapes
    return "".join(piece if index % 2 else quote(piece, safe=_PATH_SAFE) for index, piece in enumerate(pieces))


def _absolute_src(src: str) -> str:
    """An absolute URL's path encoded as a relative src's is; its query (and fragment) kept as written."""
    cut = min((i for i in (src.find("?"), src.find("#")) if i >= 0), default=len(src))
    head = src[:cut]
    return src if _PLAIN_PATH.match(head) else encode_path(head) + src[cut:]


def _tr_in_query(text: str) -> str:
    # 5.x writes tr= as it is; these three would end the value or read as a space, so they are escaped.
    if "&" in text or "+" in text or "#" in text:
        return text.replace("&", "%26").replace("+", "%2B").replace("#", "%23")
    return text


# ---- 5.x's value rules, applied to a copy of each step before the shared step writer runs
_OPTIONAL_EMPTY = steps_module.OPTIONAL_VALUE_EFFECTS | {"trim"}  # "" gives the bare code / t-true


def _step(step: Any, where: str) -> Dict[str, Any]:
    if not isinstance(step, Mapping):
        raise TypeError(f"{where} must be a dict such as {{'width': 300}}, not {type(step).__name__}")
    kept: Dict[str, Any] = {}
    for key, value in step.items():
        kind = value.__class__
        if value is None or value is False:
            continue
        if kind is str and not value:
            if key not in _OPTIONAL_EMPTY:
                continue
            value = True
        elif kind is float and value.is_integer():
            value = int(value)
        elif key == "overlay" and isinstance(value, Mapping) and value.get("transformation") is not None:
            value = {**value, "transformation": _steps(value["transformation"], f"{where}.overlay.transformation")}
        kept[key] = value
    return kept


def _steps(transformation: Any, where: str = "transformation") -> List[Dict[str, Any]]:
    if isinstance(transformation, (str, bytes, Mapping)) or not isinstance(transformation, Iterable):
        raise TypeError(f"{where} must be a list of steps such as [{{'width': 300}}], "
                        f"not {type(transformation).__name__}")
    return [kept for kept in (_step(step, f"{where}[{i}]") for i, step in enumerate(transformation)) if kept]


# Pages repeat the same transformations: their strings are remembered by typed content, as url()'s are.
_MEMO = steps_module.Memo()


def transformation_string(transformation: Any) -> str:
    """5.x's ``tr`` string for ``transformation`` (any iterable of steps; ``None`` or empty gives ``""``)."""
    if not transformation:
        return ""
    key = steps_module.cache_key(transformation) if transformation.__class__ is list else None
    if key is not None:
        found = _MEMO.get(key)
        if found is not None:
            return found
    result = steps_module.CHAIN.join(filter(None, map(steps_module.step_to_str, _steps(transformation))))
    return result if key is None else _MEMO.put(key, result)


class HelperResource:
    """``client.helper``: URLs, transformation strings and upload authentication, as 5.x names them."""

    def __init__(self, client: "ImageKit") -> None:
        self._client = client

    def build_url(self, *, src: str, url_endpoint: Optional[str] = None, transformation: Any = None,
                  transformation_position: Optional[str] = None, query_parameters: Optional[Mapping[str, Any]] = None,
                  signed: Optional[bool] = None, expires_in: Optional[float] = None) -> str:
        """The URL of ``src`` (a path under ``url_endpoint``, or an absolute URL) with ``transformation``,
        ``query_parameters`` and, with ``signed=True`` or ``expires_in`` seconds, a signature. ``url_endpoint``
        defaults to the client's. An empty ``src`` gives ``""``."""
        if src.__class__ is not str:
            arguments.text(src, "src")
        if not src:
            return ""
        if url_endpoint is None:
            url_endpoint = self._client.ik_request.url_endpoint
            if not url_endpoint:
                raise ValueError("build_url needs url_endpoint= (this client was built without one)")
        elif url_endpoint.__class__ is not str:
            arguments.text(url_endpoint, "url_endpoint")
        if "?" in url_endpoint:  # an endpoint's own query goes after the path, before the call's parameters
            url_endpoint, _, endpoint_query = url_endpoint.partition("?")
            if query_parameters is not None and not isinstance(query_parameters, Mapping):
                raise TypeError(f"query_parameters must be a dict, not {type(query_parameters).__name__}")
            query_parameters = {**dict(parse_qsl(endpoint_query, keep_blank_values=True)), **(query_parameters or {})}
        expire_seconds = None
        if expires_in is not None:
            if expires_in.__class__ is bool or not isinstance(expires_in, (int, float)):
                raise TypeError(f"expires_in must be a number of seconds, not {type(expires_in).__name__}")
            if not math.isfinite(expires_in):  # a computed expiry gone wrong must not sign forever
                raise ValueError(f"expires_in must be a finite number of seconds, not {expires_in!r}")
            if expires_in > 0:  # as in 5.x, an expiry signs even without signed=True
                signed, expire_seconds = True, expires_in
        # a relative src is a path under the endpoint (url()'s "path"); an absolute one is url()'s "src"
        relative = src[0] == "/" or not _ABSOLUTE.match(src)
        options = {"path" if relative else "src": encode_path(src) if relative else _absolute_src(src),
                   "url_endpoint": url_endpoint, "transformation_position": transformation_position or "query",
                   "query_parameters": query_parameters, "signed": signed, "expire_seconds": expire_seconds}
        return self._client.url_obj._build(options.get, url_endpoint, "query", transformation_string(transformation),
                                           _tr_in_query)

    def build_transformation_string(self, transformation: Optional[Iterable[Any]] = None) -> str:
        """``[{"width": 300}, {"rotation": 90}]`` -> ``"w-300:rt-90"``, by the rules :meth:`build_url` uses."""
        return transformation_string(transformation)

    def get_authentication_parameters(self, token: Optional[str] = None,
                                      expire: Optional[int] = None) -> Dict[str, Any]:
        """``{"token", "expire", "signature"}`` for an upload straight from a browser: ``token`` defaults to a
        fresh UUID4 and ``expire`` to 30 minutes from now; the signature is HMAC-SHA1 of ``token + expire``."""
        # As 4.x's helper, except that an expire of 0 is kept (5.x defaults only a missing one).
        expire = int(time.time()) + Default.DEFAULT_TIME_DIFF.value if expire is None else expire
        return upload_auth(token or str(uuid.uuid4()), expire, self._client.ik_request.private_key)

    def get_responsive_image_attributes(
            self, *, src: str, url_endpoint: Optional[str] = None, width: Optional[float] = None,
            sizes: Optional[str] = None, device_breakpoints: Optional[Sequence[float]] = None,
            image_breakpoints: Optional[Sequence[float]] = None, transformation: Any = None,
            **url_options: Any) -> "ResponsiveImageAttributes":
        """``src``, ``src_set``, ``sizes`` and ``width`` for an ``<img>`` that serves each screen the right size,
        as ImageKit's JavaScript SDK's ``getResponsiveImageAttributes``: with ``sizes`` a width-based set
        (``480w``), with only ``width`` a DPR set (``1x``, ``2x``), with neither the device breakpoints. Other
        keyword arguments (``signed``, ``expires_in``, ``query_parameters``...) are :meth:`build_url`'s."""
        from ..types.shared.responsive_image_attributes import ResponsiveImageAttributes

        options = {**url_options, "src": src, "url_endpoint": url_endpoint,
                   "transformation": _steps(transformation) if transformation else []}
        found = responsive.attributes(
            lambda step_options: self.build_url(**step_options), options,
            None if width is None else int(width), sizes,
            [int(w) for w in device_breakpoints] if device_breakpoints else responsive.DEFAULT_DEVICE_BREAKPOINTS,
            [int(w) for w in image_breakpoints] if image_breakpoints else responsive.DEFAULT_IMAGE_BREAKPOINTS)
        given = {"src": found["src"], "src_set": found["srcset"]}
        given.update((name, found[name]) for name in ("sizes", "width") if name in found)  # unset stays unset
        return ResponsiveImageAttributes(**given)


__all__ = ["HelperResource", "encode_path", "transformation_string"]

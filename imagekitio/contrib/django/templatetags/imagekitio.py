"""``{% load imagekitio %}``: ``{% ik_url path width=300 signed=True %}`` and
``{% ik_image path sizes="(max-width: 600px) 100vw, 50vw" alt="..." %}``.

Keyword arguments other than the URL options (``signed``, ``expire_seconds``, ``url_endpoint``,
``transformation_position``, ``query_parameters``) are one transformation step (``width=300 height=200``
is ``tr:w-300,h-200``); a ``transformation`` argument gives the whole list instead.
"""
from typing import Any, Dict, List, Tuple

from django import template
from django.utils.html import format_html, format_html_join

from ..conf import get_client

register = template.Library()

_URL_OPTIONS = {"signed", "expire_seconds", "url_endpoint", "transformation_position", "query_parameters"}


def _split(arguments: Dict[str, Any]) -> Tuple[Dict[str, Any], List[Dict[str, Any]]]:
    options = {key: value for key, value in arguments.items() if key in _URL_OPTIONS}
    step = {key: value for key, value in arguments.items() if key not in _URL_OPTIONS and key != "transformation"}
    transformation = list(arguments.get("transformation") or []) + ([step] if step else [])
    return options, transformation


@register.simple_tag
def ik_url(path: str, **arguments: Any) -> str:
    """The CDN URL of ``path`` (or of a full ``src`` URL) with the given transformation."""
    options, transformation = _split(arguments)
    key = "src" if str(path).startswith(("http://", "https://")) else "path"
    return get_client().url({key: path, "transformation": transformation, **options})


@register.simple_tag
def ik_image(path: str, sizes: str = "", width: Any = None, alt: str = "", **arguments: Any) -> str:
    """An ``<img>`` with ``src``, ``srcset`` and ``sizes`` from ``responsive_image_attributes``; other
    HTML attributes may be given as ``attr_<name>`` (``attr_class="hero"``, ``attr_loading="lazy"``)."""
    html = {key[5:].replace("_", "-"): value for key, value in arguments.items() if key.startswith("attr_")}
    options, transformation = _split({k: v for k, v in arguments.items() if not k.startswith("attr_")})
    full_url = str(path).startswith(("http://", "https://"))
    attributes = get_client().responsive_image_attributes(
        None if full_url else path, path if full_url else None,
        width=int(width) if width not in (None, "") else None, sizes=sizes or None,
        transformation=transformation, **options)
    shown = {"src": attributes["src"], "srcset": attributes["srcset"], "sizes": attributes.get("sizes"),
             "width": attributes.get("width"), "alt": alt, **html}
    return format_html("<img {}>", format_html_join(" ", '{}="{}"', ((k, v) for k, v in shown.items()
                                                                     if v is not None)))

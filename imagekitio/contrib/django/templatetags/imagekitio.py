"""``{% load imagekitio %}``: ``{% ik_url path width=300 signed=True %}`` and
``{% ik_image path sizes="(max-width: 600px) 100vw, 50vw" alt="..." %}``.

Keyword arguments other than the URL options (``signed``, ``expire_seconds``, ``url_endpoint``,
``transformation_position``, ``query_parameters``) are one transformation step (``width=300 height=200``
is ``tr:w-300,h-200``); a ``transformation`` argument gives the whole list instead. Values may come from the
request: numeric parameters (``width``, ``height``, ``quality``...) must be numbers and other values may not
hold ``,`` or ``:``, so they cannot add steps to a (signed) URL (``ValueError`` otherwise).
"""
from typing import Any

from django import template
from django.utils.html import format_html, format_html_join

from ... import templating
from ..conf import get_client
from ..variants import variant_url

register = template.Library()


@register.simple_tag
def ik_url(path: Any, variant: str = "", **arguments: Any) -> str:
    """The CDN URL of ``path`` (or of a full ``src`` URL) with the given transformation; ``path`` may also
    be a model's file (``photo.image``), and ``variant`` names one of ``IMAGEKIT["VARIANTS"]``, whose
    steps come before the keyword arguments' (``{% ik_url photo.image "thumb" %}``)."""
    if variant or hasattr(path, "storage"):
        options, transformation = templating.split(arguments)
        return variant_url(path, variant or None, transformation, **options)
    return templating.url(get_client(), path, arguments)


@register.simple_tag
def ik_image(path: str, sizes: str = "", width: Any = None, alt: str = "", **arguments: Any) -> str:
    """An ``<img>`` with ``src``, ``srcset`` and ``sizes`` from ``responsive_image_attributes``; other
    HTML attributes may be given as ``attr_<name>`` (``attr_class="hero"``, ``attr_loading="lazy"``)."""
    html = {key[5:].replace("_", "-"): value for key, value in arguments.items() if key.startswith("attr_")}
    options, transformation = templating.split({k: v for k, v in arguments.items() if not k.startswith("attr_")})
    full_url = templating.is_url(path)
    attributes = get_client().responsive_image_attributes(
        None if full_url else path, path if full_url else None,
        width=int(float(templating.step_value("width", width))) if width not in (None, "") else None,
        sizes=sizes or None, transformation=transformation, **options)
    shown = {"src": attributes["src"], "srcset": attributes["srcset"], "sizes": attributes.get("sizes"),
             "width": attributes.get("width"), "alt": alt, **html}
    return format_html("<img {}>", format_html_join(" ", '{}="{}"', ((k, v) for k, v in shown.items()
                                                                     if v is not None)))

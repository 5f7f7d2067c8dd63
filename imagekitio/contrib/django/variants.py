"""Named variants: ``IMAGEKIT["VARIANTS"] = {"thumb": [{"width": 200, "height": 200}], ...}``.

A variant is a name for a transformation (a list of steps, or one step as a dict). It compiles to a
CDN URL, as django-imagekit's spec fields name a processing chain, except that nothing is processed or
cached here: ImageKit renders the variant on its first request.

    variant_url(photo.image, "thumb")          # a FieldFile on an ImageKitStorage, a path or a URL
    photo.image.ik("thumb")                    # with ImageKitFileField / ImageKitImageField
    {% ik_url photo.image "thumb" %}
"""
from typing import Any, Dict, List, Optional

from django.core.exceptions import ImproperlyConfigured

from ..templating import is_url
from .conf import get_client, imagekit_settings
from .storage import ImageKitStorage, check_expire_seconds

Step = Dict[str, Any]


def _configured() -> Dict[str, Any]:
    configured = imagekit_settings().get("VARIANTS") or {}
    if not isinstance(configured, dict):
        raise ImproperlyConfigured('IMAGEKIT["VARIANTS"] must be a dict of name -> transformation steps')
    return {str(name): steps for name, steps in configured.items()}


def variants() -> Dict[str, List[Step]]:
    """Every configured variant as a list of transformation steps (checked: a bad entry raises)."""
    return {name: _steps(name, steps) for name, steps in _configured().items()}


def _steps(name: Any, steps: Any) -> List[Step]:
    if isinstance(steps, dict):
        steps = [steps]
    if not isinstance(steps, (list, tuple)) or not all(isinstance(step, dict) for step in steps):
        raise ImproperlyConfigured(f'IMAGEKIT["VARIANTS"][{name!r}] must be a dict or a list of dicts '
                                   "(transformation steps such as {\"width\": 200})")
    return [dict(step) for step in steps]


def variant_transformation(name: str) -> List[Step]:
    """The steps of variant ``name``; an unknown name raises ``ImproperlyConfigured`` naming the known ones."""
    # Only the variant asked for is compiled: templates call this once per URL.
    configured = _configured()
    if name not in configured:
        raise ImproperlyConfigured(f"unknown ImageKit variant {name!r}; IMAGEKIT['VARIANTS'] has "
                                   f"{', '.join(sorted(configured)) or 'none'}")
    return _steps(name, configured[name])


def source_options(value: Any) -> Dict[str, Any]:
    """URL options that address ``value``: a ``FieldFile`` (its storage's path, signed when the storage
    is private), an ImageKit path, or a full URL (``src``)."""
    storage = getattr(value, "storage", None)
    if storage is not None and hasattr(value, "name"):
        if not value.name:
            raise ValueError("this file field has no file")
        if isinstance(storage, ImageKitStorage):
            # One encoded path, as storage.url() gives: a name holding "#" or "?" must not sign another file.
            options: Dict[str, Any] = {"path": storage.url_path(value.name)}
            if storage.private:
                options.update(signed=True, expire_seconds=storage.expire_seconds)
            return options
        return {"src": value.url}  # another storage: ImageKit can still fetch it through a web proxy origin
    text = str(value)
    return {"src": text} if is_url(text) else {"path": text}


def variant_url(value: Any, variant: Optional[str] = None, transformation: Optional[List[Step]] = None,
                **options: Any) -> str:
    """The CDN URL of ``value`` as variant ``variant`` (``None``: the original), with any extra
    ``transformation`` steps chained after the variant's and URL ``options`` (``signed``...)."""
    steps = (variant_transformation(variant) if variant else []) + list(transformation or [])
    source = source_options(value)
    if source.get("signed") and "expire_seconds" in options:
        # A private storage's URLs always expire: a template may shorten the time, never drop it (0, None).
        check_expire_seconds(options["expire_seconds"])
    return get_client().url({**source, **options, "transformation": steps})

"""Opt-in cleanup, as django-cleanup does it: deleting a row, or replacing or clearing its file, deletes
the old file from ImageKit once the transaction has committed (a rolled-back change deletes nothing).

    IMAGEKIT = {..., "CLEANUP": True}                       # every model with ImageKitStorage file fields
    IMAGEKIT = {..., "CLEANUP": ["gallery.Photo"]}          # or only these models
    cleanup(Photo)                                          # or from code (e.g. in AppConfig.ready)

Only fields whose storage is an ``ImageKitStorage`` are touched, and a file that another row of the
same model still references is kept. A failed delete is logged, never raised into the commit.
"""
import logging
from typing import Any, Dict, List, Optional, Set

from django.apps import apps
from django.db import models, transaction
from django.db.models.signals import post_delete, post_init, post_save

from .conf import imagekit_settings
from .storage import ImageKitStorage

logger = logging.getLogger("imagekitio.django")

_KEY = "_imagekit_file_names"  # in instance.__dict__: the names the row held when loaded or last saved
_models: Set[Any] = set()


def _fields(model: Any) -> List[Any]:
    return [field for field in model._meta.concrete_fields
            if isinstance(field, models.FileField) and isinstance(field.storage, ImageKitStorage)]


def _names(instance: Any) -> Dict[str, str]:
    names = {}
    for field in _fields(type(instance)):
        if field.attname in instance.__dict__:  # a deferred field is unknown, not empty
            value = instance.__dict__[field.attname]
            names[field.attname] = str(getattr(value, "name", value) or "")
    return names


def _remember(sender: Any, instance: Any, **kwargs: Any) -> None:
    if sender in _models:
        instance.__dict__[_KEY] = _names(instance)


def _delete_later(model: Any, field: Any, name: str, using: Optional[str]) -> None:
    def delete() -> None:
        # The base manager: a row the default manager hides (archived, soft-deleted) still uses the file.
        if model._base_manager.using(using).filter(**{field.attname: name}).exists():
            return  # another row still uses the file
        try:
            field.storage.delete(name)
        except Exception:  # noqa: BLE001 - the data change has committed; a leftover file is only waste
            logger.warning("could not delete %s from ImageKit after the change committed", name, exc_info=True)
    transaction.on_commit(delete, using=using)


def _saved(sender: Any, instance: Any, using: Optional[str] = None, **kwargs: Any) -> None:
    if sender not in _models:
        return
    before = instance.__dict__.get(_KEY, {})
    now = _names(instance)
    for field in _fields(sender):
        old = before.get(field.attname)
        if old and field.attname in now and now[field.attname] != old:
            _delete_later(sender, field, old, using)
    instance.__dict__[_KEY] = now


def _deleted(sender: Any, instance: Any, using: Optional[str] = None, **kwargs: Any) -> None:
    if sender not in _models:
        return
    names = _names(instance)
    for field in _fields(sender):
        name = names.get(field.attname)
        if name:
            _delete_later(sender, field, name, using)


def cleanup(*targets: Any) -> None:
    """Turn cleanup on for these models (classes or ``"app_label.Model"`` labels)."""
    for target in targets:
        model = apps.get_model(target) if isinstance(target, str) else target
        if _fields(model):
            _models.add(model)
    post_init.connect(_remember, dispatch_uid="imagekitio.cleanup.init")
    post_save.connect(_saved, dispatch_uid="imagekitio.cleanup.save")
    post_delete.connect(_deleted, dispatch_uid="imagekitio.cleanup.delete")


def connect_from_settings() -> None:
    """``IMAGEKIT["CLEANUP"]``: ``True`` for every model, or a list of model labels."""
    chosen = imagekit_settings().get("CLEANUP")
    if chosen is True:
        cleanup(*apps.get_models())
    elif chosen:
        cleanup(*chosen)

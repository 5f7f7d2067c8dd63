"""What the ImageKit management commands share: finding the file fields to work on."""
from typing import Any, Iterator, List, Sequence, Tuple

from django.apps import apps
from django.core.management.base import CommandError
from django.db import models


def file_fields(labels: Sequence[str]) -> Iterator[Tuple[Any, models.FileField]]:
    """``(model, field)`` for every concrete ``FileField`` (``ImageField`` included) of the models named
    by ``labels`` (``app_label`` or ``app_label.Model``), or of every installed model."""
    chosen: List[Any] = []
    for label in labels:
        try:
            if "." in label:
                chosen.append(apps.get_model(label))
            else:
                chosen.extend(apps.get_app_config(label).get_models())
        except LookupError as error:
            raise CommandError(str(error)) from error
    for model in chosen or apps.get_models():
        if model._meta.proxy or not model._meta.managed and model._meta.auto_created:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                yield model, field

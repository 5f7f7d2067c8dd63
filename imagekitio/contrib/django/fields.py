"""Model fields whose files know their variants and can take uploads straight from the browser.

    class Photo(models.Model):
        image = ImageKitImageField(storage=ImageKitStorage(location="/photos"), upload_to="gallery/",
                                   direct_upload=True)

    photo.image.ik("thumb")     # the CDN URL of variant "thumb" (IMAGEKIT["VARIANTS"])
    photo.image.ik(width=80)    # or one ad-hoc transformation step

``direct_upload=True`` makes the model form (and the admin) use :class:`~.forms.DirectUploadField`, with
the folder taken from ``upload_to`` (the part before any ``strftime`` ``%``); a string gives the folder.
"""
from typing import Any, Dict, Optional, Union

from django.db import models
from django.db.models.fields.files import FieldFile, ImageFieldFile

from .variants import variant_url


class ImageKitFieldFile(FieldFile):
    def ik(self, variant: Optional[str] = None, **step: Any) -> str:
        """The CDN URL of this file as ``variant``, then ``step`` (``width=80``...) if given."""
        return variant_url(self, variant, [step] if step else None)


class ImageKitImageFieldFile(ImageFieldFile, ImageKitFieldFile):
    pass


class _DirectUploadMixin:
    """The ``direct_upload`` option both fields take (placed before the Django field in the bases)."""

    def __init__(self, *args: Any, direct_upload: Union[bool, str] = False, **kwargs: Any) -> None:
        self.direct_upload = direct_upload
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()  # type: ignore[misc]
        if self.direct_upload:
            kwargs["direct_upload"] = self.direct_upload
        return name, path, args, kwargs

    def direct_upload_folder(self) -> str:
        """The folder uploads go to: a string ``direct_upload``, else ``upload_to`` up to any ``%``."""
        if isinstance(self.direct_upload, str):
            return self.direct_upload.strip("/")
        upload_to = getattr(self, "upload_to", "")
        if callable(upload_to):
            return ""  # the name is decided at save time; the storage's whole location is the limit
        text = str(upload_to)
        if "%" in text:  # "photos/%Y/%m/": only the part before the first date directory is fixed
            text = text.split("%", 1)[0]
            text = text.rsplit("/", 1)[0] if "/" in text else ""
        return text.strip("/")

    def formfield(self, **kwargs: Any) -> Any:
        if not self.direct_upload:
            return super().formfield(**kwargs)  # type: ignore[misc]
        from .forms import DirectUploadField
        kwargs.pop("widget", None)  # the admin passes its AdminFileWidget for every FileField
        kwargs.pop("form_class", None)
        defaults: Dict[str, Any] = {"required": not getattr(self, "blank", False),
                                    "label": getattr(self, "verbose_name", None),
                                    "help_text": getattr(self, "help_text", ""),
                                    "max_length": getattr(self, "max_length", None)}
        defaults.update(kwargs)
        storage = self.storage  # type: ignore[attr-defined]  # the model field's
        return DirectUploadField(storage=storage, folder=self.direct_upload_folder(), **defaults)


class ImageKitFileField(_DirectUploadMixin, models.FileField):
    attr_class = ImageKitFieldFile


class ImageKitImageField(_DirectUploadMixin, models.ImageField):
    attr_class = ImageKitImageFieldFile

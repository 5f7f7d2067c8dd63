"""``DirectUploadField``: a form field for a file the browser has already uploaded to ImageKit.

The submitted value is an ImageKit path (what the upload API answered). It is accepted only if it lies
under the field's folder in the field's storage and the file exists there, so a user cannot attach a
file from elsewhere in the media library (someone else's upload, a private document). ``clean`` returns
the storage name, which a model ``FileField`` stores as is; an unchanged value (the row's current file)
is kept without a lookup, and an emptied one clears the field when it is not required.
"""
import posixpath
from typing import Any, Optional

from django import forms
from django.core.exceptions import ValidationError

from .storage import ImageKitStorage
from .widgets import DirectUploadWidget


class DirectUploadField(forms.FileField):
    """Subclasses ``forms.FileField`` so forms hand ``clean`` the initial value and model forms save the
    result through the model field's ``save_form_data``."""

    widget = DirectUploadWidget
    default_error_messages = {
        "outside": "This file is not in the folder this field accepts uploads into.",
        "missing": "The uploaded file was not found; please upload it again.",
    }

    def __init__(self, *, storage: Optional[ImageKitStorage] = None, folder: str = "", accept: str = "",
                 auth_url: Optional[str] = None, **kwargs: Any) -> None:
        kwargs.pop("allow_empty_file", None)
        super().__init__(**kwargs)
        self.storage = storage if storage is not None else ImageKitStorage()
        if not isinstance(self.storage, ImageKitStorage):
            raise TypeError("DirectUploadField needs an ImageKitStorage: the browser uploads to ImageKit")
        self.folder = folder.strip("/")
        self.widget.folder = (posixpath.join(self.storage.location, self.folder) if self.folder
                              else self.storage.location)
        self.widget.accept = accept
        self.widget.auth_url = auth_url

    def to_python(self, data: Any) -> Optional[str]:
        text = str(getattr(data, "name", data) or "").strip()
        return text or None

    def clean(self, data: Any, initial: Any = None) -> Any:
        value = self.to_python(data)
        initial_name = getattr(initial, "name", initial) or None
        if value is None:
            if data is None and initial_name:
                return initial_name  # nothing submitted for this field: keep the current file
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return False if initial_name else None  # "" with a file: the user removed it (False clears)
        if initial_name and value == initial_name:
            return initial_name  # the row's current file, which may predate this field's folder
        name = self._name(value)
        self.run_validators(name)
        if not self.storage.exists(name):
            raise ValidationError(self.error_messages["missing"], code="missing")
        return name

    def _name(self, value: str) -> str:
        """The storage name of an ImageKit path, if the path lies under the field's folder."""
        segments = [segment for segment in value.replace("\\", "/").split("/") if segment]
        if not segments or any(segment in (".", "..") for segment in segments):
            raise ValidationError(self.error_messages["outside"], code="outside")
        path = "/" + "/".join(segments)
        folder: str = getattr(self.widget, "folder", "/")
        if not path.startswith(folder.rstrip("/") + "/"):
            raise ValidationError(self.error_messages["outside"], code="outside")
        return self.storage._name(path)

    def has_changed(self, initial: Any, data: Any) -> bool:
        return not self.disabled and (getattr(initial, "name", initial) or None) != self.to_python(data)

    def bound_data(self, data: Any, initial: Any) -> Any:
        return initial if data is None else data

"""``DirectUploadField``: a form field for a file the browser has already uploaded to ImageKit.

The submitted value is ``<ImageKit path>|<claim>``: the path the upload API answered and the claim the
upload-auth view handed out with the credentials (see :func:`new_upload_claim`). It is accepted only if
the path lies under the field's folder in the field's storage, the claim is genuine and less than
``CLAIM_MAX_AGE`` seconds old, and the file there carries the claim's tag, which only an upload made
with that claim's credentials has. So a user cannot attach a file from elsewhere in the media library
(a private document) nor someone else's upload in the same folder, even knowing its path. ``clean``
returns the storage name, which a model ``FileField`` stores as is (the claim never reaches the model);
an unchanged value (the row's current file) is kept without a lookup or claim, and an emptied one
clears the field when it is not required.
"""
import posixpath
import secrets
from typing import Any, Dict, Optional, Tuple

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.crypto import salted_hmac

from .storage import ImageKitStorage
from .widgets import DirectUploadWidget

# How long a claim (and so an upload made with it) can still be attached by submitting the form.
CLAIM_MAX_AGE = 3600
CLAIM_SALT = "imagekitio.contrib.django.direct-upload.claim"
TAG_SALT = "imagekitio.contrib.django.direct-upload.tag"
TAG_PREFIX = "ikclaim-"


def claim_tag(nonce: str) -> str:
    """The tag an upload made under the claim holding ``nonce`` carries. It is an HMAC keyed from
    ``SECRET_KEY``, so neither a tag nor a claim can be made from the other without the server."""
    return TAG_PREFIX + salted_hmac(TAG_SALT, nonce, algorithm="sha256").hexdigest()[:32]


def new_upload_claim() -> Dict[str, str]:
    """``{"claim", "claimTag"}`` for one browser upload: the widget uploads with ``tags=claimTag`` and submits
    ``path|claim``. The claim is a signed, dated random nonce; the tag is derived from it (:func:`claim_tag`)."""
    nonce = secrets.token_urlsafe(24)
    return {"claim": signing.dumps(nonce, salt=CLAIM_SALT), "claimTag": claim_tag(nonce)}


def split_value(text: str) -> Tuple[str, str]:
    """``(path, claim)`` of a submitted ``path|claim`` (the claim is ``""`` when there is none). A signed value
    never holds ``|``, so the last one separates them whatever the path holds."""
    path, _, claim = text.rpartition("|")
    return (path, claim) if path else (text, "")


class DirectUploadField(forms.FileField):
    """Subclasses ``forms.FileField`` so forms hand ``clean`` the initial value and model forms save the
    result through the model field's ``save_form_data``."""

    widget = DirectUploadWidget
    default_error_messages = {
        "outside": "This file is not in the folder this field accepts uploads into.",
        "missing": "The uploaded file was not found; please upload it again.",
        "unclaimed": "This file was not uploaded through this form (or the upload is more than an hour old); "
                     "please upload it again.",
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
        path, claim = split_value(value)
        if initial_name and initial_name in (value, path):
            return initial_name  # the row's current file, which may predate this field's folder
        name = self._name(path)
        if initial_name and name == initial_name:
            return initial_name  # the current file, given as its ImageKit path
        self.run_validators(name)
        tag = self._claimed_tag(claim)
        found = self.storage._find(name)  # one exact lookup
        if found is None:
            raise ValidationError(self.error_messages["missing"], code="missing")
        if tag not in (getattr(found, "tags", None) or []):
            # Someone else's upload (or one made without this form): its path alone proves nothing.
            raise ValidationError(self.error_messages["unclaimed"], code="unclaimed")
        return name

    def _claimed_tag(self, claim: str) -> str:
        """The tag for a genuine claim younger than ``CLAIM_MAX_AGE``; else a ``ValidationError``."""
        try:
            nonce = signing.loads(claim, salt=CLAIM_SALT, max_age=CLAIM_MAX_AGE) if claim else None
        except signing.BadSignature:  # also SignatureExpired
            nonce = None
        if not isinstance(nonce, str) or not nonce:
            raise ValidationError(self.error_messages["unclaimed"], code="unclaimed")
        return claim_tag(nonce)

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
        value = self.to_python(data)
        return not self.disabled and (getattr(initial, "name", initial) or None) != (
            split_value(value)[0] if value else None)

    def bound_data(self, data: Any, initial: Any) -> Any:
        return initial if data is None else data

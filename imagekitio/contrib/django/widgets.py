"""``DirectUploadWidget``: the browser uploads the chosen file straight to ImageKit and the form submits
only the resulting path.

The page loads ``imagekitio/direct-upload.js`` (the widget's ``Media``: ``{{ form.media }}`` in your
template; the admin includes it by itself). On a file choice the script asks the project's upload-auth
view (``imagekit-auth``, which must be protected: whoever can call it can upload) for one-time
credentials and a claim, posts the file to ImageKit's upload API with the claim's tag and a progress bar,
and puts ``path|claim`` in a hidden input (``DirectUploadField`` accepts only a file carrying the tag of
a genuine claim). No build step, nothing loaded from the internet.
"""
from typing import Any, Dict, Optional

from django import forms
from django.urls import reverse

from .conf import get_client


class DirectUploadWidget(forms.Widget):
    template_name = "imagekitio/direct_upload.html"
    needs_multipart_form = False  # only a path is submitted

    class Media:
        js = ("imagekitio/direct-upload.js",)

    def __init__(self, attrs: Optional[Dict[str, Any]] = None, folder: str = "/", auth_url: Optional[str] = None,
                 upload_url: Optional[str] = None, accept: str = "") -> None:
        super().__init__(attrs)
        self.folder = folder
        self.auth_url = auth_url
        self.upload_url = upload_url
        self.accept = accept

    def format_value(self, value: Any) -> Optional[str]:
        name = getattr(value, "name", value)  # a FieldFile when editing, a path after a failed submit
        return str(name) if name else None

    def get_context(self, name: str, value: Any, attrs: Optional[Dict[str, Any]]) -> Dict[str, Any]:
        context: Dict[str, Any] = super().get_context(name, value, attrs)
        current = None
        if getattr(value, "name", None) and getattr(value, "url", None):
            current = value.url
        context["widget"].update({
            "current_url": current,
            "folder": self.folder,
            "accept": self.accept,
            # Resolved at render time: the URLconf is not loaded when forms are defined.
            "auth_url": self.auth_url or reverse("imagekit-auth"),
            "upload_url": self.upload_url or f"{get_client().ik_request.upload_base_url}/api/v1/files/upload",
        })
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data

"""``path("imagekit/", include("imagekitio.contrib.django.urls"))`` gives ``imagekit/auth/`` (name
``imagekit-auth``), the upload-auth endpoint; it answers only requests that ``IMAGEKIT["AUTH_CHECK"]``
allows (by default, a logged-in user)."""
from django.urls import path

from . import views

urlpatterns = [path("auth/", views.auth_parameters, name="imagekit-auth")]

"""``path("imagekit/", include("imagekitio.contrib.django.urls"))`` gives ``imagekit/auth/`` (name
``imagekit-auth``), the upload-auth endpoint."""
from django.urls import path

from . import views

urlpatterns = [path("auth/", views.auth_parameters, name="imagekit-auth")]

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("imagekit/", include("imagekitio.contrib.django.urls")),
    path("", include("tests.contrib.djangosite.gallery.urls")),
]

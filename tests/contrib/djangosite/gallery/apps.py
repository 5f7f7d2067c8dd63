from django.apps import AppConfig


class GalleryConfig(AppConfig):
    name = "tests.contrib.djangosite.gallery"
    label = "gallery"

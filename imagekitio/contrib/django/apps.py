from django.apps import AppConfig


class ImageKitConfig(AppConfig):
    name = "imagekitio.contrib.django"
    label = "imagekitio"
    verbose_name = "ImageKit"

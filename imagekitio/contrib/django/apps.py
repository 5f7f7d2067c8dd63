from django.apps import AppConfig


class ImageKitConfig(AppConfig):
    name = "imagekitio.contrib.django"
    label = "imagekitio"
    verbose_name = "ImageKit"

    def ready(self) -> None:
        from . import signals
        signals.connect_from_settings()  # IMAGEKIT["CLEANUP"]: opt-in deletes of replaced files

from django.db import models

from imagekitio.contrib.django.fields import ImageKitFileField, ImageKitImageField
from imagekitio.contrib.django.storage import ImageKitStorage


class Photo(models.Model):
    """Uploaded from the browser straight into /photos/uploads/; variants from IMAGEKIT["VARIANTS"]; its
    replaced or deleted files are cleaned up (IMAGEKIT["CLEANUP"])."""
    title = models.CharField(max_length=100)
    image = ImageKitImageField(storage=ImageKitStorage(location="/photos"), upload_to="uploads/",
                               direct_upload=True, max_length=200)

    def __str__(self) -> str:
        return self.title


class Document(models.Model):
    """An optional direct upload into a dated folder (only "files/" is fixed), private files signed."""
    title = models.CharField(max_length=100)
    file = ImageKitFileField(storage=ImageKitStorage(location="/docs", private=True), upload_to="files/%Y/",
                             direct_upload=True, blank=True, max_length=200)


class Attachment(models.Model):
    """A model from before ImageKit: its files lie in MEDIA_ROOT; the default storage is now ImageKit."""
    title = models.CharField(max_length=100)
    file = models.FileField(upload_to="legacy/", max_length=200)
    cover = models.ImageField(upload_to="covers/", blank=True, max_length=200)


class ShownManager(models.Manager):  # type: ignore[type-arg]
    def get_queryset(self) -> "models.QuerySet[Poster]":
        return super().get_queryset().filter(archived=False)


class Poster(models.Model):
    """A default manager that hides archived rows (as soft-delete apps do): their files are still in use."""
    title = models.CharField(max_length=100)
    archived = models.BooleanField(default=False)
    image = ImageKitFileField(storage=ImageKitStorage(location="/posters"), upload_to="", max_length=200)

    objects = ShownManager()
    everything = models.Manager()

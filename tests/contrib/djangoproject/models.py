from django.db import models

from imagekitio.contrib.django.storage import ImageKitStorage


class Photo(models.Model):
    title = models.CharField(max_length=100)
    image = models.FileField(storage=ImageKitStorage(location="/photos"), upload_to="gallery/")
    secret = models.FileField(storage=ImageKitStorage(location="/private", private=True), upload_to="docs/",
                              blank=True)

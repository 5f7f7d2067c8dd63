from django.http import HttpResponse
from django.urls import include, path

from imagekitio.contrib.django.views import webhook

RECEIVED = []


def on_event(event):
    RECEIVED.append(event)
    return HttpResponse("ok")


urlpatterns = [
    path("imagekit/", include("imagekitio.contrib.django.urls")),
    path("hooks/imagekit/", webhook(on_event)),
]

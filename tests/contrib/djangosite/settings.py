"""Settings of the test project. The ImageKit keys and URLs come from the ``IMAGEKIT_*`` environment
(the harness points them at a ``LocalImageKit``); the database and MEDIA_ROOT live in ``DJANGOSITE_DIR``."""
import os
from pathlib import Path

import django

HERE = Path(__file__).resolve().parent
WORK = Path(os.environ.get("DJANGOSITE_DIR", "/tmp/djangosite"))  # noqa: S108 - overridden by the harness

DEBUG = False
SECRET_KEY = "djangosite-tests-only"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "tests.contrib.djangosite.urls"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "imagekitio.contrib.django",
    "tests.contrib.djangosite.gallery",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": ["django.template.context_processors.request",
                                       "django.contrib.auth.context_processors.auth",
                                       "django.contrib.messages.context_processors.messages"]},
}]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins in tests only
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(WORK / "db.sqlite3")}}

MEDIA_ROOT = str(WORK / "media")
MEDIA_URL = "/media/"
STATIC_URL = "/static/"
STATIC_ROOT = str(WORK / "static-root")
STATICFILES_DIRS = [str(WORK / "static-extra")]  # files a test may change between two collectstatic runs

IMAGEKIT = {
    "LOCATION": "/media",  # the default storage on Django < 4.2, where STORAGES has no OPTIONS
    "STATIC_LOCATION": "/static",
    "VARIANTS": {
        "thumb": [{"width": 200, "height": 200, "crop": "at_max"}],
        "hero": {"width": 1200, "quality": 80},
        "card": [{"width": 400}, {"rotation": 90}],
    },
    "CLEANUP": ["gallery.Photo"],
}

_MEDIA = "imagekitio.contrib.django.storage.ImageKitStorage"
_STATIC = os.environ.get("DJANGOSITE_STATIC", "imagekitio.contrib.django.staticfiles.ImageKitStaticStorage")
if django.VERSION >= (4, 2):
    STORAGES = {"default": {"BACKEND": _MEDIA, "OPTIONS": {"location": "/media"}},
                "staticfiles": {"BACKEND": _STATIC}}
else:  # Django 3.2 ... 4.1
    DEFAULT_FILE_STORAGE = _MEDIA
    STATICFILES_STORAGE = _STATIC

"""Stand-ins several test modules share: a paging server that counts requests, and the small Django project
(``tests/contrib/djangoproject``) pointed at an emulator."""
import contextlib
import json
import os
import re
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List

import responses

from imagekitio.testing import LocalImageKit


def list_item(i: int, file_id: Any = None) -> Dict[str, Any]:
    """One file of a listing, as the API sends it."""
    return {"type": "file", "fileId": f"id{i}" if file_id is None else file_id, "name": f"{i}.png",
            "filePath": f"/{i}.png"}


def serve_pages(mocked: responses.RequestsMock, pages_for: Callable[[int, int], Any]) -> List[Dict[str, str]]:
    """Answer GET /v1/files with ``pages_for(skip, limit)``; the returned list records each request's query."""
    calls: List[Dict[str, str]] = []

    def answer(request: Any) -> Any:
        query = dict(pair.split("=", 1) for pair in request.url.split("?", 1)[1].split("&"))
        calls.append(query)
        if len(calls) > 50:  # a client that trusts the server would page for ever: fail instead of hanging
            raise RuntimeError("the client kept paging")
        return 200, {"Content-Type": "application/json"}, json.dumps(pages_for(int(query["skip"]),
                                                                               int(query["limit"])))
    mocked.add_callback(responses.GET, re.compile(r"https://api\.imagekit\.io/v1/files.*"), callback=answer)
    return calls


@contextlib.contextmanager
def django_site(**imagekit: Any) -> Iterator[LocalImageKit]:
    """The Django test project (configured here when no other module did) on a fresh emulator, with
    ``IMAGEKIT`` holding its keys and webhook secret plus ``imagekit``."""
    import django
    from django.conf import settings
    from django.test.utils import override_settings
    with LocalImageKit() as server:
        keys = {"PUBLIC_KEY": server.public_key, "PRIVATE_KEY": server.private_key,
                "URL_ENDPOINT": server.url_endpoint, "API_BASE_URL": server.api_base_url,
                "UPLOAD_BASE_URL": server.upload_base_url, "WEBHOOK_SECRET": server.webhook_secret, **imagekit}
        if not settings.configured:
            settings.configure(DEBUG=True, SECRET_KEY="test", USE_TZ=True, ALLOWED_HOSTS=["testserver"],
                               ROOT_URLCONF="tests.contrib.djangoproject.urls",
                               DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
                               INSTALLED_APPS=["django.contrib.contenttypes", "imagekitio.contrib.django",
                                               "tests.contrib.djangoproject"], IMAGEKIT=keys,
                               TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates"}])
            django.setup()
        with override_settings(IMAGEKIT=keys, ROOT_URLCONF="tests.contrib.djangoproject.urls"):
            yield server


ROOT = Path(__file__).resolve().parents[1]


def cli_environment(server: LocalImageKit, tmp_path: Path) -> Dict[str, str]:
    """The environment of an ``imagekitio`` command run against ``server``, with its own config folder and
    this checkout on the path."""
    return {**os.environ, "IMAGEKIT_PUBLIC_KEY": server.public_key, "IMAGEKIT_PRIVATE_KEY": server.private_key,
            "IMAGEKIT_URL_ENDPOINT": server.url_endpoint, "IMAGEKIT_API_BASE_URL": server.api_base_url,
            "IMAGEKIT_UPLOAD_BASE_URL": server.upload_base_url, "IMAGEKIT_CONFIG_DIR": str(tmp_path / "config"),
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}

"""Running the test project: each ``tests/contrib/test_django_*.py`` file of it runs in a Django process
of its own (settings can be configured once per process, and ``test_django.py`` configures others).

In the outer pytest run such a file holds one test, which runs the same file in a child pytest with
``DJANGO_SETTINGS_MODULE`` set and this module as a plugin (its fixtures); there (``inside()``) the real
tests run, against a ``LocalImageKit`` started by the ``site`` fixture. By hand:

    DJANGO_SETTINGS_MODULE=tests.contrib.djangosite.settings python -m pytest -p tests.contrib.djangosite.harness \
        tests/contrib/test_django_static.py
"""
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Iterator, List

import pytest

SETTINGS = "tests.contrib.djangosite.settings"
ROOT = Path(__file__).resolve().parents[3]


def inside() -> bool:
    return os.environ.get("DJANGO_SETTINGS_MODULE") == SETTINGS


def run_own_process(test_file: str) -> None:
    """Run ``test_file``'s tests in a child pytest with the project's settings; fail with its output."""
    pytest.importorskip("django")
    env = dict(os.environ, DJANGO_SETTINGS_MODULE=SETTINGS)
    completed = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", __name__, "-rs",
                                test_file],
                               cwd=str(ROOT), env=env, capture_output=True, text=True, timeout=900)
    print(completed.stdout[-4000:])  # the child's summary shows in the outer run's output on -s or failure
    assert completed.returncode == 0, completed.stdout[-12000:] + completed.stderr[-4000:]


_started: List[object] = []  # one emulator and one setup per process, however many modules import ``site``


@pytest.fixture(scope="session")
def site() -> Iterator[object]:
    """A migrated project wired to a running emulator (the ``IMAGEKIT_*`` environment), in a temporary
    directory (database, MEDIA_ROOT, an extra static dir)."""
    if _started:
        yield _started[0]
        return
    import django
    from django.core.management import call_command

    from imagekitio.testing import LocalImageKit

    work = Path(tempfile.mkdtemp(prefix="djangosite-"))
    (work / "media").mkdir()
    (work / "static-extra").mkdir()
    server = LocalImageKit().start()
    os.environ.update(IMAGEKIT_PUBLIC_KEY=server.public_key, IMAGEKIT_PRIVATE_KEY=server.private_key,
                      IMAGEKIT_URL_ENDPOINT=server.url_endpoint, IMAGEKIT_API_BASE_URL=server.api_base_url,
                      IMAGEKIT_UPLOAD_BASE_URL=server.upload_base_url, DJANGOSITE_DIR=str(work))
    django.setup()
    call_command("migrate", verbosity=0)
    _started.append(server)
    yield server  # stopped with the process


@pytest.fixture
def fresh(site: object) -> Iterator[object]:
    """The emulator and the database emptied before a test."""
    from django.core.management import call_command
    site.reset()  # type: ignore[attr-defined]
    call_command("flush", interactive=False, verbosity=0)
    yield site


def uploads(server: object) -> int:
    """How many uploads the emulator has answered so far."""
    return sum(1 for method, path in list(server.requests)  # type: ignore[attr-defined]
               if method == "POST" and path.startswith("/api/v1/files/upload"))


@pytest.fixture
def live_server(site: object) -> Iterator[str]:
    """The project served over HTTP on a free loopback port (what the browser talks to)."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), Quiet)
    server.set_app(WSGIHandler())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield f"http://{host}:{port}"
    finally:
        server.shutdown()
        server.server_close()

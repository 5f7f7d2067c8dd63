import time

import pytest

from imagekitio.constants.url import URL

API_KEYS = dict(public_key="public_test_key", private_key="private_test_key",
                url_endpoint="https://ik.imagekit.io/demo_id")


@pytest.fixture(autouse=True)
def _restore_base_urls():
    """Tests may point the SDK elsewhere; every test starts from the real base URLs."""
    saved = URL.API_BASE_URL, URL.UPLOAD_BASE_URL
    yield
    URL.API_BASE_URL, URL.UPLOAD_BASE_URL = saved

@pytest.fixture
def sleeps(monkeypatch):
    """Record retry back-off instead of waiting it out."""
    waited = []
    monkeypatch.setattr(time, "sleep", waited.append)
    return waited


pytest_plugins = ["imagekitio.testing.pytest_plugin"]
SAMPLE_PNG = __import__("pathlib").Path(__file__).parent / "conformance" / "files" / "sample.png"
from tests.browser import chromium  # noqa: E402,F401 - the headless-browser fixture for page tests

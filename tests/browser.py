"""A real headless Chromium (Debian's ``chromium`` and ``chromium-driver``) driven by Selenium, for the
tests of pages: the emulator's media library and the Django upload widget.

Where the browser is missing the tests that need it are skipped with the install command, except under
``CI=true`` (or ``IMAGEKIT_REQUIRE_BROWSER=1``), where a missing browser fails them: CI installs it.
"""
import os
import shutil
import tempfile
from typing import Iterator

import pytest

CHROMIUM = os.environ.get("IMAGEKIT_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("IMAGEKIT_CHROMEDRIVER", "/usr/bin/chromedriver")
INSTALL = "apt-get install chromium chromium-driver"


def _required() -> bool:
    return os.environ.get("CI") == "true" or os.environ.get("IMAGEKIT_REQUIRE_BROWSER") == "1"


def browser_missing() -> str:
    """Why no browser can run here ("" when one can)."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install '.[test]')"
    for path in (CHROMIUM, CHROMEDRIVER):
        if not (os.path.exists(path) or shutil.which(path)):
            return f"{path} is missing ({INSTALL})"
    return ""


@pytest.fixture
def chromium() -> Iterator["object"]:
    """A headless Chromium WebDriver, closed after the test."""
    missing = browser_missing()
    if missing:
        if _required():
            pytest.fail(f"a browser test cannot run: {missing}")
        pytest.skip(missing)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="ik-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--window-size=1280,900", f"--user-data-dir={profile}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)

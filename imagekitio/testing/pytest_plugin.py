"""pytest fixtures for the emulator. Enable them in a ``conftest.py`` with::

    pytest_plugins = ["imagekitio.testing.pytest_plugin"]

``local_imagekit`` is a running :class:`LocalImageKit` (fresh per test); ``imagekit`` is an
``ImageKit`` client wired to it.
"""
from typing import TYPE_CHECKING, Iterator

import pytest

from .server import LocalImageKit

if TYPE_CHECKING:
    from imagekitio import ImageKit


@pytest.fixture
def local_imagekit() -> Iterator[LocalImageKit]:
    with LocalImageKit() as server:
        yield server


@pytest.fixture
def imagekit(local_imagekit: LocalImageKit) -> Iterator["ImageKit"]:
    with local_imagekit.client() as client:
        yield client

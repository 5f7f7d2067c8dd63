"""``imagekitio.testing``: a local ImageKit emulator for offline development and tests.

    from imagekitio.testing import LocalImageKit

    with LocalImageKit() as server:
        ik = server.client()            # an ImageKit wired to the emulator
        ik.upload_file(b"...", "a.png")

Run it standalone with ``python -m imagekitio.testing --port 8080``.
"""
from .search import SearchQueryError, compile_query
from .server import DEFAULT_PRIVATE_KEY, DEFAULT_PUBLIC_KEY, Fault, LocalImageKit

__all__ = ["LocalImageKit", "Fault", "compile_query", "SearchQueryError", "DEFAULT_PUBLIC_KEY",
           "DEFAULT_PRIVATE_KEY"]

from imagekitio.results import VersionInfo  # noqa: F401  (4.x import path)

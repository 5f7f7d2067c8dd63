"""Request option classes. ``from imagekitio.models import UploadFileRequestOptions`` gives the class."""
from .._compat import keep_classes_over_submodules
from ..options import *  # noqa: F401,F403
from ..options import __all__  # noqa: F401

from . import results  # noqa: F401,E402  (4.x: imagekitio.models.results is a package attribute)

keep_classes_over_submodules(__name__)

"""Request option classes. ``from imagekitio.models import UploadFileRequestOptions`` gives the class."""
from .._compat import keep_classes_over_submodules
from ..options import *  # noqa: F401,F403
from ..options import __all__  # noqa: F401

keep_classes_over_submodules(__name__)

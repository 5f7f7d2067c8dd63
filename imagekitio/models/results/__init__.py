"""Result classes. ``from imagekitio.models.results import FileResult`` gives the class."""
from ..._compat import keep_classes_over_submodules
from ...results import *  # noqa: F401,F403
from ...results import __all__  # noqa: F401

keep_classes_over_submodules(__name__)

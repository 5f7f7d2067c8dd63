"""Support for the 4.x per-class module paths (``imagekitio.models.UploadFileRequestOptions``...).

4.x has a module per class, so ``from imagekitio.models import X`` gave the module, not the class.
Importing a submodule makes Python set it as an attribute of its package, which would hide the class
of the same name; packages set up here keep the class instead, while
``from imagekitio.models.X import X`` still finds the module in ``sys.modules``.
"""
import sys
import types


class _ClassFirstPackage(types.ModuleType):
    def __setattr__(self, name: str, value: object) -> None:
        if isinstance(value, types.ModuleType) and isinstance(self.__dict__.get(name), type):
            return
        super().__setattr__(name, value)


def keep_classes_over_submodules(package_name: str) -> None:
    sys.modules[package_name].__class__ = _ClassFirstPackage

"""Every name a 4.x module made importable (tests/conformance/namespaces.json) is importable from the same
module here, and is the project's own object for it, not a look-alike."""
import importlib
import inspect
import json
import subprocess
import sys
import types
from pathlib import Path

import pytest

import imagekitio
from imagekitio import exceptions, options, results
from imagekitio.utils import formatter, utils

NAMESPACES = json.loads((Path(__file__).parent / "conformance" / "namespaces.json").read_text())
PAIRS = [(module, name) for module, names in NAMESPACES.items() for name in names]

# Where each re-exported name really lives.
HOMES = {**{n: options for n in options.__all__}, **{n: results for n in results.__all__},
         **{n: exceptions for n in exceptions.__all__}}


def test_the_file_lists_all_287_names():
    assert len(PAIRS) == 287


@pytest.mark.parametrize("module,name", PAIRS, ids=[f"{m}:{n}" for m, n in PAIRS])
def test_name_is_importable_from_its_4x_module(module, name):
    namespace = {}
    exec(f"from {module} import {name}", namespace)  # the statement user code writes
    value = namespace[name]
    submodule = sys.modules.get(f"{module}.{name}")
    if isinstance(value, types.ModuleType):
        assert value is submodule
    elif name in HOMES:
        assert value is getattr(HOMES[name], name)
    elif inspect.isfunction(value) and value.__module__.startswith("imagekitio."):
        assert value is getattr(importlib.import_module(value.__module__), name)


def test_submodules_are_package_attributes_in_a_fresh_interpreter():
    """`import imagekitio` alone gives `imagekitio.models.results...` and `imagekitio.constants.files`."""
    packages = [m for m in NAMESPACES if m.count(".") <= 1]
    script = "import imagekitio, functools\n" + "\n".join(
        f"assert hasattr(functools.reduce(getattr, {m.split('.')[1:]!r}, imagekitio), {n!r}), {m + '.' + n!r}"
        for m in packages for n in NAMESPACES[m])
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=Path(imagekitio.__file__).parent.parent)
    assert done.returncode == 0, done.stderr


def test_quickstart_imports():
    from imagekitio.models.CustomMetadataFieldsSchema import CustomMetaDataTypeEnum, CustomMetadataFieldsSchema
    from imagekitio.client import ImageKit, UpdateFileRequestOptions
    assert CustomMetaDataTypeEnum.Number.value == 3
    assert CustomMetadataFieldsSchema(type=CustomMetaDataTypeEnum.Number).type == "Number"
    assert ImageKit is imagekitio.ImageKit and UpdateFileRequestOptions is options.UpdateFileRequestOptions


def test_file_helpers_keep_their_4x_signatures():
    import imagekitio.file as file_module
    assert file_module.request_formatter is formatter.request_formatter
    assert file_module.request_formatter({"file_path": 1}) == {"filePath": 1}
    for name in ("get_response_json", "populate_response_metadata", "general_api_throw_exception",
                 "throw_other_exception", "convert_to_response_metadata_result_object"):
        assert list(inspect.signature(getattr(file_module, name)).parameters) == ["response"]
    assert list(inspect.signature(file_module.convert_to_response_object).parameters) == [
        "response", "response_object"]
    assert file_module.convert_to_list_response_object is utils.convert_to_list_response_object


# Import paths the README documents beyond 4.x (each must keep working as documented).
DOCUMENTED = [
    ("imagekitio", ["ImageKit", "__version__"]),
    ("imagekitio.exceptions", ["ImageKitException", "ImageKitTimeoutError", "ImageKitConnectionError",
                               "ClientClosedError", "WebhookVerificationError"]),
    ("imagekitio.resource", ["ImageKitTimeoutError", "ImageKitConnectionError", "RetryPolicy", "Idempotency",
                             "default_deadline"]),
    ("imagekitio.options", ["OriginRequestOptions", "URLEndpointRequestOptions", "WebhookRequestOptions",
                            "SavedExtensionRequestOptions", "NamedTransformationRequestOptions",
                            "RenameFolderRequestOptions"]),
    ("imagekitio.results", ["ListResult", "SavedExtension", "NamedTransformation", "Origin", "URLEndpoint",
                            "Webhook", "Usage", "UsageAnalytics"]),
    ("imagekitio.webhooks", ["WebhookEvent", "EventData", "EVENT_TYPES", "verify_webhook_event"]),
    ("imagekitio.testing", ["LocalImageKit", "Fault"]),
    ("imagekitio.testing.pytest_plugin", ["local_imagekit", "imagekit"]),
    ("imagekitio.responses", ["exception_for", "get_response_json"]),
    ("imagekitio.contrib.django.storage", ["ImageKitStorage"]),
    ("imagekitio.contrib.django.views", ["auth_parameters", "webhook"]),
    ("imagekitio.contrib.flask", ["ImageKit"]),
    ("imagekitio.cli", ["main"]),
]


@pytest.mark.parametrize("module,names", DOCUMENTED, ids=[m for m, _ in DOCUMENTED])
def test_documented_paths_beyond_4x(module, names):
    imported = importlib.import_module(module)
    for name in names:
        assert hasattr(imported, name), f"{module}.{name}"

"""Key-case conversions between the API's camelCase and Python's snake_case."""
import re
from typing import Any, Dict

_FIRST_CAP = re.compile(r"(.)([A-Z][a-z]+)")
_ALL_CAP = re.compile(r"([a-z0-9])([A-Z])")


def camel_to_snake(name: str) -> str:
    """``"fileId"`` -> ``"file_id"``, ``"AITags"`` -> ``"ai_tags"``, ``"GPSVersionID"`` -> ``"gps_version_id"``."""
    return _ALL_CAP.sub(r"\1_\2", _FIRST_CAP.sub(r"\1_\2", name)).lower()


def snake_to_lower_camel(word: str) -> str:
    """``"use_unique_file_name"`` -> ``"useUniqueFileName"``."""
    first, *rest = word.split("_")
    return first + "".join(part.title() for part in rest)


def request_formatter(data: Dict[str, Any]) -> Dict[str, Any]:
    """Return ``data`` with its top-level keys in lowerCamelCase, as the API expects them."""
    return {snake_to_lower_camel(key): value for key, value in data.items()}


def camel_dict_to_snake_dict(data: Dict[str, Any]) -> Dict[str, Any]:
    """Return ``data`` with its top-level keys in snake_case."""
    return {camel_to_snake(key): value for key, value in data.items()}


def flatten_dict(data: Dict[str, Any]) -> Dict[str, Any]:
    """Merge one level of nested dicts into their parent: ``{"a": {"b": 1}}`` -> ``{"b": 1}``."""
    flat = {}
    for key, value in data.items():
        if isinstance(value, dict):
            flat.update(value)
        else:
            flat[key] = value
    return flat

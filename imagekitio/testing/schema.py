"""Custom metadata fields in the emulator: which schemas are valid, and which values fit a schema."""
from datetime import datetime
from typing import Any, Dict, Optional

from .errors import ApiError

FIELD_TYPES = ("Text", "Textarea", "Number", "Date", "Boolean", "SingleSelect", "MultiSelect")


def checked_values(live: Dict[str, Dict[str, Any]], values: Any, require: bool) -> Dict[str, Any]:
    """``values`` (a file's customMetadata) checked against the ``live`` fields by name; required fields
    left out take their default (when ``require``), or 400."""
    if values is None:
        values = {}
    if not isinstance(values, dict):
        raise ApiError(400, "customMetadata must be a JSON object.")
    for name, value in values.items():
        field = live.get(name)
        if field is None:
            raise ApiError(400, f"Invalid custom metadata: field {name!r} does not exist.")
        problem = value_problem(field["schema"], value)
        if problem:
            raise ApiError(400, f"Invalid value for custom metadata field {name!r}: {problem}.")
    if require:
        for name, field in live.items():
            if field["schema"].get("isValueRequired") and name not in values:
                if "defaultValue" not in field["schema"]:
                    raise ApiError(400, f"Custom metadata field {name!r} requires a value.")
                values[name] = field["schema"]["defaultValue"]
    return values


def definition_problem(schema: Dict[str, Any], creating: bool) -> Optional[str]:
    kind = schema.get("type")
    if kind not in FIELD_TYPES:
        return f"schema.type must be one of {', '.join(FIELD_TYPES)}."
    if kind in ("SingleSelect", "MultiSelect") and not schema.get("selectOptions"):
        return "selectOptions are required for SingleSelect and MultiSelect fields."
    for low, high in (("minValue", "maxValue"), ("minLength", "maxLength")):
        if schema.get(low) is not None and schema.get(high) is not None and schema[low] > schema[high]:
            return f"{low} must not be greater than {high}."
    if "defaultValue" in schema:
        problem = value_problem(schema, schema["defaultValue"])
        if problem:
            return f"defaultValue is invalid: {problem}."
    if schema.get("isValueRequired") and "defaultValue" not in schema and creating:
        return "A required field needs a defaultValue."
    return None


def value_problem(schema: Dict[str, Any], value: Any) -> Optional[str]:
    kind = schema.get("type")
    if kind in ("Text", "Textarea"):
        if not isinstance(value, str):
            return "expected a string"
        measure: Any = len(value)
    elif kind == "Number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return "expected a number"
        measure = value
    elif kind == "Date":
        try:
            datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            return "expected an ISO 8601 date"
        measure = str(value)
    elif kind == "Boolean":
        return None if isinstance(value, bool) else "expected true or false"
    elif kind == "SingleSelect":
        return None if value in schema.get("selectOptions", []) else "not one of selectOptions"
    elif kind == "MultiSelect":
        options = schema.get("selectOptions", [])
        ok = isinstance(value, list) and all(v in options for v in value)
        return None if ok else "expected an array of selectOptions"
    else:
        return None
    if kind in ("Text", "Textarea"):
        if schema.get("minLength") is not None and measure < schema["minLength"]:
            return f"shorter than minLength {schema['minLength']}"
        if schema.get("maxLength") is not None and measure > schema["maxLength"]:
            return f"longer than maxLength {schema['maxLength']}"
    else:
        if schema.get("minValue") is not None and measure < schema["minValue"]:
            return f"less than minValue {schema['minValue']}"
        if schema.get("maxValue") is not None and measure > schema["maxValue"]:
            return f"greater than maxValue {schema['maxValue']}"
    return None

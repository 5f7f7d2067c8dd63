"""The base of the 5.x result types (``imagekitio.types``): wire data in, typed attributes out, no pydantic.

A model class declares its fields once, as class annotations: with ``from __future__ import annotations``
they are the annotation texts this module parses, and what a user's type checker reads. ``_ALIASES`` lists
only the fields whose wire name differs from the Python name. Parsing is lenient, as the 5.x SDK's is: a
value that cannot be converted to its declared type is kept as sent, a missing field reads as ``None``, and
fields the API adds later are kept (``model_extra``) and readable as attributes under their wire name.
"""
import datetime
import importlib
import json
import re
import sys
from typing import TYPE_CHECKING, Any, ClassVar, Dict, List, NamedTuple, Optional, Tuple

__all__ = ["BaseModel", "FieldInfo", "construct", "parse_annotation"]


class FieldInfo(NamedTuple):
    """One declared field: its wire name (``alias``, None when it is the Python name) and annotation text."""
    alias: Optional[str]
    annotation: str


# --------------------------------------------------------------------------- annotation text -> plan
# A plan is a small tuple tree: ("str",) ("int",) ("float",) ("bool",) ("datetime",) ("date",) ("any",)
# ("none",) ("lit", values) ("list", plan) ("dict", plan) ("union", plans) ("model", class).
Plan = Tuple[Any, ...]
# Python 3.8 keeps a subscript's tuple in parentheses (``Literal[('a', 'b')]``); they carry no meaning here.
_TOKEN = re.compile(r"\s*(?:(?P<name>[A-Za-z_][\w.]*)|(?P<str>'[^']*'|\"[^\"]*\")|(?P<num>-?\d+)|(?P<punct>[\[\],])"
                    r"|(?P<paren>[()]))")
_SCALARS = {"str": ("str",), "int": ("int",), "float": ("float",), "bool": ("bool",), "datetime": ("datetime",),
            "date": ("date",), "object": ("any",), "Any": ("any",), "None": ("none",), "NoneType": ("none",)}


def _tokens(text: str) -> List[str]:
    out, pos = [], 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            if text[pos:].strip() == "":
                break
            raise ValueError(f"cannot read annotation {text!r} at {pos}")
        if match.lastgroup != "paren":
            out.append(match.group(match.lastgroup or "name"))
        pos = match.end()
    return out


def parse_annotation(text: str, owner: type) -> Plan:
    """The conversion plan for an annotation text, resolving class names from ``owner``'s module."""
    tokens = _tokens(text)
    plan, end = _parse(tokens, 0, owner)
    return plan


def _parse(tokens: List[str], pos: int, owner: type) -> Tuple[Plan, int]:
    name = tokens[pos]
    pos += 1
    args: List[Any] = []
    if pos < len(tokens) and tokens[pos] == "[":
        pos += 1
        while tokens[pos] != "]":
            if name == "Literal":
                word = tokens[pos]
                args.append(word[1:-1] if word[0] in "'\"" else (True if word == "True" else
                                                                  False if word == "False" else int(word)))
                pos += 1
            else:
                arg, pos = _parse(tokens, pos, owner)
                args.append(arg)
            if tokens[pos] == ",":
                pos += 1
        pos += 1
    if name == "Literal":
        return ("lit", tuple(args)), pos
    if name in ("List", "Sequence", "Iterable", "list"):
        return ("list", args[0] if args else ("any",)), pos
    if name in ("Dict", "Mapping", "dict"):
        return ("dict", args[1] if len(args) > 1 else ("any",)), pos
    if name == "Optional":
        return ("union", (args[0], ("none",))), pos
    if name == "Union":
        return ("union", tuple(args)), pos
    if name in _SCALARS:
        return _SCALARS[name], pos
    return ("model", _resolve(name, owner)), pos


def _resolve(name: str, owner: type) -> Any:
    # The owner's module first: a model reused by a bodyless subclass elsewhere (beta.v2's
    # FileUploadResponse) then gets that module's nested classes; then the modules its fields came from.
    found = None
    for klass in owner.__mro__[:-1]:
        found = getattr(sys.modules[klass.__module__], name, None)
        if found is not None:
            break
    # Names a module imports only for type checkers: each class lists where its own fields' names live.
    for klass in owner.__mro__[:-1] if found is None else ():
        where = klass.__dict__.get("_REFS", {}).get(name)
        if where is not None:
            found = getattr(importlib.import_module(where), name)
            break
    if isinstance(found, type) and issubclass(found, BaseModel):
        return found
    return None  # an alias or a name 5.x does not parse further: kept as sent


# --------------------------------------------------------------------------- conversion
_MISSING = object()
_FRACTION = re.compile(r"(\.\d+)")


def _datetime(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.datetime.fromtimestamp(value, datetime.timezone.utc)
    if not isinstance(value, str):
        return _MISSING
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    # fromisoformat before 3.11 takes only 3 or 6 fraction digits
    text = _FRACTION.sub(lambda m: (m.group(1) + "000000")[:7], text, count=1)
    try:
        return datetime.datetime.fromisoformat(text)
    except ValueError:
        return _MISSING


def _date(value: Any) -> Any:
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            return _MISSING
    return _MISSING


def _convert(plan: Plan, value: Any, strict: bool = False, dup: bool = True) -> Any:
    """``value`` converted per ``plan``, or ``_MISSING`` when it cannot be."""
    kind = plan[0]
    if kind == "any":
        return value
    if kind == "none":
        return None if value is None else _MISSING
    if kind == "str":
        return value if isinstance(value, str) else _MISSING
    if kind == "int":
        if isinstance(value, bool):
            return _MISSING
        if isinstance(value, int):
            return value
        if strict:
            return _MISSING
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str):
            try:
                return int(value.strip())
            except ValueError:
                return _MISSING
        return _MISSING
    if kind == "float":
        if isinstance(value, bool):
            return _MISSING
        if isinstance(value, (int, float)):
            return float(value)
        if isinstance(value, str) and not strict:
            try:
                return float(value.strip())
            except ValueError:
                return _MISSING
        return _MISSING
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if strict:
            return _MISSING
        if isinstance(value, str) and value in ("true", "false"):
            return value == "true"
        return _MISSING
    if kind == "datetime":
        return _MISSING if strict and not isinstance(value, str) else _datetime(value)
    if kind == "date":
        return _date(value)
    if kind == "lit":
        return value if value in plan[1] and type(value) in {type(v) for v in plan[1]} else _MISSING
    if kind == "list":
        if not isinstance(value, (list, tuple)):
            return _MISSING
        return [_keep(plan[1], item, dup) for item in value]
    if kind == "dict":
        if not isinstance(value, dict):
            return _MISSING
        return {key: _keep(plan[1], item, dup) for key, item in value.items()}
    if kind == "model":
        cls = plan[1]
        if cls is None:
            return value
        return cls._from_wire(value, dup) if isinstance(value, dict) else _MISSING
    if kind == "union":
        return _union(plan[1], value)
    return _MISSING


def _keep(plan: Plan, value: Any, dup: bool = True) -> Any:
    converted = _convert(plan, value, False, dup)
    return value if converted is _MISSING else converted


def _union(members: Tuple[Plan, ...], value: Any) -> Any:
    if value is None:
        return None if any(m[0] == "none" for m in members) else _MISSING
    models = [m[1] for m in members if m[0] == "model" and m[1] is not None]
    if isinstance(value, dict) and models:
        return _discriminated(models, value)
    for strict in (True, False):
        for member in members:
            converted = _convert(member, value, strict, False)
            if converted is not _MISSING:
                return converted
    return _MISSING


def _discriminated(models: List[Any], value: Dict[str, Any]) -> Any:
    """The member whose literal discriminator (``type``, ``name``...) matches; without the key, the first.

    An unknown discriminator value is deliberately not given another member's class (5.11 does that):
    it becomes the members' common base class when they share one, else a plain ``BaseModel``; either
    way every field stays readable.
    """
    key = _discriminator(models)
    if key is None or key not in value:
        return models[0]._from_wire(value, False)
    for cls in models:
        plan = cls._plans().get(key)
        if plan is not None and _convert(plan, value[key], True) is not _MISSING:
            return cls._from_wire(value, False)
    return _common_base(models)._from_wire(value, False)


def _discriminator(models: List[Any]) -> Optional[str]:
    for name in models[0].model_fields:
        plans = [cls._plans().get(name) for cls in models]
        if all(plan is not None and _literal(plan) for plan in plans):
            return str(name)
    return None


def _literal(plan: Plan) -> bool:
    if plan[0] == "lit":
        return True
    return plan[0] == "union" and all(m[0] in ("lit", "none") for m in plan[1]) and \
        any(m[0] == "lit" for m in plan[1])


def _common_base(models: List[Any]) -> Any:
    for base in models[0].__mro__[1:]:
        if base is not BaseModel and issubclass(base, BaseModel) and all(issubclass(cls, base) for cls in models):
            return base
    return BaseModel


# --------------------------------------------------------------------------- the base class
class BaseModel:
    """A 5.x result: typed attributes, unknown fields kept, and ``to_dict`` / ``to_json`` / ``model_dump``."""

    _ALIASES: ClassVar[Dict[str, str]] = {}
    _REFS: ClassVar[Dict[str, str]] = {}
    model_fields: ClassVar[Dict[str, FieldInfo]] = {}
    _plan_cache: ClassVar[Optional[Dict[str, Plan]]] = None

    model_extra: Optional[Dict[str, Any]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # Base classes' fields first; a field a subclass declares again keeps its place (as pydantic does).
        fields: Dict[str, FieldInfo] = {}
        for klass in reversed(cls.__mro__[:-1]):
            if klass is BaseModel or not issubclass(klass, BaseModel):
                continue
            aliases = klass.__dict__.get("_ALIASES", {})
            for name, text in klass.__dict__.get("__annotations__", {}).items():
                if isinstance(text, str) and not text.startswith("ClassVar"):
                    fields[name] = FieldInfo(aliases.get(name), text)
        cls.model_fields = fields
        cls._plan_cache = None

    def __init__(self, **data: Any) -> None:
        """Build from keyword arguments (Python or wire names), converting as a response is."""
        wire = {}
        for key, value in data.items():
            info = type(self).model_fields.get(key)
            wire[info.alias or key if info is not None else key] = value
        self._load(wire)

    @classmethod
    def _plans(cls) -> Dict[str, Plan]:
        plans = cls.__dict__.get("_plan_cache")
        if plans is None:
            plans = {name: parse_annotation(info.annotation, cls) for name, info in cls.model_fields.items()}
            cls._plan_cache = plans
        return plans

    @classmethod
    def _from_wire(cls, data: Dict[str, Any], dup: bool = True) -> Any:
        model = cls.__new__(cls)
        model._load(data, dup)
        return model

    @classmethod
    def model_validate(cls, data: Dict[str, Any]) -> Any:
        """The model for ``data``, a dict as the API sends it."""
        return cls._from_wire(data)

    construct = model_construct = model_validate

    def _load(self, data: Dict[str, Any], dup: bool = True) -> None:
        fields = type(self).model_fields
        plans = type(self)._plans()
        by_wire = {info.alias or name: name for name, info in fields.items()}
        values: Dict[str, Any] = {name: None for name in fields}
        given: List[str] = []
        extra: Dict[str, Any] = {}
        for key, raw in data.items():
            name = by_wire.get(key)
            if name is None:
                extra[key] = raw
                continue
            values[name] = _keep(plans[name], raw, dup)
            given.append(name)
        state = self.__dict__
        state.update(values)
        state["_wire"] = dict(data)
        state["_given"] = given
        state["model_extra"] = extra
        # 5.x shows a wire-named field's value as sent in to_dict(), except in models it chose from a union.
        state["_as_sent"] = dup

    if not TYPE_CHECKING:
        def __getattr__(self, name: str) -> Any:
            extra = self.__dict__.get("model_extra")
            if extra is not None and name in extra:
                return extra[name]
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    @property
    def model_fields_set(self) -> set:  # type: ignore[type-arg]
        return set(self.__dict__.get("_given", ()))

    # ---- serialisation
    def to_dict(self, *, mode: str = "python", use_api_names: bool = True, exclude_unset: bool = True,
                exclude_defaults: bool = False, exclude_none: bool = False,
                warnings: bool = True) -> Dict[str, Any]:
        """The data as a dict: wire names (``use_api_names``), only the fields the server sent
        (``exclude_unset``), and unknown fields too. As in 5.x, a field whose wire name differs from its
        Python name shows the value as sent; ``mode="json"`` makes every value JSON-ready."""
        out: Dict[str, Any] = {}
        fields = type(self).model_fields
        wire = self.__dict__.get("_wire", {}) if self.__dict__.get("_as_sent") else {}
        names = self.__dict__.get("_given", []) if exclude_unset else list(fields)
        for name in names:
            info = fields[name]
            value = self.__dict__.get(name)
            if exclude_none and value is None:
                continue
            key = info.alias or name if use_api_names else name
            if info.alias and use_api_names and info.alias in wire:
                out[key] = _dump(wire[info.alias], mode, use_api_names, exclude_unset, exclude_none)
            else:
                out[key] = _dump(value, mode, use_api_names, exclude_unset, exclude_none)
            if info.alias and not use_api_names and info.alias in wire:
                out[info.alias] = _dump(wire[info.alias], mode, use_api_names, exclude_unset, exclude_none)
        for key, value in (self.__dict__.get("model_extra") or {}).items():
            out[key] = _dump(value, mode, use_api_names, exclude_unset, exclude_none)
        return out

    def to_json(self, *, indent: Optional[int] = 2, use_api_names: bool = True, exclude_unset: bool = True,
                exclude_defaults: bool = False, exclude_none: bool = False, warnings: bool = True) -> str:
        """:meth:`to_dict` in JSON mode, as JSON text."""
        return json.dumps(self.to_dict(mode="json", use_api_names=use_api_names, exclude_unset=exclude_unset,
                                       exclude_none=exclude_none), indent=indent, ensure_ascii=False)

    def model_dump(self, *, mode: str = "python", by_alias: bool = False, exclude_unset: bool = False,
                   exclude_none: bool = False, **_: Any) -> Dict[str, Any]:
        """As pydantic's ``model_dump``: every declared field (Python names unless ``by_alias``) and the
        unknown fields."""
        return self.to_dict(mode=mode, use_api_names=by_alias, exclude_unset=exclude_unset,
                            exclude_none=exclude_none)

    def model_dump_json(self, *, indent: Optional[int] = None, by_alias: bool = False,
                        exclude_unset: bool = False, exclude_none: bool = False, **_: Any) -> str:
        return json.dumps(self.model_dump(mode="json", by_alias=by_alias, exclude_unset=exclude_unset,
                                          exclude_none=exclude_none), indent=indent, ensure_ascii=False)

    def __repr__(self) -> str:
        parts = [f"{name}={self.__dict__.get(name)!r}" for name in type(self).model_fields]
        parts += [f"{key}={value!r}" for key, value in (self.__dict__.get("model_extra") or {}).items()]
        return f"{type(self).__name__}({', '.join(parts)})"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.to_dict(use_api_names=False, exclude_unset=False) == \
            other.to_dict(use_api_names=False, exclude_unset=False)

    __hash__ = None  # type: ignore[assignment]


def _dump(value: Any, mode: str, use_api_names: bool, exclude_unset: bool, exclude_none: bool) -> Any:
    if isinstance(value, BaseModel):
        return value.to_dict(mode=mode, use_api_names=use_api_names, exclude_unset=exclude_unset,
                             exclude_none=exclude_none)
    if isinstance(value, (list, tuple)):
        return [_dump(item, mode, use_api_names, exclude_unset, exclude_none) for item in value]
    if isinstance(value, dict):
        return {key: _dump(item, mode, use_api_names, exclude_unset, exclude_none) for key, item in value.items()}
    if mode == "json" and isinstance(value, (datetime.datetime, datetime.date)):
        text = value.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    return value


def construct(plan_text: str, owner: type, value: Any) -> Any:
    """``value`` (parsed JSON) as the result type written ``plan_text``, names resolved in ``owner``'s module."""
    return _keep(parse_annotation(plan_text, owner), value)

"""The one base of option and result classes: fields declared as class annotations, bound from positional
and keyword arguments in that order, and shown by ``repr``. Instances compare by identity and are
hashable, as every 4.x option and result object was (sets, dict keys and ``lru_cache`` over them work);
compare ``vars()`` to compare contents."""
from typing import Any, ClassVar, Dict, Tuple


class Model:
    """A class whose fields are its annotations (in order, parents' first).

    ``_fields`` is derived from them, so a class declares each field once, with its type, and a type checker
    sees ``result.file_id`` as ``str``. Fields are instance attributes; a field never set is absent (what
    reading it gives is the subclass's business).
    """

    _fields: ClassVar[Tuple[str, ...]] = ()
    # Attributes repr() leaves out.
    _not_shown: ClassVar[Tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = [name for name in cls.__dict__.get("__annotations__", {})
               if not name.startswith("_") and name != "response_metadata"]
        inherited = tuple(cls._fields)
        cls._fields = inherited + tuple(name for name in own if name not in inherited)

    @classmethod
    def _bind(cls, args: Tuple[Any, ...], kwargs: Dict[str, Any], extra_allowed: bool) -> Dict[str, Any]:
        """The values given, by field name: positional ones in field order, then keywords."""
        if len(args) > len(cls._fields):
            raise TypeError(f"{cls.__name__} takes at most {len(cls._fields)} positional arguments")
        values = dict(zip(cls._fields, args))
        for key, value in kwargs.items():
            if key in values:
                raise TypeError(f"{cls.__name__} got multiple values for argument {key!r}")
            if not extra_allowed and key not in cls._fields:
                raise TypeError(f"{cls.__name__} got an unexpected keyword argument {key!r}")
            values[key] = value
        return values

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in vars(self).items()
                          if k not in self._not_shown and not k.startswith("_"))
        return f"{type(self).__name__}({shown})"

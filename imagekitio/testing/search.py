"""A parser and evaluator for ImageKit's ``searchQuery`` language.

    name = "red-dress.jpg"          tags IN ["summer", "sale"]      size > '2mb'
    createdAt >= '2d' AND (format = 'png' OR format = 'jpg')        type = "file"

Comparisons: ``=``, ``:`` (string contains, case-insensitive), ``!=``, ``<``, ``<=``, ``>``, ``>=``,
``IN [...]`` and ``NOT IN [...]``; combined with ``AND`` / ``OR`` (AND binds tighter) and
parentheses. Sizes accept ``kb``/``mb``/``gb`` suffixes; dates accept ISO 8601 or a relative age
(``'30m'``, ``'6h'``, ``'2d'``, ``'1w'``, ``'3M'``, ``'1y'``) meaning "that long ago".
"""
import re
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple

Predicate = Callable[[Dict[str, Any]], bool]


class SearchQueryError(ValueError):
    """The query does not parse; the message says where."""


_TOKEN = re.compile(r"""\s*(?:
    (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
  | (?P<op><=|>=|!=|=|:|<|>)
  | (?P<punct>[()\[\],])
  | (?P<word>[A-Za-z0-9_.\-+]+)
)""", re.VERBOSE)

_SIZE_UNITS = {"b": 1, "kb": 1024, "mb": 1024 ** 2, "gb": 1024 ** 3}
_AGE_UNITS = {"s": timedelta(seconds=1), "m": timedelta(minutes=1), "h": timedelta(hours=1),
              "d": timedelta(days=1), "w": timedelta(weeks=1), "M": timedelta(days=30), "y": timedelta(days=365)}
_DATE_FIELDS = {"createdAt", "updatedAt"}
_NUMBER_FIELDS = {"size", "height", "width"}
_KEYWORDS = {"AND", "OR", "IN", "NOT"}
MAX_NESTING = 50


def _tokens(text: str) -> List[Tuple[str, Any]]:
    tokens, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise SearchQueryError(f"Invalid search query near {text[pos:pos + 20]!r} (position {pos})")
        pos = match.end()
        kind = match.lastgroup or ""
        value: Any = match.group(kind)
        if kind == "string":
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        elif kind == "word" and value.upper() in _KEYWORDS:
            kind, value = "keyword", value.upper()
        tokens.append((kind, value))
    return tokens


class _Parser:
    def __init__(self, text: str, now: datetime) -> None:
        self.tokens = _tokens(text)
        self.pos = 0
        self.depth = 0
        self.now = now

    def peek(self) -> Tuple[str, Any]:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else ("end", None)

    def take(self, kind: str, value: Any = None) -> Any:
        token = self.peek()
        if token[0] != kind or (value is not None and token[1] != value):
            raise SearchQueryError(f"Invalid search query: expected {value or kind}, found {token[1]!r}")
        self.pos += 1
        return token[1]

    def parse(self) -> Callable[[Dict[str, Any]], bool]:
        if not self.tokens:
            return lambda record: True
        predicate = self.or_expr()
        if self.peek()[0] != "end":
            raise SearchQueryError(f"Invalid search query: unexpected {self.peek()[1]!r}")
        return predicate

    def or_expr(self) -> Predicate:
        return self._joined("OR", self.and_expr, any)

    def and_expr(self) -> Predicate:
        return self._joined("AND", self.primary, all)

    def _joined(self, keyword: str, operand: Callable[[], Predicate],
                combine: Callable[[Iterable[bool]], bool]) -> Predicate:
        """``operand (keyword operand)*``; AND binds tighter than OR because or_expr's operand is and_expr."""
        terms = [operand()]
        while self.peek() == ("keyword", keyword):
            self.pos += 1
            terms.append(operand())
        return terms[0] if len(terms) == 1 else (lambda record: combine(t(record) for t in terms))

    def primary(self) -> Predicate:
        if self.peek() == ("punct", "("):
            self.pos += 1
            self.depth += 1
            if self.depth > MAX_NESTING:  # 5,000 "(" made a RecursionError (a 500) of a query
                raise SearchQueryError(f"Invalid search query: parentheses nest more than {MAX_NESTING} deep")
            inner = self.or_expr()
            self.take("punct", ")")
            self.depth -= 1
            return inner
        # ImageKit's docs quote metadata field names ('"customMetadata.brand" = "Acme"'): a string in
        # field position names the field.
        field = self.take("string") if self.peek()[0] == "string" else self.take("word")
        negate = False
        if self.peek() == ("keyword", "NOT"):
            self.pos += 1
            negate = True
            if self.peek() != ("keyword", "IN"):
                raise SearchQueryError("Invalid search query: NOT must be followed by IN")
        if self.peek() == ("keyword", "IN"):
            self.pos += 1
            values = self.value_list(field)
            test = _in_test(field, values)
            return (lambda r: not test(r)) if negate else test
        op = self.take("op")
        return _comparison(field, op, self.value(field))

    def value_list(self, field: str) -> List[Any]:
        self.take("punct", "[")
        values = []
        while self.peek() != ("punct", "]"):
            values.append(self.value(field))
            if self.peek() == ("punct", ","):
                self.pos += 1
        self.take("punct", "]")
        return values

    def value(self, field: str) -> Any:
        kind, raw = self.peek()
        if kind not in ("string", "word"):
            raise SearchQueryError(f"Invalid search query: expected a value for {field}, found {raw!r}")
        self.pos += 1
        return _coerce(field, raw, kind == "string", self.now)


def _coerce(field: str, raw: str, quoted: bool, now: datetime) -> Any:
    if field in _DATE_FIELDS:
        match = re.fullmatch(r"(\d+)([smhdwMy])", raw)
        if match:
            return now - int(match.group(1)) * _AGE_UNITS[match.group(2)]
        try:
            parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError:
            raise SearchQueryError(f"Invalid date {raw!r} for {field}") from None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
    if field in _NUMBER_FIELDS:
        match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([kmg]?b)?", raw.lower())
        if not match:
            raise SearchQueryError(f"Invalid number {raw!r} for {field}")
        return float(match.group(1)) * _SIZE_UNITS[match.group(2) or "b"]
    if not quoted and raw.lower() in ("true", "false"):
        return raw.lower() == "true"
    if not quoted:
        try:
            return float(raw)
        except ValueError:
            pass
    return raw


def _values(field: str, record: Dict[str, Any]) -> List[Any]:
    """The record's value(s) for ``field`` (tags give a list; customMetadata.x reads inside)."""
    if field.startswith("customMetadata."):
        value = (record.get("customMetadata") or {}).get(field.split(".", 1)[1])
    elif field == "format":
        value = record["name"].rsplit(".", 1)[-1].lower() if "." in record.get("name", "") else ""
    elif field == "private":
        value = record.get("isPrivateFile")
    elif field == "published":
        value = record.get("isPublished")
    elif field in _DATE_FIELDS:
        value = datetime.fromisoformat(record[field].replace("Z", "+00:00")) if record.get(field) else None
    else:
        value = record.get(field)
    if isinstance(value, list):
        return value
    return [] if value is None else [value]


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return a.lower() == b.lower()
    return bool(a == b)


_ORDER = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, ">=": lambda a, b: a >= b}


def _comparison(field: str, op: str, expected: Any) -> Callable[[Dict[str, Any]], bool]:
    def test(record: Dict[str, Any]) -> bool:
        values = _values(field, record)
        if op == "=":
            return any(_equal(v, expected) for v in values)
        if op == "!=":
            return not any(_equal(v, expected) for v in values)
        if op == ":":
            return any(str(expected).lower() in str(v).lower() for v in values)
        try:
            return any(bool(_ORDER[op](v, expected)) for v in values)
        except TypeError:
            return False
    return test


def _in_test(field: str, expected: List[Any]) -> Callable[[Dict[str, Any]], bool]:
    return lambda record: any(_equal(v, e) for v in _values(field, record) for e in expected)


def compile_query(text: str, now: Optional[datetime] = None) -> Callable[[Dict[str, Any]], bool]:
    """A predicate over file records (API JSON shape) for ``text``; raises :class:`SearchQueryError`."""
    return _Parser(text, now or datetime.now(timezone.utc)).parse()

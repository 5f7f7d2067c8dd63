"""Reading requests for the emulator: body framing, JSON and streaming multipart, and file contents.

Everything here treats the request as hostile: lengths are checked before a byte is read, chunked
bodies are decoded (never left on the connection for the next request), multipart is parsed as it
streams in, and file contents beyond :data:`MEMORY_LIMIT` go to a temporary file, not to memory.
"""
import hashlib
import io
import json
import os
import re
import tempfile
import weakref
from typing import Any, Dict, Iterator, List, Optional, Protocol

from .errors import ApiError

# File contents up to this size stay in memory; larger ones are kept in a temporary file.
MEMORY_LIMIT = 8 * 1024 * 1024
# A form field other than the file is text; anything longer than this is not a real parameter.
FIELD_LIMIT = 1024 * 1024
_CHUNK = 64 * 1024
_HEAD = 256 * 1024
_DIGITS = re.compile(rb"[0-9]{1,18}\Z")


class Blob:
    """The bytes of one stored file version: in memory when small, in a temporary file when large.

    Immutable once built, so versions and copies share it; the file is removed when no version
    refers to it any more. Readers open it afresh, so any number may read at once.
    """

    def __init__(self, data: Optional[bytes] = None, path: Optional[str] = None) -> None:
        self._data, self.path = data, path
        digest = hashlib.sha1()  # noqa: S324 - a content fingerprint, not security
        self.size = 0
        self.head = b""  # the first 256 KiB: enough for image headers
        for chunk in self.chunks():
            if len(self.head) < _HEAD:
                self.head += chunk[:_HEAD - len(self.head)]
            digest.update(chunk)
            self.size += len(chunk)
        self.sha1 = digest.hexdigest()
        if path is not None:
            weakref.finalize(self, _remove, path)

    def chunks(self) -> Iterator[bytes]:
        if self._data is not None:
            yield self._data
            return
        with open(str(self.path), "rb") as fh:
            while True:
                chunk = fh.read(_CHUNK)
                if not chunk:
                    return
                yield chunk

    def read(self) -> bytes:
        return self._data if self._data is not None else b"".join(self.chunks())

    @property
    def on_disk(self) -> bool:
        return self.path is not None

    def __len__(self) -> int:
        return self.size


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass


class FileSink:
    """Where an uploaded file's bytes go as they arrive: memory up to :data:`MEMORY_LIMIT`, then a
    temporary file. :meth:`blob` gives the stored form."""

    def __init__(self, limit: int) -> None:
        self._memory: Optional[io.BytesIO] = io.BytesIO()
        self._file: Any = None
        self.size, self.limit = 0, limit

    def write(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.limit:
            raise ApiError(413, f"The file is larger than {self.limit} bytes.")
        if self._memory is not None and self.size > MEMORY_LIMIT:
            self._file = tempfile.NamedTemporaryFile(prefix="imagekit-emulator-", delete=False)
            self._file.write(self._memory.getvalue())
            self._memory = None
        (self._memory if self._memory is not None else self._file).write(data)

    def blob(self) -> Blob:
        if self._memory is not None:
            return Blob(data=self._memory.getvalue())
        self._file.close()
        return Blob(path=self._file.name)

    def discard(self) -> None:
        if self._file is not None:
            self._file.close()
            _remove(self._file.name)


class LimitedSink:
    """A BytesIO-like sink that refuses more than ``limit`` bytes."""

    def __init__(self, limit: int, what: str) -> None:
        self.parts: List[bytes] = []
        self.size = 0
        self.limit = limit
        self.what = what

    def write(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.limit:
            raise ApiError(413, f"{self.what} is larger than {self.limit} bytes.")
        self.parts.append(data)

    def value(self) -> bytes:
        return b"".join(self.parts)


# ---------------------------------------------------------------------- framing
def body_length(headers: Any) -> Optional[int]:
    """The ``Content-Length`` (None when there is none), or 400 for anything but one run of ASCII digits."""
    values = headers.get_all("Content-Length") or []
    if not values:
        return None
    if len(set(v.strip() for v in values)) != 1 or not _DIGITS.match(values[0].strip().encode("latin-1", "replace")):
        raise ApiError(400, "Invalid Content-Length header.")
    return int(values[0].strip())


def is_chunked(headers: Any) -> bool:
    encodings = [v.strip().lower() for v in (headers.get_all("Transfer-Encoding") or [])]
    if not encodings:
        return False
    if encodings != ["chunked"]:
        raise ApiError(400, "Unsupported Transfer-Encoding.")
    if headers.get("Content-Length") is not None:
        raise ApiError(400, "Content-Length and Transfer-Encoding cannot both be sent.")
    return True


class Connection(Protocol):
    """The request stream of a connection (``BaseHTTPRequestHandler.rfile``)."""

    def read(self, size: int = ..., /) -> bytes: ...

    def readline(self, size: int = ..., /) -> bytes: ...


class LengthReader:
    """``read(n)`` over exactly ``length`` bytes of the connection."""

    def __init__(self, rfile: Connection, length: int) -> None:
        self._rfile, self.left = rfile, length

    @property
    def finished(self) -> bool:
        """The whole body was read (so the connection can carry another request)."""
        return self.left <= 0

    def read(self, size: int = _CHUNK) -> bytes:
        if self.left <= 0:
            return b""
        data = self._rfile.read(min(size, self.left))
        if not data:
            raise ApiError(400, "The request body ended early.")
        self.left -= len(data)
        return data


class ChunkedReader:
    """``read(n)`` over a ``Transfer-Encoding: chunked`` body, refusing more than ``limit`` bytes in all."""

    def __init__(self, rfile: Connection, limit: int) -> None:
        self._rfile, self._limit, self._total, self._left, self._done = rfile, limit, 0, 0, False

    @property
    def finished(self) -> bool:
        """The last chunk and the trailers were read."""
        return self._done

    def _line(self) -> bytes:
        line = self._rfile.readline(1026)
        if not line.endswith(b"\r\n"):
            raise ApiError(400, "Malformed chunked body.")
        return line[:-2]

    def read(self, size: int = _CHUNK) -> bytes:
        if self._done:
            return b""
        if self._left == 0:
            size_text = self._line().split(b";", 1)[0].strip()
            if not re.fullmatch(rb"[0-9A-Fa-f]{1,16}", size_text):
                raise ApiError(400, "Malformed chunk size.")
            self._left = int(size_text, 16)
            if self._left == 0:
                while self._line():  # trailers, up to the empty line
                    pass
                self._done = True
                return b""
            self._total += self._left
            if self._total > self._limit:
                raise ApiError(413, f"The request body is larger than {self._limit} bytes.")
        data = self._rfile.read(min(size, self._left))
        if not data:
            raise ApiError(400, "The request body ended early.")
        self._left -= len(data)
        if self._left == 0 and self._rfile.read(2) != b"\r\n":
            raise ApiError(400, "Malformed chunked body.")
        return data


def read_all(reader: Any, limit: int) -> bytes:
    sink = LimitedSink(limit, "The request body")
    while True:
        data = reader.read(_CHUNK)
        if not data:
            return sink.value()
        sink.write(data)


# ---------------------------------------------------------------------- JSON
def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def json_object(body: bytes) -> Dict[str, Any]:
    """The JSON object in ``body`` (an empty body is ``{}``), or 400 as ImageKit answers bad JSON."""
    if not body:
        return {}
    try:
        value = json.loads(body.decode("utf-8"), parse_constant=_no_constants)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        raise ApiError(400, "The request body is not valid JSON.") from None
    if not isinstance(value, dict):
        raise ApiError(400, "The request body must be a JSON object.")
    return value


# ---------------------------------------------------------------------- multipart
_NAME = re.compile(rb'(?i)content-disposition:[^\r\n]*?;\s*name="([^"]*)"')


def multipart(reader: Any, content_type: str, file_limit: int) -> Dict[str, Any]:
    """The fields of a ``multipart/form-data`` body, parsed as it streams in.

    Text fields become ``str`` (at most :data:`FIELD_LIMIT` bytes each); the ``file`` field becomes a
    :class:`Blob` (on disk when large), and ``_file_is_binary`` tells whether it came as a file (with a
    filename) rather than as a URL or base64 text.
    """
    match = re.search(r'boundary="?([^";]+)"?', content_type)
    if not content_type.lower().startswith("multipart/form-data") or not match:
        raise ApiError(400, "Uploads must be multipart/form-data.")
    delimiter = b"\r\n--" + match.group(1).encode("latin-1", "replace")
    keep = len(delimiter) + 4
    buffer, ended = b"\r\n", False

    def fill() -> None:
        nonlocal buffer, ended
        data = reader.read(_CHUNK)
        if data:
            buffer += data
        else:
            ended = True

    while delimiter not in buffer:  # the preamble, up to the first boundary
        if ended:
            raise ApiError(400, "The multipart body has no boundary.")
        buffer = buffer[-keep:]
        fill()
    buffer = buffer[buffer.index(delimiter) + len(delimiter):]
    form: Dict[str, Any] = {}
    while True:
        while len(buffer) < 2 and not ended:
            fill()
        if buffer.startswith(b"--"):
            return form
        if not buffer.startswith(b"\r\n"):
            raise ApiError(400, "Malformed multipart boundary line.")
        buffer = buffer[2:]
        while b"\r\n\r\n" not in buffer:
            if len(buffer) > 16 * 1024 or ended:
                raise ApiError(400, "Malformed multipart part headers.")
            fill()
        head, _, buffer = buffer.partition(b"\r\n\r\n")
        found = _NAME.search(head)
        try:
            name = found.group(1).decode("utf-8") if found else None
        except UnicodeDecodeError:
            raise ApiError(400, "A multipart field name is not valid UTF-8.") from None
        sink: Any = FileSink(file_limit) if name == "file" else LimitedSink(FIELD_LIMIT, f"The form field {name!r}")
        try:
            while True:
                at = buffer.find(delimiter)
                if at >= 0:
                    sink.write(buffer[:at])
                    buffer = buffer[at + len(delimiter):]
                    break
                if ended:
                    raise ApiError(400, "The multipart body ended inside a part.")
                if len(buffer) > keep:
                    sink.write(buffer[:-keep])
                    buffer = buffer[-keep:]
                fill()
        except BaseException:
            if isinstance(sink, FileSink):
                sink.discard()
            raise
        if name is None:
            continue
        if name == "file":
            form["file"] = sink.blob()
            form["_file_is_binary"] = b"filename=" in head.lower()
        else:
            try:
                form[name] = sink.value().decode("utf-8")
            except UnicodeDecodeError:
                raise ApiError(400, f"The form field {name!r} is not valid UTF-8 text.") from None

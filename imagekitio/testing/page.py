"""The emulator's media-library page at ``/_emulator/``: folders, a grid of thumbnails the emulator renders
itself, a file's details, versions and tags, a live transformation preview, search with the query language,
drag-and-drop upload through ImageKit's browser-upload flow, and the request log and active faults.

Server-rendered HTML with a little vanilla JS and nothing from the internet (STYLE.md 13). Everything taken
from file data (names, paths, tags, metadata, logged paths) is HTML-escaped where it enters the page: file
names are chosen by whoever uploads. The page follows the control API's rules: no cross-site requests
(only a top-level navigation may come from elsewhere: it cannot read the page, and the page cannot be
framed), and beyond loopback the private key is required (HTTP Basic, the key as the user name).
"""
import base64
import hmac
import html
import json
import secrets
from typing import TYPE_CHECKING, Any, Callable, Dict, List, NamedTuple, Optional, Protocol
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from ..utils.calculation import get_authenticated_params, hmac_sha1_hex
from .errors import HELP, ApiError
from .render import BUILT_IN_NAMED, Answer
from .store import folder_of, norm_folder

if TYPE_CHECKING:
    from .server import LocalImageKit

THUMBNAIL = BUILT_IN_NAMED["ik_ml_thumbnail"]  # the grid shows what a record's "thumbnail" URL does
DEFAULT_PREVIEW = "w-300,h-300,cm-pad_resize"
GRID_LIMIT = 200  # tiles per page: beyond that a search narrows it down
LOG_LIMIT = 100
# Characters a transformation string keeps in a URL path; anything else is percent-encoded.
_TR_SAFE = ",:-_.~!*'()@$+="


class Headers(Protocol):
    """Request headers (``http.server``'s ``email.message.Message``, or a dict in tests)."""

    def get(self, name: str, default: Any = None) -> Any: ...


class PageRequest(NamedTuple):
    method: str
    query: Dict[str, str]
    headers: Headers
    body: bytes


class PageRoute(NamedTuple):
    """One route of the page: method, exact path, whether a cross-site navigation may load it, handler."""
    method: str
    path: str
    navigable: bool
    handler: Callable[["LocalImageKit", PageRequest], Answer]


# ---------------------------------------------------------------------- entry points for the server
def handles(path: str) -> bool:
    """Whether ``path`` is one of the page's routes (the rest of ``/_emulator/`` is the control API)."""
    return any(route.path == path for route in ROUTES)


def answer(emulator: "LocalImageKit", method: str, target: Any, headers: Headers,
           body: bytes) -> Answer:
    """The answer to a request for one of the page's routes (``target`` is the ``urlsplit`` request target)."""
    wanted = "GET" if method == "HEAD" else method
    route = next((r for r in ROUTES if r.path == target.path and r.method == wanted), None)
    if route is None:
        allowed = ", ".join(sorted({r.method for r in ROUTES if r.path == target.path}))
        return _json(405, {"message": f"{method} is not allowed on {target.path}", "help": HELP}, {"Allow": allowed})
    refused = _refusal(emulator, route, headers)
    if refused is not None:
        return refused
    request = PageRequest(method, dict(parse_qsl(target.query, keep_blank_values=True)), headers, body)
    try:
        return route.handler(emulator, request)
    except ApiError as error:
        return _json(error.status, error.body)


# ---------------------------------------------------------------------- the control API's rules
def _refusal(emulator: "LocalImageKit", route: PageRoute, headers: Headers) -> Optional[Answer]:
    """An error answer when the request breaks the page's rules, else None."""
    from .server import _is_loopback  # here, not at the top: the server imports this module

    host = headers.get("Host") or ""
    if _is_loopback(emulator.host) and not _is_loopback(urlsplit("//" + host).hostname or ""):
        # A page on a loopback emulator is only ever reached by a loopback name; another name means a
        # DNS-rebinding page is trying to read the library and borrow upload signatures.
        return _refused(403, "The media-library page answers only to a loopback address (127.0.0.1 or localhost).")
    site = (headers.get("Sec-Fetch-Site") or "").lower()
    navigation = (headers.get("Sec-Fetch-Mode") or "").lower() == "navigate" and \
        (headers.get("Sec-Fetch-Dest") or "").lower() == "document"
    origin = headers.get("Origin")
    if not (route.navigable and navigation):
        if site in ("cross-site", "same-site") or (origin is not None and urlsplit(origin).netloc != host):
            return _refused(403, "The emulator's page refuses cross-site requests.")
    if not _is_loopback(emulator.host) and not _has_private_key(emulator, headers):
        return _refused(401, "Beyond loopback the media-library page needs the emulator's private key: give it "
                             "as the user name when the browser asks.",
                        {"WWW-Authenticate": 'Basic realm="ImageKit emulator", charset="UTF-8"'})
    return None


def _has_private_key(emulator: "LocalImageKit", headers: Headers) -> bool:
    header = headers.get("Authorization") or ""
    if not header.startswith("Basic "):
        return False
    try:
        user = base64.b64decode(header[6:], validate=True).decode().split(":", 1)[0]
    except ValueError:
        return False
    return hmac.compare_digest(user.encode(), emulator.private_key.encode())


def _refused(status: int, message: str, headers: Optional[Dict[str, str]] = None) -> Answer:
    return _json(status, {"message": message, "help": HELP}, headers)


_COMMON = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
           "Referrer-Policy": "same-origin"}


def _json(status: int, payload: Any, headers: Optional[Dict[str, str]] = None) -> Answer:
    return Answer(status, json.dumps(payload).encode(), "application/json", {**_COMMON, **(headers or {})})


# ---------------------------------------------------------------------- URLs of stored files
def delivery_url(emulator: "LocalImageKit", record: Dict[str, Any], tr: str = "") -> str:
    """The origin-relative URL the page shows ``record`` at, through ``tr`` when given; private files get
    a signed URL (the page holds the private key, as an app's server does)."""
    from .server import FAR_FUTURE

    relative = (f"tr:{quote(tr, safe=_TR_SAFE)}/" if tr else "") + quote(record["filePath"].lstrip("/"), safe="/")
    url = f"/{quote(emulator.imagekit_id, safe='')}/{relative}"
    if record.get("isPrivateFile"):
        url += "?ik-s=" + hmac_sha1_hex(emulator.private_key, f"{relative}{FAR_FUTURE}")
    return url


# ---------------------------------------------------------------------- JSON routes used by the page's script
def _upload_auth(emulator: "LocalImageKit", request: PageRequest) -> Answer:
    """What a browser upload needs, as an app's auth endpoint hands it out: token, expire, signature."""
    params = get_authenticated_params("", 0, emulator.private_key)
    return _json(200, {**params, "publicKey": emulator.public_key})


def _preview_url(emulator: "LocalImageKit", request: PageRequest) -> Answer:
    tr = request.query.get("tr", "").strip()
    if len(tr) > 2000 or "/" in tr:
        raise ApiError(400, "A transformation string is at most 2000 characters and has no '/' (use @@ in paths).")
    record = _store(emulator).details(request.query.get("file", ""))
    return _json(200, {"url": delivery_url(emulator, record, tr), "original": delivery_url(emulator, record)})


def _store(emulator: "LocalImageKit") -> Any:
    if emulator.store is None:
        raise ApiError(503, "The emulator is stopping.")
    return emulator.store


# ---------------------------------------------------------------------- the page
def _e(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _link(**params: str) -> str:
    return "/_emulator/?" + urlencode({k: v for k, v in params.items() if v})


def _library(emulator: "LocalImageKit", request: PageRequest) -> Answer:
    store = _store(emulator)
    folder = norm_folder(request.query.get("folder"))
    query = request.query.get("q", "").strip()
    selected = request.query.get("file", "")
    status, error = 200, ""
    try:
        found = store.list_files({"path": folder, "searchQuery": query, "sort": "DESC_CREATED"})
    except ApiError as failure:
        status, error, found = failure.status, failure.body.get("message", ""), []
    files = found if query else [f for f in found if folder_of(f["filePath"]) == folder]
    with store.lock:
        folders = sorted(store.folders)
    details = ""
    if selected:
        try:
            details = _details(emulator, store.details(selected), store.versions_of(selected), folder)
        except ApiError as failure:
            details = f'<section id="details"><p class="error">{_e(failure.body.get("message"))}</p></section>'
    nonce = secrets.token_urlsafe(16)
    page = _TEMPLATE.format(
        nonce=nonce, style=_STYLE, script=_SCRIPT, folder=_e(folder), id=_e(emulator.imagekit_id),
        selected=_e(selected), query=_e(query), heading=_e(f"Search in {folder}" if query else folder),
        folders=_folders(folders, folder), grid=_grid(emulator, files, folder, selected), details=details,
        error=f'<p class="error" id="search-error">{_e(error)}</p>' if error else "",
        log=_log(emulator), faults=_faults(emulator), endpoint=_e(emulator.url_endpoint))
    csp = (f"default-src 'none'; img-src 'self' blob: data:; media-src 'self'; style-src 'nonce-{nonce}'; "
           f"script-src 'nonce-{nonce}'; connect-src 'self'; form-action 'self'; base-uri 'none'; "
           "frame-ancestors 'none'")
    return Answer(status, page.encode(), "text/html; charset=utf-8", {**_COMMON, "Content-Security-Policy": csp})


def _folders(folders: List[str], current: str) -> str:
    items = []
    for path in ["/"] + folders:
        depth = path.count("/") - 1
        name = "/ (root)" if path == "/" else path.rstrip("/").rsplit("/", 1)[-1] + "/"
        mark = ' aria-current="page"' if path == current else ""
        items.append(f'<li data-depth="{min(depth, 9)}"><a href="{_e(_link(folder=path))}"{mark} '
                     f'data-folder="{_e(path)}">{_e(name)}</a></li>')
    return "\n".join(items)


def _grid(emulator: "LocalImageKit", files: List[Dict[str, Any]], folder: str, selected: str) -> str:
    tiles = []
    for record in files[:GRID_LIMIT]:
        link = _e(_link(folder=folder, file=record["fileId"]))
        if record.get("fileType") == "image":
            inner = f'<img class="thumb" loading="lazy" src="{_e(delivery_url(emulator, record, THUMBNAIL))}" alt="">'
        else:
            ext = record["name"].rsplit(".", 1)[-1] if "." in record["name"] else "file"
            inner = f'<span class="thumb kind">{_e(ext[:8])}</span>'
        mark = ' aria-current="true"' if record["fileId"] == selected else ""
        tiles.append(f'<li><a class="tile" href="{link}" data-file-id="{_e(record["fileId"])}"{mark}>{inner}'
                     f'<span class="name">{_e(record["name"])}</span></a></li>')
    if not tiles:
        return '<p class="empty">No files here. Drop some to upload them.</p>'
    more = len(files) - GRID_LIMIT
    note = f'<p class="note">{more} more not shown: narrow them down with a search.</p>' if more > 0 else ""
    return f'<ul class="grid" id="grid">{"".join(tiles)}</ul>{note}'


def _table(values: Any) -> str:
    if not values:
        return '<p class="empty">none</p>'
    rows = "".join(f"<tr><th>{_e(k)}</th><td>{_e(json.dumps(v) if not isinstance(v, str) else v)}</td></tr>"
                   for k, v in values.items())
    return f"<table>{rows}</table>"


def _details(emulator: "LocalImageKit", record: Dict[str, Any], versions: List[Dict[str, Any]],
             folder: str) -> str:
    facts = {"fileId": record["fileId"], "filePath": record["filePath"], "type": record.get("fileType"),
             "mime": record.get("mime"), "size": record.get("size"),
             "dimensions": f'{record.get("width")}×{record.get("height")}' if record.get("width") else None,
             "private": record.get("isPrivateFile"), "published": record.get("isPublished"),
             "createdAt": record.get("createdAt"), "updatedAt": record.get("updatedAt"),
             "customCoordinates": record.get("customCoordinates")}
    chips = "".join(f'<li class="tag">{_e(t)}</li>' for t in record.get("tags") or []) or "<li>no tags</li>"
    ai = "".join(f'<li class="tag">{_e(t.get("name") if isinstance(t, dict) else t)}</li>'
                 for t in record.get("AITags") or [])
    current = record["versionInfo"]["id"]
    version_rows = "".join(
        f'<tr><td>{_e(v["versionInfo"]["name"])}{" (current)" if v["versionInfo"]["id"] == current else ""}</td>'
        f'<td><code>{_e(v["versionInfo"]["id"])}</code></td><td>{_e(v.get("size"))}</td>'
        f'<td>{_e(v.get("updatedAt"))}</td></tr>' for v in reversed(versions))
    original = delivery_url(emulator, record)
    if record.get("fileType") == "image":
        preview = delivery_url(emulator, record, DEFAULT_PREVIEW)
        transform = f"""
<h3>Transformation</h3>
<form id="tr-form" class="tr-form"><label for="tr">tr</label>
<input id="tr" name="tr" value="{_e(DEFAULT_PREVIEW)}" spellcheck="false" autocomplete="off"></form>
<div class="compare">
<figure><img id="original" src="{_e(original)}" alt="original"><figcaption id="original-info">original</figcaption>
</figure>
<figure><img id="preview" src="{_e(preview)}" alt="preview"><figcaption id="preview-info">
{_e(DEFAULT_PREVIEW)}</figcaption></figure>
</div>
<p class="url"><a id="preview-url" href="{_e(preview)}">{_e(preview)}</a></p>"""
    else:
        transform = f'<p><a href="{_e(original)}">Open the file</a></p>'
    return f"""<section id="details" data-file-id="{_e(record["fileId"])}">
<h2 id="details-name">{_e(record["name"])}</h2>
<p><a href="{_e(_link(folder=folder))}">close</a></p>
{_table(facts)}
<h3>Tags</h3><ul class="tags" id="tags">{chips}</ul>
{f'<h3>AI tags</h3><ul class="tags">{ai}</ul>' if ai else ""}
{transform}
<h3>Versions</h3><table id="versions"><tr><th>version</th><th>id</th><th>size</th><th>updated</th></tr>
{version_rows}</table>
<h3>Custom metadata</h3>{_table(record.get("customMetadata"))}
<h3>Embedded metadata</h3>{_table(record.get("embeddedMetadata"))}
</section>"""


def _log(emulator: "LocalImageKit") -> str:
    recent = list(emulator.requests)[-LOG_LIMIT:]  # list() of a deque is one C call: no torn copy
    rows = "".join(f"<li><code>{_e(method)} {_e(path)}</code></li>" for method, path in reversed(recent))
    return f'<ol id="request-log" class="log">{rows}</ol>' if rows else '<p class="empty">No requests yet.</p>'


def _faults(emulator: "LocalImageKit") -> str:
    faults = list(emulator.faults)
    if not faults:
        return '<p class="empty" id="faults">No active faults.</p>'
    rows = []
    for fault in faults:
        effect = ", ".join(part for part in (
            f"delay {fault.delay}s" if fault.delay else "", f"status {fault.status}" if fault.status else "",
            f"Retry-After {fault.retry_after}" if fault.retry_after else "", "drop" if fault.drop else "",
            "drop after" if fault.drop_after else "", "garbage" if fault.garbage else "") if part)
        rows.append(f"<tr><td>{_e(fault.method)}</td><td><code>{_e(fault.path)}</code></td><td>{_e(effect)}</td>"
                    f"<td>{fault.hits}/{fault.times}</td></tr>")
    return (f'<table id="faults"><tr><th>method</th><th>path</th><th>effect</th><th>used</th></tr>{"".join(rows)}'
            '</table><button type="button" id="clear-faults">Clear faults</button>')


ROUTES: List[PageRoute] = [
    PageRoute("GET", "/_emulator/", True, _library),
    PageRoute("POST", "/_emulator/upload-auth", False, _upload_auth),
    PageRoute("GET", "/_emulator/preview-url", False, _preview_url),
]

_TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ImageKit emulator: media library</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<style nonce="{nonce}">{style}</style></head>
<body data-folder="{folder}" data-id="{id}" data-file="{selected}">
<header><h1>ImageKit emulator</h1><code>{endpoint}</code>
<form id="search" method="get" action="/_emulator/"><input type="hidden" name="folder" value="{folder}">
<input id="q" name="q" value="{query}" placeholder="name : &quot;cat&quot; AND size &lt; &quot;1mb&quot;"
 aria-label="search query" spellcheck="false"><button>Search</button></form></header>
<div class="layout">
<nav><h2>Folders</h2><ul id="folders" class="folders">{folders}</ul></nav>
<main id="dropzone">
<h2 id="heading">{heading}</h2>{error}
<p class="drop">Drop files anywhere here to upload them to this folder, or
<label>choose files <input type="file" id="file-input" multiple></label></p>
<p id="upload-status" role="status"></p>
{grid}
</main>
<aside>{details}
<section><h2>Active faults</h2>{faults}</section>
<section><h2>Request log</h2><p><a href="">refresh</a></p>{log}</section>
</aside></div>
<script nonce="{nonce}">{script}</script></body></html>
"""

_STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
header{display:flex;gap:1em;align-items:center;padding:.5em 1em;background:#1f2a44;color:#fff}
header h1{font-size:1.1em;margin:0}header code{opacity:.8}#search{margin-left:auto;display:flex;gap:.3em}
#q{width:28em;font-family:monospace}.layout{display:grid;grid-template-columns:14em 1fr 34em;gap:1em;padding:1em}
.folders{list-style:none;padding:0}
[aria-current]{font-weight:bold}main.dragging{outline:3px dashed #3a7;background:#efe}
.grid{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:.6em}
.tile{display:flex;flex-direction:column;align-items:center;text-decoration:none;color:inherit;background:#fff;
border:1px solid #ddd;border-radius:4px;padding:.4em}.tile[aria-current]{border-color:#36c}
.thumb{width:140px;height:140px;object-fit:contain;background:#eee}
.kind{display:flex;align-items:center;justify-content:center;font:bold 1.2em monospace;text-transform:uppercase}
.name{word-break:break-all;font-size:.85em;margin-top:.3em}.tags{list-style:none;padding:0;display:flex;gap:.3em;
flex-wrap:wrap}.tag{background:#e3ebfa;border-radius:3px;padding:0 .4em}.error{color:#b00}.empty,.note{color:#777}
table{border-collapse:collapse;font-size:.9em}th,td{text-align:left;padding:.1em .5em;border-bottom:1px solid #eee;
vertical-align:top;word-break:break-all}.compare{display:flex;gap:.5em}.compare figure{margin:0;flex:1}
.compare img{max-width:100%;background:repeating-conic-gradient(#ddd 0 25%,#fff 0 50%) 0 0/16px 16px}
#tr{font-family:monospace;width:100%}.url{word-break:break-all;font-size:.8em}
.log{font-size:.8em;max-height:20em;overflow:auto;padding-left:2em}
""" + "".join(f'.folders [data-depth="{d}"]{{padding-left:{d}em}}' for d in range(1, 10))

# The page's only script: live preview, drag-and-drop upload, clearing faults. Text from files goes into
# the page through textContent only.
_SCRIPT = """
"use strict";
const body = document.body, folder = body.dataset.folder;
const uploadStatus = document.getElementById("upload-status");
function say(text) { uploadStatus.textContent = text; }

async function uploadOne(file) {
  const authAnswer = await fetch("/_emulator/upload-auth", {method: "POST",
    headers: {"Content-Type": "application/json"}, body: "{}"});
  const auth = await authAnswer.json();
  if (!authAnswer.ok) throw new Error(auth.message);
  const form = new FormData();
  form.append("file", file);
  form.append("fileName", file.name);
  form.append("folder", folder);
  for (const key of ["publicKey", "signature", "expire", "token"]) form.append(key, auth[key]);
  // The browser-upload flow: no credentials, only the signed form fields.
  const answer = await fetch("/api/v1/files/upload", {method: "POST", body: form, credentials: "omit"});
  const result = await answer.json();
  if (!answer.ok) throw new Error(result.message);
  return result;
}

async function upload(files) {
  let last = null;
  try {
    for (const file of files) {
      say("Uploading " + file.name + "\u2026");
      last = await uploadOne(file);
    }
  } catch (error) {
    say("Upload failed: " + error.message);
    return;
  }
  if (last) location.assign("/_emulator/?" + new URLSearchParams({folder: folder, file: last.fileId}));
}

const zone = document.getElementById("dropzone");
// A file dropped beside the zone must not make the browser navigate away to it.
for (const name of ["dragover", "drop"]) document.addEventListener(name, (event) => event.preventDefault());
zone.addEventListener("dragover", () => zone.classList.add("dragging"));
zone.addEventListener("dragleave", () => zone.classList.remove("dragging"));
zone.addEventListener("drop", (event) => {
  zone.classList.remove("dragging");
  if (event.dataTransfer && event.dataTransfer.files.length) upload(Array.from(event.dataTransfer.files));
});
document.getElementById("file-input").addEventListener("change", (event) => {
  if (event.target.files.length) upload(Array.from(event.target.files));
});

const trInput = document.getElementById("tr");
if (trInput) {
  const preview = document.getElementById("preview"), info = document.getElementById("preview-info");
  const link = document.getElementById("preview-url"), original = document.getElementById("original");
  const size = (img) => img.naturalWidth + "\u00d7" + img.naturalHeight;
  const showOriginal = () => { document.getElementById("original-info").textContent = "original " + size(original); };
  if (original.complete) showOriginal(); else original.addEventListener("load", showOriginal);
  preview.addEventListener("load", () => { info.textContent = trInput.value + " \u2192 " + size(preview); });
  preview.addEventListener("error", async () => {
    // Say why: the status, the emulator's message and any header that names a parameter.
    const answer = await fetch(preview.src);
    let text = "HTTP " + answer.status;
    try { text += ": " + (await answer.json()).message; } catch (error) { /* not JSON */ }
    answer.headers.forEach((value, name) => { if (name.startsWith("x-")) text += " [" + name + ": " + value + "]"; });
    info.textContent = text;
  });
  let timer = null;
  trInput.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const params = new URLSearchParams({file: body.dataset.file, tr: trInput.value});
      const answer = await fetch("/_emulator/preview-url?" + params);
      const result = await answer.json();
      if (!answer.ok) { info.textContent = result.message; return; }
      info.textContent = "loading\u2026";
      preview.src = result.url;
      link.href = result.url;
      link.textContent = result.url;
    }, 250);
  });
  document.getElementById("tr-form").addEventListener("submit", (event) => event.preventDefault());
}

const clear = document.getElementById("clear-faults");
if (clear) clear.addEventListener("click", async () => {
  await fetch("/_emulator/faults", {method: "DELETE", headers: {"Content-Type": "application/json"}});
  location.reload();
});
"""

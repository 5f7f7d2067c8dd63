"""The emulator's account resources: saved extensions, named transformations, origins, URL endpoints,
account webhooks and usage, with the rules ImageKit's API states for each."""
import datetime
import re
import secrets
import threading
from typing import Any, Callable, Dict, List, Optional, Tuple

from ..webhooks import EVENT_TYPES
from .errors import ApiError

ORIGIN_REQUIRED = {
    "S3": ("bucket", "accessKey", "secretKey"),
    "S3_COMPATIBLE": ("bucket", "endpoint", "accessKey", "secretKey"),
    "CLOUDINARY_BACKUP": ("bucket", "accessKey", "secretKey"),
    "WEB_FOLDER": ("baseUrl",),
    "WEB_PROXY": (),
    "GCS": ("bucket", "clientEmail", "privateKey"),
    "AZURE_BLOB": ("accountName", "container", "sasToken"),
    "AKENEO_PIM": ("baseUrl", "clientId", "clientSecret", "username", "password"),
}
# What an origin answers with, besides id, type, name and the canonical-header settings: never a secret.
ORIGIN_SHOWN = {
    "S3": ("bucket", "prefix", "useIAMRole"), "CLOUDINARY_BACKUP": ("bucket", "prefix", "useIAMRole"),
    "S3_COMPATIBLE": ("bucket", "endpoint", "prefix", "s3ForcePathStyle"),
    "WEB_FOLDER": ("baseUrl", "forwardHostHeaderToOrigin"), "WEB_PROXY": (),
    "GCS": ("bucket", "clientEmail", "prefix"), "AZURE_BLOB": ("accountName", "container", "prefix"),
    "AKENEO_PIM": ("baseUrl",),
}
def now_iso() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _need(body: Dict[str, Any], *names: str) -> None:
    missing = [name for name in names if body.get(name) in (None, "")]
    if missing:
        raise ApiError(400, f"Missing required parameters: {', '.join(missing)}.")


def _text(body: Dict[str, Any], name: str) -> None:
    if name in body and not isinstance(body[name], str):
        raise ApiError(400, f"{name} must be a string.")


class Collection:
    """One kind of account resource, stored by id, with create / list / get / update / delete."""

    def __init__(self, noun: str, validate: Callable[["Collection", Dict[str, Any], Optional[str]], None],
                 shown: Callable[[Dict[str, Any]], Dict[str, Any]], replace_on_update: bool, limit: int,
                 stamps: Tuple[str, ...] = ("createdAt", "updatedAt")) -> None:
        self.noun, self.validate, self.shown = noun, validate, shown
        self.replace_on_update, self.limit, self.stamps = replace_on_update, limit, stamps
        self.items: Dict[str, Dict[str, Any]] = {}
        self.lock = threading.RLock()

    def _find(self, item_id: str) -> Dict[str, Any]:
        if item_id not in self.items:
            raise ApiError(404, f"The requested {self.noun} does not exist.")
        return self.items[item_id]

    def create(self, body: Dict[str, Any], extra: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
        with self.lock:
            if len(self.items) >= self.limit:
                raise ApiError(400, f"An account can have at most {self.limit} of these ({self.noun}).")
            self.validate(self, body, None)
            item_id = secrets.token_hex(12)
            stamp = now_iso()
            record = {**body, **(extra or {}), "id": item_id, **{name: stamp for name in self.stamps}}
            self.items[item_id] = record
            return self.shown(record)

    def list(self) -> List[Dict[str, Any]]:
        with self.lock:
            return [self.shown(record) for record in self.items.values()]

    def get(self, item_id: str) -> Dict[str, Any]:
        with self.lock:
            return self.shown(self._find(item_id))

    def update(self, item_id: str, body: Dict[str, Any]) -> Dict[str, Any]:
        with self.lock:
            record = self._find(item_id)
            merged = body if self.replace_on_update else {**record, **body}
            self.validate(self, merged, item_id)
            kept: Dict[str, Any] = {name: record[name] for name in ("id", "createdAt", "secret") if name in record}
            record.clear()
            record.update({**merged, **kept})
            if "updatedAt" in self.stamps:
                record["updatedAt"] = now_iso()
            return self.shown(record)

    def delete(self, item_id: str) -> None:
        with self.lock:
            self._find(item_id)
            del self.items[item_id]


def _saved_extension(collection: Collection, body: Dict[str, Any], item_id: Optional[str]) -> None:
    _need(body, "name", "description", "config")
    _text(body, "name")
    _text(body, "description")
    if not isinstance(body["config"], dict) or not isinstance(body["config"].get("name"), str):
        raise ApiError(400, "config must be an extension object with a name.")


def _named_transformation(collection: Collection, body: Dict[str, Any], item_id: Optional[str]) -> None:
    _need(body, "name", "transformation")
    _text(body, "transformation")
    if not isinstance(body["name"], str) or not re.fullmatch(r"[A-Za-z0-9_]+", body["name"]):
        raise ApiError(400, "name may hold only letters, digits and _.")
    if "enabled" in body and not isinstance(body["enabled"], bool):
        raise ApiError(400, "enabled must be a boolean.")
    body.setdefault("enabled", True)
    if any(other["name"] == body["name"] for key, other in collection.items.items() if key != item_id):
        raise ApiError(409, f"A named transformation called {body['name']!r} already exists.")


def _origin(collection: Collection, body: Dict[str, Any], item_id: Optional[str]) -> None:
    kind = body.get("type")
    if kind not in ORIGIN_REQUIRED:
        raise ApiError(400, f"type must be one of {', '.join(ORIGIN_REQUIRED)}.")
    _need(body, "name", *ORIGIN_REQUIRED[kind])
    body.setdefault("includeCanonicalHeader", False)


def _origin_shown(record: Dict[str, Any]) -> Dict[str, Any]:
    shown = {name: record.get(name) for name in ("id", "type", "name", "includeCanonicalHeader")}
    if record.get("baseUrlForCanonicalHeader") is not None:
        shown["baseUrlForCanonicalHeader"] = record["baseUrlForCanonicalHeader"]
    for name in ORIGIN_SHOWN[record["type"]]:
        if name == "prefix" or record.get(name) is not None:
            shown[name] = record.get(name, "" if name == "prefix" else None)
    return shown


def _webhook(collection: Collection, body: Dict[str, Any], item_id: Optional[str]) -> None:
    _need(body, "endpoint", "events")
    if not isinstance(body["endpoint"], str) or not body["endpoint"].startswith(("http://", "https://")):
        raise ApiError(400, "endpoint must be an http or https URL.")
    if not isinstance(body["events"], list) or not all(event in EVENT_TYPES for event in body["events"]):
        raise ApiError(400, f"events must be a list of: {', '.join(EVENT_TYPES)}.")
    body.setdefault("enabled", True)
    if any(other["endpoint"] == body["endpoint"] for key, other in collection.items.items() if key != item_id):
        raise ApiError(400, "A webhook with this endpoint already exists.")


class Accounts:
    """Everything under ``/v1/saved-extensions``, ``/v1/named-transformations`` and ``/v1/accounts``."""

    def __init__(self, storage_bytes: Callable[[], int]) -> None:
        self.storage_bytes = storage_bytes
        self.saved_extensions = Collection("saved extension", _saved_extension, dict, False, 100)
        self.named_transformations = Collection("named transformation", _named_transformation,
                                                lambda r: {k: r.get(k) for k in ("id", "name", "transformation",
                                                                                 "enabled", "createdAt")},
                                                False, 250, stamps=("createdAt",))
        self.origins = Collection("origin", _origin, _origin_shown, True, 1000, stamps=())
        self.url_endpoints = Collection("URL endpoint", self._url_endpoint, self._url_endpoint_shown, True, 100,
                                        stamps=())
        self.url_endpoints.items["default"] = {"id": "default", "description": "Default URL endpoint",
                                               "origins": [], "urlPrefix": ""}
        self.webhooks = Collection("webhook", _webhook, dict, False, 3)

    def collection(self, plural: str) -> Collection:
        return {"saved-extensions": self.saved_extensions, "named-transformations": self.named_transformations,
                "origins": self.origins, "url-endpoints": self.url_endpoints, "webhooks": self.webhooks}[plural]

    # ---- rules that span collections
    def _url_endpoint(self, collection: Collection, body: Dict[str, Any], item_id: Optional[str]) -> None:
        _need(body, "description")
        origins = body.setdefault("origins", [])
        if not isinstance(origins, list) or any(origin not in self.origins.items for origin in origins):
            raise ApiError(400, "origins must list the ids of existing origins.")
        prefix = body.setdefault("urlPrefix", "")
        if not isinstance(prefix, str) or not re.fullmatch(r"[A-Za-z0-9-]*", prefix) or \
                (prefix == "" and item_id != "default"):
            raise ApiError(400, "urlPrefix must be letters, digits and hyphens (empty only for the default).")
        rewriter = body.get("urlRewriter")
        if rewriter is not None and (not isinstance(rewriter, dict) or
                                     rewriter.get("type") not in ("CLOUDINARY", "IMGIX", "AKAMAI")):
            raise ApiError(400, "urlRewriter.type must be CLOUDINARY, IMGIX or AKAMAI.")

    @staticmethod
    def _url_endpoint_shown(record: Dict[str, Any]) -> Dict[str, Any]:
        shown = {name: record.get(name) for name in ("id", "description", "origins", "urlPrefix")}
        if record.get("urlRewriter") is not None:
            shown["urlRewriter"] = record["urlRewriter"]
        return shown

    def delete_origin(self, origin_id: str) -> None:
        with self.url_endpoints.lock:
            if any(origin_id in endpoint.get("origins", []) for endpoint in self.url_endpoints.items.values()):
                raise ApiError(400, "This origin is used by a URL endpoint; remove it from there first.")
            self.origins.delete(origin_id)

    def delete_url_endpoint(self, endpoint_id: str) -> None:
        if endpoint_id == "default":
            raise ApiError(400, "The default URL endpoint cannot be deleted.")
        self.url_endpoints.delete(endpoint_id)

    def create_webhook(self, body: Dict[str, Any]) -> Dict[str, Any]:
        return self.webhooks.create(body, {"secret": "whsec_" + secrets.token_urlsafe(24)})

    def subscribers(self, event_type: str) -> List[Tuple[str, str]]:
        """(endpoint, secret) of every enabled account webhook subscribed to ``event_type``."""
        with self.webhooks.lock:
            return [(hook["endpoint"], hook["secret"]) for hook in self.webhooks.items.values()
                    if hook.get("enabled", True) and event_type in hook.get("events", [])]

    # ---- usage
    @staticmethod
    def _range(query: Dict[str, str], end_counted: bool) -> Tuple[datetime.date, datetime.date]:
        try:
            start = datetime.date.fromisoformat(query.get("startDate") or "")
            end = datetime.date.fromisoformat(query.get("endDate") or "")
        except ValueError:
            raise ApiError(400, "startDate and endDate are required, as YYYY-MM-DD.") from None
        days = (end - start).days
        if days < 0 or (days == 0 and not end_counted) or days >= 90:
            raise ApiError(400, "startDate must come before endDate, and the range must be under 90 days.")
        return start, end

    def usage(self, query: Dict[str, str]) -> Dict[str, Any]:
        self._range(query, end_counted=False)
        return {"bandwidthBytes": 0, "mediaLibraryStorageBytes": self.storage_bytes(),
                "originalCacheStorageBytes": 0, "videoProcessingUnitsCount": 0, "extensionUnitsCount": 0}

    def usage_analytics(self, query: Dict[str, str]) -> Dict[str, Any]:
        start, end = self._range(query, end_counted=True)
        empty: Dict[str, List[Any]] = {"byBandwidth": [], "byRequests": []}
        return {"startDate": start.isoformat(), "endDate": end.isoformat(), "generatedAt": now_iso(),
                "bandwidthBytes": 0, "requestCount": 0, "cache": {"hitCount": 0, "missCount": 0, "errorCount": 0},
                **{name: dict(empty) for name in ("browser", "country", "device", "format", "urlEndpoints",
                                                  "topImages", "topImageTransforms", "topVideos",
                                                  "topVideoTransforms", "topOtherAssets", "topReferrers",
                                                  "topUserAgents")},
                "statusCodes": [], "errorReasons": [], "top404Assets": [], "extensions": [], "videoProcessing": []}

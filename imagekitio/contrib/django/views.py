"""Views for browser uploads and webhooks.

``auth_parameters`` returns ``get_authentication_parameters()`` as JSON for ImageKit's client-side upload.
Whoever gets that answer can upload into (or overwrite) any path of the library, so the view checks
``IMAGEKIT["AUTH_CHECK"]`` first (by default: a logged-in user); a refused request gets 401 when no user is
logged in, else 403, and never reaches the client. Asked with ``?claim=1`` (as ``DirectUploadWidget`` does),
it also hands out a ``claim`` and the ``claimTag`` to upload with (see ``forms.new_upload_claim``), which
``DirectUploadField`` needs to accept the upload. ``webhook`` makes a view that verifies an ImageKit
webhook delivery and hands the event to your function.
"""
from typing import Any, Callable, Optional

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from imagekitio.exceptions import WebhookVerificationError
from imagekitio.webhooks import WebhookEvent

from .conf import auth_check, get_client, user_is_authenticated
from .forms import new_upload_claim


@require_GET
def auth_parameters(request: HttpRequest) -> JsonResponse:
    """``{"token", "expire", "signature"}`` (and ``publicKey``; with ``?claim=1`` also ``claim`` and ``claimTag``)
    for one upload from the browser, for a request that ``AUTH_CHECK`` allows."""
    if not auth_check()(request):
        status = 403 if user_is_authenticated(request) else 401
        return JsonResponse({"message": "Log in to upload." if status == 401 else "Not allowed to upload."},
                            status=status)
    client = get_client()
    answer = {**client.get_authentication_parameters(), "publicKey": client.ik_request.public_key}
    if request.GET.get("claim") == "1":
        answer.update(new_upload_claim())
    response = JsonResponse(answer)
    response["Cache-Control"] = "no-store"  # each token is good for one upload
    return response


def webhook(handler: Callable[[WebhookEvent], Optional[HttpResponse]],
            secret: Optional[str] = None) -> Callable[[HttpRequest], HttpResponse]:
    """A POST view that verifies the delivery (the secret defaults to the client's ``WEBHOOK_SECRET``), then
    calls ``handler(event)``; a delivery that fails verification gets 400 and never reaches the handler.

        urlpatterns = [path("imagekit/webhook/", webhook(on_event))]
    """
    @csrf_exempt
    @require_POST
    def view(request: HttpRequest) -> HttpResponse:
        try:
            event = get_client().verify_webhook_event(request.body, request.headers, secret)
        except WebhookVerificationError as error:
            return HttpResponseBadRequest(f"webhook refused: {error.reason}")
        answer: Any = handler(event)
        return answer if isinstance(answer, HttpResponse) else HttpResponse(status=204)
    return view

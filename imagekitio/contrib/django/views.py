"""Views for browser uploads and webhooks.

``auth_parameters`` returns ``get_authentication_parameters()`` as JSON for ImageKit's client-side upload
(wrap it in ``login_required`` or your own check: anyone who can call it can upload). ``webhook`` makes a
view that verifies an ImageKit webhook delivery and hands the event to your function.
"""
from typing import Any, Callable, Optional

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from imagekitio.exceptions import WebhookVerificationError
from imagekitio.webhooks import WebhookEvent

from .conf import get_client


@require_GET
def auth_parameters(request: HttpRequest) -> JsonResponse:
    """``{"token", "expire", "signature"}`` (and ``publicKey``) for one upload from the browser."""
    client = get_client()
    response = JsonResponse({**client.get_authentication_parameters(), "publicKey": client.ik_request.public_key})
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

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jiafa.core.errors import JiafaError


class JiafaErrorMiddleware:
    """A refusal raised in a page (no permission, outside the jurisdiction) becomes a Chinese error page
    with its status code, never a 500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if isinstance(exc, JiafaError):
            return render(request, "web/error.html", {"error": exc}, status=exc.status)
        return None

from __future__ import annotations

from django.http import HttpRequest, JsonResponse


def openapi(request: HttpRequest) -> JsonResponse:
    return JsonResponse({})

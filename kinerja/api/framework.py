"""The JSON API's plumbing: key authentication, method checks, body limits, JSON errors.

Every endpoint is a plain function wrapped by ``endpoint``; it returns data (a dict or list)
and raises ``ApiError`` (or Django's PermissionDenied / Http404 / ValidationError) for errors,
which all leave as ``{"error": code, "message": text, "fields": {...}}`` with the right status.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable, Mapping
from datetime import timedelta
from functools import wraps
from typing import Any, TypeVar

from django import forms
from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from kinerja.accounts.apikeys import hash_key
from kinerja.accounts.models import ApiKey

MAX_BODY_BYTES = 256 * 1024  # a JSON body of the API is a few hundred bytes
LAST_USED_EVERY = timedelta(minutes=1)  # write "last used" at most once a minute per key
MAX_LIMIT = 500
no_nul = ProhibitNullCharactersValidator()

F = TypeVar("F", bound=forms.Form)


class ApiError(Exception):
    def __init__(
        self, status: int, code: str, message: str, fields: Mapping[str, list[str]] | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields

    def response(self) -> JsonResponse:
        body: dict[str, Any] = {"error": self.code, "message": self.message}
        if self.fields:
            body["fields"] = dict(self.fields)
        response = JsonResponse(body, status=self.status)
        if self.status == 401:
            response["WWW-Authenticate"] = 'Bearer realm="kinerja"'
        return response


def key_from_headers(request: HttpRequest) -> str | None:
    header: str = request.META.get("HTTP_AUTHORIZATION", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip()
    key: str = request.META.get("HTTP_X_API_KEY", "")
    return key.strip() or None


def authenticate(request: HttpRequest) -> ApiKey:
    key = key_from_headers(request)
    if not key:
        raise ApiError(
            401,
            "unauthenticated",
            _("Send an API key in the header Authorization: Bearer KEY (or X-API-Key)."),
        )
    parts = key.split("_", 2)  # the secret part may itself contain "_"
    api_key = None
    if len(parts) == 3 and parts[0] == "knj":
        api_key = (
            ApiKey.objects.select_related("user")
            .filter(prefix=parts[1], revoked_at__isnull=True, user__is_active=True)
            .first()
        )
    if api_key is None or not hmac.compare_digest(api_key.key_hash, hash_key(key)):
        raise ApiError(401, "invalid_key", _("The API key is not valid or was revoked."))
    now = timezone.now()
    if api_key.last_used_at is None or now - api_key.last_used_at > LAST_USED_EVERY:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
    return api_key


def validation_fields(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for m in errors] for field, errors in exc.message_dict.items()}
    return {"__all__": [str(m) for m in exc.messages]}


def endpoint(methods: Mapping[str, bool], public: bool = False) -> Callable[..., Any]:
    """``methods`` maps each allowed HTTP method to whether it needs a read-write key."""

    def wrap(view: Callable[..., Any]) -> Callable[..., HttpResponse]:
        @csrf_exempt
        @wraps(view)
        def run(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                return call(view, methods, public, request, *args, **kwargs)
            except ApiError as exc:
                return exc.response()

        run.api_methods = dict(methods)  # type: ignore[attr-defined]  # read by the OpenAPI test
        return run

    return wrap


def call(
    view: Callable[..., Any],
    methods: Mapping[str, bool],
    public: bool,
    request: HttpRequest,
    *args: Any,
    **kwargs: Any,
) -> HttpResponse:
    allowed = [*methods, "HEAD"] if "GET" in methods else list(methods)
    method = "GET" if request.method == "HEAD" and "GET" in methods else request.method or ""
    if method not in methods:
        response = ApiError(
            405, "method_not_allowed", _("Use %(methods)s.") % {"methods": ", ".join(allowed)}
        ).response()
        response["Allow"] = ", ".join(allowed)
        return response
    check_size(request)
    if any("\x00" in v for values in request.GET.lists() for v in values[1]):
        raise ApiError(400, "bad_query", _("The query string contains a NUL character."))
    if not public:
        api_key = authenticate(request)
        request.user = api_key.user
        if methods[method] and not api_key.can_write:
            raise ApiError(403, "read_only_key", _("This API key may only read."))
    try:
        data = view(request, *args, **kwargs)
    except PermissionDenied as exc:
        raise ApiError(403, "forbidden", _("Your roles do not allow this here.")) from exc
    except Http404 as exc:
        raise ApiError(404, "not_found", str(exc) or _("Not found.")) from exc
    except ValidationError as exc:
        raise ApiError(
            400, "invalid", _("The request has errors."), validation_fields(exc)
        ) from exc
    if isinstance(data, HttpResponse):
        return data
    status = (
        201 if method == "POST" and isinstance(data, dict) and data.pop("_created", False) else 200
    )
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def check_size(request: HttpRequest) -> None:
    """Refuse an oversized body from its declared length, before reading any of it."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError as exc:
        raise ApiError(400, "bad_length", _("The Content-Length header is not a number.")) from exc
    if length > min(MAX_BODY_BYTES, settings.DATA_UPLOAD_MAX_MEMORY_SIZE or MAX_BODY_BYTES):
        raise ApiError(
            413,
            "too_large",
            _("The body is larger than %(kb)d KB.") % {"kb": MAX_BODY_BYTES // 1024},
        )


def read_json(request: HttpRequest) -> dict[str, Any]:
    if not request.content_type or request.content_type != "application/json":
        raise ApiError(415, "unsupported_media_type", _("Send the body as application/json."))
    try:
        body = json.loads(request.body or b"null")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ApiError(
            400, "bad_json", _("The body is not valid JSON: %(e)s") % {"e": exc}
        ) from exc
    if not isinstance(body, dict):
        raise ApiError(400, "bad_json", _("The body must be a JSON object."))
    return body


def validated(request: HttpRequest, form_class: type[F], **kwargs: Any) -> F:
    """Validate a JSON body with a Django form: unknown fields and field errors give 400.

    Scalars are handed to the form as text, as a browser would send them, so every field's
    own parsing and messages apply; lists reach only fields made for lists.
    """
    body = read_json(request)
    fields = form_class.base_fields
    errors: dict[str, list[str]] = {}
    data: dict[str, Any] = {}
    for name, value in body.items():
        field = fields.get(name)
        if field is None:
            errors[name] = [_("Unknown field.")]
        elif getattr(field, "accepts_list", False):
            # Django checks scalars for NUL characters; a list's strings bypass that check, and
            # PostgreSQL refuses NUL in text (a 500 when the list is looked up).
            try:
                for item in value if isinstance(value, list) else []:
                    if isinstance(item, str):
                        no_nul(item)
            except ValidationError as exc:
                errors[name] = list(exc.messages)
            else:
                data[name] = value
        elif isinstance(value, dict | list):
            errors[name] = [_("Expected a single value, not a list or an object.")]
        elif value is not None:
            data[name] = value if isinstance(value, str) else json.dumps(value)
    form = form_class(data=data, **kwargs)
    if form.is_valid() and not errors:
        return form
    for name, messages in form.errors.get_json_data().items():
        if name not in errors:
            errors[name] = [m["message"] for m in messages]
    raise ApiError(400, "invalid", _("The request has errors."), errors)


def query_int(request: HttpRequest, name: str, default: int, lo: int, hi: int) -> int:
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        value = lo - 1
    if not lo <= value <= hi:
        raise ApiError(
            400,
            "invalid",
            _("The request has errors."),
            {name: [_("A whole number from %(lo)d to %(hi)d.") % {"lo": lo, "hi": hi}]},
        )
    return value


def page(request: HttpRequest, rows: Any, render: Callable[[Any], Any]) -> dict[str, Any]:
    """``?limit=&offset=`` over a queryset: one COUNT and one page query."""
    limit = query_int(request, "limit", 100, 1, MAX_LIMIT)
    offset = query_int(request, "offset", 0, 0, 10**9)
    total = rows.count()
    return {
        "count": total,
        "limit": limit,
        "offset": offset,
        "results": [render(r) for r in rows[offset : offset + limit]],
    }


def user_of(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user

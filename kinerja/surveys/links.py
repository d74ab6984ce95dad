"""Public survey links people can read, pointing at the real site.

A service's link code (``/s/rekomendasi-ktp-kk/``) comes from its name; staff may change it, and
every code a service had before keeps leading to it (``ServiceSlug``; the public views redirect
an old code), so printed posters never break. A code is never given to a second service, not
even one another service had before.

Links that leave the building (QR codes, posters, the address shown to copy) start with
KINERJA_PUBLIC_URL, the site's public address, not with the host a staff member happened to
browse from (a laptop on the office network, 127.0.0.1); without the setting they fall back to
that host, and the service page says so.
"""

from __future__ import annotations

import re
import unicodedata

from django.conf import settings
from django.db.models import Q
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from .models import SLUG_MAX_LENGTH, Service, ServiceSlug, new_slug

SLUG_FORMAT = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_MIN_LENGTH = 2
# A code made from a name stops at a whole word within this length, leaving room for "-2".
DERIVED_MAX_LENGTH = 40


class SlugRefused(ValueError):
    """A link code that is malformed or taken; the message names it, for the user."""


def public_base(request: HttpRequest | None) -> str:
    """The site's public address without a trailing slash: KINERJA_PUBLIC_URL, else the host
    of ``request`` (empty without one)."""
    configured: str = settings.KINERJA_PUBLIC_URL
    if configured:
        return configured
    if request is None:
        return ""
    root: str = request.build_absolute_uri("/")
    return root.rstrip("/")


def form_url(service: Service, request: HttpRequest | None = None) -> str:
    """The absolute address of a service's public questionnaire."""
    return public_base(request) + reverse("surveys_public:form", args=[service.slug])


def current_slug(slug: str) -> str | None:
    """The current link code of the service that had ``slug`` before, if one did."""
    found: str | None = (
        ServiceSlug.objects.filter(slug=slug).values_list("service__slug", flat=True).first()
    )
    return found


def service_for_link(slug: str) -> Service:
    """The service whose link code is ``slug``, now or before (Http404 otherwise): for
    clients that cannot follow a redirect, such as a kiosk posting to the API."""
    found: Service | None = (
        Service.objects.select_related("unit")
        .filter(Q(slug=slug) | Q(old_slugs__slug=slug))
        .first()
    )
    if found is None:
        raise Http404("No survey service has this link code.")
    return found


def slug_from_name(name: str) -> str:
    """Lowercase ASCII words of the name joined by hyphens, whole words up to
    DERIVED_MAX_LENGTH: "Rekomendasi KTP/KK" → "rekomendasi-ktp-kk"."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", plain)
    slug = ""
    for word in words:
        longer = f"{slug}-{word}" if slug else word
        if len(longer) > DERIVED_MAX_LENGTH:
            break
        slug = longer
    if not slug and words:
        slug = words[0][:DERIVED_MAX_LENGTH]
    return slug if len(slug) >= SLUG_MIN_LENGTH else new_slug()


def _holder(slug: str, service: Service | None) -> tuple[Service, bool] | None:
    """(the other service holding ``slug``, whether as a former code), or None if it is free
    for ``service`` (a service may take back a code of its own)."""
    others = Service.objects.select_related("unit")
    if service is not None and service.pk is not None:
        others = others.exclude(pk=service.pk)
    holder = others.filter(Q(slug=slug) | Q(old_slugs__slug=slug)).distinct().first()
    if holder is None:
        return None
    return holder, holder.slug != slug


def unique_slug_for(name: str) -> str:
    """A free link code made from a new service's name ("…-2", "…-3" when taken)."""
    base = slug_from_name(name)
    slug, number = base, 1
    while _holder(slug, None) is not None:
        number += 1
        slug = f"{base}-{number}"
    return slug


def checked_slug(text: str, service: Service | None) -> str:
    """``text`` as a link code for ``service`` (lowercased); SlugRefused naming it when it is
    malformed or another service's, now or before."""
    slug = text.strip().lower()
    if not (SLUG_MIN_LENGTH <= len(slug) <= SLUG_MAX_LENGTH and SLUG_FORMAT.fullmatch(slug)):
        raise SlugRefused(
            _(
                "The link code “%(slug)s” is not valid: use lowercase letters, digits and "
                "hyphens between words, %(low)s to %(high)s characters (e.g. rekomendasi-ktp-kk)."
            )
            % {"slug": text.strip(), "low": SLUG_MIN_LENGTH, "high": SLUG_MAX_LENGTH}
        )
    held = _holder(slug, service)
    if held is not None:
        holder, formerly = held
        names = {"slug": slug, "service": holder.name, "unit": holder.unit}
        if formerly:
            raise SlugRefused(
                _(
                    "The link code “%(slug)s” was used before by the service %(service)s "
                    "(%(unit)s) and its old links still lead there; choose another."
                )
                % names
            )
        raise SlugRefused(
            _("The link code “%(slug)s” is already used by the service %(service)s (%(unit)s).")
            % names
        )
    return slug

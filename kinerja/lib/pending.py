"""Check first, store on confirmation: the one mechanism behind every import page
(docs/rules.md#imports-check-then-confirm).

An import page checks an uploaded file without storing anything and shows what it found; the
file is kept server-side (``keep``) so that "Simpan" stores exactly the file that was checked,
without uploading it again. A kept file is

- owned: only its uploader can confirm it, and only for the import it was checked for
  (``purpose``: "surveys:kec-wonoasih" is not "surveys:kel-wonoasih"); anyone else, with the
  id or without, gets "not found";
- confirmed once: ``claimed`` deletes the row before the file is read, so a double click or a
  replayed form finds nothing the second time;
- bounded: no larger than the import's upload maximum, at most
  ``KINERJA_PENDING_UPLOADS_PER_USER`` per user (a further check drops that user's oldest);
- expiring: after ``KINERJA_PENDING_UPLOAD_SECONDS`` it cannot be confirmed, and any later
  ``keep`` deletes it (file and row).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import PendingUpload
from .tables import sniff_kind


def directory() -> Path:
    path = Path(settings.KINERJA_PENDING_UPLOAD_DIR)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _forget(pending: PendingUpload) -> None:
    (directory() / pending.path).unlink(missing_ok=True)
    pending.delete()


def purge_expired() -> int:
    """Delete every kept file past its time; returns how many."""
    expired = list(PendingUpload.objects.filter(expires_at__lte=timezone.now()))
    for pending in expired:
        _forget(pending)
    return len(expired)


def keep(user: Any, purpose: str, upload: File[bytes], options: Mapping[str, Any]) -> PendingUpload:
    """Keep a checked upload for ``user`` to confirm later; the caller has checked the rights."""
    size = upload.size or 0
    limit = settings.KINERJA_IMPORT_MAX_UPLOAD_BYTES
    if size > limit:
        raise ValidationError(
            _("The file is larger than %(limit)s MB; split it into smaller files.")
            % {"limit": f"{limit / 2**20:g}"}
        )
    purge_expired()
    name = upload.name or "upload.csv"
    stored = f"{uuid.uuid4().hex}.{sniff_kind(name)}"
    # O_EXCL: never write through a name someone placed there; 0600: the server's alone.
    handle = os.open(directory() / stored, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(handle, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    pending = PendingUpload.objects.create(
        user=user,
        purpose=purpose,
        filename=Path(name).name[:300],
        path=stored,
        size=size,
        options=dict(options),
        expires_at=timezone.now() + timedelta(seconds=settings.KINERJA_PENDING_UPLOAD_SECONDS),
    )
    mine = PendingUpload.objects.filter(user=user).order_by("-created_at", "-pk")
    for old in mine[settings.KINERJA_PENDING_UPLOADS_PER_USER :]:
        _forget(old)
    return pending


def waiting(user: Any, pk: Any, purpose: str) -> PendingUpload | None:
    """The user's kept file ``pk`` for ``purpose`` while it can still be confirmed."""
    try:
        return PendingUpload.objects.filter(
            pk=pk, user=user, purpose=purpose, expires_at__gt=timezone.now()
        ).first()
    except ValidationError:  # not a UUID
        return None


@contextmanager
def claimed(user: Any, pk: Any, purpose: str) -> Iterator[tuple[PendingUpload, Path]]:
    """The kept file, confirmed by its uploader: yields it once, then deletes it.

    Raises Http404 for a file that is not the user's, not for this purpose, expired or already
    confirmed: the same answer in every case, so an id tells a stranger nothing.
    """
    pending = waiting(user, pk, purpose)
    if pending is None or not PendingUpload.objects.filter(pk=pending.pk).delete()[0]:
        raise Http404
    path = directory() / pending.path
    try:
        yield pending, path
    finally:
        path.unlink(missing_ok=True)


def discard(user: Any, pk: Any, purpose: str) -> None:
    """Drop a kept file without storing it (the uploader's "Batal"); unknown ids are ignored."""
    pending = waiting(user, pk, purpose)
    if pending is not None:
        _forget(pending)


def waiting_for(user: Any, purpose: str, key: str, value: str) -> PendingUpload | None:
    """The user's kept file for ``purpose`` whose options hold ``key`` = ``value`` (a job)."""
    return (
        PendingUpload.objects.filter(user=user, purpose=purpose, expires_at__gt=timezone.now())
        .filter(**{f"options__{key}": value})
        .first()
    )

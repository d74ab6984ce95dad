"""One-time form tokens: issued with each form, spent when its response is stored.

The token is signed (nothing is written when a form is merely viewed); its random nonce becomes
the response's unique idempotency key, so the database itself refuses a second response with
the same token, whichever worker receives the replay.
"""

from __future__ import annotations

import secrets

from django.core import signing

SALT = "kinerja.surveys.form-token"
MAX_AGE = 12 * 3600  # a form left open for half a day still submits


def issue(purpose: str, service_id: int) -> str:
    return signing.dumps({"p": purpose, "s": service_id, "n": secrets.token_urlsafe(16)}, salt=SALT)


def idempotency_key(token: str, purpose: str, service_id: int) -> str | None:
    """The key a valid token stands for, or None when it is forged, expired or for another form."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("p") != purpose or data.get("s") != service_id:
        return None
    return f"{purpose}:{data['n']}"

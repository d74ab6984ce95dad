"""The verification codes of issued documents (docs/rules.md#issued-documents).

They live on this floor, not in the reports app, because a model field's default is named in
migrations by its module: the audit app's history of issued documents names it too, and the
audit app may not import the reports app.
"""

from __future__ import annotations

import secrets

# Verification codes are printed under the QR code and may be typed in from paper: no letters
# people confuse (0/o, 1/l/i).
CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
CODE_LENGTH = 10


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))

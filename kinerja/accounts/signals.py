"""Security events the accounts app announces; the audit app records them.

A signal rather than a call keeps the dependency one way (audit depends on accounts).
"""

from __future__ import annotations

from django.dispatch import Signal

# sender=None, user=User|None (whose account), request=HttpRequest|None, what=str (English text),
# optionally actor=User|None and actor_name=str when someone else acts on that account
# (an administrator; actor_name names the command line when there is no user)
security_event = Signal()
# sender=None, username=str, request=HttpRequest|None, until=datetime
login_throttled = Signal()

"""Gunicorn's server hooks (``gunicorn -c python:kinerja.ops.forking``): what the master does
around each fork of a worker.

With ``--preload`` the master imports Django and Kinerja once and every worker is a fork of it,
sharing those pages until one of them writes to them. A garbage collection in a worker writes to
every object it walks (its reference counts for the collection), so the first full collection
in each worker copied the master's ~150 000 objects into that worker's memory. ``gc.freeze()``
in the master before the fork moves them to the permanent generation that collections skip: the
pages stay shared. (``memory.FreezeLoadedMiddleware`` then freezes, in each worker, what its
first requests load.)
"""

from __future__ import annotations

import gc
from typing import Any


def pre_fork(server: Any, worker: Any) -> None:
    """In the master, before each worker is forked: what is alive now is never collected."""
    gc.freeze()

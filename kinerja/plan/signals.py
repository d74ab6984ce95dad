"""Signals of the plan app, for the apps above it (which it must not import)."""

from django.dispatch import Signal

# Sent by ``do_load_plan`` inside its transaction once a plan file is stored, with ``plan``,
# ``document`` (the PlanDocument) and ``user``; a receiver that raises undoes the whole load.
# Quarterly monitoring stores the file's ``renaksi:`` section on it.
plan_loaded = Signal()

#!/usr/bin/env python
"""Django's manage.py; the ``kinerja`` console script does the same with a friendlier --help."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kinerja.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)

#!/usr/bin/env python
"""``python -m tests.contrib.djangosite.manage <command>`` from the repository root (the ``IMAGEKIT_*``
environment points it at an ImageKit or an emulator: ``python -m imagekitio.testing`` prints them)."""
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.contrib.djangosite.settings")
    from django.core.management import execute_from_command_line
    execute_from_command_line(sys.argv)

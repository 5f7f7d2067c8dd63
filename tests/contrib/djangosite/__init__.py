"""A real Django project for the Django integration's static files, management commands, direct upload
widget, variants and cleanup. Its tests run in a Django process of their own (see ``harness.py``), since
Django's settings can be configured only once per process and ``tests/contrib/test_django.py`` configures
its own."""

"""Settings split base/local/production/test, chosen by DJANGO_SETTINGS_MODULE."""

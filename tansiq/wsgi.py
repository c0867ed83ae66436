import os

from django.core.wsgi import get_wsgi_application

# A WSGI server is production unless told otherwise (runserver loads settings before this file).
os.environ.setdefault("TANSIQ_MODE", "production")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tansiq.settings")
application = get_wsgi_application()

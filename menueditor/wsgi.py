"""
WSGI config for menueditor project.

It exposes the WSGI callable as a module-level variable named ``application``.

For more information on this file, see
https://docs.djangoproject.com/en/6.1/howto/deployment/wsgi/
"""

import os

from django.core.wsgi import get_wsgi_application

from menueditor.charset import utf8_only

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "menueditor.settings")

# A request in a character set other than UTF-8 is answered with a 400 before Django builds it
# (menueditor/charset.py): some such requests make Django raise while building the request.
application = utf8_only(get_wsgi_application())

"""gunicorn's entry for the bare reference: `gunicorn --config deploy/gunicorn.conf.py bench.bare.wsgi:application`."""

import os

from django.core.wsgi import get_wsgi_application

# Set, not defaulted: the benchmark starts both servers from one environment, whose DJANGO_SETTINGS_MODULE is
# the app's.
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.bare.settings"
application = get_wsgi_application()

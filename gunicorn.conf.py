"""gunicorn settings of the production shape: `gunicorn aap.wsgi -c gunicorn.conf.py`.

Every value can be overridden on the command line or by GUNICORN_CMD_ARGS.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))

# The application (Django, WeasyPrint, openpyxl...) is imported once by the master before it
# forks: a worker starts ready in milliseconds instead of importing for seconds, which under load
# used to exceed the 30 s timeout and have the worker killed before its first request.
preload_app = True
# A request may run an export or a PDF of a whole cohort; past this, the worker is restarted.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
# A worker is replaced after this many requests, so that a slow leak never grows unbounded.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"


def post_fork(server, worker):
    """No database connection is shared between processes: one opened by the master while
    importing would be used by every worker at once."""
    from django.db import connections

    connections.close_all()

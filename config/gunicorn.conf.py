"""gunicorn's settings for serving: `make run` and `make bench` both start gunicorn with them.

Change serving here, so that what is measured is what is served. The command line (the
bind address) and GUNICORN_CMD_ARGS (e.g. "--workers 3") override these per run.
"""

bind = "127.0.0.1:8000"
workers = 2
worker_class = "gthread"
threads = 4
accesslog = "-"

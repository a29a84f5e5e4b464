"""Gunicorn settings for ``trustlens serve --production`` (``gunicorn -c`` this file).

Workers come from the CPU count: ``2 x cores + 1`` processes (Gunicorn's own rule of thumb,
https://docs.gunicorn.org/en/stable/design.html#how-many-workers), each with a few threads
(``gthread``) so a request waiting on the database or the store does not hold a core. A page is
mostly Python (template rendering, the GIL), so processes, not threads, are what use the cores.
Environment: ``WEB_CONCURRENCY`` (workers), ``TRUSTLENS_THREADS`` (threads per worker, default
4), ``TRUSTLENS_BIND`` (default 127.0.0.1:8000), ``TRUSTLENS_TIMEOUT`` (seconds, default 120:
an import's upload is processed inside its request).
"""

from __future__ import annotations

import os


def default_workers(cpus: int | None = None) -> int:
    """``2 x cores + 1``, from the CPUs this process may run on."""
    if cpus is None:
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return 2 * (cpus or 1) + 1


bind = os.environ.get("TRUSTLENS_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY") or default_workers())
worker_class = "gthread"
threads = int(os.environ.get("TRUSTLENS_THREADS", "4"))
timeout = int(os.environ.get("TRUSTLENS_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
#: Recycle a worker now and then (with jitter, so they do not all restart at once).
max_requests = 2000
max_requests_jitter = 200
accesslog = os.environ.get("TRUSTLENS_ACCESS_LOG") or None
errorlog = "-"

"""Celery's eager mode switched on or off for one test, and put back as it was."""

from contextlib import contextmanager


@contextmanager
def taches_celery(settings, *, immediates):
    """Tâches exécutées sur place (`immediates=True`) ou vraiment mises en file.

    The previous value is read before the settings change: Celery loads its configuration at
    the first read, and would otherwise take the test's value for the one to restore, leaving
    eager mode on for every later test."""
    from aap.celery import app

    avant = app.conf.task_always_eager
    settings.CELERY_TASK_ALWAYS_EAGER = immediates
    app.conf.task_always_eager = immediates
    try:
        yield
    finally:
        app.conf.task_always_eager = avant

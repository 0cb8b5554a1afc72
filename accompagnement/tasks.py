from celery import shared_task

from accompagnement.rappels import rappeler_convocations as rappeler


@shared_task(name="accompagnement.rappeler_convocations")
def rappeler_convocations():
    """Rappels J-7 et J-1 aux référents convoqués ; sans effet la seconde fois."""
    return rappeler()

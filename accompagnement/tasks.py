from celery import shared_task


@shared_task(name="accompagnement.rappeler_convocations")
def rappeler_convocations():
    """Rappels J-7 et J-1 aux référents convoqués ; sans effet la seconde fois."""
    from accompagnement.rappels import rappeler_convocations as rappeler

    return rappeler()

from celery import shared_task


@shared_task(name="activite.rendre_pdf_du_bilan")
def rendre_pdf_du_bilan(*, pdf_id, langue=None):
    """Rend un grand PDF du bilan réservé par une demande ; sans effet s'il est déjà rendu ou
    si sa réservation a disparu (version dépassée). `langue` : celle de la demande."""
    from activite.models import PdfDuBilan
    from activite.pdf_du_bilan import rendre

    pdf = (
        PdfDuBilan.objects.filter(pk=pdf_id, rendu_le__isnull=True)
        .select_related("appel__programme")
        .first()
    )
    if pdf is None:
        return
    rendre(pdf, langue=langue)

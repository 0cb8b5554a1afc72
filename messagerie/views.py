from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from messagerie import services
from messagerie.enums import EtatMessage
from messagerie.models import Message
from noyau.decorateurs import permission_requise
from noyau.refus import executer


@permission_requise("messagerie.voir_messages")
def liste(request):
    messages_envoyes = (
        Message.objects.visibles_par(request.user)
        .select_related("utilisateur", "programme")
        .defer("corps_texte", "corps_html")
    )
    etat = request.GET.get("etat", "")
    if etat in EtatMessage.values:
        messages_envoyes = messages_envoyes.filter(etat=etat)
    recherche = request.GET.get("q", "").strip()
    if recherche:
        messages_envoyes = messages_envoyes.filter(destinataire__icontains=recherche)
    page = Paginator(messages_envoyes, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "messagerie/liste.html",
        {"page": page, "etats": EtatMessage.choices, "etat": etat, "recherche": recherche},
    )


def _message(request, pk):
    return get_object_or_404(Message, pk=pk)


@permission_requise("messagerie.voir_message", objet=_message)
def detail(request, pk):
    message = get_object_or_404(Message.objects.prefetch_related("pieces_jointes"), pk=pk)
    return render(request, "messagerie/detail.html", {"message": message})


@require_POST
@permission_requise("messagerie.renvoyer_message", objet=_message)
def renvoyer(request, pk):
    message = get_object_or_404(Message, pk=pk)
    _message_renvoye, refus = executer(
        request,
        lambda: services.renvoyer(message, par=request.user),
        gabarit="messagerie/detail.html",
        contexte=lambda: {"message": Message.objects.get(pk=message.pk)},
        succes=_("Le message est remis en envoi."),
    )
    return refus or redirect("messagerie:detail", pk=message.pk)

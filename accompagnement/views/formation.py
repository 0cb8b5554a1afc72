"""Sessions de formation : liste, inscription des référents, feuille d'émargement remplie par
le formateur ou la formatrice, attestations de présence en PDF."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from accompagnement import attestations, selectors, services
from accompagnement.models import Emargement, Referent
from noyau.parametres import identifiant_ou_404
from noyau.redirections import adresse_de_retour
from noyau.refus import executer
from noyau.rendu_pdf import RenduDejaEnCours, reponse_rendu_deja_en_cours, un_rendu_a_la_fois


def _session_visible(request, pk):
    return get_object_or_404(
        selectors.sessions_visibles_par(request.user).select_related(
            "formation__programme", "formateur"
        ),
        pk=pk,
    )


@login_required
def sessions(request):
    return render(
        request,
        "accompagnement/formation/sessions.html",
        {
            "sessions": selectors.sessions_visibles_par(request.user)
            .select_related("formation", "formateur")
            .prefetch_related("plans__structure")
            .order_by("date", "pk")
        },
    )


def _contexte_emargement(request, session):
    structures = selectors.structures_dont_il_voit_les_referents(session, request.user)
    inscriptions = list(
        session.inscriptions.filter(referent__structure_id__in=structures)
        .select_related("referent__structure")
        .order_by("referent__structure__nom", "referent__nom", "referent__prenom")
    )
    emargements = {
        e.referent_id: e for e in session.emargements.filter(referent__structure_id__in=structures)
    }
    for inscription in inscriptions:
        inscription.emargement = emargements.get(inscription.referent_id)
    return {
        "session": session,
        "inscriptions": inscriptions,
        "peut_emarger": request.user.has_perm("accompagnement.emarger", session),
    }


@login_required
def emargement(request, pk):
    session = _session_visible(request, pk)
    if request.method != "POST":
        return render(
            request,
            "accompagnement/formation/emargement.html",
            _contexte_emargement(request, session),
        )
    _, refus = executer(
        request,
        lambda: services.enregistrer_emargement(
            session, par=request.user, presents=request.POST.getlist("presents")
        ),
        gabarit="accompagnement/formation/emargement.html",
        contexte=lambda: _contexte_emargement(request, session),
        succes=gettext("La feuille d'émargement est enregistrée."),
    )
    return refus or redirect("accompagnement:emargement", pk=session.pk)


@login_required
def attestation(request, pk, referent_pk):
    session = _session_visible(request, pk)
    # Le référent d'une autre structure invitée est introuvable, pas interdit : même son nom
    # ne se devine pas.
    emargement = (
        Emargement.objects.select_related("referent__structure", "session__formation")
        .filter(
            session=session,
            referent_id=referent_pk,
            present=True,
            referent__structure_id__in=selectors.structures_dont_il_voit_les_referents(
                session, request.user
            ),
        )
        .first()
    )
    if emargement is None:
        raise Http404("Pas de présence enregistrée pour ce référent à cette session.")
    try:
        with un_rendu_a_la_fois(request.user):
            pdf = attestations.generer_pdf(emargement)
    except RenduDejaEnCours:
        return reponse_rendu_deja_en_cours(request, retour=reverse("accompagnement:sessions"))
    reponse = HttpResponse(pdf, content_type="application/pdf")
    reponse["Content-Disposition"] = (
        f'attachment; filename="{attestations.nom_de_fichier(emargement)}"'
    )
    return reponse


def _inscription_ou_refus(request, session, action, succes, titre=None):
    """Inscrit ou désinscrit un référent (`action`, un service) puis revient à l'adresse
    demandée ; un refus s'affiche sur une page qui y ramène (409 d'état, 400 de saisie)."""
    demande = request.POST.get("retour")
    retour = adresse_de_retour(request, demande, repli="accompagnement:sessions")
    contexte = {"session": session, "retour": retour, "retour_demande": retour == demande}
    if titre:
        contexte["titre"] = titre
    _, refus = executer(
        request,
        action,
        gabarit="accompagnement/formation/refus.html",
        contexte=contexte,
        succes=succes,
    )
    return refus or redirect(retour)


@require_POST
@login_required
def inscrire(request, pk):
    session = _session_visible(request, pk)
    referent = get_object_or_404(Referent, pk=identifiant_ou_404(request.POST.get("referent")))
    return _inscription_ou_refus(
        request,
        session,
        lambda: services.inscrire_referent(session, referent, par=request.user),
        gettext("%(nom)s est inscrit·e ; la convocation part par courriel.")
        % {"nom": referent.nom_complet},
    )


@require_POST
@login_required
def desinscrire(request, pk):
    session = _session_visible(request, pk)
    referent = get_object_or_404(
        Referent.objects.filter(
            structure_id__in=selectors.structures_dont_il_voit_les_referents(session, request.user)
        ),
        pk=identifiant_ou_404(request.POST.get("referent")),
    )
    return _inscription_ou_refus(
        request,
        session,
        lambda: services.desinscrire_referent(session, referent, par=request.user),
        gettext(
            "%(nom)s est désinscrit·e de la session du %(jour)s. Le courriel d'annulation, "
            "avec le fichier qui retire la session de son agenda, part à %(email)s."
        )
        % {
            "nom": referent.nom_complet,
            "jour": date_format(session.date, "j F Y"),
            "email": referent.email,
        },
        titre=gettext("Désinscription impossible"),
    )

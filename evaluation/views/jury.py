"""L'espace des membres du jury : candidatures confiées, déclaration de conflit, notation.

Une candidature non confiée, ou pour laquelle le membre a déclaré un conflit, est
introuvable (404) : son contenu et ses notes ne se voient pas. Un membre récusé qui envoie
encore des notes, ou un membre à qui la candidature a été retirée qui envoie encore ses
notes ou sa déclaration (un onglet resté ouvert), reçoit un refus clair (409) sur son espace,
sans rien de la candidature."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from candidatures.enums import EtatAppel
from candidatures.models import Candidature, PieceJointe
from candidatures.selectors import pieces_lisibles, reponses_lisibles
from evaluation import selectors, services
from evaluation.enums import EtatEvaluation
from evaluation.forms import DeclarationForm, NotesForm
from evaluation.models import Critere, Evaluation, MembreJury
from evaluation.rules import oublier_sieges, sieges
from noyau.decorateurs import permission_requise
from noyau.erreurs import ActionImpossible, ActionNonPermise, Refus
from noyau.fichiers import servir_fichier

ACCES = "evaluation.acceder_espace_jury"


@permission_requise(ACCES)
def accueil(request):
    services.rattacher_au_compte(request.user)
    return render(
        request,
        "evaluation/jury/accueil.html",
        {"lignes": selectors.affectations_du_membre(request.user)},
    )


def _candidature_du_siege(request, pk):
    """La candidature si elle est confiée à ce membre ; 404 sinon."""
    if pk not in sieges(request.user):
        raise Http404("Candidature introuvable.")
    return get_object_or_404(
        Candidature.objects.select_related("appel__programme", "structure__commune"), pk=pk
    )


def _candidature_envoyee(request, pk):
    """La candidature visée par un envoi du membre (notes, déclaration) si elle lui est
    confiée ; None si elle est de l'appel de son jury sans lui être confiée (retirée depuis
    l'affichage de la page) ; 404 pour toute autre."""
    if pk in sieges(request.user):
        return _candidature_du_siege(request, pk)
    if selectors.siege_au_jury_de(request.user, candidature_id=pk):
        return None
    raise Http404("Candidature introuvable.")


def _candidature_confiee(request, pk):
    """La candidature si elle est confiée à ce membre et qu'il n'est pas en conflit ; 404
    sinon."""
    siege = sieges(request.user).get(pk)
    if siege is None or siege.en_conflit:
        raise Http404("Candidature introuvable.")
    return _candidature_du_siege(request, pk)


def _est_recuse(request, candidature):
    siege = sieges(request.user).get(candidature.pk)
    return siege is not None and siege.en_conflit is True


def _refus_sur_l_espace(request, message, *, statut=409):
    """Le refus d'un membre récusé, ou à qui la candidature n'est plus confiée : son espace
    (la candidature n'y est plus qu'un nom, ou n'y est plus) et le message."""
    messages.error(request, message)
    return render(
        request,
        "evaluation/jury/accueil.html",
        {"lignes": selectors.affectations_du_membre(request.user)},
        status=statut,
    )


def _contexte(request, candidature, *, form_declaration=None, form_notes=None):
    siege = sieges(request.user)[candidature.pk]
    contexte = {"candidature": candidature, "siege": siege}
    if candidature.appel.etat in selectors.ETATS_APPEL_AVANT_EVALUATION:
        # Rien à déclarer ni à noter encore : pas de formulaire qui serait refusé.
        contexte["evaluation_pas_commencee"] = _(services.EVALUATION_PAS_COMMENCEE)
        return contexte
    if siege.en_conflit is None:
        if candidature.appel.etat != EtatAppel.EN_EVALUATION:
            contexte["notation_close"] = True
            return contexte
        contexte["form_declaration"] = form_declaration or DeclarationForm()
        contexte["conflit_suggere"] = selectors.raison_conflit_suggere(
            _membre(request, candidature), candidature
        )
        return contexte
    if request.user.has_perm("evaluation.declarer_conflit", candidature):
        # Un lien découvert en cours de lecture se déclare ici : le membre est alors récusé.
        contexte["form_conflit"] = form_declaration or DeclarationForm(initial={"conflit": "oui"})
    evaluation = Evaluation.objects.filter(affectation_id=siege.affectation_id).first()
    criteres = list(Critere.objects.filter(grille__appel_id=candidature.appel_id))
    contexte.update(
        {
            "reponses": reponses_lisibles(candidature),
            "pieces": pieces_lisibles(candidature),
            "evaluation": evaluation,
            "peut_noter": request.user.has_perm("evaluation.noter", candidature),
            "form_notes": form_notes or NotesForm(criteres=criteres, evaluation=evaluation),
            "voit_les_autres": request.user.has_perm(
                "evaluation.voir_notes_des_autres", candidature
            ),
        }
    )
    if evaluation is not None and evaluation.etat == EtatEvaluation.VALIDEE:
        contexte["suivante"] = selectors.candidature_suivante(request.user, candidature)
    if contexte["voit_les_autres"]:
        contexte["autres"] = [
            e
            for e in selectors.evaluations_validees(candidature)
            if e.affectation_id != siege.affectation_id
        ]
    return contexte


def _membre(request, candidature):
    return MembreJury.objects.select_related("structure", "commune").get(
        utilisateur=request.user, jury__appel_id=candidature.appel_id
    )


@permission_requise(ACCES)
def candidature(request, pk):
    candidature = _candidature_confiee(request, pk)
    return render(request, "evaluation/jury/candidature.html", _contexte(request, candidature))


def _refus(request, erreur, candidature, **formulaires):
    # Récusé, ou la candidature retirée, entre l'affichage de la page et l'envoi : rien de la
    # candidature ne se montre.
    oublier_sieges(request.user)
    if _est_recuse(request, candidature):
        return _refus_sur_l_espace(request, erreur.message)
    if isinstance(erreur, ActionNonPermise):
        raise PermissionDenied(erreur.message)
    statut = 409 if isinstance(erreur, ActionImpossible) else 400
    if candidature.pk not in sieges(request.user):
        return _refus_sur_l_espace(request, erreur.message, statut=statut)
    messages.error(request, erreur.message)
    return render(
        request,
        "evaluation/jury/candidature.html",
        _contexte(request, candidature, **formulaires),
        status=statut,
    )


@permission_requise(ACCES)
def piece_jointe(request, pk, piece_pk):
    """Sert en téléchargement un fichier joint à une candidature confiée à ce membre, s'il a
    déclaré n'avoir aucun conflit avec elle ; introuvable (404) pour tout autre."""
    candidature = _candidature_confiee(request, pk)
    if not request.user.has_perm("evaluation.telecharger_piece_jury", candidature):
        raise Http404("Pièce introuvable.")
    piece = get_object_or_404(PieceJointe, pk=piece_pk, candidature=candidature)
    return servir_fichier(piece.fichier, nom=piece.nom_original, type_mime=piece.type_mime)


@require_POST
@permission_requise(ACCES)
def declarer(request, pk):
    candidature = _candidature_envoyee(request, pk)
    if candidature is None:
        return _refus_sur_l_espace(request, _(services.PLUS_CONFIEE_DECLARATION))
    if _est_recuse(request, candidature):
        raise Http404("Candidature introuvable.")
    form = DeclarationForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "evaluation/jury/candidature.html",
            _contexte(request, candidature, form_declaration=form),
            status=400,
        )
    en_conflit = form.cleaned_data["conflit"] == "oui"
    try:
        services.declarer_conflit(
            candidature,
            par=request.user,
            en_conflit=en_conflit,
            type_conflit=form.cleaned_data["type"],
            precision=form.cleaned_data["precision"],
        )
    except Refus as erreur:
        return _refus(request, erreur, candidature, form_declaration=form)
    if en_conflit:
        messages.success(
            request,
            _("Conflit déclaré : vous êtes récusé pour %(nom)s.")
            % {"nom": candidature.structure.nom},
        )
        return redirect("evaluation:jury_accueil")
    messages.success(request, _("Déclaration enregistrée : vous pouvez lire et noter."))
    return redirect("evaluation:jury_candidature", pk=pk)


@require_POST
@permission_requise(ACCES)
def noter(request, pk):
    candidature = _candidature_envoyee(request, pk)
    if candidature is None:
        return _refus_sur_l_espace(request, _(services.PLUS_CONFIEE_NOTES))
    if _est_recuse(request, candidature):
        return _refus_sur_l_espace(request, services.message_recusation(candidature))
    criteres = list(Critere.objects.filter(grille__appel_id=candidature.appel_id))
    form = NotesForm(request.POST, criteres=criteres)
    if not form.is_valid():
        messages.error(request, _("Certaines notes sont à corriger ; rien n'a été enregistré."))
        return render(
            request,
            "evaluation/jury/candidature.html",
            _contexte(request, candidature, form_notes=form),
            status=400,
        )
    valider = "valider" in request.POST
    try:
        evaluation = services.enregistrer_notes(
            candidature,
            par=request.user,
            notes=form.notes(),
            commentaire=form.cleaned_data["commentaire"],
            valider=valider,
        )
    except Refus as erreur:
        return _refus(request, erreur, candidature, form_notes=form)
    if valider:
        messages.success(
            request, _("Notes validées : %(total)s.") % {"total": _sur_20(evaluation.total_sur_20)}
        )
    else:
        messages.success(request, _("Brouillon enregistré : pensez à valider."))
    return redirect("evaluation:jury_candidature", pk=pk)


def _sur_20(total):
    total = f"{total:.2f}".replace(".", formats.get_format("DECIMAL_SEPARATOR"))
    return _("%(total)s / 20") % {"total": total}

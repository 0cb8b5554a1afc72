"""L'espace des membres du jury : candidatures confiées, déclaration de conflit, notation.

Une candidature non confiée, ou pour laquelle le membre a déclaré un conflit, est
introuvable (404) : son contenu et ses notes ne se voient pas. Un membre récusé qui envoie
encore des notes, ou un membre à qui la candidature a été retirée qui envoie encore ses
notes ou sa déclaration (un onglet resté ouvert), reçoit un refus clair (409) sur son espace,
sans rien de la candidature."""

import rules
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

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
from noyau.refus import repondre_au_refus
from programmes.enums import EtatAppel

ACCES = "evaluation.acceder_espace_jury"


@permission_requise(ACCES)
def accueil(request):
    services.rattacher_au_compte(request.user)
    return render(
        request,
        "evaluation/jury/accueil.html",
        {"lignes": selectors.affectations_du_membre(request.user)},
    )


# Les droits du membre sur une candidature se lisent dans les règles (evaluation/rules.py),
# testées par django-rules seul : un superutilisateur, à qui `user.has_perm` donne toute
# permission, ne siège pas pour autant sur la candidature.


def _siege_sur(request, candidature):
    """La candidature est confiée à ce membre, qu'il soit récusé ou non."""
    return rules.test_rule("siege_sur_la_candidature", request.user, candidature)


def _est_recuse(request, candidature):
    return rules.test_rule("est_recuse", request.user, candidature)


def _candidature_ou_404(pk):
    return get_object_or_404(
        Candidature.objects.select_related("appel__programme", "structure__commune"), pk=pk
    )


def _candidature_envoyee(request, pk):
    """La candidature visée par un envoi du membre (notes, déclaration) si elle lui est
    confiée ; None si elle est de l'appel de son jury sans lui être confiée (retirée depuis
    l'affichage de la page) ; 404 pour toute autre."""
    candidature = _candidature_ou_404(pk)
    if _siege_sur(request, candidature):
        return candidature
    if selectors.siege_au_jury_de(request.user, candidature_id=pk):
        return None
    raise Http404("Candidature introuvable.")


def _candidature_confiee(request, pk):
    """La candidature si elle est confiée à ce membre et qu'il n'est pas en conflit ; 404
    sinon."""
    candidature = _candidature_ou_404(pk)
    if not rules.has_perm("evaluation.voir_candidature_jury", request.user, candidature):
        raise Http404("Candidature introuvable.")
    return candidature


def _refus_sur_l_espace(request, erreur):
    """Le refus d'un membre récusé, ou à qui la candidature n'est plus confiée : son espace
    (la candidature n'y est plus qu'un nom, ou n'y est plus) et le message."""
    return repondre_au_refus(
        request,
        erreur,
        gabarit="evaluation/jury/accueil.html",
        contexte=lambda: {"lignes": selectors.affectations_du_membre(request.user)},
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


def _envoyer(request, action, candidature, **formulaires):
    """L'envoi du membre (notes, déclaration) : `(resultat, None)`, ou `(None, réponse)` au
    refus du service. Récusé, ou la candidature retirée, entre l'affichage de la page et
    l'envoi : la réponse est son espace, où rien de la candidature ne se montre."""
    try:
        return action(), None
    except Refus as erreur:
        oublier_sieges(request.user)
        if _est_recuse(request, candidature):
            return None, _refus_sur_l_espace(request, ActionImpossible(erreur.message))
        if not isinstance(erreur, ActionNonPermise) and not _siege_sur(request, candidature):
            return None, _refus_sur_l_espace(request, erreur)
        return None, repondre_au_refus(
            request,
            erreur,
            gabarit="evaluation/jury/candidature.html",
            contexte=lambda: _contexte(request, candidature, **formulaires),
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
        return _refus_sur_l_espace(request, ActionImpossible(_(services.PLUS_CONFIEE_DECLARATION)))
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
    _declaration, reponse = _envoyer(
        request,
        lambda: services.declarer_conflit(
            candidature,
            par=request.user,
            en_conflit=en_conflit,
            type_conflit=form.cleaned_data["type"],
            precision=form.cleaned_data["precision"],
        ),
        candidature,
        form_declaration=form,
    )
    if reponse:
        return reponse
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
        return _refus_sur_l_espace(request, ActionImpossible(_(services.PLUS_CONFIEE_NOTES)))
    if _est_recuse(request, candidature):
        return _refus_sur_l_espace(
            request, ActionImpossible(services.message_recusation(candidature))
        )
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
    evaluation, reponse = _envoyer(
        request,
        lambda: services.enregistrer_notes(
            candidature,
            par=request.user,
            notes=form.notes(),
            commentaire=form.cleaned_data["commentaire"],
            valider=valider,
        ),
        candidature,
        form_notes=form,
    )
    if reponse:
        return reponse
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

"""Côté structures candidates : appels publics, formulaire de candidature, suivi, pièces."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from candidatures import recepisse, selectors, services
from candidatures.enums import ETATS_AVANT_DECISION, EtatCandidature
from candidatures.forms import FormulaireReponses, RetraitForm
from candidatures.models import PieceJointe
from noyau.erreurs import ActionImpossible, ActionNonPermise, DonneesRefusees
from noyau.fichiers import formats_acceptes, servir_fichier, taille_max
from noyau.refus import executer, repondre_au_refus, statut_du_refus
from noyau.rendu_pdf import RenduDejaEnCours, reponse_rendu_deja_en_cours, un_rendu_a_la_fois
from programmes.enums import EtatAppel
from programmes.models import Appel


def appels(request):
    return render(
        request,
        "candidatures/candidat/appels.html",
        {"appels": selectors.appels_publics(), "maintenant": timezone.now()},
    )


def appel(request, slug):
    appel = get_object_or_404(Appel.objects.select_related("programme"), slug=slug)
    if appel.etat == EtatAppel.BROUILLON and not rules.test_rule(
        "gere_le_programme", request.user, appel
    ):
        raise Http404
    structures = []
    if request.user.is_authenticated:
        candidatures = {
            candidature.structure_id: candidature
            for candidature in appel.candidatures.filter(
                structure__in=selectors.structures_de(request.user)
            )
        }
        structures = [
            {
                "structure": structure,
                "eligibilite": selectors.eligibilite_de_la_structure(appel, structure),
                "candidature": candidatures.get(structure.pk),
            }
            for structure in selectors.structures_de(request.user)
        ]
    return render(
        request,
        "candidatures/candidat/appel.html",
        {
            "appel": appel,
            "conditions": selectors.conditions_d_eligibilite(appel),
            "pieces_demandees": appel.pieces_demandees.all(),
            "structures": structures,
            "accepte_les_depots": appel.accepte_les_depots(),
            "maintenant": timezone.now(),
        },
    )


@require_POST
@login_required
def candidater(request, slug):
    appel = get_object_or_404(Appel, slug=slug)
    structures = selectors.structures_de(request.user)
    if not structures:
        messages.info(request, _("Créez d'abord le profil de votre structure."))
        return redirect(f"{reverse('candidatures:structure_nouvelle')}?appel={appel.slug}")
    identifiant = request.POST.get("structure", "")
    if not identifiant.isdigit():
        raise Http404
    structure = get_object_or_404(structures, pk=identifiant)
    try:
        candidature, creee = services.commencer_candidature(appel, structure, par=request.user)
    except ActionNonPermise as refus:
        raise PermissionDenied(refus.message) from refus
    except ActionImpossible as refus:
        messages.error(request, refus.message)
        return redirect("candidatures:appel", slug=appel.slug)
    if not creee:
        messages.info(request, _("Votre structure a déjà une candidature à cet appel : la voici."))
    return redirect("candidatures:formulaire", pk=candidature.pk)


def _candidature_visible(request, pk):
    return get_object_or_404(
        selectors.candidatures_visibles_par(request.user).select_related(
            "appel__programme", "structure__commune"
        ),
        pk=pk,
    )


@login_required
def candidature(request, pk):
    """Le suivi d'une candidature : état, chronologie, messages reçus, actions possibles."""
    candidature = _candidature_visible(request, pk)
    if not rules.test_rule("est_membre_de_la_structure", request.user, candidature):
        return redirect("candidatures:gestion_candidature", pk=candidature.pk)
    return render(
        request,
        "candidatures/candidat/candidature.html",
        {
            "candidature": candidature,
            "chronologie": selectors.chronologie(candidature, pour_la_structure=True),
            "messages_recus": selectors.messages_de_la_candidature(candidature, request.user),
            "reponses": selectors.reponses_lisibles(candidature),
            "pieces": selectors.pieces_lisibles(candidature),
            "peut_retirer": candidature.etat in ETATS_AVANT_DECISION,
            "a_un_recepisse": candidature.deposee_le is not None,
        },
    )


def _contexte_formulaire(candidature, form):
    pieces = {piece.nom_de_champ: piece for piece in candidature.pieces_jointes.all()}
    return {
        "candidature": candidature,
        "form": form,
        "champs_questions": [
            (question, form[question.nom_de_champ], pieces.get(question.nom_de_champ))
            for question in form.questions
        ],
        "champs_pieces": [
            (piece, form[piece.nom_de_champ], pieces.get(piece.nom_de_champ))
            for piece in form.pieces_demandees
        ],
        "manques": candidature.manques(),
        "taille_max_mo": taille_max() // (1024 * 1024),
        "formats_acceptes": formats_acceptes(),
        "est_redepot": candidature.etat == EtatCandidature.A_COMPLETER,
    }


def _enregistrer_formulaire(request, candidature, form):
    """Enregistre les réponses bien remplies et les fichiers envoyés ; un fichier refusé
    devient une erreur sur son champ. Renvoie la candidature relue."""
    form.is_valid()
    candidature = services.enregistrer_reponses(
        candidature, par=request.user, reponses=form.reponses_valides()
    )
    for nom_de_champ, fichier, piece_demandee, question in form.fichiers_envoyes():
        try:
            services.joindre_fichier(
                candidature,
                par=request.user,
                fichier=fichier,
                piece_demandee=piece_demandee,
                question=question,
            )
        except DonneesRefusees as refus:
            form.add_error(nom_de_champ, refus.message)
    return candidature


@login_required
def formulaire(request, pk):
    candidature = _candidature_visible(request, pk)
    if not request.user.has_perm("candidatures.voir_candidature", candidature):
        raise Http404
    if not request.user.has_perm("candidatures.modifier_candidature", candidature):
        if rules.test_rule("est_membre_de_la_structure", request.user, candidature):
            messages.info(
                request,
                _("Cette candidature est « %(etat)s » : elle ne se modifie plus.")
                % {"etat": candidature.get_etat_display()},
            )
        return redirect("candidatures:candidature", pk=candidature.pk)

    if request.method != "POST":
        form = FormulaireReponses(candidature=candidature)
        return render(
            request,
            "candidatures/candidat/formulaire.html",
            _contexte_formulaire(candidature, form),
        )

    form = FormulaireReponses(request.POST, request.FILES, candidature=candidature)
    gabarit = "candidatures/candidat/formulaire.html"
    try:
        candidature = _enregistrer_formulaire(request, candidature, form)
        piece_a_retirer = request.POST.get("retirer_piece", "")
        if piece_a_retirer:
            if not piece_a_retirer.isdigit():
                raise Http404
            piece = get_object_or_404(PieceJointe, pk=piece_a_retirer, candidature=candidature)
            services.retirer_fichier(piece, par=request.user)
            messages.success(request, _("« %(nom)s » est retiré.") % {"nom": piece.nom_original})
        if form.errors:
            messages.error(
                request,
                _(
                    "Certaines réponses n'ont pas pu être enregistrées : corrigez les champs "
                    "signalés. Les autres sont enregistrées."
                ),
            )
            return render(request, gabarit, _contexte_formulaire(candidature, form), status=400)
        if request.POST.get("action") == "deposer":
            if candidature.etat == EtatCandidature.A_COMPLETER:
                services.redeposer_candidature(candidature, par=request.user)
            else:
                services.deposer_candidature(candidature, par=request.user)
            messages.success(
                request,
                _(
                    "Votre candidature est déposée. Une confirmation avec le récépissé est "
                    "envoyée par courriel."
                ),
            )
            return redirect("candidatures:candidature", pk=candidature.pk)
    except (ActionImpossible, ActionNonPermise, DonneesRefusees) as refus:
        # Relue, pas refresh_from_db() : celui de django-fsm retire un moment la protection du
        # champ `etat`, partagée entre les fils ; deux refus simultanés finissaient en 500.
        candidature = _candidature_visible(request, pk)
        return repondre_au_refus(
            request, refus, gabarit=gabarit, contexte=_contexte_formulaire(candidature, form)
        )
    if not piece_a_retirer:
        messages.success(request, _("Brouillon enregistré."))
    adresse = reverse("candidatures:formulaire", args=[candidature.pk])
    envoyes = form.fichiers_envoyes()
    if envoyes:
        # Choisir un fichier envoie tout le formulaire : la page revient à ce champ, pas en haut.
        return redirect(f"{adresse}#div_id_{envoyes[-1][0]}")
    return redirect(adresse)


@require_POST
@login_required
def enregistrement_automatique(request, pk):
    """Appelée par le script du formulaire quelques secondes après chaque saisie : enregistre
    les réponses (pas les fichiers) et renvoie l'heure et le panneau « Ce qui manque »."""
    candidature = _candidature_visible(request, pk)
    form = FormulaireReponses(request.POST, candidature=candidature)
    try:
        form.is_valid()
        candidature = services.enregistrer_reponses(
            candidature, par=request.user, reponses=form.reponses_valides()
        )
    except (ActionImpossible, ActionNonPermise) as refus:
        return JsonResponse({"message": refus.message}, status=statut_du_refus(refus))
    heure = date_format(timezone.localtime(candidature.brouillon_enregistre_le), "H:i")
    erreurs = {nom: [str(e) for e in liste] for nom, liste in form.errors.items()}
    return JsonResponse(
        {
            "message": _("Brouillon enregistré automatiquement à %(heure)s.") % {"heure": heure}
            + (" " + _("Certains champs sont à corriger.") if erreurs else ""),
            "erreurs": erreurs,
            "panneau": render_to_string(
                "candidatures/candidat/_completude.html",
                {"manques": candidature.manques(), "candidature": candidature},
            ),
        }
    )


@login_required
def retirer(request, pk):
    candidature = _candidature_visible(request, pk)
    if not request.user.has_perm("candidatures.retirer_candidature", candidature):
        raise PermissionDenied(_("Seule la structure candidate peut retirer sa candidature."))
    form = RetraitForm(request.POST or None)
    gabarit = "candidatures/candidat/retirer.html"
    if request.method == "POST" and form.is_valid():
        _retiree, refus = executer(
            request,
            lambda: services.retirer_candidature(
                candidature, par=request.user, motif=form.cleaned_data["motif"]
            ),
            gabarit=gabarit,
            contexte={"candidature": candidature, "form": form},
            succes=_("Votre candidature est retirée."),
        )
        return refus or redirect("candidatures:candidature", pk=candidature.pk)
    return render(request, gabarit, {"candidature": candidature, "form": form})


@login_required
def recepisse_pdf(request, pk):
    candidature = _candidature_visible(request, pk)
    if candidature.deposee_le is None:
        raise Http404(_("Cette candidature n'a pas encore été déposée."))
    try:
        with un_rendu_a_la_fois(request.user):
            pdf = recepisse.generer_pdf(candidature)
    except RenduDejaEnCours:
        return reponse_rendu_deja_en_cours(
            request, retour=reverse("candidatures:candidature", args=[candidature.pk])
        )
    reponse = HttpResponse(pdf, content_type="application/pdf")
    reponse["Content-Disposition"] = f'inline; filename="{recepisse.nom_de_fichier(candidature)}"'
    return reponse


@login_required
def piece_jointe(request, pk, piece_pk):
    """Sert un fichier joint à qui peut lire la candidature, en téléchargement seulement."""
    piece = selectors.piece_jointe_visible(request.user, candidature_id=pk, piece_id=piece_pk)
    if piece is None:
        raise Http404
    return servir_fichier(piece.fichier, nom=piece.nom_original, type_mime=piece.type_mime)

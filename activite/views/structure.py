"""Côté structure (et sa coach) : l'activité d'une structure, la saisie d'une action après
la séance, les bénéficiaires, la liste d'attente et l'import des tableurs."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from activite import services
from activite.enums import StatutParticipation, statuts_permis
from activite.forms import (
    ActionForm,
    AjoutParticipantsForm,
    BeneficiaireForm,
    ImportForm,
    ListeAttenteForm,
    NouveauxParticipants,
    participants_avec_une_ligne_de_plus,
)
from activite.importation import ImportIllisible, importer_activite, lire_televersements
from activite.models import Action, Beneficiaire, ListeAttente
from activite.rules import REFUS_SAISIE
from activite.selectors import structures_suivies_par
from noyau.decorateurs import permission_requise
from noyau.refus import executer
from structures.models import Structure

ACTIONS_AFFICHEES = 200
REFUS_NON_LAUREATE = gettext_lazy(
    "L'activité (ateliers, permanences, parcours) se saisit une fois la structure lauréate "
    "d'un appel, par les personnes de la structure et sa coach."
)


def _structure(request, pk, **kwargs):
    return get_object_or_404(Structure, pk=pk)


def _structure_de_l_action(request, pk, **kwargs):
    return get_object_or_404(Action.objects.select_related("structure"), pk=pk).structure


@permission_requise("activite.lister_activites", refus=REFUS_NON_LAUREATE)
def mes_structures(request):
    structures = structures_suivies_par(request.user).annotate(nombre_actions=Count("actions"))
    return render(request, "activite/structures.html", {"structures": structures})


@permission_requise("activite.voir_activite", objet=_structure, refus=REFUS_NON_LAUREATE)
def activite(request, pk):
    structure = get_object_or_404(Structure, pk=pk)
    actions = (
        structure.actions.select_related("theme")
        .annotate(nombre_participants=Count("participations"))
        .order_by("-date_debut", "-pk")
    )
    return render(
        request,
        "activite/activite.html",
        {
            "structure": structure,
            "actions": actions[:ACTIONS_AFFICHEES],
            "nombre_actions": structure.actions.count(),
            "nombre_beneficiaires": structure.beneficiaires.count(),
            "liste_attente": ListeAttente.objects.filter(structure=structure).first(),
            "peut_saisir": request.user.has_perm("activite.saisir_activite", structure),
        },
    )


def _nouveaux_participants(formset):
    """Les champs des bénéficiaires à créer, un par ligne remplie du formulaire."""
    return [
        {
            "code": form.cleaned_data["code"],
            "genre": form.cleaned_data["genre"] or "NR",
            "annee_naissance": form.cleaned_data["annee_naissance"],
            "commune": form.cleaned_data["commune"],
        }
        for form in formset
        if not form.est_vide
    ]


def _codes_connus(structure):
    return structure.beneficiaires.order_by("code").values_list("code", flat=True)[:2000]


@permission_requise("activite.saisir_activite", objet=_structure)
def action_nouvelle(request, pk, action_pk=None):
    structure = get_object_or_404(Structure, pk=pk)
    action = None
    if action_pk is not None:
        action = get_object_or_404(Action, pk=action_pk, structure=structure)
    form = ActionForm(request.POST or None, instance=action, structure=structure)
    formset = NouveauxParticipants(request.POST or None, prefix="nouveaux")
    if request.method == "POST" and "ajouter_ligne" in request.POST:
        # « Ajouter une ligne » : la même page, ce qui est tapé gardé, une ligne vide de plus,
        # sans rien enregistrer ni afficher d'erreur.
        initial = {nom: form[nom].data for nom in form.fields}
        return render(
            request,
            "activite/action_formulaire.html",
            {
                "structure": structure,
                "action": action,
                "form": ActionForm(initial=initial, instance=action, structure=structure),
                "formset": participants_avec_une_ligne_de_plus(formset),
                "codes_connus": _codes_connus(structure),
            },
        )
    contexte = {
        "structure": structure,
        "action": action,
        "form": form,
        "formset": formset,
        "codes_connus": _codes_connus(structure),
    }
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        champs = {nom: form.cleaned_data[nom] for nom in ActionForm.Meta.fields}
        resultat, refus = executer(
            request,
            lambda: services.saisir_action(
                structure,
                par=request.user,
                action=action,
                participants=form.cleaned_data["codes"],
                nouveaux=_nouveaux_participants(formset),
                **champs,
            ),
            gabarit="activite/action_formulaire.html",
            contexte=contexte,
            formulaire=form,
        )
        if refus:
            return refus
        enregistree, nouveaux = resultat
        codes = ", ".join(b.code for b in nouveaux)
        if codes:
            texte = _("%(action)s enregistré ; nouveaux participants : %(codes)s.") % {
                "action": enregistree,
                "codes": codes,
            }
        else:
            texte = _("%(action)s enregistré.") % {"action": enregistree}
        messages.success(request, texte)
        return redirect("activite:action", pk=enregistree.pk)
    return render(
        request,
        "activite/action_formulaire.html",
        contexte,
        status=400 if request.method == "POST" else 200,
    )


def _contexte_action(request, action, *, ajout=None, nouveau=None):
    structure = action.structure
    peut_saisir = request.user.has_perm("activite.saisir_activite", structure)
    participations = action.participations.select_related("beneficiaire").order_by(
        "beneficiaire__code"
    )
    return {
        "action": action,
        "structure": structure,
        "participations": participations,
        "statuts": [(s, StatutParticipation(s).label) for s in statuts_permis(action.type)],
        "peut_saisir": peut_saisir,
        "ajout": AjoutParticipantsForm(structure=structure) if ajout is None else ajout,
        "nouveau": BeneficiaireForm(prefix="nouveau") if nouveau is None else nouveau,
        "codes_connus": _codes_connus(structure) if peut_saisir else [],
    }


@permission_requise("activite.voir_activite", objet=_structure_de_l_action)
def action(request, pk):
    action = get_object_or_404(Action.objects.select_related("structure", "theme"), pk=pk)
    structure = action.structure
    if request.method != "POST":
        return render(request, "activite/action.html", _contexte_action(request, action))
    if not request.user.has_perm("activite.saisir_activite", structure):
        raise PermissionDenied(str(REFUS_SAISIE))
    ajout = AjoutParticipantsForm(request.POST, structure=structure)
    nouveau = BeneficiaireForm(request.POST, prefix="nouveau")
    contexte = _contexte_action(request, action, ajout=ajout, nouveau=nouveau)
    rempli = any(
        request.POST.get(f"nouveau-{c}")
        for c in ("code", "annee_naissance", "commune", "commune_code")
    )
    if not ajout.is_valid() or (rempli and not nouveau.is_valid()):
        return render(request, "activite/action.html", contexte, status=400)
    participants, refus = executer(
        request,
        lambda: services.ajouter_participants(
            action,
            ajout.cleaned_data["codes"],
            par=request.user,
            nouveau=nouveau.cleaned_data if rempli else None,
        ),
        gabarit="activite/action.html",
        contexte=contexte,
        formulaire=nouveau,
        champ="code",
    )
    if refus:
        return refus
    messages.success(
        request, _("%(nombre)s participant(s) ajouté(s).") % {"nombre": len(participants)}
    )
    return redirect("activite:action", pk=action.pk)


@require_POST
@permission_requise("activite.saisir_activite", objet=_structure_de_l_action)
def action_statuts(request, pk):
    action = get_object_or_404(Action, pk=pk)
    statuts = {
        int(cle.removeprefix("statut-")): valeur
        for cle, valeur in request.POST.items()
        if cle.startswith("statut-") and cle.removeprefix("statut-").isdigit()
    }
    _resultat, refus = executer(
        request,
        lambda: services.changer_statuts(action, statuts, par=request.user),
        gabarit="activite/action.html",
        contexte=lambda: _contexte_action(request, action),
        succes=_("Statuts enregistrés."),
    )
    return refus or redirect("activite:action", pk=action.pk)


@require_POST
@permission_requise("activite.saisir_activite", objet=_structure_de_l_action)
def action_retirer_participant(request, pk, participation_pk):
    action = get_object_or_404(Action.objects.select_related("structure"), pk=pk)
    _resultat, refus = executer(
        request,
        lambda: services.retirer_participant(action, participation_pk, par=request.user),
        gabarit="activite/action.html",
        contexte=lambda: _contexte_action(request, action),
        succes=_("Participant retiré de l'action."),
    )
    return refus or redirect("activite:action", pk=action.pk)


@require_POST
@permission_requise("activite.saisir_activite", objet=_structure_de_l_action)
def action_supprimer(request, pk):
    action = get_object_or_404(Action.objects.select_related("structure"), pk=pk)
    structure = action.structure
    _resultat, refus = executer(
        request,
        lambda: services.supprimer_action(action, par=request.user),
        gabarit="activite/action.html",
        contexte=lambda: _contexte_action(request, action),
        succes=_("Action supprimée."),
    )
    return refus or redirect("activite:activite", pk=structure.pk)


@permission_requise("activite.voir_activite", objet=_structure)
def beneficiaires(request, pk):
    structure = get_object_or_404(Structure, pk=pk)
    peut_saisir = request.user.has_perm("activite.saisir_activite", structure)
    form = BeneficiaireForm(request.POST or None)
    liste = (
        Beneficiaire.objects.filter(structure=structure)
        .select_related("commune")
        .annotate(nombre_participations=Count("participations"))
        .order_by("code")
    )
    contexte = {
        "structure": structure,
        "beneficiaires": liste,
        "form": form,
        "peut_saisir": peut_saisir,
    }
    if request.method == "POST":
        if not peut_saisir:
            raise PermissionDenied(str(REFUS_SAISIE))
        if form.is_valid():
            beneficiaire, refus = executer(
                request,
                lambda: services.ajouter_beneficiaire(
                    structure, par=request.user, **form.cleaned_data
                ),
                gabarit="activite/beneficiaires.html",
                contexte=contexte,
                formulaire=form,
                champ="code",
            )
            if refus:
                return refus
            messages.success(
                request, _("Bénéficiaire %(code)s ajouté.") % {"code": beneficiaire.code}
            )
            return redirect("activite:beneficiaires", pk=structure.pk)
    return render(
        request, "activite/beneficiaires.html", contexte, status=400 if form.errors else 200
    )


@permission_requise("activite.saisir_activite", objet=_structure)
def liste_attente(request, pk):
    structure = get_object_or_404(Structure, pk=pk)
    form = ListeAttenteForm(request.POST or None)
    contexte = {
        "structure": structure,
        "form": form,
        "historique": ListeAttente.objects.filter(structure=structure)[:24],
    }
    if request.method == "POST" and form.is_valid():
        _liste, refus = executer(
            request,
            lambda: services.enregistrer_liste_attente(
                structure, par=request.user, **form.cleaned_data
            ),
            gabarit="activite/liste_attente.html",
            contexte=contexte,
            succes=_("Liste d'attente enregistrée."),
        )
        return refus or redirect("activite:activite", pk=structure.pk)
    return render(
        request, "activite/liste_attente.html", contexte, status=400 if form.errors else 200
    )


@permission_requise("activite.saisir_activite", objet=_structure)
def importer(request, pk):
    structure = get_object_or_404(Structure, pk=pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    contexte = {"structure": structure, "form": form, "rapport": None, "erreur_lecture": None}
    if request.method == "POST" and form.is_valid():
        try:
            feuilles = lire_televersements(form.cleaned_data["fichiers"])
        except ImportIllisible as erreur:
            contexte["erreur_lecture"] = str(erreur)
        else:
            contexte["rapport"], refus = executer(
                request,
                lambda: importer_activite(
                    structure,
                    feuilles,
                    remplacer=form.cleaned_data["remplacer"],
                    essai=form.cleaned_data["essai"],
                    par=request.user,
                ),
                gabarit="activite/import.html",
                contexte=contexte,
            )
            if refus:
                return refus
    rapport = contexte["rapport"]
    statut = 200
    if request.method == "POST" and (
        form.errors or contexte["erreur_lecture"] or (rapport and rapport.erreurs)
    ):
        statut = 400
    return render(request, "activite/import.html", contexte, status=statut)

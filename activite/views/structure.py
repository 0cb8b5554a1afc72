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
from activite.erreurs import SaisieRefusee
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
from activite.selectors import structures_suivies_par
from candidatures.models import Structure
from noyau.decorateurs import permission_requise

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


def _nouveaux_participants(structure, formset, *, par):
    """Crée les bénéficiaires des lignes remplies du formulaire ; SaisieRefusee sinon."""
    crees = []
    for form in formset:
        if form.est_vide:
            continue
        crees.append(
            services.ajouter_beneficiaire(
                structure,
                par=par,
                code=form.cleaned_data["code"],
                genre=form.cleaned_data["genre"] or "NR",
                annee_naissance=form.cleaned_data["annee_naissance"],
                commune=form.cleaned_data["commune"],
            )
        )
    return crees


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
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        from django.db import transaction

        try:
            with transaction.atomic():
                nouveaux = _nouveaux_participants(structure, formset, par=request.user)
                champs = {nom: form.cleaned_data[nom] for nom in ActionForm.Meta.fields}
                action = services.enregistrer_action(
                    structure,
                    par=request.user,
                    action=action,
                    participants=[*form.cleaned_data["codes"], *nouveaux],
                    **champs,
                )
        except SaisieRefusee as erreur:
            form.add_error(None, str(erreur))
        else:
            codes = ", ".join(b.code for b in nouveaux)
            if codes:
                texte = _("%(action)s enregistré ; nouveaux participants : %(codes)s.") % {
                    "action": action,
                    "codes": codes,
                }
            else:
                texte = _("%(action)s enregistré.") % {"action": action}
            messages.success(request, texte)
            return redirect("activite:action", pk=action.pk)
    return render(
        request,
        "activite/action_formulaire.html",
        {
            "structure": structure,
            "action": action,
            "form": form,
            "formset": formset,
            "codes_connus": _codes_connus(structure),
        },
        status=400 if request.method == "POST" else 200,
    )


@permission_requise("activite.voir_activite", objet=_structure_de_l_action)
def action(request, pk):
    action = get_object_or_404(Action.objects.select_related("structure", "theme"), pk=pk)
    structure = action.structure
    peut_saisir = request.user.has_perm("activite.saisir_activite", structure)
    ajout = AjoutParticipantsForm(structure=structure)
    nouveau = BeneficiaireForm(prefix="nouveau")
    if request.method == "POST":
        if not peut_saisir:
            raise PermissionDenied(_("Vous ne pouvez pas modifier l'activité de cette structure."))
        ajout = AjoutParticipantsForm(request.POST, structure=structure)
        nouveau = BeneficiaireForm(request.POST, prefix="nouveau")
        rempli = any(
            request.POST.get(f"nouveau-{c}")
            for c in ("code", "annee_naissance", "commune", "commune_code")
        )
        if ajout.is_valid() and (not rempli or nouveau.is_valid()):
            try:
                participants = list(ajout.cleaned_data["codes"])
                if rempli:
                    participants.append(
                        services.ajouter_beneficiaire(
                            structure, par=request.user, **nouveau.cleaned_data
                        )
                    )
                services.ajouter_participants(action, participants)
            except SaisieRefusee as erreur:
                nouveau.add_error("code", str(erreur))
            else:
                messages.success(
                    request,
                    _("%(nombre)s participant(s) ajouté(s).") % {"nombre": len(participants)},
                )
                return redirect("activite:action", pk=action.pk)
    participations = action.participations.select_related("beneficiaire").order_by(
        "beneficiaire__code"
    )
    return render(
        request,
        "activite/action.html",
        {
            "action": action,
            "structure": structure,
            "participations": participations,
            "statuts": [(s, StatutParticipation(s).label) for s in statuts_permis(action.type)],
            "peut_saisir": peut_saisir,
            "ajout": ajout,
            "nouveau": nouveau,
            "codes_connus": _codes_connus(structure) if peut_saisir else [],
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@permission_requise("activite.saisir_activite", objet=_structure_de_l_action)
def action_statuts(request, pk):
    action = get_object_or_404(Action, pk=pk)
    statuts = {
        int(cle.removeprefix("statut-")): valeur
        for cle, valeur in request.POST.items()
        if cle.startswith("statut-") and cle.removeprefix("statut-").isdigit()
    }
    try:
        services.changer_statuts(action, statuts, par=request.user)
    except SaisieRefusee as erreur:
        messages.error(request, str(erreur))
    else:
        messages.success(request, _("Statuts enregistrés."))
    return redirect("activite:action", pk=action.pk)


@require_POST
@permission_requise("activite.saisir_activite", objet=_structure_de_l_action)
def action_retirer_participant(request, pk, participation_pk):
    action = get_object_or_404(Action, pk=pk)
    services.retirer_participant(action, participation_pk)
    messages.success(request, _("Participant retiré de l'action."))
    return redirect("activite:action", pk=action.pk)


@require_POST
@permission_requise("activite.saisir_activite", objet=_structure_de_l_action)
def action_supprimer(request, pk):
    action = get_object_or_404(Action, pk=pk)
    structure = action.structure
    services.supprimer_action(action, par=request.user)
    messages.success(request, _("Action supprimée."))
    return redirect("activite:activite", pk=structure.pk)


@permission_requise("activite.voir_activite", objet=_structure)
def beneficiaires(request, pk):
    structure = get_object_or_404(Structure, pk=pk)
    peut_saisir = request.user.has_perm("activite.saisir_activite", structure)
    form = BeneficiaireForm(request.POST or None)
    if request.method == "POST":
        if not peut_saisir:
            raise PermissionDenied(_("Vous ne pouvez pas modifier l'activité de cette structure."))
        if form.is_valid():
            try:
                beneficiaire = services.ajouter_beneficiaire(
                    structure, par=request.user, **form.cleaned_data
                )
            except SaisieRefusee as erreur:
                form.add_error("code", str(erreur))
            else:
                messages.success(
                    request, _("Bénéficiaire %(code)s ajouté.") % {"code": beneficiaire.code}
                )
                return redirect("activite:beneficiaires", pk=structure.pk)
    liste = (
        Beneficiaire.objects.filter(structure=structure)
        .select_related("commune")
        .annotate(nombre_participations=Count("participations"))
        .order_by("code")
    )
    return render(
        request,
        "activite/beneficiaires.html",
        {
            "structure": structure,
            "beneficiaires": liste,
            "form": form,
            "peut_saisir": peut_saisir,
        },
        status=400 if form.errors else 200,
    )


@permission_requise("activite.saisir_activite", objet=_structure)
def liste_attente(request, pk):
    structure = get_object_or_404(Structure, pk=pk)
    form = ListeAttenteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.enregistrer_liste_attente(structure, par=request.user, **form.cleaned_data)
        messages.success(request, _("Liste d'attente enregistrée."))
        return redirect("activite:activite", pk=structure.pk)
    return render(
        request,
        "activite/liste_attente.html",
        {
            "structure": structure,
            "form": form,
            "historique": ListeAttente.objects.filter(structure=structure)[:24],
        },
        status=400 if form.errors else 200,
    )


@permission_requise("activite.saisir_activite", objet=_structure)
def importer(request, pk):
    structure = get_object_or_404(Structure, pk=pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    rapport = None
    erreur_lecture = None
    if request.method == "POST" and form.is_valid():
        try:
            feuilles = lire_televersements(form.cleaned_data["fichiers"])
        except ImportIllisible as erreur:
            erreur_lecture = str(erreur)
        else:
            rapport = importer_activite(
                structure,
                feuilles,
                remplacer=form.cleaned_data["remplacer"],
                essai=form.cleaned_data["essai"],
                par=request.user,
            )
    statut = 200
    if request.method == "POST" and (
        form.errors or erreur_lecture or (rapport and rapport.erreurs)
    ):
        statut = 400
    return render(
        request,
        "activite/import.html",
        {
            "structure": structure,
            "form": form,
            "rapport": rapport,
            "erreur_lecture": erreur_lecture,
        },
        status=statut,
    )

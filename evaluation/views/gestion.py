"""Back office du jury : réglages, membres, affectations, grille, avancement, classement,
délibération, publication des résultats et liste d'attente.

Un gestionnaire ne voit que les appels de ses programmes : les autres sont introuvables."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from candidatures.selectors import appels_geres_par
from evaluation import lettres, selectors, services
from evaluation.forms import (
    AffectationForm,
    AjoutAffectationForm,
    CritereFormSet,
    DecisionsForm,
    MembreForm,
    ReglagesJuryForm,
    SeanceForm,
)
from evaluation.models import (
    Affectation,
    ConflitInterets,
    Decision,
    Deliberation,
    Grille,
    Note,
    Recusation,
)
from noyau.decorateurs import permission_requise
from noyau.pages_en_cache import page_en_cache
from noyau.refus import executer
from noyau.rendu_pdf import RenduDejaEnCours, reponse_rendu_deja_en_cours, un_rendu_a_la_fois

ACCES = "comptes.acceder_gestion"
GABARIT_JURY = "evaluation/gestion/jury.html"
GABARIT_DELIBERATION = "evaluation/gestion/deliberation.html"


def _appel_gere(request, pk):
    # La délibération, lue avec l'appel, dit si son onglet existe.
    return get_object_or_404(
        appels_geres_par(request.user).select_related("programme", "deliberation"), pk=pk
    )


def _jury_ou_404(appel):
    jury = selectors.jury_de(appel)
    if jury is None:
        raise Http404("Ce jury n'est pas encore préparé.")
    return jury


def _contexte_jury(request, appel, jury, **formulaires):
    if jury is None:
        return {"appel": appel, "jury": None}
    affectations = (
        Affectation.objects.filter(membre__jury=jury)
        .select_related("membre__utilisateur", "evaluation")
        .order_by("membre__email")
    )
    par_candidature = {}
    for affectation in affectations:
        par_candidature.setdefault(affectation.candidature_id, []).append(affectation)
    candidatures = list(selectors.avancement_par_candidature(appel))
    for candidature in candidatures:
        candidature.liste_affectations = par_candidature.get(candidature.pk, [])
    return {
        "appel": appel,
        "jury": jury,
        "membres": selectors.avancement_par_membre(jury),
        "candidatures": candidatures,
        "form_reglages": formulaires.get("form_reglages") or ReglagesJuryForm(instance=jury),
        "form_membre": formulaires.get("form_membre") or MembreForm(appel=appel),
        "form_affectation": formulaires.get("form_affectation")
        or AffectationForm(
            initial={"mode": jury.mode_affectation, "par_candidature": jury.membres_par_candidature}
        ),
        "form_ajout": AjoutAffectationForm(jury=jury),
        "peut_ajouter_membre": appel.etat in services.ETATS_APPEL_JURY_OUVERT,
        "transitions": [t.name for t in appel.get_available_user_etat_transitions(request.user)],
    }


def _sur_le_jury(request, action, appel, jury=None, *, succes=None, **formulaires):
    """`executer` sur la page du jury : un refus la réaffiche, relue après lui (le jury de
    l'appel aussi, s'il n'est pas donné)."""
    return executer(
        request,
        action,
        gabarit=GABARIT_JURY,
        contexte=lambda: _contexte_jury(
            request, appel, jury or selectors.jury_de(appel), **formulaires
        ),
        succes=succes,
    )


@permission_requise(ACCES)
def jury(request, pk):
    appel = _appel_gere(request, pk)
    return render(
        request,
        GABARIT_JURY,
        _contexte_jury(request, appel, selectors.jury_de(appel)),
    )


@require_POST
@permission_requise(ACCES)
def preparer(request, pk):
    appel = _appel_gere(request, pk)
    _jury, reponse = _sur_le_jury(
        request,
        lambda: services.preparer_jury(appel, par=request.user),
        appel,
        succes=_("Le jury et sa grille sont prêts."),
    )
    if reponse:
        return reponse
    return redirect("evaluation:gestion_jury", pk=pk)


@require_POST
@permission_requise(ACCES)
def regler(request, pk):
    appel = _appel_gere(request, pk)
    jury = _jury_ou_404(appel)
    form = ReglagesJuryForm(request.POST, instance=jury)
    if not form.is_valid():
        messages.error(request, _("Réglages à corriger ; rien n'a été enregistré."))
        return render(
            request,
            GABARIT_JURY,
            _contexte_jury(request, appel, jury, form_reglages=form),
            status=400,
        )
    jury = selectors.jury_de(appel)
    _jury, reponse = _sur_le_jury(
        request,
        lambda: services.regler_jury(jury, par=request.user, champs=form.cleaned_data),
        appel,
        jury,
        succes=_("Réglages du jury enregistrés."),
        form_reglages=form,
    )
    if reponse:
        return reponse
    return redirect("evaluation:gestion_jury", pk=pk)


@require_POST
@permission_requise(ACCES)
def ajouter_membre(request, pk):
    appel = _appel_gere(request, pk)
    jury = _jury_ou_404(appel)
    form = MembreForm(request.POST, appel=appel)
    if not form.is_valid():
        return render(
            request,
            GABARIT_JURY,
            _contexte_jury(request, appel, jury, form_membre=form),
            status=400,
        )
    membre, reponse = _sur_le_jury(
        request,
        lambda: services.ajouter_membre(jury, par=request.user, **form.cleaned_data),
        appel,
        jury,
        form_membre=form,
    )
    if reponse:
        return reponse
    if membre.utilisateur_id is None:
        message = _("%(email)s fait partie du jury ; une invitation lui est envoyée.")
    else:
        message = _("%(email)s fait partie du jury.")
    messages.success(request, message % {"email": membre.email})
    return redirect("evaluation:gestion_jury", pk=pk)


@require_POST
@permission_requise(ACCES)
def affecter(request, pk):
    appel = _appel_gere(request, pk)
    jury = _jury_ou_404(appel)
    form = AffectationForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            GABARIT_JURY,
            _contexte_jury(request, appel, jury, form_affectation=form),
            status=400,
        )
    repartition, reponse = _sur_le_jury(
        request,
        lambda: services.affecter(
            jury,
            par=request.user,
            mode=form.cleaned_data["mode"],
            par_candidature=form.cleaned_data["par_candidature"],
        ),
        appel,
        jury,
        form_affectation=form,
    )
    if reponse:
        return reponse
    if repartition.sous_couvertes:
        messages.warning(request, _message_sous_couvertes(repartition.sous_couvertes))
    else:
        messages.success(request, _("Candidatures affectées."))
    if repartition.gardees:
        messages.warning(request, _message_affectations_gardees(repartition.gardees))
    return redirect("evaluation:gestion_jury", pk=pk)


def _message_sous_couvertes(sous_couvertes):
    liste = _(" ; ").join(
        _couverture(candidature.structure.nom, obtenus, voulus)
        for candidature, obtenus, voulus in sous_couvertes
    )
    return ngettext(
        "Répartition incomplète : une candidature n'a pas assez de membres sans conflit "
        "d'intérêts : %(liste)s. Ajoutez des membres au jury ou réduisez le nombre de membres "
        "par candidature.",
        "Répartition incomplète : %(nombre)s candidatures n'ont pas assez de membres sans "
        "conflit d'intérêts : %(liste)s. Ajoutez des membres au jury ou réduisez le nombre de "
        "membres par candidature.",
        len(sous_couvertes),
    ) % {"nombre": len(sous_couvertes), "liste": liste}


def _couverture(nom, obtenus, voulus):
    """« Nom (2 membres sur 3) » ; « 0 membre » garde le singulier, comme en français."""
    valeurs = {"nom": nom, "obtenus": obtenus, "voulus": voulus}
    if obtenus == 0:
        return _("%(nom)s (0 membre sur %(voulus)s)") % valeurs
    return (
        ngettext(
            "%(nom)s (%(obtenus)s membre sur %(voulus)s)",
            "%(nom)s (%(obtenus)s membres sur %(voulus)s)",
            obtenus,
        )
        % valeurs
    )


def _message_affectations_gardees(gardees):
    couples = _(" ; ").join(
        _("%(membre)s pour %(nom)s") % {"membre": a.membre, "nom": a.candidature.structure.nom}
        for a in gardees
    )
    return ngettext(
        "Affectation gardée, car la notation y a commencé : %(couples)s.",
        "%(nombre)s affectations gardées, car la notation y a commencé : %(couples)s.",
        len(gardees),
    ) % {"nombre": len(gardees), "couples": couples}


@require_POST
@permission_requise(ACCES)
def ajouter_affectation(request, pk, candidature_pk):
    appel = _appel_gere(request, pk)
    jury = _jury_ou_404(appel)
    candidature = get_object_or_404(selectors.candidatures_examinees(appel), pk=candidature_pk)
    form = AjoutAffectationForm(request.POST, jury=jury)
    if form.is_valid():
        _affectation, reponse = _sur_le_jury(
            request,
            lambda: services.affecter_a_la_main(
                form.cleaned_data["membre"], candidature, par=request.user
            ),
            appel,
            jury,
            succes=_("Affectation ajoutée."),
        )
        if reponse:
            return reponse
    return redirect("evaluation:gestion_jury", pk=pk)


@require_POST
@permission_requise(ACCES)
def retirer_affectation(request, pk, affectation_pk):
    appel = _appel_gere(request, pk)
    jury = _jury_ou_404(appel)
    affectation = get_object_or_404(
        Affectation.objects.select_related("candidature__appel"),
        pk=affectation_pk,
        membre__jury=jury,
    )
    _rien, reponse = _sur_le_jury(
        request,
        lambda: services.retirer_affectation(affectation, par=request.user),
        appel,
        jury,
        succes=_("Affectation retirée."),
    )
    if reponse:
        return reponse
    return redirect("evaluation:gestion_jury", pk=pk)


@require_POST
@permission_requise(ACCES)
def changer_etape(request, pk, etape):
    appel = _appel_gere(request, pk)
    service = {
        "lancer-evaluation": services.lancer_evaluation,
        "ouvrir-deliberation": services.ouvrir_deliberation,
    }.get(etape)
    if service is None:
        raise Http404("Étape inconnue.")
    _appel, reponse = _sur_le_jury(
        request,
        lambda: service(appel, par=request.user),
        appel,
        succes=_("L'appel passe à l'étape suivante."),
    )
    if reponse:
        return reponse
    if etape == "ouvrir-deliberation":
        return redirect("evaluation:gestion_deliberation", pk=pk)
    return redirect("evaluation:gestion_jury", pk=pk)


@permission_requise(ACCES)
def grille(request, pk):
    appel = _appel_gere(request, pk)
    grille = get_object_or_404(Grille, appel=appel)
    formset = CritereFormSet(request.POST or None, instance=grille)
    notes_saisies = Note.objects.filter(critere__grille=grille).exists()
    peut_modifier = not notes_saisies and request.user.has_perm("evaluation.modifier_grille", appel)
    if not peut_modifier:
        # Une grille figée se lit sans se proposer à la saisie : champs désactivés, pas de bouton.
        for form in formset:
            for champ in form.fields.values():
                champ.disabled = True
    gabarit = "evaluation/gestion/grille.html"
    contexte = {
        "appel": appel,
        "formset": formset,
        "peut_modifier": peut_modifier,
        "notes_saisies": notes_saisies,
    }
    if request.method != "POST":
        return render(request, gabarit, contexte)
    if not formset.is_valid():
        return render(request, gabarit, contexte, status=400)
    _grille, reponse = executer(
        request,
        lambda: services.enregistrer_grille(appel, par=request.user, formset=formset),
        gabarit=gabarit,
        contexte=contexte,
        succes=_("Grille enregistrée."),
    )
    return reponse or redirect("evaluation:gestion_grille", pk=pk)


@page_en_cache
@permission_requise(ACCES)
def classement(request, pk):
    appel = _appel_gere(request, pk)
    jury = _jury_ou_404(appel)
    page = selectors.page_du_classement(appel, jury=jury, numero_page=request.GET.get("page"))
    return render(
        request,
        "evaluation/gestion/classement.html",
        {"appel": appel, "jury": jury, "lignes": page.object_list, "page": page},
    )


def _recuses(appel):
    """{id de candidature: [libellés]} : les membres qui ont déclaré un conflit, et ceux
    récusés en séance (présents en conflit), avec le motif de la récusation."""
    en_seance = {}
    for recusation in Recusation.objects.filter(deliberation__appel=appel).select_related(
        "membre__utilisateur"
    ):
        en_seance[(recusation.candidature_id, recusation.membre_id)] = _(
            "%(membre)s (récusé en séance : %(motif)s)"
        ) % {"membre": recusation.membre, "motif": recusation.motif}
    recuses = {}
    for declaration in ConflitInterets.objects.filter(
        candidature__appel=appel, en_conflit=True
    ).select_related("membre__utilisateur"):
        cle = (declaration.candidature_id, declaration.membre_id)
        recuses.setdefault(declaration.candidature_id, []).append(
            en_seance.pop(cle, str(declaration.membre))
        )
    for (candidature_id, _membre_id), libelle in en_seance.items():
        recuses.setdefault(candidature_id, []).append(libelle)
    return recuses


def _contexte_deliberation(
    request, appel, jury, deliberation, *, form_seance=None, form_decisions=None
):
    lignes = selectors.classement(appel, jury=jury)
    decisions = {d.candidature_id: d for d in Decision.objects.filter(deliberation=deliberation)}
    presents = list(deliberation.membres_presents.all())
    form_decisions = form_decisions or DecisionsForm(
        lignes=lignes, decisions=decisions, deliberation=deliberation
    )
    # Après la publication, les places se comptent sur les candidatures retenues : un lauréat
    # retiré libère la sienne, une promotion en prend une.
    if deliberation.est_publiee:
        retenues = selectors.places_occupees(appel)
    else:
        retenues = sum(1 for d in decisions.values() if d.sens == "retenue")
    sens = {pk: d.sens for pk, d in decisions.items()}
    return {
        "appel": appel,
        "jury": jury,
        "deliberation": deliberation,
        "lignes": lignes,
        "decisions": decisions,
        "ecarts": selectors.ecarts_au_classement(lignes, sens),
        "retenues": retenues,
        "depassement": appel.nombre_places is not None and retenues > appel.nombre_places,
        "recuses": _recuses(appel),
        "quorum_atteint": len(presents) >= deliberation.quorum,
        "form_seance": form_seance
        or SeanceForm(
            jury=jury,
            initial={
                "date": deliberation.date,
                "presents": presents,
                "quorum": deliberation.quorum,
                "proces_verbal": deliberation.proces_verbal,
            },
        ),
        "form_decisions": form_decisions,
        "peut_deliberer": request.user.has_perm("evaluation.deliberer", appel),
        "peut_promouvoir": request.user.has_perm("evaluation.promouvoir_liste_attente", appel),
    }


def _deliberation_ou_404(appel):
    return get_object_or_404(Deliberation, appel=appel)


@permission_requise(ACCES)
def deliberation(request, pk):
    appel = _appel_gere(request, pk)
    jury = _jury_ou_404(appel)
    contexte = _contexte_deliberation(request, appel, jury, _deliberation_ou_404(appel))
    return render(request, GABARIT_DELIBERATION, contexte)


def _en_deliberation(request, action, appel, jury, *, succes, **formulaires):
    """`executer` sur la page de la délibération : un refus la réaffiche, relue après lui."""
    return executer(
        request,
        action,
        gabarit=GABARIT_DELIBERATION,
        contexte=lambda: _contexte_deliberation(
            request, appel, jury, _deliberation_ou_404(appel), **formulaires
        ),
        succes=succes,
    )


@require_POST
@permission_requise(ACCES)
def enregistrer_seance(request, pk):
    appel = _appel_gere(request, pk)
    jury = _jury_ou_404(appel)
    form = SeanceForm(request.POST, jury=jury)
    if not form.is_valid():
        messages.error(request, _("La séance est à corriger ; rien n'a été enregistré."))
        contexte = _contexte_deliberation(
            request, appel, jury, _deliberation_ou_404(appel), form_seance=form
        )
        return render(request, GABARIT_DELIBERATION, contexte, status=400)
    _deliberation, reponse = _en_deliberation(
        request,
        lambda: services.enregistrer_seance(
            appel,
            par=request.user,
            date=form.cleaned_data["date"],
            presents=list(form.cleaned_data["presents"]),
            quorum=form.cleaned_data["quorum"],
            proces_verbal=form.cleaned_data["proces_verbal"],
        ),
        appel,
        jury,
        succes=_("Séance enregistrée."),
        form_seance=form,
    )
    if reponse:
        return reponse
    return redirect("evaluation:gestion_deliberation", pk=pk)


@require_POST
@permission_requise(ACCES)
def enregistrer_decisions(request, pk):
    appel = _appel_gere(request, pk)
    jury = _jury_ou_404(appel)
    deliberation = _deliberation_ou_404(appel)
    lignes = selectors.classement(appel, jury=jury)
    form = DecisionsForm(request.POST, lignes=lignes, decisions={}, deliberation=deliberation)
    form.is_valid()
    manquants = services.motifs_manquants(appel, form.decisions(), lignes=lignes)
    if manquants and request.user.has_perm("evaluation.deliberer", appel):
        form.signaler_motifs_manquants(manquants)
        messages.error(request, _("Des motifs manquent ; rien n'a été enregistré."))
        contexte = _contexte_deliberation(request, appel, jury, deliberation, form_decisions=form)
        return render(request, GABARIT_DELIBERATION, contexte, status=400)
    _deliberation, reponse = _en_deliberation(
        request,
        lambda: services.enregistrer_decisions(
            appel,
            par=request.user,
            decisions=form.decisions(),
            motif_depassement=form.cleaned_data.get("motif_depassement", ""),
            depasser_places=form.cleaned_data.get("depasser_places", False),
        ),
        appel,
        jury,
        succes=_("Décisions enregistrées."),
        form_decisions=form,
    )
    if reponse:
        return reponse
    return redirect("evaluation:gestion_deliberation", pk=pk)


@require_POST
@permission_requise(ACCES)
def publier(request, pk):
    appel = _appel_gere(request, pk)
    jury = _jury_ou_404(appel)
    _deliberation, reponse = _en_deliberation(
        request,
        lambda: services.publier_resultats(appel, par=request.user),
        appel,
        jury,
        succes=_("Résultats publiés : chaque structure reçoit sa lettre de décision."),
    )
    if reponse:
        return reponse
    return redirect("evaluation:gestion_deliberation", pk=pk)


@permission_requise(ACCES)
def proces_verbal(request, pk):
    appel = _appel_gere(request, pk)
    jury = _jury_ou_404(appel)
    deliberation = _deliberation_ou_404(appel)
    decisions = {d.candidature_id: d for d in Decision.objects.filter(deliberation=deliberation)}
    # Le procès-verbal liste toutes les candidatures de l'appel : un long rendu, fait dans la
    # requête, donc un seul à la fois par personne.
    try:
        with un_rendu_a_la_fois(request.user):
            pdf = lettres.proces_verbal_pdf(
                appel,
                deliberation,
                selectors.classement(appel, jury=jury, deliberation=deliberation),
                decisions,
                _recuses(appel),
            )
    except RenduDejaEnCours:
        return reponse_rendu_deja_en_cours(
            request, retour=reverse("evaluation:gestion_deliberation", args=[appel.pk])
        )
    reponse = HttpResponse(pdf, content_type="application/pdf")
    reponse["Content-Disposition"] = f'attachment; filename="{lettres.nom_proces_verbal(appel)}"'
    return reponse

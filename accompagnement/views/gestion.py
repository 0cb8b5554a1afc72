"""Back office de l'accompagnement : modèle de jalons d'un programme, plans d'une cohorte,
sessions de formation, sensibilisation à l'écosystème et comité de clôture."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext

from accompagnement import services
from accompagnement.forms import (
    CohorteForm,
    ComiteForm,
    CompteRenduForm,
    ModeleJalonFormSet,
    SensibilisationForm,
    SessionForm,
)
from accompagnement.models import ComiteCloture, ModeleJalon
from annotations import selectors as annotations
from candidatures.enums import EtatCandidature
from candidatures.selectors import appels_geres_par, programmes_geres_par
from noyau.decorateurs import permission_requise
from noyau.refus import executer

ACCES = "comptes.acceder_gestion"


def _programme_gere(request, pk):
    return get_object_or_404(programmes_geres_par(request.user), pk=pk)


@permission_requise(ACCES)
def accueil(request):
    programmes = list(programmes_geres_par(request.user).prefetch_related("appels"))
    return render(request, "accompagnement/gestion/accueil.html", {"programmes": programmes})


@permission_requise(ACCES)
def modele(request, pk):
    programme = _programme_gere(request, pk)
    services.modele_du_programme(programme)
    lignes = ModeleJalon.objects.filter(programme=programme)
    formset = ModeleJalonFormSet(request.POST or None, queryset=lignes)
    contexte = {"programme": programme, "formset": formset}
    if request.method == "POST" and formset.is_valid():
        for form in formset.forms:
            form.instance.programme = programme
        _, refus = executer(
            request,
            lambda: services.enregistrer_modele(programme, par=request.user, formset=formset),
            gabarit="accompagnement/gestion/modele.html",
            contexte=contexte,
            succes=gettext(
                "Le modèle est enregistré ; il s'applique aux plans créés à partir de maintenant."
            ),
        )
        return refus or redirect("accompagnement:gestion_modele", pk=programme.pk)
    return render(
        request,
        "accompagnement/gestion/modele.html",
        contexte,
        status=400 if request.method == "POST" else 200,
    )


def _contexte_cohorte(appel, form=None):
    plans = list(
        appel.programme.plans_accompagnement.filter(candidature__appel=appel).select_related(
            "structure", "coach"
        )
    )
    avec_plan = {plan.candidature_id for plan in plans}
    annotations.poser_les_etiquettes(plans)
    return {
        "appel": appel,
        "programme": appel.programme,
        "plans": plans,
        "etiquettes_du_programme": list(annotations.etiquettes_du_programme(appel.programme)),
        "sans_plan": [
            c
            for c in appel.candidatures.filter(etat=EtatCandidature.RETENUE).select_related(
                "structure"
            )
            if c.pk not in avec_plan
        ],
        "form": form or CohorteForm(),
        "coachs": services.coachs_disponibles(),
    }


@permission_requise(ACCES)
def cohorte(request, pk):
    appel = get_object_or_404(appels_geres_par(request.user).select_related("programme"), pk=pk)
    if request.method != "POST":
        return render(request, "accompagnement/gestion/cohorte.html", _contexte_cohorte(appel))
    form = CohorteForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "accompagnement/gestion/cohorte.html",
            _contexte_cohorte(appel, form),
            status=400,
        )
    resultat, refus = executer(
        request,
        lambda: services.creer_plans_cohorte(
            appel, par=request.user, date_debut=form.cleaned_data["date_debut"]
        ),
        gabarit="accompagnement/gestion/cohorte.html",
        contexte=lambda: _contexte_cohorte(appel, form),
    )
    if refus is not None:
        return refus
    creees, redates, inchanges = resultat
    messages.success(
        request,
        gettext(
            "Démarrage au %(jour)s : %(creees)s plan(s) créé(s), %(redates)s redaté(s), "
            "%(inchanges)s inchangé(s) (déjà commencés ou déjà à cette date)."
        )
        % {
            "jour": date_format(form.cleaned_data["date_debut"], "j F Y"),
            "creees": len(creees),
            "redates": len(redates),
            "inchanges": len(inchanges),
        },
    )
    return redirect("accompagnement:gestion_cohorte", pk=appel.pk)


def _plans_du_programme(programme):
    return programme.plans_accompagnement.select_related("structure").order_by("structure__nom")


def _formulaire_programme(
    request, pk, *, classe_form, gabarit, titre, enregistrer, succes, extra=None
):
    programme = _programme_gere(request, pk)
    services.catalogue_du_programme(programme)
    options = {"plans": _plans_du_programme(programme), **(extra(programme) if extra else {})}
    form = classe_form(request.POST or None, **options)
    contexte = {"programme": programme, "form": form, "titre": titre}
    if request.method == "POST" and form.is_valid():
        champs = dict(form.cleaned_data)
        plans = champs.pop("plans")
        objet, refus = executer(
            request,
            lambda: enregistrer(programme, par=request.user, plans=plans, **champs),
            gabarit=gabarit,
            contexte=contexte,
            succes=succes,
        )
        return refus or objet
    return render(request, gabarit, contexte, status=400 if form.errors else 200)


@permission_requise(ACCES)
def session_nouvelle(request, pk):
    def enregistrer(programme, *, par, plans, formation, **champs):
        session = services.creer_session(formation, par=par, plans=plans, **champs)
        return redirect("accompagnement:emargement", pk=session.pk)

    return _formulaire_programme(
        request,
        pk,
        classe_form=SessionForm,
        gabarit="accompagnement/gestion/formulaire.html",
        titre=gettext("Nouvelle session de formation"),
        enregistrer=enregistrer,
        succes=gettext(
            "La session est créée ; les structures invitées peuvent inscrire leurs référents."
        ),
        extra=lambda programme: {
            "programme": programme,
            "formateurs": services.coachs_disponibles(),
        },
    )


@permission_requise(ACCES)
def sensibilisation(request, pk):
    def enregistrer(programme, *, par, plans, **champs):
        services.enregistrer_sensibilisation(programme, par=par, plans=plans, **champs)
        return redirect("accompagnement:gestion_accueil")

    return _formulaire_programme(
        request,
        pk,
        classe_form=SensibilisationForm,
        gabarit="accompagnement/gestion/formulaire.html",
        titre=gettext("Sensibilisation à l'écosystème partenaire"),
        enregistrer=enregistrer,
        succes=gettext(
            "La sensibilisation est enregistrée ; l'étape est faite pour chaque structure."
        ),
    )


@permission_requise(ACCES)
def comite_nouveau(request, pk):
    def enregistrer(programme, *, par, plans, date, **champs):
        comite = services.planifier_comite(programme, par=par, plans=plans, date=date, **champs)
        return redirect("accompagnement:gestion_comite", pk=comite.pk)

    return _formulaire_programme(
        request,
        pk,
        classe_form=ComiteForm,
        gabarit="accompagnement/gestion/formulaire.html",
        titre=gettext("Planifier le comité de clôture"),
        enregistrer=enregistrer,
        succes=gettext("Le comité est planifié ; les échéances de clôture prennent sa date."),
    )


@permission_requise(ACCES)
def comite(request, pk):
    comite = get_object_or_404(
        ComiteCloture.objects.filter(programme__in=programmes_geres_par(request.user)), pk=pk
    )
    form = CompteRenduForm(request.POST or None, initial={"compte_rendu": comite.compte_rendu})
    contexte = {
        "comite": comite,
        "form": form,
        "jalons": comite.jalons.select_related("plan__structure"),
    }
    if request.method == "POST" and form.is_valid():
        _, refus = executer(
            request,
            lambda: services.enregistrer_compte_rendu(
                comite, par=request.user, compte_rendu=form.cleaned_data["compte_rendu"]
            ),
            gabarit="accompagnement/gestion/comite.html",
            contexte=contexte,
            succes=gettext("Le compte rendu est enregistré ; les plans sont clos."),
        )
        return refus or redirect("accompagnement:gestion_comite", pk=comite.pk)
    return render(
        request, "accompagnement/gestion/comite.html", contexte, status=400 if form.errors else 200
    )

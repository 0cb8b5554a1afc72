"""Frise de la cohorte, plan, jalons (avancement, échéance, preuves), cadrage et kits.

Un plan que l'on n'a pas le droit de voir est introuvable (404), pas interdit."""

import hashlib

import crispy_forms
import django
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language, gettext, gettext_lazy
from django.views.decorators.http import require_POST

from accompagnement import selectors, services
from accompagnement.enums import Avancement
from accompagnement.forms import (
    ActionFormSet,
    AffectationCoachForm,
    CadrageForm,
    EcheanceForm,
    MotifForm,
    PreuveForm,
    RemiseKitForm,
)
from accompagnement.models import PreuveJalon
from echanges.selectors import non_lus
from noyau.decorateurs import permission_requise
from noyau.fichiers import servir_fichier
from noyau.pages_en_cache import page_en_cache
from noyau.refus import executer


def _plan_visible(request, pk):
    return get_object_or_404(
        selectors.plans_visibles_par(request.user).select_related(
            "structure", "programme", "coach", "candidature__appel"
        ),
        pk=pk,
    )


def _jalon_visible(request, pk):
    return get_object_or_404(
        selectors.jalons_visibles_par(request.user).select_related(
            "plan__structure", "plan__programme", "plan__coach"
        ),
        pk=pk,
    )


# Le code des gabarits dont la frise garde des fragments entre dans leurs clés.
_VERSION_DES_GABARITS = hashlib.sha256(
    b"".join(
        (settings.BASE_DIR / "templates" / chemin).read_bytes()
        for chemin in (
            "accompagnement/suivi/frise.html",
            "echanges/_badge_non_lus.html",
            "accompagnement/suivi/plan.html",
            "accompagnement/_pastille.html",
        )
    )
).hexdigest()[:16]


# Le formulaire de remise d'un kit, gardé en cache tant qu'il n'est pas rempli : le code qui
# le dessine (son formulaire, ses champs, les gabarits de crispy et les nôtres) entre dans sa clé.
_VERSION_DU_FORMULAIRE_DE_REMISE = hashlib.sha256(
    b"".join(
        [
            (settings.BASE_DIR / "accompagnement" / "forms.py").read_bytes(),
            (settings.BASE_DIR / "noyau" / "widgets.py").read_bytes(),
            crispy_forms.__version__.encode(),
            django.get_version().encode(),
            *(
                chemin.read_bytes()
                for chemin in sorted((settings.BASE_DIR / "templates" / "bootstrap5").rglob("*"))
                if chemin.is_file()
            ),
        ]
    )
).hexdigest()[:16]


def _empreinte(*contenu):
    """La clé d'un fragment de gabarit gardé en cache : l'empreinte de tout ce qu'il montre,
    lu dans cette requête, de la langue et du code des gabarits. Deux personnes qui verraient
    le même fragment partagent son rendu ; rien d'autre ne l'est."""
    return hashlib.sha256(
        repr((_VERSION_DES_GABARITS, get_language(), *contenu)).encode()
    ).hexdigest()


def _cles_de_la_frise(donnees, non_lus_des_plans):
    """(clé des lignes de la frise, clé du tableau des étapes) : chacune couvre chaque valeur
    que son fragment affiche (`accompagnement/suivi/frise.html`)."""
    lignes = [
        (
            ligne.plan.pk,
            ligne.plan.structure.nom,
            non_lus_des_plans.get(ligne.plan.pk, 0),
            ligne.nombre_en_retard,
            ligne.plan.coach.get_full_name() if ligne.plan.coach else None,
            [
                (
                    cellule.est_mois_courant,
                    [(compte.avancement, compte.nombre) for compte in cellule.comptes],
                )
                for cellule in ligne.cellules
            ],
        )
        for ligne in donnees.lignes
    ]
    tableau = [
        (
            ligne.plan.structure.nom,
            [
                (jalon.pk, jalon.libelle, jalon.echeance, jalon.avancement_du_jour)
                for jalon in ligne.jalons
            ],
        )
        for ligne in donnees.lignes
    ]
    return _empreinte("frise", lignes), _empreinte("tableau", tableau)


@page_en_cache
@permission_requise("accompagnement.voir_frise")
def frise(request):
    """Les lignes de la frise et le tableau des étapes, l'essentiel du rendu, sont gardés en
    cache sous l'empreinte de ce qu'ils montrent (`_cles_de_la_frise`), lu à chaque requête :
    une étape qui change d'état ou d'échéance, un message lu, change la clé."""
    avancement = request.GET.get("etat") or None
    if avancement not in Avancement.values:
        avancement = None
    aujourd_hui = timezone.localdate()
    donnees = selectors.frise(
        selectors.plans_suivis_par(request.user),
        aujourd_hui=aujourd_hui,
        avancement=avancement,
        numero_page=request.GET.get("page"),
    )
    non_lus_des_plans = non_lus(request.user, [ligne.plan for ligne in donnees.lignes])
    cle_des_lignes, cle_du_tableau = _cles_de_la_frise(donnees, non_lus_des_plans)
    return render(
        request,
        "accompagnement/suivi/frise.html",
        {
            "frise": donnees,
            "page": donnees.page,
            "avancement": avancement,
            "avancements": [a for a in Avancement if a != Avancement.ANNULE],
            "non_lus": non_lus_des_plans,
            "cle_des_lignes": cle_des_lignes,
            "cle_du_tableau": cle_du_tableau,
        },
    )


def _contexte_plan(request, plan):
    aujourd_hui = timezone.localdate()
    jalons = list(plan.jalons.all())
    for jalon in jalons:
        jalon.avancement_du_jour = jalon.avancement(aujourd_hui)
    _formations, kits = services.catalogue_du_programme(plan.programme)
    periode = services.periode_du_plan(plan, jalons)
    remises = list(plan.remises_kits.select_related("kit"))
    return {
        "plan": plan,
        "jalons": jalons,
        # Le tableau des étapes, gardé en cache sous l'empreinte de ce qu'il montre.
        "cle_des_etapes": _empreinte(
            "etapes",
            [(j.pk, j.libelle, j.debut, j.echeance, j.avancement_du_jour, j.etat) for j in jalons],
        ),
        "peut_gerer": request.user.has_perm("accompagnement.gerer_plan", plan),
        "peut_remettre_kit": request.user.has_perm("accompagnement.remettre_kit", plan),
        "est_structure": request.user.has_perm("accompagnement.gerer_referents", plan),
        "form_coach": AffectationCoachForm(
            coachs=services.coachs_disponibles(), initial={"coach": plan.coach}
        ),
        "form_kit": RemiseKitForm(
            kits=plan.programme.kits.all(), periode=periode, initial={"date": aujourd_hui}
        ),
        # Le formulaire vide montre le catalogue (`kits`, celui que lit son champ), la période
        # du plan et le jour : sa clé.
        "cle_du_form_kit": _empreinte(
            "form_kit",
            _VERSION_DU_FORMULAIRE_DE_REMISE,
            [(kit.pk, str(kit)) for kit in kits],
            periode,
            aujourd_hui,
        ),
        "remises": remises,
        "kits_remis": services.kits_remis(plan, remises=remises, kits=kits),
        "kits": kits,
        "sessions": plan.sessions_formation.select_related("formation").order_by("date"),
    }


@page_en_cache
@login_required
def plan(request, pk):
    plan = _plan_visible(request, pk)
    return render(request, "accompagnement/suivi/plan.html", _contexte_plan(request, plan))


@require_POST
@login_required
def affecter_coach(request, pk):
    plan = _plan_visible(request, pk)
    form = AffectationCoachForm(request.POST, coachs=services.coachs_disponibles())
    if not form.is_valid():
        messages.error(request, gettext("Choisissez un coach dans la liste."))
        return redirect("accompagnement:plan", pk=plan.pk)
    _, refus = executer(
        request,
        lambda: services.affecter_coach(plan, par=request.user, coach=form.cleaned_data["coach"]),
        gabarit="accompagnement/suivi/plan.html",
        contexte=lambda: _contexte_plan(request, plan),
        succes=gettext("Le coach du plan est enregistré."),
    )
    return refus or redirect("accompagnement:plan", pk=plan.pk)


@require_POST
@login_required
def remettre_kit(request, pk):
    plan = _plan_visible(request, pk)
    form = RemiseKitForm(
        request.POST, kits=plan.programme.kits.all(), periode=services.periode_du_plan(plan)
    )
    contexte = _contexte_plan(request, plan)
    contexte["form_kit"] = form
    if not form.is_valid():
        return render(request, "accompagnement/suivi/plan.html", contexte, status=400)
    _, refus = executer(
        request,
        lambda: services.remettre_kit(plan, par=request.user, **form.cleaned_data),
        gabarit="accompagnement/suivi/plan.html",
        contexte=contexte,
        # Le nom d'un kit porte déjà ses guillemets (« Kit « Tablette… » ») : pas d'autres
        # autour.
        succes=gettext("Remise enregistrée : %(kit)s.") % {"kit": form.cleaned_data["kit"]},
    )
    return refus or redirect("accompagnement:plan", pk=plan.pk)


# --- Jalons --------------------------------------------------------------------------------


def _contexte_jalon(request, jalon, **formulaires):
    aujourd_hui = timezone.localdate()
    jalon.avancement_du_jour = jalon.avancement(aujourd_hui)
    user = request.user
    return {
        "jalon": jalon,
        "plan": jalon.plan,
        "preuves": jalon.preuves.all(),
        "transitions": [t.name for t in jalon.get_available_user_etat_transitions(user)],
        "peut_modifier_echeance": user.has_perm("accompagnement.modifier_echeance", jalon),
        "peut_ajouter_preuve": user.has_perm("accompagnement.ajouter_preuve", jalon),
        "form_preuve": formulaires.get("form_preuve") or PreuveForm(),
        "form_echeance": formulaires.get("form_echeance")
        or EcheanceForm(initial={"echeance": jalon.echeance}),
        "form_annulation": formulaires.get("form_annulation") or MotifForm(),
    }


@login_required
def jalon(request, pk):
    jalon = _jalon_visible(request, pk)
    return render(request, "accompagnement/suivi/jalon.html", _contexte_jalon(request, jalon))


ACTIONS_JALON = {
    "commencer": (services.commencer_jalon, gettext_lazy("L'étape est en cours.")),
    "terminer": (services.terminer_jalon, gettext_lazy("L'étape est faite.")),
    "annuler": (services.annuler_jalon, gettext_lazy("L'étape est annulée.")),
}


@require_POST
@login_required
def jalon_action(request, pk, action):
    jalon = _jalon_visible(request, pk)
    if action not in ACTIONS_JALON:
        raise Http404
    service, succes = ACTIONS_JALON[action]
    form = MotifForm(request.POST) if action == "annuler" else None
    arguments = {"motif": request.POST.get("motif", "")} if form is not None else {}
    _, refus = executer(
        request,
        lambda: service(jalon, par=request.user, **arguments),
        gabarit="accompagnement/suivi/jalon.html",
        contexte=lambda: _contexte_jalon(request, jalon, form_annulation=form),
        succes=str(succes),
    )
    return refus or redirect("accompagnement:jalon", pk=jalon.pk)


@require_POST
@login_required
def jalon_echeance(request, pk):
    jalon = _jalon_visible(request, pk)
    form = EcheanceForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "accompagnement/suivi/jalon.html",
            _contexte_jalon(request, jalon, form_echeance=form),
            status=400,
        )
    _, refus = executer(
        request,
        lambda: services.modifier_echeance(jalon, par=request.user, **form.cleaned_data),
        gabarit="accompagnement/suivi/jalon.html",
        contexte=lambda: _contexte_jalon(request, jalon, form_echeance=form),
        succes=gettext("La nouvelle échéance est enregistrée."),
    )
    return refus or redirect("accompagnement:jalon", pk=jalon.pk)


@require_POST
@login_required
def jalon_preuve(request, pk):
    jalon = _jalon_visible(request, pk)
    form = PreuveForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(
            request,
            "accompagnement/suivi/jalon.html",
            _contexte_jalon(request, jalon, form_preuve=form),
            status=400,
        )
    _, refus = executer(
        request,
        lambda: services.ajouter_preuve(
            jalon,
            par=request.user,
            note=form.cleaned_data["note"],
            fichiers=form.cleaned_data["fichiers"],
        ),
        gabarit="accompagnement/suivi/jalon.html",
        contexte=lambda: _contexte_jalon(request, jalon, form_preuve=form),
        succes=gettext("La note et les pièces sont ajoutées à l'étape."),
    )
    return refus or redirect("accompagnement:jalon", pk=jalon.pk)


@login_required
def preuve(request, pk, preuve_pk):
    jalon = _jalon_visible(request, pk)
    piece = get_object_or_404(PreuveJalon, jalon=jalon, pk=preuve_pk)
    return servir_fichier(piece.fichier, nom=piece.nom_original, type_mime=piece.type_mime)


# --- Cadrage -------------------------------------------------------------------------------


def _contexte_cadrage(request, plan, cadrage, form=None, formset=None):
    actions = [
        {"libelle": a.libelle, "echeance": a.echeance, "responsable": a.responsable}
        for a in cadrage.actions.all()
    ]
    user = request.user
    return {
        "plan": plan,
        "cadrage": cadrage,
        "form": form or CadrageForm(instance=cadrage),
        "formset": formset or ActionFormSet(initial=actions, prefix="actions"),
        "peut_remplir": user.has_perm("accompagnement.remplir_cadrage", plan)
        and not cadrage.est_valide,
        "peut_valider": (
            user.has_perm("accompagnement.valider_cadrage_coach", plan)
            and cadrage.valide_par_coach_le is None
        )
        or (
            user.has_perm("accompagnement.valider_cadrage_structure", plan)
            and cadrage.valide_par_structure_le is None
        ),
    }


@login_required
def cadrage(request, pk):
    plan = _plan_visible(request, pk)
    cadrage = services.cadrage_de(plan)
    if request.method != "POST":
        return render(
            request, "accompagnement/suivi/cadrage.html", _contexte_cadrage(request, plan, cadrage)
        )
    form = CadrageForm(request.POST, instance=cadrage)
    formset = ActionFormSet(request.POST, prefix="actions")
    contexte = _contexte_cadrage(request, plan, cadrage, form, formset)
    if not (form.is_valid() and formset.is_valid()):
        return render(request, "accompagnement/suivi/cadrage.html", contexte, status=400)
    actions = [
        {
            "libelle": ligne["libelle"],
            "echeance": ligne["echeance"],
            "responsable": ligne.get("responsable", ""),
        }
        for ligne in formset.cleaned_data
        if ligne and not ligne.get("DELETE")
    ]
    _, refus = executer(
        request,
        lambda: services.enregistrer_cadrage(
            plan, par=request.user, champs=form.cleaned_data, actions=actions
        ),
        gabarit="accompagnement/suivi/cadrage.html",
        contexte=contexte,
        succes=gettext("Le diagnostic et le plan d'actions sont enregistrés."),
    )
    return refus or redirect("accompagnement:cadrage", pk=plan.pk)


@require_POST
@login_required
def cadrage_valider(request, pk):
    plan = _plan_visible(request, pk)
    cadrage, refus = executer(
        request,
        lambda: services.valider_cadrage(plan, par=request.user),
        gabarit="accompagnement/suivi/cadrage.html",
        contexte=lambda: _contexte_cadrage(request, plan, services.cadrage_de(plan)),
    )
    if refus is not None:
        return refus
    if cadrage.est_valide:
        messages.success(
            request,
            gettext(
                "Le plan d'accompagnement est validé par le coach et par la structure : le "
                "diagnostic et le plan sont faits."
            ),
        )
    else:
        messages.success(
            request, gettext("Votre validation est enregistrée ; l'autre partie doit valider.")
        )
    return redirect("accompagnement:cadrage", pk=plan.pk)

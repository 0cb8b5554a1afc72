from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from noyau.decorateurs import permission_requise
from noyau.perimetre import filtre_des_programmes_geres
from noyau.refus import executer
from relances import services
from relances.enums import EtatRelance
from relances.forms import PreferencesForm, ReglagesRelancesForm
from relances.models import ReglageRelance, Relance
from relances.registre import courriel_reglable, courriels_reglables, types_de_relance
from relances.selectors import calendrier_des_relances


@login_required
def preferences(request):
    prefs = services.preferences_de(request.user)
    form = PreferencesForm(
        request.POST or None,
        types_desactives=prefs.types_desactives,
        initial={"resume_quotidien": prefs.resume_quotidien},
    )
    if request.method == "POST" and form.is_valid():
        services.enregistrer_preferences(
            request.user,
            types_desactives=[
                t.code
                for t in courriels_reglables()
                if not t.essentiel and not form.cleaned_data[f"type_{t.code}"]
            ],
            resume_quotidien=form.cleaned_data["resume_quotidien"],
        )
        messages.success(request, _("Vos préférences de relance sont enregistrées."))
        return redirect("relances:preferences")
    return render(request, "relances/preferences.html", {"form": form})


def desabonnement(request, jeton):
    """Lien signé de chaque relance : pas besoin d'être connecté, sans effet au second clic."""
    try:
        id_utilisateur, type_code = services.lire_lien_desabonnement(jeton)
        type_relance = courriel_reglable(type_code)
        utilisateur = get_user_model().objects.get(pk=id_utilisateur)
    except (signing.BadSignature, KeyError, get_user_model().DoesNotExist):
        return render(request, "relances/desabonnement_invalide.html", status=400)
    if type_relance.essentiel:
        return render(
            request,
            "relances/desabonnement.html",
            {"type_relance": type_relance, "essentielle": True},
        )
    contexte = {"type_relance": type_relance, "fait": False, "email": utilisateur.email}
    if request.method == "POST":
        _resultat, refus = executer(
            request,
            lambda: services.desactiver(utilisateur, type_code),
            gabarit="relances/desabonnement.html",
            contexte=contexte,
        )
        if refus:
            return refus
        contexte["fait"] = True
    return render(request, "relances/desabonnement.html", contexte)


HORIZON_PROCHAINES_RELANCES = 14


@permission_requise("relances.voir_relances")
def liste(request):
    # Chaque gestionnaire ne voit que les relances des programmes qu'il gère, et celles qui
    # lui sont adressées (le rappel d'une invitation qu'il a envoyée, par exemple).
    relances = Relance.objects.select_related("destinataire", "message", "objet_type").filter(
        filtre_des_programmes_geres(request.user, adresse_a="destinataire_id")
    )
    type_code = request.GET.get("type", "")
    if type_code:
        relances = relances.filter(type_code=type_code)
    etat = request.GET.get("etat", "")
    if etat == "echec":
        relances = relances.filter(message__etat="echec")
    elif etat in EtatRelance.values:
        relances = relances.filter(etat=etat)
    page = Paginator(relances, 50).get_page(request.GET.get("page"))
    # Les relances suivies ici (une ligne Relance) vont à des comptes ; les rappels aux adresses
    # sans compte se lisent dans la boîte d'envoi.
    libelles = {t.code: t.libelle for t in types_de_relance(aux_comptes=True)}
    for relance in page:
        relance.libelle_type = libelles.get(relance.type_code, relance.type_code)
    dues_aujourd_hui, prochain_jour, prochaines = 0, None, []
    if not page.paginator.count and not type_code and not etat:
        dues_aujourd_hui, prochain_jour, prochaines = calendrier_des_relances(
            request.user, horizon_jours=HORIZON_PROCHAINES_RELANCES
        )
    return render(
        request,
        "relances/liste.html",
        {
            "dues_aujourd_hui": dues_aujourd_hui,
            "prochain_jour": prochain_jour,
            "prochaines": prochaines,
            "horizon": HORIZON_PROCHAINES_RELANCES,
            "page": page,
            "types": sorted(libelles.items(), key=lambda item: str(item[1])),
            "type_code": type_code,
            "etat": etat,
            "etats": [*EtatRelance.choices, ("echec", _("Envoi en échec"))],
        },
    )


PORTEES_REGLABLES = {"appel": "programmes.appel", "programme": "programmes.programme"}


def _portee(request, modele, pk):
    if modele not in PORTEES_REGLABLES:
        raise Http404("Rien à régler ici.")
    app_label, nom_modele = PORTEES_REGLABLES[modele].split(".")
    classe = ContentType.objects.get_by_natural_key(app_label, nom_modele).model_class()
    return get_object_or_404(classe, pk=pk)


@permission_requise("candidatures.gerer_appel", objet=_portee)
def reglages(request, modele, pk):
    portee = _portee(request, modele, pk)
    type_portee = ContentType.objects.get_for_model(portee)
    existants = {
        r.type_code: r
        for r in ReglageRelance.objects.filter(portee_type=type_portee, portee_id=portee.pk)
    }
    form = ReglagesRelancesForm(
        request.POST or None, modele=PORTEES_REGLABLES[modele], reglages=existants
    )
    contexte = {"form": form, "portee": portee}
    if request.method == "POST" and form.is_valid():
        _resultat, refus = executer(
            request,
            lambda: services.regler_relances(portee, form.reglages_saisis(), par=request.user),
            gabarit="relances/reglages.html",
            contexte=contexte,
            succes=_("Les relances sont réglées."),
        )
        return refus or redirect("relances:reglages", modele=modele, pk=pk)
    return render(request, "relances/reglages.html", contexte)

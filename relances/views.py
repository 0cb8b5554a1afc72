from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from comptes.decorators import permission_requise
from relances import services
from relances.enums import EtatRelance
from relances.models import Relance
from relances.registre import type_de_relance, types_de_relance


class PreferencesForm(forms.Form):
    resume_quotidien = forms.BooleanField(
        label="Recevoir un seul courriel par jour qui regroupe mes relances", required=False
    )

    def __init__(self, *args, types_desactives, **kwargs):
        super().__init__(*args, **kwargs)
        for type_relance in types_de_relance():
            self.fields[f"type_{type_relance.code}"] = forms.BooleanField(
                label=type_relance.libelle,
                required=False,
                initial=type_relance.code not in types_desactives,
                disabled=type_relance.essentielle,
                help_text=type_relance.raison_essentielle if type_relance.essentielle else "",
            )
            if type_relance.essentielle:
                self.fields[f"type_{type_relance.code}"].initial = True


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
                for t in types_de_relance()
                if not t.essentielle and not form.cleaned_data[f"type_{t.code}"]
            ],
            resume_quotidien=form.cleaned_data["resume_quotidien"],
        )
        messages.success(request, "Vos préférences de relance sont enregistrées.")
        return redirect("relances:preferences")
    return render(request, "relances/preferences.html", {"form": form})


def desabonnement(request, jeton):
    """Lien signé de chaque relance : pas besoin d'être connecté, sans effet au second clic."""
    try:
        id_utilisateur, type_code = services.lire_lien_desabonnement(jeton)
        type_relance = type_de_relance(type_code)
        utilisateur = get_user_model().objects.get(pk=id_utilisateur)
    except (signing.BadSignature, KeyError, get_user_model().DoesNotExist):
        return render(request, "relances/desabonnement_invalide.html", status=400)
    if type_relance.essentielle:
        return render(
            request,
            "relances/desabonnement.html",
            {"type_relance": type_relance, "essentielle": True},
        )
    fait = False
    if request.method == "POST":
        services.desactiver(utilisateur, type_code)
        fait = True
    return render(
        request,
        "relances/desabonnement.html",
        {"type_relance": type_relance, "fait": fait, "email": utilisateur.email},
    )


@permission_requise("relances.voir_relances")
def liste(request):
    relances = Relance.objects.select_related("destinataire", "message", "objet_type")
    type_code = request.GET.get("type", "")
    if type_code:
        relances = relances.filter(type_code=type_code)
    etat = request.GET.get("etat", "")
    if etat == "echec":
        relances = relances.filter(message__etat="echec")
    elif etat in EtatRelance.values:
        relances = relances.filter(etat=etat)
    page = Paginator(relances, 50).get_page(request.GET.get("page"))
    libelles = {t.code: t.libelle for t in types_de_relance()}
    for relance in page:
        relance.libelle_type = libelles.get(relance.type_code, relance.type_code)
    return render(
        request,
        "relances/liste.html",
        {
            "page": page,
            "types": sorted(libelles.items(), key=lambda item: item[1]),
            "type_code": type_code,
            "etat": etat,
            "etats": [*EtatRelance.choices, ("echec", "Envoi en échec")],
        },
    )

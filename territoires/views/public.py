"""Pages publiques, sans compte : « Suis-je éligible ? » et la recherche de communes."""

from django.apps import apps
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_cookie

from territoires.eligibilite import ReglesEligibilite, evaluer_eligibilite
from territoires.forms import EligibiliteForm, libelle_commune, precision_commune
from territoires.selectors import rechercher_communes

NOMBRE_DE_PROPOSITIONS = 10


def _appels_ouverts():
    """Les appels ouverts, par leur slug. Les appels vivent dans `candidatures`, qui dépend
    des territoires : ils sont pris dans le registre des applications, sans import."""
    try:
        Appel = apps.get_model("programmes", "Appel")
    except LookupError:
        return {}
    return {appel.slug: appel for appel in Appel.objects.ouverts().order_by("titre")}


@require_GET
def eligibilite(request):
    """Le formulaire est en GET : une réponse a une adresse qu'on peut garder ou partager.

    S'il y a des appels ouverts, la personne choisit les règles de l'un d'eux (le seul, par
    défaut) ou les règles générales.
    """
    appels = _appels_ouverts()
    demande = "commune" in request.GET or "commune_code" in request.GET
    form = EligibiliteForm(
        request.GET if demande else None,
        appels=[(slug, appel.titre) for slug, appel in appels.items()],
        initial={"appel": next(iter(appels))} if len(appels) == 1 else {},
    )
    reponse = None
    rattachement = None
    appel = None
    propositions = []
    if form.is_bound:
        if form.is_valid():
            commune = form.cleaned_data["commune"]
            rattachement = commune.rattachement
            appel = appels.get(form.cleaned_data.get("appel") or "")
            regles = ReglesEligibilite.depuis_appel(appel) if appel else ReglesEligibilite()
            reponse = evaluer_eligibilite(commune.code_insee, regles)
        else:
            propositions = form.fields["commune"].propositions
    return render(
        request,
        "territoires/eligibilite.html",
        {
            "form": form,
            "reponse": reponse,
            "rattachement": rattachement,
            "appel": appel,
            "propositions": propositions,
        },
    )


@require_GET
@cache_control(public=True, max_age=3600)
@vary_on_cookie
def recherche_communes(request):
    """Les communes dont le nom contient `q` (accents, tirets et majuscules ignorés). La
    précision (« commune associée de Lille ») est dans la langue choisie, qui vient d'un
    cookie : un cache partagé doit en tenir compte."""
    communes = rechercher_communes(request.GET.get("q", ""), limite=NOMBRE_DE_PROPOSITIONS)
    return JsonResponse(
        {
            "resultats": [
                {
                    "code": commune.code_saisi,
                    "nom": commune.nom_saisi,
                    "departement": commune.departement,
                    "libelle": libelle_commune(commune),
                    # Celle de Lille, à côté de « Lomme », se lirait comme celle de Lomme.
                    "population": None if commune.rattachement else commune.population_municipale,
                    "precision": precision_commune(commune),
                }
                for commune in communes
            ]
        }
    )

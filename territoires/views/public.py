"""Pages publiques, sans compte : « Suis-je éligible ? » et la recherche de communes."""

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from territoires.eligibilite import evaluer_eligibilite
from territoires.forms import EligibiliteForm, libelle_commune
from territoires.selectors import rechercher_communes

NOMBRE_DE_PROPOSITIONS = 10


@require_GET
def eligibilite(request):
    """Le formulaire est en GET : une réponse a une adresse qu'on peut garder ou partager."""
    demande = "commune" in request.GET or "commune_code" in request.GET
    form = EligibiliteForm(request.GET if demande else None)
    reponse = None
    propositions = []
    if form.is_bound:
        if form.is_valid():
            commune = form.cleaned_data["commune"]
            reponse = evaluer_eligibilite(commune.code_insee)
        else:
            propositions = form.fields["commune"].propositions
    return render(
        request,
        "territoires/eligibilite.html",
        {"form": form, "reponse": reponse, "propositions": propositions},
    )


@require_GET
@cache_control(public=True, max_age=3600)
def recherche_communes(request):
    """Les communes dont le nom contient `q` (accents, tirets et majuscules ignorés)."""
    communes = rechercher_communes(request.GET.get("q", ""), limite=NOMBRE_DE_PROPOSITIONS)
    return JsonResponse(
        {
            "resultats": [
                {
                    "code": commune.code_insee,
                    "nom": commune.nom,
                    "departement": commune.departement,
                    "libelle": libelle_commune(commune),
                    "population": commune.population_municipale,
                }
                for commune in communes
            ]
        }
    )

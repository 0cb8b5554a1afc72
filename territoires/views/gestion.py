"""Back-office : l'état des données de référence et l'import d'un fichier officiel."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect, render

from noyau.decorateurs import permission_requise
from territoires import services
from territoires.exceptions import FichierInvalide
from territoires.forms import ImportReferentielForm
from territoires.models import ImportReferentiel, ListeQpv, PopulationLegale

DERNIERS_IMPORTS = 20


@permission_requise("territoires.importer_referentiel")
def referentiel(request):
    form = ImportReferentielForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        fichier = form.cleaned_data["fichier"]
        try:
            bilan = services.importer_fichier(
                form.cleaned_data["type"],
                fichier.read(),
                nom_fichier=fichier.name,
                millesime=form.cleaned_data["millesime"],
                par=request.user,
            )
        except FichierInvalide as erreur:
            form.add_error("fichier", str(erreur))
        else:
            messages.success(request, bilan.phrase())
            for avertissement in bilan.avertissements:
                messages.warning(request, avertissement)
            return redirect("territoires:referentiel")
    contexte = {
        "form": form,
        "listes_qpv": ListeQpv.objects.annotate(nombre_qpv=Count("qpv")),
        "millesimes": PopulationLegale.objects.values("annee")
        .annotate(nombre_communes=Count("pk"))
        .order_by("-annee"),
        "imports": ImportReferentiel.objects.select_related("par")[:DERNIERS_IMPORTS],
    }
    return render(request, "territoires/gestion/referentiel.html", contexte)

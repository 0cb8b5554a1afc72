"""Les versions déposées d'une candidature : la page « Versions déposées » des gestionnaires
du programme (liste des dépôts, différence entre deux), le récépissé de chaque dépôt et les
fichiers tels qu'ils étaient déposés (membres de la structure et gestionnaires)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from candidatures import recepisse, selectors
from candidatures.comparaison import comparer
from candidatures.forms import ChoixDesVersionsForm
from candidatures.models import FichierVersion
from noyau.decorateurs import permission_requise
from noyau.fichiers import servir_fichier
from noyau.rendu_pdf import RenduDejaEnCours, reponse_rendu_deja_en_cours, un_rendu_a_la_fois


def _candidature_visible(request, pk):
    return get_object_or_404(
        selectors.candidatures_visibles_par(request.user).select_related(
            "appel__programme", "structure__commune"
        ),
        pk=pk,
    )


def _candidature_geree(request, pk):
    candidature = _candidature_visible(request, pk)
    if not request.user.has_perm("candidatures.instruire_candidature", candidature):
        raise PermissionDenied(_("Cette page est réservée aux gestionnaires du programme."))
    return candidature


def _versions(candidature):
    return list(candidature.versions.select_related("deposee_par").prefetch_related("fichiers"))


@permission_requise("comptes.acceder_gestion")
def versions(request, pk):
    """Les dépôts de la candidature et la différence entre deux d'entre eux (par défaut les
    deux derniers), pour les gestionnaires du programme."""
    candidature = _candidature_geree(request, pk)
    depots = _versions(candidature)
    par_numero = {version.numero: version for version in depots}
    form, comparaison = None, None
    if len(depots) >= 2:
        initial = {"de": depots[-2].numero, "a": depots[-1].numero}
        form = ChoixDesVersionsForm(
            request.GET if "de" in request.GET else None, versions=depots, initial=initial
        )
        choix = form.cleaned_data if form.is_bound and form.is_valid() else initial
        if not form.is_bound or form.is_valid():
            comparaison = comparer(par_numero[choix["de"]], par_numero[choix["a"]])
    return render(
        request,
        "candidatures/gestion/versions.html",
        {
            "candidature": candidature,
            "versions": depots,
            "form": form,
            "comparaison": comparaison,
        },
        status=400 if form is not None and form.is_bound and not form.is_valid() else 200,
    )


@login_required
def recepisse_version(request, pk, numero):
    """Le récépissé d'un dépôt, tel qu'il était : pour la structure et les gestionnaires."""
    candidature = _candidature_visible(request, pk)
    version = get_object_or_404(candidature.versions, numero=numero)
    try:
        with un_rendu_a_la_fois(request.user):
            pdf = recepisse.generer_pdf(candidature, version)
    except RenduDejaEnCours:
        return reponse_rendu_deja_en_cours(
            request, retour=reverse("candidatures:candidature", args=[candidature.pk])
        )
    reponse = HttpResponse(pdf, content_type="application/pdf")
    nom = recepisse.nom_de_fichier(candidature, version)
    reponse["Content-Disposition"] = f'inline; filename="{nom}"'
    return reponse


@login_required
def fichier_version(request, pk, numero, fichier_pk):
    """Un fichier tel qu'il était à ce dépôt, à qui peut lire la candidature."""
    candidature = _candidature_visible(request, pk)
    fichier = FichierVersion.objects.filter(
        version__candidature=candidature, version__numero=numero, pk=fichier_pk
    ).first()
    if fichier is None:
        raise Http404
    return servir_fichier(fichier.fichier, nom=fichier.nom_original, type_mime=fichier.type_mime)

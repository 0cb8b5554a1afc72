"""Les candidatures d'un appel, avec exactement les filtres de la liste du gestionnaire : les
mêmes paramètres GET passent par le même formulaire et le même sélecteur, si bien qu'un filtre
ajouté à la liste s'applique aussi à l'envoi groupé. Destinataires : les membres actifs de
chaque structure."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from candidatures import selectors
from candidatures.forms import FiltreCandidaturesForm, communes_du_filtre
from messagerie.audiences import Audience, Destinataire, TypeAudience, declarer
from programmes.models import Appel

CHAMPS = {
    "structure": _("le nom de la structure"),
    "commune": _("la commune de la structure"),
    "appel": _("le titre de l'appel"),
    "reference": _("la référence de la candidature"),
    "etat": _("l'état de la candidature"),
    "prenom": _("le prénom du destinataire"),
    "nom": _("le nom du destinataire"),
}


def _appel(pk):
    return Appel.objects.select_related("programme").filter(pk=pk).first()


def description_des_filtres(form):
    """« état : déposée, commune : Lille » : chaque filtre valide et rempli de la liste, par
    son libellé et sa valeur affichée."""
    if not form.is_bound or not form.is_valid():
        return []
    morceaux = []
    for nom, valeur in form.cleaned_data.items():
        if not valeur:
            continue
        champ = form.fields[nom]
        if nom == "tri":
            continue
        choix = dict(getattr(champ, "choices", []) or [])
        affichee = choix.get(valeur, valeur)
        morceaux.append(f"{str(champ.label).lower()} : {affichee}")
    return morceaux


def _audience(appel, parametres):
    form = FiltreCandidaturesForm(parametres or None, communes=communes_du_filtre(appel))
    candidatures = list(
        selectors.candidatures_de_l_appel(appel, **form.criteres()).prefetch_related(
            "structure__membres"
        )
    )
    description = ngettext(
        "%(n)d candidature de l'appel %(appel)s",
        "%(n)d candidatures de l'appel %(appel)s",
        len(candidatures),
    ) % {"n": len(candidatures), "appel": appel.titre}
    filtres = description_des_filtres(form)
    if filtres:
        description = f"{description}, {', '.join(filtres)}"
    destinataires = [
        Destinataire(
            email=membre.email,
            utilisateur=membre,
            valeurs={
                "structure": candidature.structure.nom,
                "commune": candidature.structure.commune.nom
                if candidature.structure.commune
                else "",
                "appel": appel.titre,
                "reference": candidature.reference,
                "etat": str(candidature.get_etat_display()),
                "prenom": membre.first_name,
                "nom": membre.last_name,
            },
        )
        for candidature in candidatures
        for membre in candidature.structure.membres_actifs()
    ]
    adresse = reverse("candidatures:gestion_candidatures", args=[appel.pk])
    if parametres:
        adresse = f"{adresse}?{parametres.urlencode()}"
    return Audience(
        programme=appel.programme,
        description=description,
        destinataires=destinataires,
        champs={nom: str(texte) for nom, texte in CHAMPS.items()},
        adresse_de_la_liste=adresse,
    )


CANDIDATURES_DE_L_APPEL = declarer(
    TypeAudience(
        code="candidatures",
        libelle=_("Candidatures d'un appel"),
        objet=_appel,
        audience=_audience,
    )
)

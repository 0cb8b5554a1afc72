"""Le courriel « votre export est prêt », déclaré au catalogue (`messagerie.catalogue`)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from messagerie.catalogue import Categorie, Courriel, Evenement, declarer
from messagerie.services import preparer_courriel

EXPORT_PRET = declarer(
    Courriel(
        code="export_pret",
        libelle=_("Export prêt à télécharger"),
        declencheur=Evenement("le worker a terminé un export demandé (telechargements)"),
        categorie=Categorie.COMPTE,
        destinataires="la personne qui a demandé l'export",
        gabarit="export_pret",
        essentiel=True,
        raison_essentielle=_("Vous l'avez demandé : il vous dit où télécharger votre fichier."),
    )
)


def export_pret(telechargement):
    """Une seule fois par export, même si la préparation passe deux fois (clé du message)."""
    demandeur = telechargement.demandeur
    return preparer_courriel(
        EXPORT_PRET,
        destinataire=demandeur.email,
        utilisateur=demandeur,
        contexte={
            "telechargement": telechargement,
            "lien": reverse("telechargements:export", args=[telechargement.pk]),
        },
        cle=f"export_pret:{telechargement.pk}",
    )

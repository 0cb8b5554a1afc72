"""Publier, mettre à jour et retirer les indicateurs d'une cohorte en données ouvertes.

Chaque service vérifie la règle sur l'appel (`donnees_ouvertes.publier` : ses gestionnaires)
et journalise sur l'appel. Le contenu publié est un instantané : il ne change qu'à la
prochaine publication, jamais avec les saisies des structures."""

import hashlib

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from activite.bilan import bilan_a_jour
from activite.selectors import structures_de_la_cohorte
from donnees_ouvertes import paquet
from donnees_ouvertes.models import Publication
from journal.enums import TypeEvenement
from journal.services import journaliser
from noyau.erreurs import ActionImpossible
from noyau.transitions import exiger, verrouiller

REFUS = gettext_lazy("Seuls les gestionnaires du programme publient les indicateurs de sa cohorte.")
SANS_COHORTE = gettext_lazy(
    "Cet appel n'a pas encore de structure lauréate : il n'y a pas d'indicateurs de cohorte à "
    "publier."
)
NON_PUBLIEE = gettext_lazy("Les indicateurs de cet appel ne sont pas publiés.")


def publication_de(appel):
    return Publication.objects.filter(appel=appel).first()


def publier(appel, *, par):
    """Publie (ou remplace) l'instantané des indicateurs de la cohorte de l'appel, avec les
    valeurs masquées que lit un observateur. Renvoie la publication."""
    exiger(par, "donnees_ouvertes.publier", appel, REFUS)
    if not structures_de_la_cohorte(appel).exists():
        raise ActionImpossible(str(SANS_COHORTE))
    bilan = bilan_a_jour(appel)
    with transaction.atomic():
        verrouiller(appel)
        publication = Publication.objects.filter(appel=appel).first()
        maintenant = timezone.now()
        csv, descripteur = paquet.instantane(appel, bilan, publiee_le=maintenant)
        if publication is not None and publication.en_ligne:
            type_evenement = TypeEvenement.DONNEES_OUVERTES_MISES_A_JOUR
        else:
            type_evenement = TypeEvenement.DONNEES_OUVERTES_PUBLIEES
        if publication is None:
            publication = Publication(appel=appel)
        publication.csv = csv
        publication.descripteur = descripteur
        publication.publiee_le = maintenant
        publication.publiee_par = par
        publication.retiree_le = None
        publication.save()
        journaliser(
            type_evenement,
            cible=appel,
            acteur=par,
            donnees={
                "publication": publication.pk,
                "structures": len(bilan.par_structure),
                "empreinte_csv": hashlib.sha256(csv.encode()).hexdigest(),
            },
        )
    return publication


def retirer(appel, *, par):
    """Retire la publication : ses adresses répondent désormais qu'elle est retirée (410)."""
    exiger(par, "donnees_ouvertes.publier", appel, REFUS)
    with transaction.atomic():
        publication = Publication.objects.select_for_update().filter(appel=appel).first()
        if publication is None or not publication.en_ligne:
            raise ActionImpossible(str(NON_PUBLIEE))
        publication.retiree_le = timezone.now()
        publication.save(update_fields=["retiree_le"])
        journaliser(
            TypeEvenement.DONNEES_OUVERTES_RETIREES,
            cible=appel,
            acteur=par,
            donnees={"publication": publication.pk},
        )
    return publication

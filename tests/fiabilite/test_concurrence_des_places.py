"""Les places d'un appel publié, à la même seconde : deux gestionnaires retiennent chacun la
suivante de la liste d'attente alors qu'une seule place est libre ; un lauréat se retire
pendant qu'une promotion arrive.

La promotion et le retrait prennent d'abord le verrou de l'appel, puis celui de la ligne
qu'ils changent, et relisent sous ces verrous le nombre de candidatures retenues : le nombre
de places n'est jamais dépassé sans la case « dépasser » et son motif.

L'appel est celui de `tests/evaluation/resultats.py` : 2 places, A et D retenues, C (rang 1)
et B (rang 2) en liste d'attente.
"""

from collections import Counter

import pytest
from django.contrib.auth import get_user_model

from candidatures.enums import EtatCandidature
from candidatures.models import Candidature
from evaluation import services
from journal.models import Evenement
from noyau.erreurs import ActionImpossible
from programmes.models import Appel
from tests.candidatures.factories import ProgrammeFactory
from tests.evaluation.resultats import appel_publie
from tests.factories import UtilisateurFactory
from tests.fiabilite.simultane import en_meme_temps

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ESSAIS = 4

PLACES_PRISES = (
    "Les 2 places de l'appel sont prises (2 candidatures retenues). Retirez d'abord un lauréat "
    "qui renonce, ou cochez « Dépasser le nombre de places de l'appel » et indiquez pourquoi."
)


def _compte_frais(utilisateur):
    return get_user_model().objects.get(pk=utilisateur.pk)


def _promouvoir(appel_id, gestionnaire, motif):
    return lambda: services.promouvoir_liste_attente(
        Appel.objects.get(pk=appel_id), par=_compte_frais(gestionnaire), motif=motif
    )


def _retenues(appel_id):
    return sorted(
        Candidature.objects.filter(appel_id=appel_id, etat=EtatCandidature.RETENUE).values_list(
            "structure__nom", flat=True
        )
    )


def _issue(resultat):
    if isinstance(resultat, ActionImpossible) and resultat.message == PLACES_PRISES:
        return "refusée : places prises"
    if isinstance(resultat, Candidature):
        return f"retenue : {resultat.structure.nom}"
    return repr(resultat)


def test_deux_promotions_en_meme_temps_ne_depassent_jamais_les_places():
    """Une place libre (A s'est retirée), deux gestionnaires retiennent la suivante en même
    temps : à chaque essai, une promotion retient C (rang 1), l'autre est refusée, et l'appel
    compte 2 retenues pour 2 places."""
    ecarts = []
    for essai in range(ESSAIS):
        premier = UtilisateurFactory(gestionnaire=True)
        second = UtilisateurFactory(gestionnaire=True)
        programme = ProgrammeFactory(gestionnaires=[premier, second])
        jury, candidatures = appel_publie(programme, premier)
        services.retirer_laureat(candidatures["A"], par=premier, motif="Le CCAS A renonce")

        resultats = en_meme_temps(
            _promouvoir(jury.appel_id, premier, "Désistement du CCAS A"),
            _promouvoir(jury.appel_id, second, "Désistement du CCAS A (second onglet)"),
        )

        constate = (
            tuple(sorted(_issue(resultat) for resultat in resultats)),
            tuple(_retenues(jury.appel_id)),
            Evenement.objects.filter(
                type="liste_attente_promue", cible_id__in=[c.pk for c in candidatures.values()]
            ).count(),
        )
        attendu = (
            ("refusée : places prises", "retenue : CCAS C"),
            ("CCAS C", "CCAS D"),
            1,
        )
        if constate != attendu:
            ecarts.append((essai, constate))

    assert ecarts == [], f"{len(ecarts)} essais sur {ESSAIS} en écart : " + repr(
        Counter(constate for _, constate in ecarts)
    )


def test_retrait_et_promotion_en_meme_temps_jamais_plus_de_places():
    """Les 2 places sont prises ; D se retire pendant qu'un gestionnaire retient la suivante.
    La promotion passe après le retrait (une place libre : C est retenue) ou avant (refusée) ;
    jamais 3 retenues pour 2 places."""
    ecarts = []
    for essai in range(ESSAIS):
        gestionnaire = UtilisateurFactory(gestionnaire=True)
        programme = ProgrammeFactory(gestionnaires=[gestionnaire])
        jury, candidatures = appel_publie(programme, gestionnaire)
        d = candidatures["D"]

        retrait, promotion = en_meme_temps(
            lambda d=d, gestionnaire=gestionnaire: services.retirer_laureat(
                Candidature.objects.get(pk=d.pk),
                par=_compte_frais(gestionnaire),
                motif="Le CCAS D renonce",
            ),
            _promouvoir(jury.appel_id, gestionnaire, "Désistement du CCAS D"),
        )

        constate = (
            type(retrait).__name__,
            _issue(promotion),
            tuple(_retenues(jury.appel_id)),
        )
        attendus = [
            ("Candidature", "retenue : CCAS C", ("CCAS A", "CCAS C")),
            ("Candidature", "refusée : places prises", ("CCAS A",)),
        ]
        if constate not in attendus:
            ecarts.append((essai, constate))

    assert ecarts == [], f"{len(ecarts)} essais sur {ESSAIS} en écart : " + repr(
        Counter(constate for _, constate in ecarts)
    )

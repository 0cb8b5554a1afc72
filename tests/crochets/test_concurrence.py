"""Deux workers reçoivent la même livraison au même instant (tâche en double, rattrapage
pendant l'envoi) : sur PostgreSQL, le verrou de la ligne, pris sans attendre, fait qu'un seul
l'envoie ; l'autre ne trouve rien à faire."""

import pytest

from crochets import services, tasks
from crochets.models import EtatLivraison, Livraison
from tests.candidatures.factories import ProgrammeFactory
from tests.factories import UtilisateurFactory
from tests.fiabilite.simultane import en_meme_temps

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ESSAIS = 5


def test_deux_workers_n_envoient_qu_une_fois_la_meme_tentative(recepteur, settings):
    settings.CROCHETS_DELAIS_DES_TENTATIVES = []
    recepteur.attente = 0.3  # le premier garde le verrou pendant l'envoi
    gestionnaire = UtilisateurFactory(gestionnaire=True)
    programme = ProgrammeFactory(gestionnaires=[gestionnaire])
    abonnement = services.creer_abonnement(
        programme, par=gestionnaire, url=recepteur.url, evenements=["appel.clos"]
    )
    for essai in range(1, ESSAIS + 1):
        livraison = services.envoyer_test(abonnement, par=gestionnaire)

        en_meme_temps(
            lambda pk=livraison.pk: tasks.livrer(livraison_id=pk),
            lambda pk=livraison.pk: tasks.livrer(livraison_id=pk),
        )

        livraison.refresh_from_db()
        assert len(recepteur.requetes) == essai
        assert (livraison.etat, livraison.tentatives) == (EtatLivraison.REUSSIE, 1)
    assert Livraison.objects.filter(etat=EtatLivraison.REUSSIE).count() == ESSAIS

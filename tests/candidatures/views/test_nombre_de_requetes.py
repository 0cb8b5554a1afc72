"""Chaque liste fait le même nombre de requêtes avec une ligne et avec beaucoup."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from candidatures.models import VersionDeposee
from tests.candidatures.factories import AppelFactory, CandidatureFactory, StructureFactory
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db


def _requetes(client, adresse):
    # Le cache des types de contenu (fils, notes : cibles génériques) se remplit à la première
    # page du processus : vidé avant chaque mesure, les deux mesures partent du même état,
    # quel que soit l'ordre des tests.
    ContentType.objects.clear_cache()
    with CaptureQueriesContext(connection) as requetes:
        reponse = client.get(adresse)
    assert reponse.status_code == 200
    return len(requetes)


def test_la_liste_publique_des_appels(client):
    AppelFactory(ouvert=True)
    avec_un = _requetes(client, "/appels/")
    AppelFactory.create_batch(20, ouvert=True)
    assert _requetes(client, "/appels/") == avec_un


def test_la_liste_des_appels_du_gestionnaire(client, programme, gestionnaire):
    client.force_login(gestionnaire)
    appel = AppelFactory(programme=programme, ouvert=True)
    CandidatureFactory(appel=appel, deposee=True)
    avec_un = _requetes(client, "/gestion/appels/")
    for _ in range(10):
        autre = AppelFactory(programme=programme, ouvert=True)
        CandidatureFactory.create_batch(3, appel=autre, deposee=True)
    assert _requetes(client, "/gestion/appels/") == avec_un


def test_mon_espace_avec_une_et_avec_plusieurs_candidatures(client, candidat, structure):
    client.force_login(candidat)
    CandidatureFactory(structure=structure, deposee=True)
    AppelFactory(ouvert=True)
    avec_une = _requetes(client, "/tableau-de-bord/")
    for _ in range(10):
        CandidatureFactory(structure=structure, deposee=True)
        AppelFactory(ouvert=True)
    StructureFactory(membres=[candidat])
    assert _requetes(client, "/tableau-de-bord/") == avec_une


def test_la_fiche_d_une_candidature_au_back_office(client, programme, gestionnaire, candidat):
    """Toujours le même nombre de requêtes, avec un dépôt ou plusieurs, des pièces et un long
    journal : versions, pièces et membres ne sont pas relus section par section."""
    client.force_login(gestionnaire)
    appel = AppelFactory(programme=programme, ouvert=True)
    candidature = CandidatureFactory(appel=appel, deposee=True)
    adresse = f"/gestion/candidatures/{candidature.pk}/"
    VersionDeposee.objects.create(
        candidature=candidature, numero=1, deposee_le=timezone.now(), deposee_par=candidat
    )
    avec_un = _requetes(client, adresse)
    assert avec_un == 15
    for numero in range(2, 6):
        VersionDeposee.objects.create(
            candidature=candidature, numero=numero, deposee_le=timezone.now(), deposee_par=candidat
        )
    candidature.structure.membres.add(candidat, UtilisateurFactory(), UtilisateurFactory())
    assert _requetes(client, adresse) == avec_un


def test_la_liste_filtree_et_triee_des_candidatures(client, programme, gestionnaire):
    client.force_login(gestionnaire)
    appel = AppelFactory(programme=programme, ouvert=True)
    CandidatureFactory(appel=appel, deposee=True)
    adresse = f"/gestion/appels/{appel.pk}/candidatures/?etat=deposee&tri=structure"
    avec_une = _requetes(client, adresse)
    assert avec_une == 10
    CandidatureFactory.create_batch(30, appel=appel, deposee=True)
    CandidatureFactory.create_batch(5, appel=appel, recevable=True)
    assert _requetes(client, adresse) == avec_une

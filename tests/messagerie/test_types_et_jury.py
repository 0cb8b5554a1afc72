"""La boîte d'envoi dit en français de quel courriel il s'agit, et l'invitation d'un membre du
jury y est rangée sous le programme de l'appel : le gestionnaire qui l'a envoyée la voit, celui
d'un autre programme non."""

import html
import re
from pathlib import Path

import pytest
from django.conf import settings

from accompagnement.relances import RAPPEL_CONVOCATION_REFERENT
from candidatures import services as services_candidatures
from messagerie.models import Message
from messagerie.types import choix_des_types
from relances.registre import types_de_relance
from tests.candidatures.factories import CandidatureFactory, ProgrammeFactory, StructureFactory
from tests.evaluation.factories import JuryFactory
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db


def _lignes(page):
    """Les lignes du tableau de la boîte d'envoi, cellule par cellule, sans balises."""
    corps = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        [html.unescape(re.sub(r"<[^>]+>", "", cellule)).strip() for cellule in cellules]
        for cellules in (
            re.findall(r"<td[^>]*>(.*?)</td>", ligne, re.S)
            for ligne in re.findall(r"<tr>(.*?)</tr>", corps, re.S)
        )
    ]


@pytest.fixture
def nord_et_sud():
    chef_nord = UtilisateurFactory(gestionnaire=True, email="chef-nord@exemple.test")
    chef_sud = UtilisateurFactory(gestionnaire=True, email="chef-sud@exemple.test")
    nord = ProgrammeFactory(gestionnaires=[chef_nord], nom="Inclusion numérique Nord")
    ProgrammeFactory(gestionnaires=[chef_sud], nom="Inclusion numérique Sud")
    return chef_nord, chef_sud, nord


def test_l_invitation_au_jury_est_rangee_sous_le_programme_de_l_appel(client, nord_et_sud):
    chef_nord, chef_sud, nord = nord_et_sud
    jury = JuryFactory(appel__programme=nord)
    client.force_login(chef_nord)

    reponse = client.post(
        f"/gestion/appels/{jury.appel_id}/jury/membres/", {"email": "experte@exemple.test"}
    )

    assert reponse.status_code == 302
    assert list(Message.objects.values_list("type", "destinataire", "programme")) == [
        ("invitation", "experte@exemple.test", nord.pk)
    ]
    page = client.get("/gestion/messages/").text
    assert [ligne[1:5] for ligne in _lignes(page)] == [
        [
            "Invitation à rejoindre Relais",
            "Inclusion numérique Nord",
            "experte@exemple.test",
            "[Relais] Invitation à rejoindre Relais comme membre du jury",
        ]
    ]
    message = Message.objects.get()
    detail = client.get(f"/gestion/messages/{message.pk}/").text
    assert '<dd class="col-sm-9">Invitation à rejoindre Relais</dd>' in detail

    client.force_login(chef_sud)
    assert _lignes(client.get("/gestion/messages/").text) == [["Aucun message."]]
    assert client.get(f"/gestion/messages/{message.pk}/").status_code == 403


def test_le_type_d_un_courriel_de_candidature_est_dit_en_francais(client, nord_et_sud):
    chef_nord, _, nord = nord_et_sud
    membre = UtilisateurFactory(candidat=True, email="ccas@houplines.test")
    candidature = CandidatureFactory(
        appel__programme=nord, structure=StructureFactory(membres=[membre]), deposee=True
    )
    Message.objects.all().delete()
    services_candidatures.declarer_recevable(candidature, par=chef_nord)

    client.force_login(chef_nord)
    page = client.get("/gestion/messages/").text
    assert [ligne[1:4] for ligne in _lignes(page)] == [
        ["Candidature recevable", "Inclusion numérique Nord", "ccas@houplines.test"]
    ]
    assert "candidature_recevable" not in page


# Ces gabarits servent plusieurs types (un par relance, un par jour de rappel).
GABARITS_A_PLUSIEURS_TYPES = {"relances", "accompagnement_rappel_convocation"}


def _codes_produits():
    """Chaque code de type que l'application donne à un courriel."""
    gabarits = {
        dossier.name
        for dossier in (Path(settings.BASE_DIR) / "templates" / "emails").iterdir()
        if dossier.is_dir() and dossier.name not in GABARITS_A_PLUSIEURS_TYPES
    }
    return (
        gabarits
        | {
            RAPPEL_CONVOCATION_REFERENT.type_du_message(decalage)
            for decalage in RAPPEL_CONVOCATION_REFERENT.decalages
        }
        | {f"relance_{t.code}" for t in types_de_relance() if t.aux_comptes}
        | {"relance_resume_quotidien", "compte_email_confirmation", "compte_password_reset_key"}
    )


def test_chaque_type_de_courriel_a_un_libelle_francais():
    libelles = dict(choix_des_types())
    sans_libelle = sorted(code for code in _codes_produits() if code not in libelles)
    assert sans_libelle == []
    assert libelles["relance_convocation_formation"] == (
        "Relance : Rappel de convocation d'un référent à une formation (J-7, J-1)"
    )
    assert libelles["compte_password_reset_key"] == (
        "Compte : lien pour réinitialiser le mot de passe"
    )

"""Sur les pages des gestionnaires, un paramètre tapé à la main dans l'adresse ou un formulaire
(`?page=abc`, `?commune=abc`, un référent « abc » coché) ne désigne rien : la page sans ce
filtre, une 404 ou un refus en français, jamais une erreur 500."""

import datetime

import pytest
from django.urls import reverse

from accompagnement.enums import TypeJalon
from accompagnement.models import Inscription
from candidatures.enums import EtatCandidature
from tests.accompagnement.factories import ReferentFactory, SessionFactory, formation_de, plan_pour
from tests.activite.factories import ThemeFactory
from tests.candidatures.factories import AppelFactory, CandidatureFactory, ProgrammeFactory
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db

SAISIES = ["abc", "1 OR 1=1", "-1", "1.5", "99999999999999999999999"]


@pytest.fixture
def gestionnaire():
    return UtilisateurFactory(gestionnaire=True, email="gestion@programme.test")


@pytest.fixture
def appel(gestionnaire):
    return AppelFactory(
        programme=ProgrammeFactory(gestionnaires=[gestionnaire]), ouvert=True, titre="AMI 2026"
    )


@pytest.fixture
def connecte(client, gestionnaire):
    client.force_login(gestionnaire)
    return client


@pytest.mark.parametrize("saisie", SAISIES)
def test_les_filtres_des_listes_ignorent_une_saisie_qui_ne_designe_rien(connecte, appel, saisie):
    CandidatureFactory(appel=appel, deposee=True)
    pages = [
        reverse("candidatures:gestion_candidatures", args=[appel.pk]),
        reverse("candidatures:gestion_candidatures_csv", args=[appel.pk]),
        reverse("relances:liste"),
        reverse("messagerie:liste"),
        reverse("accompagnement:frise"),
    ]
    parametres = {
        "page": saisie,
        "commune": saisie,
        "etat": saisie,
        "eligibilite": saisie,
        "type_structure": saisie,
        "tri": saisie,
        "type": saisie,
    }
    codes = [connecte.get(page, parametres).status_code for page in pages]
    assert codes == [200] * len(pages)


def test_une_portee_de_relances_inconnue_est_introuvable(connecte, appel):
    reponse = connecte.get(reverse("relances:reglages", args=["abc", appel.pk]))
    assert reponse.status_code == 404


@pytest.mark.parametrize("saisie", SAISIES)
def test_declarer_recevable_une_candidature_qui_n_est_pas_un_numero(connecte, appel, saisie):
    candidature = CandidatureFactory(appel=appel, deposee=True)
    reponse = connecte.post(
        reverse("candidatures:gestion_candidatures_recevables", args=[appel.pk]),
        {"candidatures": [saisie]},
    )
    assert reponse.status_code == 302
    candidature.refresh_from_db()
    assert candidature.etat == EtatCandidature.DEPOSEE


@pytest.mark.parametrize("saisie", SAISIES)
def test_emarger_un_referent_qui_n_est_pas_un_numero(client, gestionnaire, saisie):
    plan = plan_pour()
    plan.programme.gestionnaires.add(gestionnaire)
    session = SessionFactory(
        plans=[plan],
        formation=formation_de(plan, TypeJalon.FORMATION_1),
        date=datetime.date(2022, 12, 6),
    )
    referent = ReferentFactory(structure=plan.structure)
    Inscription.objects.create(session=session, referent=referent)
    client.force_login(gestionnaire)
    reponse = client.post(
        reverse("accompagnement:emargement", args=[session.pk]), {"presents": [saisie]}
    )
    assert reponse.status_code == 400
    assert "Un référent coché n&#x27;est pas inscrit à cette session." in reponse.text
    assert session.emargements.count() == 0


def test_un_theme_au_numero_demesure_est_introuvable(connecte):
    ThemeFactory()
    reponse = connecte.get(reverse("activite:themes"), {"theme": "99999999999999999999999"})
    assert reponse.status_code == 404

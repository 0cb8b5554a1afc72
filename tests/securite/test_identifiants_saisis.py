"""Un identifiant tapé à la main dans l'adresse ou un formulaire (`?theme=abc`) ne désigne rien :
une page 404, jamais une erreur 500."""

import datetime

import pytest
from django.urls import reverse

from accompagnement.enums import TypeJalon
from tests.accompagnement.factories import SessionFactory, formation_de, plan_pour
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db

SAISIES = ["abc", "1 OR 1=1", "-1", "1.5", ""]


@pytest.mark.parametrize("saisie", SAISIES)
def test_un_theme_qui_n_est_pas_un_numero_est_introuvable(client, saisie):
    client.force_login(UtilisateurFactory(gestionnaire=True))
    reponse = client.get(reverse("activite:themes"), {"theme": saisie})
    # An empty value is the page without a chosen theme.
    assert reponse.status_code == (200 if saisie == "" else 404)


@pytest.mark.parametrize("saisie", SAISIES)
def test_un_referent_qui_n_est_pas_un_numero_est_introuvable(client, saisie):
    membre = UtilisateurFactory(candidat=True)
    plan = plan_pour(structure__membres=[membre])
    session = SessionFactory(
        plans=[plan],
        formation=formation_de(plan, TypeJalon.FORMATION_1),
        date=datetime.date(2030, 1, 15),
    )
    client.force_login(membre)
    reponse = client.post(
        reverse("accompagnement:inscrire", args=[session.pk]), {"referent": saisie}
    )
    assert reponse.status_code == 404

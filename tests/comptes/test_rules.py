import pytest
import rules

from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db

PREDICATS = ["est_gestionnaire", "est_candidat", "est_membre_jury", "est_coach", "est_observateur"]


@pytest.mark.parametrize(
    "trait, predicat_vrai",
    [
        ("gestionnaire", "est_gestionnaire"),
        ("candidat", "est_candidat"),
        ("membre_jury", "est_membre_jury"),
        ("coach", "est_coach"),
        ("observateur", "est_observateur"),
    ],
)
def test_predicats_de_role_vrais_pour_le_seul_role_de_l_utilisateur(trait, predicat_vrai):
    utilisateur = UtilisateurFactory(**{trait: True})
    resultats = {predicat: rules.test_rule(predicat, utilisateur) for predicat in PREDICATS}
    assert resultats == {predicat: predicat == predicat_vrai for predicat in PREDICATS}


def test_seul_le_gestionnaire_accede_a_la_gestion_et_invite():
    gestionnaire = UtilisateurFactory(gestionnaire=True)
    coach = UtilisateurFactory(coach=True)
    assert gestionnaire.has_perm("comptes.acceder_gestion") is True
    assert gestionnaire.has_perm("comptes.inviter") is True
    assert coach.has_perm("comptes.acceder_gestion") is False
    assert coach.has_perm("comptes.inviter") is False


def test_anonyme_renvoye_vers_la_connexion_sur_la_gestion(client):
    reponse = client.get("/gestion/")
    assert reponse.status_code == 302
    assert reponse["Location"] == "/comptes/login/?next=/gestion/"


def test_candidat_recoit_403_en_francais_sur_la_gestion(client):
    client.force_login(UtilisateurFactory(candidat=True))
    reponse = client.get("/gestion/")
    assert reponse.status_code == 403
    assert "Vous n&#x27;avez pas accès à cette page avec votre compte." in reponse.text


def test_pages_publiques_accessibles_sans_compte(client):
    assert [
        client.get(url).status_code for url in ["/", "/accessibilite/", "/mentions-legales/"]
    ] == [
        200,
        200,
        200,
    ]

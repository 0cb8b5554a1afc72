import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from comptes import services
from comptes.models import Invitation
from journal.enums import TypeEvenement
from journal.models import Evenement
from messagerie.models import Message
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db

MOT_DE_PASSE = "Un-mot-de-passe-solide-2026"


@pytest.fixture
def gestionnaire():
    return UtilisateurFactory(gestionnaire=True, email="gestion@exemple.test")


def _jeton_du_courriel(message):
    return re.search(r"/invitation/([\w-]+)/", message.corps_texte).group(1)


def _formulaire(**valeurs):
    return {
        "prenom": "Inès",
        "nom": "Jury",
        "mot_de_passe": MOT_DE_PASSE,
        "confirmation": MOT_DE_PASSE,
        **valeurs,
    }


def test_invitation_par_la_page_met_un_courriel_dans_la_boite_d_envoi(client, gestionnaire):
    client.force_login(gestionnaire)
    reponse = client.post(
        "/gestion/invitations/", {"email": "Ines@Exemple.test", "role": "membre_jury"}
    )
    assert reponse.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.invitee_par) == (
        "ines@exemple.test",
        "membre_jury",
        gestionnaire,
    )
    message = Message.objects.get(type="invitation")
    assert message.destinataire == "ines@exemple.test"
    assert message.sujet == "[Relais] Invitation à rejoindre Relais comme membre du jury"
    jeton = _jeton_du_courriel(message)
    assert Invitation.objects.par_jeton(jeton).get() == invitation
    assert list(Evenement.objects.values_list("type", flat=True)) == [
        TypeEvenement.INVITATION_ENVOYEE
    ]


def test_le_jeton_en_clair_n_est_pas_garde_en_base(gestionnaire):
    invitation, jeton = services.inviter(email="a@exemple.test", role="coach", par=gestionnaire)
    assert jeton not in invitation.empreinte_jeton
    assert len(invitation.empreinte_jeton) == 64


def test_accepter_cree_le_compte_dans_le_role_et_connecte(client, gestionnaire):
    _, jeton = services.inviter(email="ines@exemple.test", role="membre_jury", par=gestionnaire)
    reponse = client.post(f"/invitation/{jeton}/", _formulaire())
    assert reponse.status_code == 302
    assert reponse["Location"] == "/tableau-de-bord/"
    utilisateur = get_user_model().objects.get(email="ines@exemple.test")
    assert utilisateur.roles == {"membre_jury"}
    assert utilisateur.check_password(MOT_DE_PASSE) is True
    assert utilisateur.emailaddress_set.get().verified is True
    assert client.get("/tableau-de-bord/").status_code == 200
    invitation = Invitation.objects.get()
    assert invitation.compte_cree == utilisateur
    assert invitation.acceptee_le is not None


def test_une_invitation_deja_utilisee_est_refusee(client, gestionnaire):
    _, jeton = services.inviter(email="ines@exemple.test", role="coach", par=gestionnaire)
    client.post(f"/invitation/{jeton}/", _formulaire())
    client.logout()
    reponse = client.post(f"/invitation/{jeton}/", _formulaire(mot_de_passe="Autre-chose-2026"))
    assert reponse.status_code == 410
    assert "Cette invitation a déjà été utilisée." in reponse.text
    assert get_user_model().objects.filter(email="ines@exemple.test").count() == 1
    utilisateur = get_user_model().objects.get(email="ines@exemple.test")
    assert utilisateur.check_password(MOT_DE_PASSE) is True


def test_une_invitation_expiree_est_refusee(client, gestionnaire):
    invitation, jeton = services.inviter(email="ines@exemple.test", role="coach", par=gestionnaire)
    Invitation.objects.filter(pk=invitation.pk).update(
        expire_le=timezone.now() - timezone.timedelta(minutes=1)
    )
    reponse = client.get(f"/invitation/{jeton}/")
    assert reponse.status_code == 410
    assert "Cette invitation a expiré." in reponse.text
    reponse = client.post(f"/invitation/{jeton}/", _formulaire())
    assert reponse.status_code == 410
    assert get_user_model().objects.filter(email="ines@exemple.test").exists() is False


def test_un_jeton_inconnu_est_refuse(client):
    reponse = client.get("/invitation/nimporte-quoi/")
    assert reponse.status_code == 410
    assert "Ce lien d&#x27;invitation n&#x27;est pas valable." in reponse.text


def test_mots_de_passe_differents_gardent_la_saisie(client, gestionnaire):
    _, jeton = services.inviter(email="ines@exemple.test", role="coach", par=gestionnaire)
    reponse = client.post(f"/invitation/{jeton}/", _formulaire(confirmation="pas-pareil-2026"))
    assert reponse.status_code == 200
    assert "Les deux mots de passe ne sont pas identiques." in reponse.text
    assert 'value="Inès"' in reponse.text
    assert Invitation.objects.get().acceptee_le is None


def test_seul_un_gestionnaire_invite(client):
    client.force_login(UtilisateurFactory(coach=True))
    reponse = client.post("/gestion/invitations/", {"email": "x@exemple.test", "role": "coach"})
    assert reponse.status_code == 403
    assert Invitation.objects.count() == 0

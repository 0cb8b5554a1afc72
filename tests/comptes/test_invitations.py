import re
import time

import pytest
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comptes import services
from comptes.models import Invitation
from journal.enums import TypeEvenement
from journal.models import Evenement
from messagerie.models import Message
from tests.candidatures.factories import CandidatureFactory, ProgrammeFactory, StructureFactory
from tests.factories import MOT_DE_PASSE as MOT_DE_PASSE_DES_COMPTES
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db

MOT_DE_PASSE = "Un-mot-de-passe-solide-2026"
MOT_DE_PASSE_PIRATE = "Mot-de-passe-du-pirate-2026"


@pytest.fixture
def gestionnaire():
    return UtilisateurFactory(gestionnaire=True, email="gestion@exemple.test")


@pytest.fixture
def programme(gestionnaire):
    return ProgrammeFactory(nom="Inclusion numérique MEL", gestionnaires=[gestionnaire])


@pytest.fixture
def programme_voisin():
    """Le programme A d'un autre gestionnaire, où celui de `programme` n'a aucun droit."""
    return ProgrammeFactory(
        nom="Inclusion numérique Somme",
        gestionnaires=[UtilisateurFactory(gestionnaire=True, email="gestion-a@exemple.test")],
    )


@pytest.fixture
def victime():
    """Un compte existant : une structure candidate, avec ses candidatures."""
    compte = UtilisateurFactory(
        email="claire.martin@ccas-houplines.test",
        first_name="Claire",
        last_name="Martin",
        candidat=True,
    )
    structure = StructureFactory(nom="CCAS de Houplines", membres=[compte])
    CandidatureFactory(structure=structure, deposee=True)
    return compte


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


def _inviter_par_la_page(client, gestionnaire, programme, email, role="coach"):
    client.force_login(gestionnaire)
    reponse = client.post(
        "/gestion/invitations/", {"email": email, "role": role, "programme": programme.pk}
    )
    client.logout()
    assert reponse.status_code == 302
    return _jeton_du_courriel(Message.objects.filter(type="invitation").latest("pk"))


def _etat_du_compte(compte):
    compte = get_user_model().objects.get(pk=compte.pk)
    return {
        "email": compte.email,
        "prenom": compte.first_name,
        "nom": compte.last_name,
        "mot_de_passe": compte.password,
        "roles": compte.roles,
        "programmes_geres": set(compte.programmes_geres.values_list("pk", flat=True)),
    }


# --- Envoyer ---------------------------------------------------------------------------------


def test_invitation_par_la_page_met_un_courriel_dans_la_boite_d_envoi(
    client, gestionnaire, programme
):
    client.force_login(gestionnaire)
    reponse = client.post(
        "/gestion/invitations/",
        {"email": "Ines@Exemple.test", "role": "membre_jury", "programme": programme.pk},
    )
    assert reponse.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.programme, invitation.invitee_par) == (
        "ines@exemple.test",
        "membre_jury",
        programme,
        gestionnaire,
    )
    message = Message.objects.get(type="invitation")
    assert message.destinataire == "ines@exemple.test"
    assert message.sujet == "[Relais] Invitation à rejoindre Relais comme membre du jury"
    assert message.programme == programme
    assert "comme membre du jury du programme « Inclusion numérique MEL »." in (message.corps_texte)
    jeton = _jeton_du_courriel(message)
    assert Invitation.objects.par_jeton(jeton).get() == invitation
    evenement = Evenement.objects.get()
    assert (evenement.type, evenement.acteur, evenement.donnees) == (
        TypeEvenement.INVITATION_ENVOYEE,
        gestionnaire,
        {"role": "membre_jury", "programme": programme.pk},
    )


def test_le_jeton_en_clair_n_est_pas_garde_en_base(gestionnaire, programme):
    invitation, jeton = services.inviter(
        email="a@exemple.test", role="coach", programme=programme, par=gestionnaire
    )
    assert jeton not in invitation.empreinte_jeton
    assert len(invitation.empreinte_jeton) == 64


def test_la_page_ne_propose_que_mes_programmes(client, gestionnaire, programme, programme_voisin):
    ProgrammeFactory(nom="Autre programme que je gère", gestionnaires=[gestionnaire])
    client.force_login(gestionnaire)
    formulaire = client.get("/gestion/invitations/").context["form"]
    assert [p.nom for p in formulaire.fields["programme"].queryset] == [
        "Autre programme que je gère",
        "Inclusion numérique MEL",
    ]
    assert [valeur for valeur, _ in formulaire.fields["role"].choices] == [
        "gestionnaire",
        "membre_jury",
        "coach",
    ]


@pytest.mark.parametrize("role", ["gestionnaire", "membre_jury", "coach"])
def test_un_gestionnaire_n_invite_pas_dans_un_programme_qu_il_ne_gere_pas(
    client, gestionnaire, programme, programme_voisin, role
):
    client.force_login(gestionnaire)
    reponse = client.post(
        "/gestion/invitations/",
        {"email": "ines@exemple.test", "role": role, "programme": programme_voisin.pk},
    )
    assert reponse.status_code == 400
    assert reponse.context["form"].errors == {
        "programme": ["Choisissez un des programmes que vous gérez."]
    }
    assert 'value="ines@exemple.test"' in reponse.text
    assert Invitation.objects.count() == 0
    assert Message.objects.count() == 0
    with pytest.raises(services.InvitationRefusee) as refus:
        services.inviter(
            email="ines@exemple.test", role=role, programme=programme_voisin, par=gestionnaire
        )
    assert str(refus.value) == (
        "Vous ne gérez pas ce programme : vous ne pouvez pas y inviter quelqu'un."
    )
    assert Invitation.objects.count() == 0


def test_une_invitation_sans_programme_est_refusee(client, gestionnaire, programme):
    client.force_login(gestionnaire)
    reponse = client.post("/gestion/invitations/", {"email": "ines@exemple.test", "role": "coach"})
    assert reponse.status_code == 400
    assert reponse.context["form"].errors == {
        "programme": ["Choisissez le programme dans lequel vous invitez."]
    }
    assert Invitation.objects.count() == 0


def test_l_observateur_qui_voit_tous_les_programmes_n_est_donne_que_par_l_administration(
    client, gestionnaire, programme
):
    """L'observateur lit les bilans de tous les programmes : un gestionnaire ne le donne pas."""
    client.force_login(gestionnaire)
    reponse = client.post(
        "/gestion/invitations/",
        {"email": "omar@exemple.test", "role": "observateur", "programme": programme.pk},
    )
    assert reponse.status_code == 400
    assert list(reponse.context["form"].errors) == ["role"]
    with pytest.raises(services.InvitationRefusee):
        services.inviter(
            email="omar@exemple.test", role="observateur", programme=programme, par=gestionnaire
        )
    assert Invitation.objects.count() == 0

    administration = UtilisateurFactory(is_superuser=True, is_staff=True)
    client.force_login(administration)
    reponse = client.post(
        "/gestion/invitations/", {"email": "omar@exemple.test", "role": "observateur"}
    )
    assert reponse.status_code == 302
    assert Invitation.objects.values_list("role", "programme").get() == ("observateur", None)


def test_le_role_de_structure_candidate_ne_se_donne_pas_par_invitation(gestionnaire, programme):
    with pytest.raises(services.InvitationRefusee) as refus:
        services.inviter(
            email="x@exemple.test", role="candidat", programme=programme, par=gestionnaire
        )
    assert str(refus.value) == "Ce rôle ne se donne pas par invitation."
    assert Invitation.objects.count() == 0


def test_seul_un_gestionnaire_invite(client, programme):
    client.force_login(UtilisateurFactory(coach=True))
    reponse = client.post(
        "/gestion/invitations/",
        {"email": "x@exemple.test", "role": "coach", "programme": programme.pk},
    )
    assert reponse.status_code == 403
    assert Invitation.objects.count() == 0


def test_la_liste_ne_montre_que_les_invitations_de_mes_programmes(
    client, gestionnaire, programme, programme_voisin
):
    services.inviter(email="ines@exemple.test", role="coach", programme=programme, par=gestionnaire)
    services.inviter(
        email="secret@exemple.test",
        role="coach",
        programme=programme_voisin,
        par=programme_voisin.gestionnaires.get(),
    )
    client.force_login(gestionnaire)
    reponse = client.get("/gestion/invitations/")
    assert [i.email for i in reponse.context["invitations"]] == ["ines@exemple.test"]
    assert "secret@exemple.test" not in reponse.text


def test_la_liste_fait_autant_de_requetes_avec_une_ou_trente_invitations(
    client, gestionnaire, programme
):
    autre = ProgrammeFactory(gestionnaires=[gestionnaire])
    services.inviter(email="a@exemple.test", role="coach", programme=programme, par=gestionnaire)
    client.force_login(gestionnaire)
    with CaptureQueriesContext(connection) as une:
        assert client.get("/gestion/invitations/").status_code == 200
    for numero in range(30):
        services.inviter(
            email=f"personne{numero}@exemple.test",
            role="membre_jury",
            programme=autre if numero % 2 else programme,
            par=gestionnaire,
        )
    with CaptureQueriesContext(connection) as trente:
        reponse = client.get("/gestion/invitations/")
    assert len(trente.captured_queries) == len(une.captured_queries)
    assert len(reponse.context["invitations"]) == 31


# --- Adresse sans compte : créer son compte ------------------------------------------------


def test_accepter_cree_le_compte_dans_le_role_et_connecte(client, gestionnaire, programme):
    _, jeton = services.inviter(
        email="ines@exemple.test", role="membre_jury", programme=programme, par=gestionnaire
    )
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
    evenement = Evenement.objects.get(type=TypeEvenement.INVITATION_ACCEPTEE)
    assert (evenement.acteur, evenement.donnees) == (
        utilisateur,
        {"role": "membre_jury", "programme": programme.pk, "compte_existant": False},
    )


def test_un_gestionnaire_invite_gere_le_seul_programme_de_l_invitation(
    client, gestionnaire, programme, programme_voisin
):
    _, jeton = services.inviter(
        email="gael@exemple.test", role="gestionnaire", programme=programme, par=gestionnaire
    )
    client.post(f"/invitation/{jeton}/", _formulaire())
    nouveau = get_user_model().objects.get(email="gael@exemple.test")
    assert list(nouveau.programmes_geres.all()) == [programme]


def test_une_invitation_deja_utilisee_est_refusee(client, gestionnaire, programme):
    _, jeton = services.inviter(
        email="ines@exemple.test", role="coach", programme=programme, par=gestionnaire
    )
    client.post(f"/invitation/{jeton}/", _formulaire())
    client.logout()
    reponse = client.post(f"/invitation/{jeton}/", _formulaire(mot_de_passe="Autre-chose-2026"))
    assert reponse.status_code == 410
    assert "Cette invitation a déjà été utilisée." in reponse.text
    assert get_user_model().objects.filter(email="ines@exemple.test").count() == 1
    utilisateur = get_user_model().objects.get(email="ines@exemple.test")
    assert utilisateur.check_password(MOT_DE_PASSE) is True


def test_une_invitation_expiree_est_refusee(client, gestionnaire, programme):
    invitation, jeton = services.inviter(
        email="ines@exemple.test", role="coach", programme=programme, par=gestionnaire
    )
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


def test_mots_de_passe_differents_gardent_la_saisie(client, gestionnaire, programme):
    _, jeton = services.inviter(
        email="ines@exemple.test", role="coach", programme=programme, par=gestionnaire
    )
    reponse = client.post(f"/invitation/{jeton}/", _formulaire(confirmation="pas-pareil-2026"))
    assert reponse.status_code == 200
    assert "Les deux mots de passe ne sont pas identiques." in reponse.text
    assert 'value="Inès"' in reponse.text
    assert Invitation.objects.get().acceptee_le is None


def test_le_droit_d_inviter_est_relu_a_l_acceptation(client, gestionnaire, programme):
    """Un gestionnaire retiré du programme entre l'envoi et l'acceptation ne fait plus entrer
    personne."""
    _, jeton = services.inviter(
        email="ines@exemple.test", role="coach", programme=programme, par=gestionnaire
    )
    programme.gestionnaires.remove(gestionnaire)
    reponse = client.post(f"/invitation/{jeton}/", _formulaire())
    assert reponse.status_code == 410
    assert "la personne qui l&#x27;a envoyée ne peut plus donner ce rôle" in reponse.text
    assert get_user_model().objects.filter(email="ines@exemple.test").exists() is False
    assert Invitation.objects.get().acceptee_le is None


def test_une_ancienne_invitation_sans_programme_n_est_plus_acceptee(client, gestionnaire):
    invitation, jeton = services.inviter(
        email="ines@exemple.test",
        role="coach",
        programme=ProgrammeFactory(gestionnaires=[gestionnaire]),
        par=gestionnaire,
    )
    Invitation.objects.filter(pk=invitation.pk).update(programme=None)
    reponse = client.post(f"/invitation/{jeton}/", _formulaire())
    assert reponse.status_code == 410
    assert get_user_model().objects.filter(email="ines@exemple.test").exists() is False


# --- Adresse qui a déjà un compte : se connecter, puis accepter ------------------------------


def test_une_invitation_ne_donne_pas_le_compte_existant_a_qui_ouvre_le_lien(
    client, gestionnaire, programme, victime
):
    """La prise de compte : un gestionnaire invite l'adresse d'un compte existant ; qui ouvre
    le lien tape un nom et un mot de passe quelconques. Rien ne doit le connecter à ce compte,
    ni changer le compte."""
    avant = _etat_du_compte(victime)
    jeton = _inviter_par_la_page(client, gestionnaire, programme, victime.email)

    reponse = client.post(
        f"/invitation/{jeton}/",
        _formulaire(
            prenom="Pirate",
            nom="Pirate",
            mot_de_passe=MOT_DE_PASSE_PIRATE,
            confirmation=MOT_DE_PASSE_PIRATE,
        ),
    )
    assert "_auth_user_id" not in client.session
    assert reponse.status_code == 403
    assert _etat_du_compte(victime) == avant
    assert Invitation.objects.get().acceptee_le is None
    assert Evenement.objects.filter(type=TypeEvenement.INVITATION_ACCEPTEE).exists() is False
    assert client.get("/mon-compte/").status_code == 302
    # Le mot de passe tapé n'ouvre pas non plus le compte par la connexion.
    client.post("/comptes/login/", {"login": victime.email, "password": MOT_DE_PASSE_PIRATE})
    assert "_auth_user_id" not in client.session


def test_le_lien_d_une_adresse_existante_demande_de_se_connecter(
    client, gestionnaire, programme, victime
):
    jeton = _inviter_par_la_page(client, gestionnaire, programme, victime.email)
    reponse = client.get(f"/invitation/{jeton}/")
    assert reponse.status_code == 200
    assert "Un compte existe déjà pour l'adresse" in reponse.text
    assert "connectez-vous avec votre mot de passe habituel pour accepter" in reponse.text
    assert 'type="password"' not in reponse.text
    assert "form" not in reponse.context
    lien = f"/comptes/login/?next=%2Finvitation%2F{jeton}%2F"
    assert reponse.context["lien_connexion"] == lien
    assert f'href="{lien}"' in reponse.text


def test_le_compte_invite_se_connecte_avec_son_mot_de_passe_puis_accepte(
    client, gestionnaire, programme, victime
):
    jeton = _inviter_par_la_page(client, gestionnaire, programme, victime.email, role="coach")
    lien = f"/comptes/login/?next=%2Finvitation%2F{jeton}%2F"
    reponse = client.post(lien, {"login": victime.email, "password": MOT_DE_PASSE_DES_COMPTES})
    assert reponse.status_code == 302
    assert reponse["Location"] == f"/invitation/{jeton}/"
    reponse = client.get(f"/invitation/{jeton}/")
    assert reponse.status_code == 200
    assert "Accepter le rôle avec mon compte" in reponse.text
    assert Invitation.objects.get().acceptee_le is None

    reponse = client.post(f"/invitation/{jeton}/")
    assert reponse.status_code == 302
    assert reponse["Location"] == "/tableau-de-bord/"
    apres = _etat_du_compte(victime)
    assert apres["roles"] == {"candidat", "coach"}
    assert (apres["email"], apres["prenom"], apres["nom"]) == (
        "claire.martin@ccas-houplines.test",
        "Claire",
        "Martin",
    )
    invitation = Invitation.objects.get()
    assert invitation.compte_cree == victime
    assert invitation.acceptee_le is not None
    evenement = Evenement.objects.get(type=TypeEvenement.INVITATION_ACCEPTEE)
    assert (evenement.acteur, evenement.cible, evenement.donnees) == (
        victime,
        invitation,
        {"role": "coach", "programme": programme.pk, "compte_existant": True},
    )
    page = client.get("/tableau-de-bord/").content.decode()
    assert "Invitation acceptée : vous avez le rôle « Coach » dans le programme" in page
    assert "Vos rôles : Structure candidate, Coach." in page

    # Une seule fois.
    reponse = client.post(f"/invitation/{jeton}/")
    assert reponse.status_code == 410
    assert Evenement.objects.filter(type=TypeEvenement.INVITATION_ACCEPTEE).count() == 1


def test_un_autre_compte_connecte_ne_peut_pas_accepter(client, gestionnaire, programme, victime):
    avant = _etat_du_compte(victime)
    jeton = _inviter_par_la_page(client, gestionnaire, programme, victime.email)
    intrus = UtilisateurFactory(candidat=True, email="intrus@exemple.test")
    avant_intrus = _etat_du_compte(intrus)
    client.force_login(intrus)

    reponse = client.get(f"/invitation/{jeton}/")
    assert reponse.status_code == 403
    assert "Cette invitation est adressée à claire.martin@ccas-houplines.test" in reponse.text
    reponse = client.post(f"/invitation/{jeton}/", _formulaire())
    assert reponse.status_code == 403
    assert _etat_du_compte(victime) == avant
    assert _etat_du_compte(intrus) == avant_intrus
    assert client.session["_auth_user_id"] == str(intrus.pk)
    assert Invitation.objects.get().acceptee_le is None
    assert Evenement.objects.filter(type=TypeEvenement.INVITATION_ACCEPTEE).exists() is False


def test_accepter_passe_par_la_double_authentification_du_compte(
    client, gestionnaire, programme, victime
):
    secret = generate_totp_secret()
    TOTP.activate(victime, secret)
    jeton = _inviter_par_la_page(client, gestionnaire, programme, victime.email)
    lien = f"/comptes/login/?next=%2Finvitation%2F{jeton}%2F"

    reponse = client.post(lien, {"login": victime.email, "password": MOT_DE_PASSE_DES_COMPTES})
    assert reponse.status_code == 302
    assert reponse["Location"] == "/comptes/2fa/authenticate/"
    # Mot de passe seul : pas encore connecté, l'invitation reste à accepter.
    assert "_auth_user_id" not in client.session
    assert client.post(f"/invitation/{jeton}/").status_code == 403
    assert Invitation.objects.get().acceptee_le is None

    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    reponse = client.post("/comptes/2fa/authenticate/", {"code": code})
    assert reponse.status_code == 302
    assert reponse["Location"] == f"/invitation/{jeton}/"
    assert client.post(f"/invitation/{jeton}/").status_code == 302
    assert _etat_du_compte(victime)["roles"] == {"candidat", "coach"}


def test_un_gestionnaire_existant_n_est_ajoute_qu_au_programme_de_l_invitation(
    client, gestionnaire, programme, programme_voisin
):
    gestionnaire_a = programme_voisin.gestionnaires.get()
    TOTP.activate(gestionnaire_a, generate_totp_secret())
    _, jeton = services.inviter(
        email=gestionnaire_a.email, role="gestionnaire", programme=programme, par=gestionnaire
    )
    client.force_login(gestionnaire_a)
    assert client.post(f"/invitation/{jeton}/").status_code == 302
    assert set(gestionnaire_a.programmes_geres.all()) == {programme, programme_voisin}


def test_une_adresse_secondaire_verifiee_compte_comme_un_compte_existant(
    client, gestionnaire, programme, victime
):
    victime.emailaddress_set.create(email="claire@perso.test", verified=True, primary=False)
    _, jeton = services.inviter(
        email="claire@perso.test", role="coach", programme=programme, par=gestionnaire
    )
    reponse = client.post(f"/invitation/{jeton}/", _formulaire())
    assert reponse.status_code == 403
    assert get_user_model().objects.filter(email="claire@perso.test").exists() is False
    with pytest.raises(services.CompteExistant):
        services.creer_compte_sur_invitation(
            jeton, prenom="X", nom="Y", mot_de_passe=MOT_DE_PASSE_PIRATE
        )
    client.force_login(victime)
    assert client.post(f"/invitation/{jeton}/").status_code == 302
    assert _etat_du_compte(victime)["roles"] == {"candidat", "coach"}

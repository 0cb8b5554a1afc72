import re
from io import StringIO

import pytest
from django.core.management import call_command

from messagerie.enums import EtatMessage
from messagerie.models import Message
from relances import services
from relances.enums import EtatRelance
from relances.models import PreferencesRelances, Relance

pytestmark = pytest.mark.django_db

TYPE = "relance_invitation_sans_reponse"


def test_une_relance_par_objet_et_destinataire_meme_si_le_balayage_repasse(
    invitations_qui_expirent_demain,
    gestionnaire,
    taches_immediates,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    (invitation,) = invitations_qui_expirent_demain(1)
    with django_capture_on_commit_callbacks(execute=True):
        premier = services.balayer()
        second = services.balayer()
    assert (premier.mises_en_envoi, second.mises_en_envoi) == (1, 0)
    relance = Relance.objects.get()
    assert (relance.type_code, relance.decalage, relance.destinataire, relance.objet) == (
        "invitation_sans_reponse",
        -1,
        gestionnaire,
        invitation,
    )
    assert [m.subject for m in mailoutbox] == [
        "[Relais] L'invitation de invite0@exemple.test expire demain"
    ]
    assert Message.objects.get(type=TYPE).etat == EtatMessage.ENVOYE


def test_rien_de_du_quand_l_invitation_est_acceptee(invitations_qui_expirent_demain):
    (invitation,) = invitations_qui_expirent_demain(1)
    from django.utils import timezone

    invitation.acceptee_le = timezone.now()
    invitation.save(update_fields=["acceptee_le"])
    assert services.balayer().total == 0
    assert Relance.objects.count() == 0


def test_relance_desactivee_notee_sans_message(invitations_qui_expirent_demain, gestionnaire):
    invitations_qui_expirent_demain(1)
    services.desactiver(gestionnaire, "invitation_sans_reponse")
    bilan = services.balayer()
    assert (bilan.mises_en_envoi, bilan.desactivees) == (0, 1)
    assert Relance.objects.get().etat == EtatRelance.IGNOREE_PREFERENCE
    assert Message.objects.filter(type=TYPE).count() == 0


def test_le_resume_du_jour_regroupe_trois_relances_en_un_courriel(
    invitations_qui_expirent_demain,
    gestionnaire,
    taches_immediates,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    invitations_qui_expirent_demain(3)
    PreferencesRelances.objects.create(utilisateur=gestionnaire, resume_quotidien=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.balayer().en_resume == 3
        assert mailoutbox == []
        assert services.envoyer_resumes() == 1
        assert services.envoyer_resumes() == 0
    assert len(mailoutbox) == 1
    courriel = mailoutbox[0]
    assert courriel.to == ["gestion@exemple.test"]
    assert re.match(r"\[Relais\] Vos relances du \d\d/\d\d/\d{4} \(3\)$", courriel.subject)
    assert [ligne for ligne in courriel.body.splitlines() if ligne.startswith("- ")] == [
        f"- Invitation pas encore acceptée, qui expire bientôt : Invitation de invite{n}"
        "@exemple.test (Coach) (échéance dans 1 jour)"
        for n in range(3)
    ]
    assert set(Relance.objects.values_list("etat", flat=True)) == {EtatRelance.RESUMEE}


def test_dry_run_liste_exactement_ce_que_le_balayage_envoie(
    invitations_qui_expirent_demain, gestionnaire
):
    invitations_qui_expirent_demain(2)
    sortie = StringIO()
    call_command("relances", "--dry-run", stdout=sortie)
    lignes = sortie.getvalue().splitlines()
    assert Relance.objects.count() == 0
    assert lignes[-1] == "2 relance(s) due(s) maintenant."
    annoncees = [ligne.split(" [")[0] for ligne in lignes[:-1]]
    services.balayer()
    faites = [
        f"{r.type_code} J{r.decalage:+d} → {r.destinataire.email}"
        for r in Relance.objects.order_by("cle")
    ]
    assert annoncees == faites == ["invitation_sans_reponse J-1 → gestion@exemple.test"] * 2
    sortie = StringIO()
    call_command("relances", "--dry-run", stdout=sortie)
    assert sortie.getvalue() == "0 relance(s) due(s) maintenant.\n"


def test_le_message_porte_un_lien_de_desabonnement_qui_marche_sans_connexion(
    client,
    invitations_qui_expirent_demain,
    gestionnaire,
):
    invitations_qui_expirent_demain(1)
    services.balayer()
    message = Message.objects.get(type=TYPE)
    chemin = re.search(r"https?://[^/]+(/relances/desabonnement/[^/\s]+/)", message.corps_texte)
    chemin = chemin.group(1)
    reponse = client.get(chemin)
    assert reponse.status_code == 200
    assert "gestion@exemple.test" in reponse.text
    assert PreferencesRelances.objects.filter(utilisateur=gestionnaire).exists() is False
    assert client.post(chemin).status_code == 200
    assert client.post(chemin).status_code == 200
    assert PreferencesRelances.objects.get(utilisateur=gestionnaire).types_desactives == [
        "invitation_sans_reponse"
    ]


def test_un_lien_de_desabonnement_altere_est_refuse(client, gestionnaire):
    chemin = services.lien_desabonnement(gestionnaire, "invitation_sans_reponse")
    jeton = chemin.rstrip("/").rsplit("/", 1)[1]
    altere = chemin.replace(jeton, jeton[:-2] + ("AA" if not jeton.endswith("AA") else "BB"))
    reponse = client.post(altere)
    assert reponse.status_code == 400
    assert "Ce lien de désabonnement n'est pas valable" in reponse.text
    assert PreferencesRelances.objects.filter(utilisateur=gestionnaire).exists() is False


def test_page_de_preferences(client, gestionnaire):
    client.force_login(gestionnaire)
    reponse = client.get("/compte/relances/")
    assert reponse.status_code == 200
    reponse = client.post("/compte/relances/", {"resume_quotidien": "on"})
    assert reponse.status_code == 302
    preferences = PreferencesRelances.objects.get(utilisateur=gestionnaire)
    assert preferences.resume_quotidien is True
    assert "invitation_sans_reponse" in preferences.types_desactives


def test_liste_des_relances_pour_les_gestionnaires(
    client, invitations_qui_expirent_demain, gestionnaire, django_assert_num_queries
):
    client.force_login(gestionnaire)
    invitations_qui_expirent_demain(1)
    services.balayer()
    reponse = client.get("/gestion/relances/")
    assert reponse.status_code == 200
    assert "Invitation pas encore acceptée, qui expire bientôt" in reponse.text
    # Ni session ni groupes : la session est dans le cache, les rôles sur la ligne du compte.
    with django_assert_num_queries(4) as une:
        client.get("/gestion/relances/")
    Relance.objects.all().delete()
    invitations_qui_expirent_demain(20)
    services.balayer()
    with django_assert_num_queries(len(une.captured_queries)):
        client.get("/gestion/relances/")

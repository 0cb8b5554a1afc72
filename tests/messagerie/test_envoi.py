from contextlib import contextmanager

import pytest

from journal.models import Evenement
from messagerie import services
from messagerie.catalogue import piece_a_produire
from messagerie.enums import EtatMessage
from messagerie.models import Message
from messagerie.tasks import envoyer_message
from tests.candidatures.factories import ProgrammeFactory
from tests.factories import UtilisateurFactory
from tests.messagerie.serveur_en_panne import ServeurSmtpEnPanne
from tests.taches import taches_celery

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def taches_immediates(settings):
    with taches_celery(settings, immediates=True):
        yield


def _preparer(**valeurs):
    gestionnaire = UtilisateurFactory(gestionnaire=True)
    return services.preparer_message(
        type_message="invitation",
        destinataire="ines@exemple.test",
        gabarit="invitation",
        contexte={"role": "Coach", "lien": "http://x/", "par": gestionnaire, "invitation": None},
        **valeurs,
    )


def test_message_envoye_au_commit_avec_son_contenu(django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        message = _preparer()
    message = Message.objects.get(pk=message.pk)
    assert message.etat == EtatMessage.ENVOYE
    assert message.tentatives == 1
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["ines@exemple.test"], "[Relais] Invitation à rejoindre Relais comme coach")
    ]
    assert list(
        Evenement.objects.changements_d_etat()
        .filter(cible_id=message.pk)
        .order_by("pk")
        .values_list("depuis", "vers")
    ) == [("a_envoyer", "en_cours"), ("en_cours", "envoye")]


def test_la_tache_lancee_deux_fois_envoie_un_seul_courriel(
    django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        message = _preparer()
    envoyer_message.apply(kwargs={"message_id": message.pk})
    envoyer_message.apply(kwargs={"message_id": message.pk})
    assert len(mailoutbox) == 1
    message = Message.objects.get(pk=message.pk)
    assert (message.etat, message.tentatives) == (EtatMessage.ENVOYE, 1)


def test_meme_cle_un_seul_message(django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        premier = _preparer(cle="rappel:brouillon:42:J-7:ines@exemple.test")
        second = _preparer(cle="rappel:brouillon:42:J-7:ines@exemple.test")
    assert premier.pk == second.pk
    assert Message.objects.count() == 1
    assert len(mailoutbox) == 1


def test_panne_smtp_reessayee_puis_envoyee(
    settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.EMAIL_BACKEND = "tests.messagerie.serveur_en_panne.ServeurSmtpEnPanne"
    ServeurSmtpEnPanne.pannes_restantes = 2
    with django_capture_on_commit_callbacks(execute=True):
        message = _preparer()
    message = Message.objects.get(pk=message.pk)
    assert (message.etat, message.tentatives, message.derniere_erreur) == (
        EtatMessage.ENVOYE,
        3,
        "",
    )
    assert len(mailoutbox) == 1
    assert list(
        Evenement.objects.changements_d_etat()
        .filter(cible_id=message.pk)
        .order_by("pk")
        .values_list("vers", flat=True)
    ) == ["en_cours", "echec", "en_cours", "echec", "en_cours", "envoye"]


def test_panne_durable_laisse_le_message_en_echec(
    settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.EMAIL_BACKEND = "tests.messagerie.serveur_en_panne.ServeurSmtpEnPanne"
    ServeurSmtpEnPanne.pannes_restantes = 100
    with django_capture_on_commit_callbacks(execute=True):
        message = _preparer()
    message = Message.objects.get(pk=message.pk)
    ServeurSmtpEnPanne.pannes_restantes = 0
    assert (message.etat, message.tentatives, message.prochain_essai_le) == (
        EtatMessage.ECHEC,
        5,
        None,
    )
    assert message.derniere_erreur == "SMTPServerDisconnected: Connexion fermée par le serveur"
    assert mailoutbox == []


def test_un_gestionnaire_renvoie_un_message_en_echec(
    client, settings, django_capture_on_commit_callbacks, mailoutbox
):
    settings.EMAIL_BACKEND = "tests.messagerie.serveur_en_panne.ServeurSmtpEnPanne"
    ServeurSmtpEnPanne.pannes_restantes = 5
    gestionnaire = UtilisateurFactory(gestionnaire=True, email="chef@exemple.test")
    with django_capture_on_commit_callbacks(execute=True):
        message = _preparer(objet=ProgrammeFactory(gestionnaires=[gestionnaire]))
    client.force_login(gestionnaire)
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(f"/gestion/messages/{message.pk}/renvoyer/")
    assert reponse.status_code == 302
    message = Message.objects.get(pk=message.pk)
    assert message.etat == EtatMessage.ENVOYE
    assert len(mailoutbox) == 1
    assert (
        Evenement.objects.changements_d_etat()
        .filter(cible_id=message.pk, vers="a_envoyer")
        .get()
        .acteur
        == gestionnaire
    )
    reponse = client.post(f"/gestion/messages/{message.pk}/renvoyer/")
    assert reponse.status_code == 409
    assert "Ce message n&#x27;est pas en échec" in reponse.text


def test_liste_des_messages_reservee_aux_gestionnaires(client, django_capture_on_commit_callbacks):
    gestionnaire = UtilisateurFactory(gestionnaire=True, email="chef@exemple.test")
    with django_capture_on_commit_callbacks(execute=True):
        message = _preparer(objet=ProgrammeFactory(gestionnaires=[gestionnaire]))
    client.force_login(UtilisateurFactory(coach=True))
    assert client.get("/gestion/messages/").status_code == 403
    assert client.get(f"/gestion/messages/{message.pk}/").status_code == 403
    client.force_login(gestionnaire)
    reponse = client.get("/gestion/messages/?etat=envoye")
    assert reponse.status_code == 200
    assert "ines@exemple.test" in reponse.text
    assert "ines@exemple.test" in client.get(f"/gestion/messages/{message.pk}/").text


def test_liste_des_messages_requetes_constantes(client, django_assert_num_queries):
    gestionnaire = UtilisateurFactory(gestionnaire=True, email="chef@exemple.test")
    programme = ProgrammeFactory(gestionnaires=[gestionnaire])
    client.force_login(gestionnaire)
    _preparer(objet=programme)
    # Ni session ni groupes : la session est dans le cache, les rôles sur la ligne du compte.
    with django_assert_num_queries(4) as premiere:
        reponse = client.get("/gestion/messages/")
    assert "1 message" in reponse.text
    for _ in range(30):
        _preparer(objet=programme)
    with django_assert_num_queries(len(premiere.captured_queries)):
        reponse = client.get("/gestion/messages/")
    assert "31 messages" in reponse.text


def test_rattrapage_reprogramme_les_envois_bloques(django_capture_on_commit_callbacks, mailoutbox):
    from django.utils import timezone

    message = _preparer()  # on_commit jamais exécuté : la file était injoignable
    Message.objects.filter(pk=message.pk).update(
        modifie_le=timezone.now() - timezone.timedelta(minutes=5)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.rattraper_envois() == 1
    message = Message.objects.get(pk=message.pk)
    assert message.etat == EtatMessage.ENVOYE
    assert len(mailoutbox) == 1


PRODUCTIONS = []


@piece_a_produire
def produire_une_piece(objet):
    """Producteur de pièce jointe pour les tests : compte ses appels."""
    PRODUCTIONS.append(objet.pk)
    return (f"fiche-{objet.pk}.txt", f"Programme {objet.nom}".encode(), "text/plain")


@piece_a_produire
def produire_en_echouant(objet):
    raise RuntimeError("Le moteur PDF est indisponible")


def test_la_piece_differee_est_produite_a_l_envoi_une_seule_fois(
    settings, django_capture_on_commit_callbacks, mailoutbox
):
    PRODUCTIONS.clear()
    programme = ProgrammeFactory(nom="Inclusion Nord")
    # Panne au premier essai : la pièce, produite avant l'envoi raté, n'est pas refaite.
    settings.EMAIL_BACKEND = "tests.messagerie.serveur_en_panne.ServeurSmtpEnPanne"
    ServeurSmtpEnPanne.pannes_restantes = 1
    with django_capture_on_commit_callbacks(execute=False) as au_commit:
        message = _preparer(
            objet=programme,
            pieces_a_produire=["tests.messagerie.test_envoi.produire_une_piece"],
        )
    # Rien n'est produit dans la requête qui crée le message.
    assert (PRODUCTIONS, message.pieces_jointes.count()) == ([], 0)
    for rappel in au_commit:
        rappel()
    message = Message.objects.get(pk=message.pk)
    assert (message.etat, message.tentatives, message.pieces_a_produire) == (
        EtatMessage.ENVOYE,
        2,
        [],
    )
    assert PRODUCTIONS == [programme.pk]
    assert [c.attachments for c in mailoutbox] == [
        [(f"fiche-{programme.pk}.txt", "Programme Inclusion Nord", "text/plain")]
    ]


def test_une_piece_impossible_a_produire_laisse_le_message_en_echec(
    django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        message = _preparer(
            objet=ProgrammeFactory(),
            pieces_a_produire=["tests.messagerie.test_envoi.produire_en_echouant"],
        )
    message = Message.objects.get(pk=message.pk)
    assert (message.etat, message.tentatives) == (EtatMessage.ECHEC, 5)
    assert message.derniere_erreur == "RuntimeError: Le moteur PDF est indisponible"
    assert message.pieces_a_produire == ["tests.messagerie.test_envoi.produire_en_echouant"]
    assert (message.pieces_jointes.count(), mailoutbox) == (0, [])


@contextmanager
def _broker_injoignable(app):
    """Celery publishes through pooled connections: set aside for the block, the next publish
    opens one to a broker nobody listens to; the pools are given back untouched afterwards."""
    avant = (app.conf.broker_url, app._pool, app.amqp._producer_pool)
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    app._pool = app.amqp._producer_pool = None
    try:
        yield
    finally:
        app.conf.broker_url, app._pool, app.amqp._producer_pool = avant


def test_le_nouvel_essai_perdu_est_refait_par_le_rattrapage(
    settings, django_capture_on_commit_callbacks, mailoutbox, caplog
):
    """Un lot échoue sur un message alors que la file est injoignable : la tâche du nouvel
    essai n'a pas pu partir ; la date de l'essai, gardée dans la ligne, suffit au rattrapage."""
    from django.utils import timezone

    from aap.celery import app
    from messagerie.tasks import envoyer_lot

    settings.EMAIL_BACKEND = "tests.messagerie.serveur_en_panne.ServeurSmtpEnPanne"
    ServeurSmtpEnPanne.pannes_restantes = 1
    message = _preparer()  # on_commit non exécuté : le lot est lancé à la main ci-dessous
    with taches_celery(settings, immediates=False), _broker_injoignable(app):
        envoyer_lot(message_ids=[message.pk])
    assert [r.getMessage() for r in caplog.records if r.name == "messagerie.tasks"] == [
        f"Nouvel essai du message {message.pk} non mis en file : le rattrapage le fera."
    ]
    message = Message.objects.get(pk=message.pk)
    debut = timezone.now()
    assert (message.etat, message.tentatives) == (EtatMessage.ECHEC, 1)
    assert 0 < (message.prochain_essai_le - debut).total_seconds() <= 30

    # Tant que l'essai n'est pas dû (plus le délai de republication), rien n'est repris.
    assert services.rattraper_envois(maintenant=message.prochain_essai_le) == 0
    plus_tard = message.prochain_essai_le + services.DELAI_AVANT_REPUBLICATION
    with django_capture_on_commit_callbacks(execute=True):
        assert services.rattraper_envois(maintenant=plus_tard + timezone.timedelta(seconds=1)) == 1
    message = Message.objects.get(pk=message.pk)
    assert (message.etat, message.tentatives, message.prochain_essai_le) == (
        EtatMessage.ENVOYE,
        2,
        None,
    )
    assert [courriel.extra_headers["Message-ID"] for courriel in mailoutbox] == [
        message.identifiant_courriel
    ]

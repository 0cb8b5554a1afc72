"""Un worker tué pendant l'envoi : le message est repris à l'expiration de son bail, repart
avec le même Message-ID, et un worker qui a perdu son bail ne conclut pas à la place d'un autre."""

import re
import threading
from collections import Counter

import pytest
from django.core.checks import Error
from django.db import connection
from django.utils import timezone

from journal.models import Evenement
from messagerie import services
from messagerie.checks import bail_plus_long_que_l_echange_smtp
from messagerie.enums import EtatMessage
from messagerie.models import Message
from tests.messagerie.serveur_smtp import (
    ServeurLent,
    ServeurPuisWorkerTue,
    ServeurSmtpLocal,
    WorkerTue,
)
from tests.taches import taches_celery

pytestmark = pytest.mark.django_db

SECONDE = timezone.timedelta(seconds=1)
REPRISE = "Bail expiré : envoi interrompu, repris automatiquement"


@pytest.fixture(autouse=True)
def taches_immediates(settings):
    with taches_celery(settings, immediates=True):
        yield


@pytest.fixture
def serveur(settings):
    """Un vrai serveur SMTP local, joint par le client SMTP de Django."""
    with ServeurSmtpLocal() as serveur:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = serveur.port
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 5
        settings.DEFAULT_FROM_EMAIL = "Relais <ne-pas-repondre@relais.exemple.org>"
        yield serveur
    ServeurPuisWorkerTue.morts_restantes = 0
    ServeurLent.pendant_l_envoi = None
    ServeurLent.coupe_ensuite = False


def _message(cle="rappel:brouillon:42:J-7:ines@exemple.test", destinataire="ines@exemple.test"):
    """Un message dans la boîte d'envoi, dont l'envoi n'est pas encore parti."""
    return Message.objects.create(
        cle=cle,
        type="relance_brouillon_date_limite",
        destinataire=destinataire,
        sujet="[Relais] Votre candidature n'est pas encore déposée",
        corps_texte="Bonjour,\nIl reste 7 jours pour déposer votre candidature.",
    )


def _worker_tue_apres_acceptation(settings, message, *, le):
    """Le premier envoi part au serveur, qui l'accepte, puis le worker meurt (kill -9)."""
    settings.EMAIL_BACKEND = "tests.messagerie.serveur_smtp.ServeurPuisWorkerTue"
    ServeurPuisWorkerTue.morts_restantes = 1
    with pytest.raises(WorkerTue):
        services.envoyer(message.pk, maintenant=le)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def _journal(message):
    """(depuis, vers, motif) de chaque changement d'état ; motif None quand il est vide."""
    return [
        (depuis, vers, motif or None)
        for depuis, vers, motif in Evenement.objects.changements_d_etat()
        .filter(cible_id=message.pk, cible_type__model="message")
        .order_by("pk")
        .values_list("depuis", "vers", "motif")
    ]


def test_message_id_derive_de_la_cle_le_meme_a_chaque_lecture(serveur):
    avec_cle = _message()
    sans_cle = _message(cle=None, destinataire="paul@exemple.test")
    identifiant = Message.objects.get(pk=avec_cle.pk).identifiant_courriel
    assert re.fullmatch(r"<relais\.[0-9a-f]{32}@relais\.exemple\.org>", identifiant)
    assert identifiant == avec_cle.identifiant_courriel
    assert re.fullmatch(
        r"<relais\.[0-9a-f]{32}@relais\.exemple\.org>", sans_cle.identifiant_courriel
    )
    assert sans_cle.identifiant_courriel != identifiant

    assert [services.envoyer(m.pk) for m in (avec_cle, sans_cle)] == [True, True]
    assert serveur.identifiants == [identifiant, sans_cle.identifiant_courriel]


def test_worker_tue_apres_acceptation_renvoi_avec_le_meme_message_id(
    serveur, settings, django_capture_on_commit_callbacks
):
    message = _message()
    tue_le = timezone.now() - settings.MESSAGERIE_DUREE_BAIL - 30 * SECONDE
    _worker_tue_apres_acceptation(settings, message, le=tue_le)
    assert len(serveur.recus) == 1
    bloque = Message.objects.get(pk=message.pk)
    assert (bloque.etat, bloque.tentatives, bloque.bail_expire_le) == (
        EtatMessage.EN_COURS,
        1,
        tue_le + settings.MESSAGERIE_DUREE_BAIL,
    )

    # Une minute après : le bail court encore, le rattrapage n'y touche pas.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.rattraper_envois(maintenant=tue_le + 60 * SECONDE) == 0
    assert Message.objects.get(pk=message.pk).etat == EtatMessage.EN_COURS

    # Le bail a expiré depuis 30 s : le rattrapage reprend le message, qui repart.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.rattraper_envois() == 1
    message = Message.objects.get(pk=message.pk)
    assert (message.etat, message.tentatives, message.bail_expire_le) == (
        EtatMessage.ENVOYE,
        2,
        None,
    )
    assert serveur.identifiants == [message.identifiant_courriel] * 2
    assert [courriel["To"] for courriel in serveur.recus] == ["ines@exemple.test"] * 2
    assert _journal(message) == [
        ("a_envoyer", "en_cours", None),
        ("en_cours", "a_envoyer", REPRISE),
        ("a_envoyer", "en_cours", None),
        ("en_cours", "envoye", None),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        assert services.rattraper_envois(maintenant=timezone.now() + 10 * 60 * SECONDE) == 0
    assert len(serveur.recus) == 2


def test_bail_vivant_le_rattrapage_laisse_l_envoi_au_worker(
    serveur, settings, django_capture_on_commit_callbacks
):
    message = _message()
    _worker_tue_apres_acceptation(settings, message, le=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            services.rattraper_envois(
                maintenant=timezone.now() + settings.MESSAGERIE_DUREE_BAIL - SECONDE
            )
            == 0
        )
    message = Message.objects.get(pk=message.pk)
    assert (message.etat, message.tentatives) == (EtatMessage.EN_COURS, 1)
    assert len(serveur.recus) == 1
    assert _journal(message) == [("a_envoyer", "en_cours", None)]


@pytest.mark.parametrize("fin_de_l_envoi_en_retard", ["acceptee", "coupee"])
def test_worker_au_bail_expire_ne_conclut_pas_a_la_place_du_repreneur(
    serveur, settings, django_capture_on_commit_callbacks, fin_de_l_envoi_en_retard
):
    message = _message()

    def le_rattrapage_reprend_pendant_l_echange():
        plus_tard = timezone.now() + settings.MESSAGERIE_DUREE_BAIL + SECONDE
        with django_capture_on_commit_callbacks(execute=True):
            assert services.rattraper_envois(maintenant=plus_tard) == 1

    settings.EMAIL_BACKEND = "tests.messagerie.serveur_smtp.ServeurLent"
    ServeurLent.pendant_l_envoi = le_rattrapage_reprend_pendant_l_echange
    ServeurLent.coupe_ensuite = fin_de_l_envoi_en_retard == "coupee"

    assert services.envoyer(message.pk) is False

    message = Message.objects.get(pk=message.pk)
    assert (message.etat, message.tentatives, message.derniere_erreur) == (
        EtatMessage.ENVOYE,
        2,
        "",
    )
    livraisons = 2 if fin_de_l_envoi_en_retard == "acceptee" else 1
    assert serveur.identifiants == [message.identifiant_courriel] * livraisons
    assert _journal(message) == [
        ("a_envoyer", "en_cours", None),
        ("en_cours", "a_envoyer", REPRISE),
        ("a_envoyer", "en_cours", None),
        ("en_cours", "envoye", None),
    ]


def test_message_a_envoyer_republie_une_fois_par_delai(django_capture_on_commit_callbacks):
    message = _message()
    cree_le = Message.objects.get(pk=message.pk).modifie_le
    apres = cree_le + services.DELAI_AVANT_REPUBLICATION + SECONDE
    with django_capture_on_commit_callbacks(execute=False) as publications:
        assert services.rattraper_envois(maintenant=apres) == 1
        assert services.rattraper_envois(maintenant=apres + 60 * SECONDE) == 0
        assert (
            services.rattraper_envois(
                maintenant=apres + services.DELAI_AVANT_REPUBLICATION + SECONDE
            )
            == 1
        )
    assert len(publications) == 2
    assert Message.objects.get(pk=message.pk).etat == EtatMessage.A_ENVOYER


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_deux_rattrapages_simultanes_reprennent_chaque_message_une_fois(serveur, settings):
    messages = [
        _message(
            cle=f"rappel:brouillon:{n}:J-7:ccas{n}@exemple.test",
            destinataire=f"ccas{n}@exemple.test",
        )
        for n in range(20)
    ]
    tue_le = timezone.now() - settings.MESSAGERIE_DUREE_BAIL - 30 * SECONDE
    for message in messages:
        _worker_tue_apres_acceptation(settings, message, le=tue_le)
    assert len(serveur.recus) == 20

    depart = threading.Barrier(2)
    reprises, erreurs = [], []

    def rattraper():
        try:
            depart.wait()
            reprises.append(services.rattraper_envois())
        except Exception as erreur:  # noqa: BLE001 — remontée par l'assertion ci-dessous
            erreurs.append(erreur)
        finally:
            connection.close()

    fils = [threading.Thread(target=rattraper) for _ in range(2)]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join(60)

    assert (erreurs, sum(reprises)) == ([], 20)
    assert set(Message.objects.values_list("etat", "tentatives")) == {(EtatMessage.ENVOYE, 2)}
    assert Counter(serveur.identifiants) == {
        message.identifiant_courriel: 2 for message in Message.objects.all()
    }
    assert Evenement.objects.changements_d_etat().filter(motif=REPRISE).count() == 20


@pytest.mark.parametrize(
    ("secondes", "erreurs"),
    [(60, []), (59, ["messagerie.E001"])],
)
def test_le_bail_doit_couvrir_deux_delais_smtp(settings, secondes, erreurs):
    settings.EMAIL_TIMEOUT = 30
    settings.MESSAGERIE_DUREE_BAIL = timezone.timedelta(seconds=secondes)
    trouvees = bail_plus_long_que_l_echange_smtp(None)
    assert [erreur.id for erreur in trouvees] == erreurs
    assert all(isinstance(erreur, Error) for erreur in trouvees)

"""Les livraisons, de bout en bout, vers un vrai récepteur HTTP local : une par événement,
signée ; rejouée sans double envoi ; retentée puis marquée en échec ; jamais pendant la requête
de la personne ; rien pour une action annulée ; renvoyée à la demande."""

import hashlib
import hmac
import json
import time
import uuid

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from candidatures.services import clore_appel
from crochets import livraisons, services, tasks
from crochets.models import EtatLivraison, Livraison
from crochets.signature import signer, verifier
from journal.enums import TypeEvenement
from journal.models import Evenement
from tests.candidatures.factories import AppelFactory, ProgrammeFactory
from tests.taches import taches_celery

pytestmark = pytest.mark.django_db


class Annulation(Exception):
    pass


def _abonnement(programme, url, evenements=("appel.clos",), **champs):
    return services.creer_abonnement(
        programme,
        par=programme.gestionnaires.first(),
        url=url,
        evenements=list(evenements),
        **champs,
    )


def _signature_valide(secret, corps, entete):
    """La vérification d'un récepteur, écrite ici sans Relais : HMAC-SHA256 de « t.corps »."""
    morceaux = dict(partie.split("=", 1) for partie in entete.split(","))
    attendue = hmac.new(
        secret.encode(), morceaux["t"].encode() + b"." + corps, hashlib.sha256
    ).hexdigest()
    recente = abs(time.time() - int(morceaux["t"])) < 300
    return recente and hmac.compare_digest(attendue, morceaux["v1"])


def _clore(appel, gestionnaire, settings, django_capture_on_commit_callbacks):
    with taches_celery(settings, immediates=True):
        with django_capture_on_commit_callbacks(execute=True):
            clore_appel(appel, par=gestionnaire)


def test_un_evenement_arrive_une_fois_signe_avec_ses_en_tetes_et_sa_charge(
    recepteur, appel, gestionnaire, settings, django_capture_on_commit_callbacks
):
    abonnement = _abonnement(appel.programme, recepteur.url)

    _clore(appel, gestionnaire, settings, django_capture_on_commit_callbacks)

    assert len(recepteur.requetes) == 1
    requete = recepteur.requetes[0]
    livraison = Livraison.objects.get()
    assert requete.chemin == "/crochet"
    assert requete.entetes["Content-Type"] == "application/json"
    assert requete.entetes["User-Agent"] == "Relais-webhooks/1"
    assert requete.entetes["X-Relais-Evenement"] == "appel.clos"
    assert requete.entetes["X-Relais-Livraison"] == str(livraison.identifiant)
    assert _signature_valide(
        abonnement.secret, requete.corps, requete.entetes["X-Relais-Signature"]
    )
    assert not _signature_valide(
        "un autre secret", requete.corps, requete.entetes["X-Relais-Signature"]
    )
    charge = json.loads(requete.corps)
    assert charge == {
        "evenement": "appel.clos",
        "identifiant": charge["identifiant"],
        "date": charge["date"],
        "programme": appel.programme_id,
        "objet": {
            "type": "appel",
            "id": appel.pk,
            "etat": "clos",
            "url_api": f"http://testserver/api/v1/appels/{appel.pk}/",
        },
    }
    assert uuid.UUID(charge["identifiant"]).version == 4
    assert (livraison.etat, livraison.tentatives, livraison.dernier_statut_http) == (
        EtatLivraison.REUSSIE,
        1,
        200,
    )
    assert livraison.duree_ms is not None
    assert livraison.livree_le is not None
    assert livraison.derniere_erreur == ""


def test_la_tache_lancee_deux_fois_n_envoie_qu_une_fois(recepteur, appel, gestionnaire):
    _abonnement(appel.programme, recepteur.url)
    clore_appel(appel, par=gestionnaire)  # au commit (jamais dans ce test) : rien ne part
    livraison = Livraison.objects.get()
    assert recepteur.requetes == []

    tasks.livrer(livraison_id=livraison.pk)
    tasks.livrer(livraison_id=livraison.pk)

    assert len(recepteur.requetes) == 1
    livraison.refresh_from_db()
    assert (livraison.etat, livraison.tentatives) == (EtatLivraison.REUSSIE, 1)


def test_une_tache_en_double_arrivee_avant_l_heure_n_envoie_rien(recepteur, appel, gestionnaire):
    _abonnement(appel.programme, recepteur.url)
    recepteur.repondre(500)
    clore_appel(appel, par=gestionnaire)
    livraison = Livraison.objects.get()
    # Après un échec, la tentative suivante est prévue dans 2 minutes : une copie de la tâche
    # qui arrive maintenant n'envoie rien.
    Livraison.objects.filter(pk=livraison.pk).update(
        tentatives=1, prochaine_tentative=timezone.now() + timezone.timedelta(minutes=2)
    )

    assert livraisons.tenter(livraison.pk) is None
    assert recepteur.requetes == []


def test_un_recepteur_en_panne_est_retente_puis_la_livraison_est_echouee(
    recepteur, appel, gestionnaire, settings, django_capture_on_commit_callbacks
):
    _abonnement(appel.programme, recepteur.url)
    recepteur.repondre(ensuite=500)

    _clore(appel, gestionnaire, settings, django_capture_on_commit_callbacks)

    livraison = Livraison.objects.get()
    assert len(recepteur.requetes) == 6  # 1 tentative + 5 nouvelles (CROCHETS_DELAIS…)
    assert {r.entetes["X-Relais-Livraison"] for r in recepteur.requetes} == {
        str(livraison.identifiant)
    }
    assert len({r.corps for r in recepteur.requetes}) == 1
    assert (livraison.etat, livraison.tentatives, livraison.dernier_statut_http) == (
        EtatLivraison.ECHOUEE,
        6,
        500,
    )
    assert livraison.derniere_erreur == "HTTP 500 Internal Server Error : panne du recepteur"
    assert livraison.prochaine_tentative is None
    assert livraison.livree_le is None


def test_le_nombre_de_tentatives_suit_le_reglage(
    recepteur, appel, gestionnaire, settings, django_capture_on_commit_callbacks
):
    settings.CROCHETS_DELAIS_DES_TENTATIVES = [0, 0]
    _abonnement(appel.programme, recepteur.url)
    recepteur.repondre(ensuite=503)

    _clore(appel, gestionnaire, settings, django_capture_on_commit_callbacks)

    assert len(recepteur.requetes) == 3
    livraison = Livraison.objects.get()
    assert (livraison.etat, livraison.tentatives, livraison.dernier_statut_http) == (
        EtatLivraison.ECHOUEE,
        3,
        503,
    )


def test_un_recepteur_qui_revient_recoit_la_livraison_a_la_tentative_suivante(
    recepteur, appel, gestionnaire, settings, django_capture_on_commit_callbacks
):
    _abonnement(appel.programme, recepteur.url)
    recepteur.repondre(500, 502)

    _clore(appel, gestionnaire, settings, django_capture_on_commit_callbacks)

    livraison = Livraison.objects.get()
    assert len(recepteur.requetes) == 3
    assert (livraison.etat, livraison.tentatives, livraison.dernier_statut_http) == (
        EtatLivraison.REUSSIE,
        3,
        200,
    )
    assert livraison.derniere_erreur == ""


def test_la_tentative_suivante_attend_le_delai_prevu(
    recepteur, appel, gestionnaire, settings, monkeypatch
):
    settings.CROCHETS_DELAIS_DES_TENTATIVES = [30, 120, 480, 1800, 7200]
    programmees = []
    monkeypatch.setattr(
        tasks.livrer, "apply_async", lambda kwargs, countdown: programmees.append(countdown)
    )
    _abonnement(appel.programme, recepteur.url)
    recepteur.repondre(ensuite=500)
    clore_appel(appel, par=gestionnaire)
    livraison = Livraison.objects.get()

    tasks.livrer(livraison_id=livraison.pk)

    livraison.refresh_from_db()
    assert programmees == [30]
    assert livraison.etat == EtatLivraison.EN_ATTENTE
    assert 25 < (livraison.prochaine_tentative - livraison.creee_le).total_seconds() < 40
    # Lancée tout de suite (en double), la tâche attend son heure : rien ne repart.
    tasks.livrer(livraison_id=livraison.pk)
    assert len(recepteur.requetes) == 1


def test_un_port_ferme_est_une_tentative_echouee_notee(appel, gestionnaire, port_ferme, settings):
    settings.CROCHETS_DELAIS_DES_TENTATIVES = []
    _abonnement(appel.programme, port_ferme)
    clore_appel(appel, par=gestionnaire)

    tasks.livrer(livraison_id=Livraison.objects.get().pk)

    livraison = Livraison.objects.get()
    assert (livraison.etat, livraison.tentatives, livraison.dernier_statut_http) == (
        EtatLivraison.ECHOUEE,
        1,
        None,
    )
    assert livraison.derniere_erreur.startswith("ConnectionError: ")


def test_un_recepteur_trop_lent_est_abandonne_apres_le_delai(
    recepteur, appel, gestionnaire, monkeypatch, settings
):
    settings.CROCHETS_DELAIS_DES_TENTATIVES = []
    monkeypatch.setattr(livraisons, "DELAI_RESEAU", 0.3)
    recepteur.attente = 2
    _abonnement(appel.programme, recepteur.url)
    clore_appel(appel, par=gestionnaire)

    debut = time.monotonic()
    tasks.livrer(livraison_id=Livraison.objects.get().pk)

    assert time.monotonic() - debut < 1.5
    livraison = Livraison.objects.get()
    assert livraison.etat == EtatLivraison.ECHOUEE
    assert livraison.derniere_erreur.startswith("ReadTimeout: ")
    assert 300 <= livraison.duree_ms < 1500


def test_un_recepteur_mort_ne_ralentit_pas_la_requete_qui_declenche_l_evenement(
    client,
    recepteur,
    appel,
    gestionnaire,
    settings,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    """La gestionnaire clôt l'appel : la page répond sans attendre le récepteur (qui met 3 s),
    la livraison est en file, rien n'est encore parti."""
    recepteur.attente = 3
    _abonnement(appel.programme, recepteur.url)
    client.force_login(gestionnaire)

    with taches_celery(settings, immediates=False):
        with django_capture_on_commit_callbacks(execute=True) as rappels:
            debut = time.monotonic()
            reponse = client.post(
                reverse("candidatures:gestion_appel_clore", args=[appel.pk]),
                {"motif": "Places pourvues"},
            )
            duree = time.monotonic() - debut

    assert reponse.status_code == 302
    assert duree < 1.5
    appel.refresh_from_db()
    assert appel.etat == "clos"
    assert len(rappels) >= 1
    livraison = Livraison.objects.get()
    assert (livraison.etat, livraison.tentatives) == (EtatLivraison.EN_ATTENTE, 0)
    assert recepteur.requetes == []


def test_une_action_annulee_n_envoie_rien(
    recepteur, appel, gestionnaire, settings, django_capture_on_commit_callbacks
):
    _abonnement(appel.programme, recepteur.url)

    with taches_celery(settings, immediates=True):
        with django_capture_on_commit_callbacks(execute=True) as rappels:
            with pytest.raises(Annulation), transaction.atomic():
                clore_appel(appel, par=gestionnaire)
                raise Annulation

    assert rappels == []
    assert Livraison.objects.count() == 0
    assert recepteur.requetes == []


def test_l_evenement_d_un_autre_programme_n_atteint_pas_ce_webhook(
    recepteur, appel, gestionnaire, settings, django_capture_on_commit_callbacks
):
    _abonnement(appel.programme, recepteur.url)
    autre_gestionnaire = appel.programme.gestionnaires.first()
    voisin = AppelFactory(
        programme=ProgrammeFactory(gestionnaires=[autre_gestionnaire]), ouvert=True
    )

    _clore(voisin, autre_gestionnaire, settings, django_capture_on_commit_callbacks)

    assert Livraison.objects.count() == 0
    assert recepteur.requetes == []


def test_un_webhook_inactif_ou_qui_ne_suit_pas_l_evenement_ne_recoit_rien(
    recepteur, appel, gestionnaire, settings, django_capture_on_commit_callbacks
):
    _abonnement(appel.programme, recepteur.url, actif=False)
    _abonnement(appel.programme, recepteur.url, evenements=["appel.publie"])

    _clore(appel, gestionnaire, settings, django_capture_on_commit_callbacks)

    assert Livraison.objects.count() == 0
    assert recepteur.requetes == []


def test_deux_webhooks_recoivent_le_meme_evenement_chacun_sa_livraison(
    recepteur, appel, gestionnaire, settings, django_capture_on_commit_callbacks
):
    premier = _abonnement(appel.programme, recepteur.url)
    second = _abonnement(appel.programme, recepteur.url + "?second")

    _clore(appel, gestionnaire, settings, django_capture_on_commit_callbacks)

    assert sorted(r.chemin for r in recepteur.requetes) == ["/crochet", "/crochet?second"]
    charges = [json.loads(r.corps) for r in recepteur.requetes]
    assert charges[0]["identifiant"] == charges[1]["identifiant"]
    assert len({r.entetes["X-Relais-Livraison"] for r in recepteur.requetes}) == 2
    secrets = {premier.url: premier.secret, second.url: second.secret}
    for requete in recepteur.requetes:
        url = recepteur.url.rsplit("/", 1)[0] + requete.chemin
        assert _signature_valide(secrets[url], requete.corps, requete.entetes["X-Relais-Signature"])


def test_renvoyer_cree_une_nouvelle_livraison_de_la_meme_charge(
    recepteur, appel, gestionnaire, settings, django_capture_on_commit_callbacks
):
    settings.CROCHETS_DELAIS_DES_TENTATIVES = []
    _abonnement(appel.programme, recepteur.url)
    recepteur.repondre(500)
    _clore(appel, gestionnaire, settings, django_capture_on_commit_callbacks)
    echouee = Livraison.objects.get()
    assert echouee.etat == EtatLivraison.ECHOUEE

    with taches_celery(settings, immediates=True):
        with django_capture_on_commit_callbacks(execute=True):
            nouvelle = services.renvoyer(echouee, par=gestionnaire)

    nouvelle.refresh_from_db()
    echouee.refresh_from_db()
    assert nouvelle.pk != echouee.pk
    assert nouvelle.identifiant != echouee.identifiant
    assert nouvelle.renvoi_de == echouee
    assert nouvelle.charge_utile == echouee.charge_utile
    assert (nouvelle.etat, nouvelle.tentatives) == (EtatLivraison.REUSSIE, 1)
    assert (echouee.etat, echouee.tentatives) == (EtatLivraison.ECHOUEE, 1)
    assert [r.entetes["X-Relais-Livraison"] for r in recepteur.requetes] == [
        str(echouee.identifiant),
        str(nouvelle.identifiant),
    ]
    assert recepteur.requetes[0].corps == recepteur.requetes[1].corps
    evenement = Evenement.objects.get(type=TypeEvenement.WEBHOOK_LIVRAISON_RENVOYEE)
    assert (evenement.acteur, evenement.cible) == (gestionnaire, appel.programme)
    assert evenement.donnees == {
        "webhook": echouee.abonnement_id,
        "livraison": str(echouee.identifiant),
        "nouvelle_livraison": str(nouvelle.identifiant),
        "evenement": "appel.clos",
    }


def test_le_test_ping_part_vers_ce_seul_webhook(
    recepteur, programme, gestionnaire, settings, django_capture_on_commit_callbacks
):
    abonnement = _abonnement(programme, recepteur.url, actif=False)
    _abonnement(programme, recepteur.url + "?autre")

    with taches_celery(settings, immediates=True):
        with django_capture_on_commit_callbacks(execute=True):
            services.envoyer_test(abonnement, par=gestionnaire)

    assert [r.chemin for r in recepteur.requetes] == ["/crochet"]
    assert recepteur.requetes[0].entetes["X-Relais-Evenement"] == "ping"
    charge = json.loads(recepteur.requetes[0].corps)
    assert (charge["evenement"], charge["programme"], charge["objet"]) == (
        "ping",
        programme.pk,
        {"type": "programme", "id": programme.pk, "etat": "", "url_api": None},
    )
    assert Livraison.objects.get().etat == EtatLivraison.REUSSIE


def test_le_nouveau_secret_signe_les_tentatives_suivantes(recepteur, appel, gestionnaire, settings):
    abonnement = _abonnement(appel.programme, recepteur.url)
    ancien = abonnement.secret
    clore_appel(appel, par=gestionnaire)
    abonnement = services.regenerer_secret(abonnement, par=gestionnaire)

    tasks.livrer(livraison_id=Livraison.objects.get().pk)

    assert abonnement.secret != ancien
    assert len(abonnement.secret) == 64
    requete = recepteur.requetes[0]
    assert _signature_valide(
        abonnement.secret, requete.corps, requete.entetes["X-Relais-Signature"]
    )
    assert not _signature_valide(ancien, requete.corps, requete.entetes["X-Relais-Signature"])


def test_le_rattrapage_republie_une_livraison_dont_la_tache_s_est_perdue(
    recepteur, appel, gestionnaire, settings
):
    _abonnement(appel.programme, recepteur.url)
    clore_appel(appel, par=gestionnaire)  # le commit n'arrive jamais : la tâche est « perdue »
    Livraison.objects.update(prochaine_tentative=timezone.now() - timezone.timedelta(minutes=5))
    # Une livraison toute récente n'est pas republiée : sa tâche est sans doute en route.
    with taches_celery(settings, immediates=True):
        assert tasks.rattraper_livraisons() == 1
        assert tasks.rattraper_livraisons() == 0

    assert len(recepteur.requetes) == 1
    assert Livraison.objects.get().etat == EtatLivraison.REUSSIE


# --- La signature, vue du récepteur -------------------------------------------------------


def test_signer_et_verifier():
    corps = b'{"evenement":"ping"}'
    entete = signer("secret", corps, 1_700_000_000)

    assert entete == (
        "t=1700000000,v1=" + hmac.new(b"secret", b"1700000000." + corps, hashlib.sha256).hexdigest()
    )
    assert verifier("secret", corps, entete, maintenant=1_700_000_100)
    assert not verifier("secret", corps, entete, maintenant=1_700_000_301)  # rejouée trop tard
    assert not verifier("autre", corps, entete, maintenant=1_700_000_000)
    assert not verifier("secret", corps + b" ", entete, maintenant=1_700_000_000)
    assert not verifier("secret", corps, "n'importe quoi", maintenant=1_700_000_000)
    assert not verifier("secret", corps, "", maintenant=1_700_000_000)

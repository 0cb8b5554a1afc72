"""Les sessions lues dans le cache (comptes.sessions) : une session connectée se lit sans
requête, et une écriture perdue pendant une panne de Redis ne rend jamais vie à une session
déconnectée ni ne sert des données périmées.

Le cas éprouvé : Redis figé pendant une déconnexion (la base efface la session, le cache la
garde), puis Redis revenu avec l'ancienne session en mémoire ; l'ancien cookie doit rester
déconnecté. Le moteur `cached_db` de Django, seul, le laisse repasser (témoin)."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.cache import caches

from aap import cache as module_cache
from comptes.models import Utilisateur
from comptes.sessions import CLE_GENERATION, SessionStore
from tests.factories import UtilisateurFactory
from tests.redis_jetable import RedisJetable

pytestmark = [pytest.mark.django_db, pytest.mark.redis]

OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


@pytest.fixture
def redis(tmp_path, settings):
    """Un Redis à ce test, cache des sessions (il se fige sans toucher au cache par défaut)."""
    serveur = RedisJetable(tmp_path)
    serveur.demarrer()
    settings.CACHES = {
        **settings.CACHES,
        "sessions": {
            "BACKEND": "aap.cache.CacheRedisTolerant",
            "LOCATION": f"{serveur.url}/0",
            "OPTIONS": OPTIONS,
        },
    }
    settings.SESSION_CACHE_ALIAS = "sessions"
    settings.SESSION_ENGINE = "comptes.sessions"
    module_cache._en_pause_jusqu_a.clear()
    yield serveur
    serveur.fermer()
    module_cache._en_pause_jusqu_a.clear()


def _revenu(redis):
    redis.degeler()
    # Le processus reprendrait Redis après sa pause (PAUSE_APRES_ECHEC) ; le test n'attend pas.
    module_cache._en_pause_jusqu_a.clear()


def _deconnexion_pendant_redis_fige(client, redis, prefixe):
    gestionnaire = UtilisateurFactory(gestionnaire=True)
    client.force_login(gestionnaire)
    cookie = client.cookies["sessionid"].value
    avant = client.get("/gestion/").status_code
    en_cache_avant = caches["sessions"].get(prefixe + cookie)

    redis.figer()
    deconnexion = client.post("/comptes/logout/").status_code
    _revenu(redis)

    client.cookies["sessionid"] = cookie
    apres = client.get("/gestion/")
    return {
        "avant": avant,
        "en cache avant": en_cache_avant[SESSION_KEY],
        "déconnexion": deconnexion,
        "en base après": Session.objects.filter(session_key=cookie).exists(),
        "en cache après": (caches["sessions"].get(prefixe + cookie) or {}).get(SESSION_KEY),
        "ancien cookie": (apres.status_code, apres.get("Location")),
        "génération": Utilisateur.objects.get(pk=gestionnaire.pk).generation_des_sessions,
        "compte": str(gestionnaire.pk),
    }


def test_deconnexion_pendant_redis_fige_l_ancien_cookie_reste_deconnecte(client, redis):
    constat = _deconnexion_pendant_redis_fige(client, redis, SessionStore.cache_key_prefix)
    compte = constat.pop("compte")
    assert constat == {
        "avant": 200,
        "en cache avant": compte,
        "déconnexion": 302,
        "en base après": False,
        # Le cache a gardé la session déconnectée : c'est l'estampille qui la refuse.
        "en cache après": compte,
        "ancien cookie": (302, "/comptes/login/?next=/gestion/"),
        "génération": 1,
    }


def test_temoin_le_cached_db_de_django_laisse_repasser_l_ancien_cookie(client, redis, settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    constat = _deconnexion_pendant_redis_fige(client, redis, "django.contrib.sessions.cached_db")
    assert (constat["en base après"], constat["ancien cookie"]) == (False, (200, None))


def test_les_autres_sessions_du_compte_restent_ouvertes_relues_en_base(client, redis):
    gestionnaire = UtilisateurFactory(gestionnaire=True)
    client.force_login(gestionnaire)
    autre = client.__class__()
    autre.force_login(gestionnaire)
    cle_autre = autre.cookies["sessionid"].value
    assert autre.get("/gestion/").status_code == 200

    redis.figer()
    client.post("/comptes/logout/")
    _revenu(redis)

    statut = autre.get("/gestion/").status_code
    en_cache = caches["sessions"].get(SessionStore.cache_key_prefix + cle_autre)
    assert (statut, en_cache[SESSION_KEY], en_cache[CLE_GENERATION]) == (
        200,
        str(gestionnaire.pk),
        1,
    )


def test_ecriture_perdue_redis_fige_donnees_relues_en_base(redis):
    utilisateur = UtilisateurFactory()
    session = SessionStore()
    session.update({SESSION_KEY: str(utilisateur.pk), CLE_GENERATION: 0, "etape": "avant"})
    session.create()
    cle = session.session_key
    session["etape"] = "après"
    session.save()

    lue = SessionStore(cle)
    lue["etape"] = "perdue pour le cache"
    redis.figer()
    # Une première lecture constate la panne : ce processus laisse Redis de côté, l'écriture
    # qui suit n'est pas envoyée (une commande envoyée à un Redis figé peut encore s'exécuter
    # quand il revient ; celle-ci, jamais).
    assert caches["sessions"].get("sonde") is None
    lue.save()
    _revenu(redis)

    suivante = SessionStore(cle)
    utilisateur.refresh_from_db()
    constat = [suivante["etape"], suivante.lue_dans_le_cache]
    constat.append(suivante.estampille_valable(utilisateur))
    suivante.relire_en_base()
    constat += [suivante["etape"], suivante.estampille_valable(utilisateur), suivante.modified]
    assert constat == ["après", True, False, "perdue pour le cache", True, True]


def test_session_connectee_lue_sans_requete(client, settings, django_assert_num_queries):
    """Le cache des tests (Redis) : la ligne du compte seule ; cache vidé, la session aussi,
    une fois. (La double authentification active lit l'utilisateur sur toutes les pages.)"""
    settings.MFA_OBLIGATOIRE_GESTIONNAIRES = True
    client.force_login(UtilisateurFactory(candidat=True))
    client.get("/plancher/")
    with django_assert_num_queries(1):
        assert client.get("/plancher/").status_code == 200
    caches["default"].clear()
    with django_assert_num_queries(2):
        assert client.get("/plancher/").status_code == 200
    with django_assert_num_queries(1):
        assert client.get("/plancher/").status_code == 200


def test_changement_de_mot_de_passe_deconnecte_toujours_les_autres_sessions(client):
    utilisateur = UtilisateurFactory(candidat=True)
    autre = client.__class__()
    autre.force_login(utilisateur)
    assert autre.get("/comptes/password/change/").status_code == 200

    utilisateur.set_password("un-tout-autre-mot-de-passe-99")
    utilisateur.save()

    reponse = autre.get("/comptes/password/change/")
    assert (reponse.status_code, reponse["Location"]) == (
        302,
        "/comptes/login/?next=/comptes/password/change/",
    )

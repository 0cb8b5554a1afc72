"""Les jetons personnels : créés (montrés une fois, gardés hachés), visant un programme,
expirant, révoqués ; et ce qu'un jeton lit de plus qu'un inconnu (les appels non publiés de son
programme, pas ceux d'un autre)."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from api import jetons
from api.models import JetonAPI, empreinte
from journal.models import Evenement
from noyau.erreurs import ActionImpossible, ActionNonPermise, DonneesRefusees
from tests.api.outils import client_api, jeton_pour
from tests.candidatures.factories import AppelFactory, ProgrammeFactory
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db

URL_APPELS = "/api/v1/appels/"


def _dans(jours):
    return timezone.now() + datetime.timedelta(days=jours)


def _ids(reponse):
    return [appel["id"] for appel in reponse.json()["results"]]


def test_le_jeton_cree_n_est_garde_que_par_son_empreinte():
    gestionnaire = UtilisateurFactory(gestionnaire=True)
    programme = ProgrammeFactory(gestionnaires=[gestionnaire])

    jeton, clair = jetons.creer_jeton(
        gestionnaire, nom="Carte régionale", programme=programme, expire_le=_dans(30)
    )

    assert clair.startswith("relais_") and len(clair) == 7 + 43
    jeton.refresh_from_db()
    assert jeton.empreinte == empreinte(clair)
    assert jeton.prefixe == clair[:15]
    assert clair not in str(list(JetonAPI.objects.values_list()))
    evenement = Evenement.objects.get(type="jeton_api_cree")
    assert (evenement.acteur, evenement.cible_id) == (gestionnaire, jeton.pk)
    assert evenement.donnees["prefixe"] == jeton.prefixe
    assert clair not in str(evenement.donnees)


def test_un_jeton_ne_vise_qu_un_programme_que_la_personne_lit():
    gestionnaire = UtilisateurFactory(gestionnaire=True)
    ProgrammeFactory(gestionnaires=[gestionnaire])
    voisin = ProgrammeFactory()
    coach = UtilisateurFactory(coach=True)

    with pytest.raises(ActionNonPermise):
        jetons.creer_jeton(gestionnaire, nom="x", programme=voisin, expire_le=_dans(30))
    with pytest.raises(ActionNonPermise):
        jetons.creer_jeton(coach, nom="x", programme=voisin, expire_le=_dans(30))
    assert JetonAPI.objects.count() == 0


def test_l_observateur_vise_tout_programme_le_candidat_ceux_de_ses_candidatures():
    observateur = UtilisateurFactory(observateur=True)
    premier, second = ProgrammeFactory(nom="A"), ProgrammeFactory(nom="B")

    assert list(jetons.programmes_possibles(observateur)) == [premier, second]
    assert list(jetons.programmes_possibles(UtilisateurFactory(candidat=True))) == []


@pytest.mark.parametrize(
    ("jours", "message"),
    [
        (-1, "La date d'expiration doit être à venir."),
        (400, "Un jeton vaut un an au plus : choisissez une date d'expiration plus proche."),
    ],
)
def test_l_expiration_est_bornee(jours, message):
    gestionnaire = UtilisateurFactory(gestionnaire=True)
    programme = ProgrammeFactory(gestionnaires=[gestionnaire])

    with pytest.raises(DonneesRefusees) as refus:
        jetons.creer_jeton(gestionnaire, nom="x", programme=programme, expire_le=_dans(jours))

    assert refus.value.message == message
    assert JetonAPI.objects.count() == 0


def test_un_jeton_revoque_ne_lit_plus_rien_et_ne_se_revoque_qu_une_fois():
    gestionnaire = UtilisateurFactory(gestionnaire=True)
    programme = ProgrammeFactory(gestionnaires=[gestionnaire])
    jeton, clair = jetons.creer_jeton(
        gestionnaire, nom="x", programme=programme, expire_le=_dans(9)
    )

    with pytest.raises(ActionNonPermise):
        jetons.revoquer_jeton(jeton, par=UtilisateurFactory(gestionnaire=True))
    jetons.revoquer_jeton(jeton, par=gestionnaire)
    with pytest.raises(ActionImpossible):
        jetons.revoquer_jeton(jeton, par=gestionnaire)

    reponse = client_api(clair).get(URL_APPELS)
    assert reponse.status_code == 401
    assert reponse.json() == {"detail": "Ce jeton a été révoqué."}
    assert reponse["WWW-Authenticate"] == 'Bearer realm="api"'
    assert Evenement.objects.filter(type="jeton_api_revoque", cible_id=jeton.pk).count() == 1


@pytest.mark.parametrize(
    ("entete", "message"),
    [
        ("Bearer relais_inconnu", "Jeton invalide."),
        (
            "Bearer",
            "En-tête Authorization mal formé : écrivez « Bearer », une espace, "
            "puis le jeton "
            "(qui n'en contient aucune).",
        ),
        (
            "Bearer a b",
            "En-tête Authorization mal formé : écrivez « Bearer », une espace, "
            "puis le jeton "
            "(qui n'en contient aucune).",
        ),
    ],
)
def test_un_jeton_inconnu_ou_mal_forme_est_refuse_en_francais(client, entete, message):
    reponse = client.get(URL_APPELS, HTTP_AUTHORIZATION=entete)

    assert reponse.status_code == 401
    assert reponse.json() == {"detail": message}


def test_un_jeton_expire_ou_d_un_compte_desactive_est_refuse():
    gestionnaire = UtilisateurFactory(gestionnaire=True)
    programme = ProgrammeFactory(gestionnaires=[gestionnaire])
    _expire, clair_expire = jeton_pour(
        gestionnaire, programme, expire_dans=datetime.timedelta(seconds=-1)
    )
    desactive = UtilisateurFactory(gestionnaire=True, is_active=False)
    _jeton, clair_desactive = jeton_pour(desactive, programme)

    assert client_api(clair_expire).get(URL_APPELS).json() == {"detail": "Ce jeton a expiré."}
    assert client_api(clair_desactive).get(URL_APPELS).json() == {"detail": "Jeton invalide."}


def test_le_jeton_lit_les_appels_de_son_programme_seulement():
    gestionnaire = UtilisateurFactory(gestionnaire=True)
    programme_a = ProgrammeFactory(gestionnaires=[gestionnaire])
    programme_b = ProgrammeFactory(gestionnaires=[gestionnaire])
    brouillon_a = AppelFactory(programme=programme_a)
    brouillon_b = AppelFactory(programme=programme_b)
    ouvert_b = AppelFactory(programme=programme_b, ouvert=True)
    jeton, clair = jeton_pour(gestionnaire, programme_a)
    client = client_api(clair)

    assert _ids(client.get(URL_APPELS)) == [brouillon_a.pk, ouvert_b.pk]
    assert _ids(client_api().get(URL_APPELS)) == [ouvert_b.pk]
    assert client.get(f"{URL_APPELS}{brouillon_b.pk}/").status_code == 404
    assert client.get(f"{URL_APPELS}{brouillon_a.pk}/").json()["etat"] == "brouillon"
    jeton.refresh_from_db()
    assert jeton.dernier_usage_le is not None

    # Retiré du programme, le gestionnaire ne lit plus ses brouillons, même avec son jeton.
    programme_a.gestionnaires.remove(gestionnaire)
    assert _ids(client_api(clair).get(URL_APPELS)) == [ouvert_b.pk]


def test_la_limite_de_debit_vaut_par_jeton(settings):
    settings.RELAIS_API_LIMITES = {"jeton": "3/min", "anonyme": "2/min"}
    gestionnaire = UtilisateurFactory(gestionnaire=True)
    programme = ProgrammeFactory(gestionnaires=[gestionnaire])
    _premier, clair = jeton_pour(gestionnaire, programme, nom="un")
    _second, autre = jeton_pour(gestionnaire, programme, nom="deux")

    statuts = [client_api(clair).get(URL_APPELS).status_code for _ in range(4)]
    refus = client_api(clair).get(URL_APPELS)

    assert statuts == [200, 200, 200, 429]
    assert int(refus["Retry-After"]) > 0
    assert refus.json()["detail"].startswith("Requête ralentie.")
    assert client_api(autre).get(URL_APPELS).status_code == 200
    assert [client_api().get(URL_APPELS).status_code for _ in range(3)] == [200, 200, 429]


def test_la_pagination_par_curseur_ne_saute_ni_ne_repete_aucune_ligne():
    appels = [AppelFactory(ouvert=True) for _ in range(5)]
    client = client_api()

    premiere = client.get(URL_APPELS, {"taille": 2}).json()
    deuxieme = client.get(premiere["next"]).json()
    troisieme = client.get(deuxieme["next"]).json()

    lus = _ids_de(premiere) + _ids_de(deuxieme) + _ids_de(troisieme)
    assert lus == [appel.pk for appel in appels]
    assert (premiere["previous"], troisieme["next"]) == (None, None)
    assert client.get(URL_APPELS, {"curseur": "nimporte"}).json() == {"detail": "Curseur invalide."}


def _ids_de(page):
    return [appel["id"] for appel in page["results"]]


def test_les_filtres_d_etat_et_de_date():
    gestionnaire = UtilisateurFactory(gestionnaire=True)
    programme = ProgrammeFactory(gestionnaires=[gestionnaire])
    brouillon = AppelFactory(programme=programme, date_limite=_dans(5))
    ouvert = AppelFactory(programme=programme, ouvert=True, date_limite=_dans(50))
    _jeton, clair = jeton_pour(gestionnaire, programme)
    client = client_api(clair)

    assert _ids(client.get(URL_APPELS, {"etat": "brouillon"})) == [brouillon.pk]
    apres = _dans(30).isoformat()
    assert _ids(client.get(URL_APPELS, {"date_limite_apres": apres})) == [ouvert.pk]
    refus = client.get(URL_APPELS, {"date_limite_apres": "31/12/2026"})
    assert refus.status_code == 400
    assert list(refus.json()) == ["date_limite_apres"]


# --- « Mon compte » › « Jetons d'accès à l'API » ------------------------------------------


def test_le_gestionnaire_cree_son_jeton_et_le_voit_une_seule_fois(client):
    gestionnaire = UtilisateurFactory(gestionnaire=True)
    programme = ProgrammeFactory(nom="Inclusion MEL", gestionnaires=[gestionnaire])
    client.force_login(gestionnaire)
    expire = (timezone.localdate() + datetime.timedelta(days=60)).isoformat()

    reponse = client.post(
        reverse("jetons:liste"),
        {"nom": "Tableau régional", "programme": programme.pk, "expire_le": expire},
        follow=True,
    )

    assert reponse.redirect_chain == [(reverse("jetons:liste"), 302)]
    jeton = JetonAPI.objects.get()
    clair = reponse.context["nouveau"]["clair"]
    assert empreinte(clair) == jeton.empreinte
    assert clair in reponse.content.decode()
    assert (jeton.nom, jeton.programme, timezone.localtime(jeton.expire_le).date().isoformat()) == (
        "Tableau régional",
        programme,
        expire,
    )
    relue = client.get(reverse("jetons:liste")).content.decode()
    assert clair not in relue
    assert f"{jeton.prefixe}…" in relue


def test_une_date_passee_est_refusee_a_cote_du_champ_et_la_saisie_gardee(client):
    gestionnaire = UtilisateurFactory(gestionnaire=True)
    programme = ProgrammeFactory(gestionnaires=[gestionnaire])
    client.force_login(gestionnaire)

    reponse = client.post(
        reverse("jetons:liste"),
        {"nom": "Carte", "programme": programme.pk, "expire_le": "2020-01-01"},
    )

    assert reponse.status_code == 400
    assert reponse.context["form"].errors == {
        "expire_le": ["La date d'expiration doit être à venir."]
    }
    assert 'value="Carte"' in reponse.content.decode()
    assert JetonAPI.objects.count() == 0


def test_revoquer_depuis_mon_compte(client):
    gestionnaire = UtilisateurFactory(gestionnaire=True)
    programme = ProgrammeFactory(gestionnaires=[gestionnaire])
    jeton, _clair = jeton_pour(gestionnaire, programme, nom="Carte")
    autre, _ = jeton_pour(UtilisateurFactory(gestionnaire=True), programme)
    client.force_login(gestionnaire)

    reponse = client.post(reverse("jetons:revoquer", args=[jeton.pk]), follow=True)
    assert "Le jeton « Carte » est révoqué : il ne lit plus rien." in reponse.content.decode()
    jeton.refresh_from_db()
    assert jeton.revoque_le is not None
    assert client.post(reverse("jetons:revoquer", args=[autre.pk])).status_code == 404
    assert client.post(reverse("jetons:revoquer", args=[jeton.pk])).status_code == 409


def test_le_coach_lit_qu_il_n_a_besoin_d_aucun_jeton(client):
    client.force_login(UtilisateurFactory(coach=True))

    page = client.get(reverse("jetons:liste")).content.decode()

    assert "qui se lit sans jeton" in page
    assert 'name="nom"' not in page


def test_mes_donnees_citent_mes_jetons_et_l_effacement_du_compte_les_supprime():
    from comptes.donnees_personnelles import exporter_donnees, supprimer_compte

    candidate = UtilisateurFactory(candidat=True)
    programme = ProgrammeFactory(nom="Inclusion MEL")
    jeton, clair = jeton_pour(candidate, programme, nom="Mon tableur")

    export = exporter_donnees(candidate)
    assert [(j["nom"], j["debut"], j["programme"]) for j in export["jetons_api"]] == [
        ("Mon tableur", jeton.prefixe, "Inclusion MEL")
    ]
    assert clair not in str(export)

    supprimer_compte(candidate)

    assert JetonAPI.objects.count() == 0
    assert client_api(clair).get(URL_APPELS).status_code == 401


@pytest.mark.parametrize(
    ("valeur", "statut"),
    [("1327-08-26T15:44:07-18:44", 200), ("0001-01-01T00:00:00+01:00", 400)],
)
def test_une_date_au_decalage_extreme_est_ramenee_en_utc_ou_refusee(valeur, statut):
    """PostgreSQL refuse un décalage de -18:44 (Python l'accepte) : la date est ramenée en UTC
    avant la requête ; l'an 1 à +01:00 ne se ramène pas et répond 400 (trouvé par schemathesis)."""
    AppelFactory(ouvert=True)

    reponse = client_api().get(URL_APPELS, {"date_limite_apres": valeur})

    assert reponse.status_code == statut
    if statut == 400:
        assert reponse.json() == {"date_limite_apres": ["Date hors des limites du calendrier."]}


def test_la_limite_compte_la_minute_precedente_et_ne_garde_qu_un_compteur(settings):
    """Trois requêtes à la fin d'une minute, une quatrième juste après : la minute précédente
    compte encore presque entière, refusée ; une minute plus tard, elle passe. Le cache ne garde
    qu'un nombre par fenêtre, pas la liste des requêtes."""
    settings.RELAIS_API_LIMITES = {"jeton": "3/min", "anonyme": "3/min"}
    with time_machine.travel("2026-11-30 12:00:58+00:00", tick=False) as voyage:
        statuts = [client_api().get(URL_APPELS).status_code for _ in range(3)]
        voyage.move_to("2026-11-30 12:01:02+00:00")
        refus = client_api().get(URL_APPELS)
        voyage.move_to("2026-11-30 12:02:05+00:00")
        apres = client_api().get(URL_APPELS).status_code
        # Lus à 12:02:05 : hors du voyage, un cache en mémoire (sans Redis) compterait leur
        # durée de vie à l'heure réelle, bien après, et les dirait expirés.
        minute = int(datetime.datetime(2026, 11, 30, 12, 2, tzinfo=datetime.UTC).timestamp() // 60)
        compteurs = [cache.get(f"api:limite:ip-127.0.0.1:{m}") for m in (minute, minute - 1)]
    assert statuts == [200, 200, 200]
    assert (refus.status_code, int(refus["Retry-After"])) == (429, 58)
    assert apres == 200
    # Un seul nombre par fenêtre : la requête de 12:02 (1), le refus de 12:01 compté (1).
    assert compteurs == [1, 1]

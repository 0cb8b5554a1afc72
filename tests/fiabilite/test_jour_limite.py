"""Le jour de la date limite (issue #9) : 200 structures déposent leur candidature dans la
dernière minute, toutes en même temps, contre un vrai serveur sur PostgreSQL. Toutes passent,
aucune après l'échéance, aucune ne se perd ; le débit est affiché (`pytest -s`).

Ce qui est mesuré : le chemin complet d'un dépôt par la page, tel que le navigateur l'envoie
(réponses réenregistrées, verrou, éligibilité figée, journal, confirmation mise dans la boîte
d'envoi). Le récépissé PDF n'est plus rendu dans la requête mais par le worker à l'envoi : il
coûtait 85 % de chaque dépôt (4 à 6 dépôts/s au lieu de 18 sur deux cœurs). L'envoi des
courriels, fait en production par un worker Celery, n'a pas lieu pendant la ruée : la file est
remplacée par la liste des messages programmés, envoyés ensuite pour vérifier qu'aucun ne
manque, chacun avec son récépissé.

Le serveur de test tourne dans ce processus (un seul GIL pour tous ses fils) : le débit mesuré
est celui d'un seul processus, pas celui de plusieurs workers gunicorn.
"""

import datetime
import http.client
import re
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.cookies import SimpleCookie
from importlib import import_module
from urllib.parse import urlencode, urlparse

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.files.base import ContentFile
from django.utils import timezone

import messagerie.tasks
from candidatures.enums import EtatCandidature
from candidatures.models import Candidature, PieceJointe
from journal.models import Evenement
from messagerie import services as services_messagerie
from messagerie.models import Message
from programmes.models import Appel
from tests.candidatures.factories import AppelFactory, StructureFactory
from tests.candidatures.fichiers import PDF
from tests.factories import UtilisateurFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

NB_A_L_HEURE = 200
# Assez de retardataires simultanés pour que des refus se croisent dans plusieurs fils.
NB_EN_RETARD = 20
# Requêtes simultanées : chacune tient une connexion PostgreSQL (100 au plus par défaut).
FILS = 32
# Toutes les structures à l'heure envoient leur dépôt dans cette fenêtre avant l'échéance.
FENETRE = datetime.timedelta(seconds=60)


class FileDEnvoi:
    """Tient lieu de la file Celery pendant la ruée : garde l'id de chaque message programmé
    (le serveur de test sert chaque requête dans son fil, d'où le verrou)."""

    name = "messagerie.envoyer_message"

    def __init__(self):
        self.ids = []
        self._verrou = threading.Lock()

    def apply_async(self, *, kwargs):
        with self._verrou:
            self.ids.append(kwargs["message_id"])


@dataclass
class Candidat:
    candidature_id: int
    session: str
    jeton_cookie: str = ""
    jeton_formulaire: str = ""


@dataclass
class Reponse:
    statut: int
    location: str
    corps: str
    duree: float


def _requete(live_server, methode, chemin, candidat, donnees=None):
    """Une requête HTTP avec les cookies du candidat ; renvoie la réponse et ses cookies."""
    adresse = urlparse(live_server.url)
    cookies = f"{settings.SESSION_COOKIE_NAME}={candidat.session}"
    if candidat.jeton_cookie:
        cookies += f"; {settings.CSRF_COOKIE_NAME}={candidat.jeton_cookie}"
    entetes = {"Cookie": cookies}
    corps = None
    if donnees is not None:
        corps = urlencode(donnees)
        entetes["Content-Type"] = "application/x-www-form-urlencoded"
    connexion = http.client.HTTPConnection(adresse.hostname, adresse.port, timeout=120)
    debut = time.perf_counter()
    try:
        connexion.request(methode, chemin, body=corps, headers=entetes)
        reponse = connexion.getresponse()
        recus = SimpleCookie()
        for entete in reponse.msg.get_all("Set-Cookie") or []:
            recus.load(entete)
        resultat = Reponse(
            statut=reponse.status,
            location=reponse.getheader("Location", ""),
            corps=reponse.read().decode(),
            duree=time.perf_counter() - debut,
        )
        return resultat, {nom: morceau.value for nom, morceau in recus.items()}
    finally:
        connexion.close()


def _preparer_candidats(appel, nombre, premier_rang):
    """`nombre` structures d'un membre chacune, avec un brouillon complet (réponses et pièce
    jointe) à l'appel, et une session ouverte pour ce membre."""
    texte, oui_non, nombre_ = appel.questions.order_by("ordre")
    piece_demandee = appel.pieces_demandees.get()
    membres = [UtilisateurFactory(candidat=True) for _ in range(nombre)]
    structures = [
        StructureFactory(nom=f"CCAS du jour limite n° {premier_rang + rang}", membres=[membre])
        for rang, membre in enumerate(membres)
    ]
    candidatures = Candidature.objects.bulk_create(
        Candidature(
            appel=appel,
            structure=structure,
            creee_par=membre,
            reponses={
                str(texte.pk): "Des seniors isolés et des demandeurs d'emploi.",
                str(oui_non.pk): True,
                str(nombre_.pk): 120,
            },
        )
        for structure, membre in zip(structures, membres, strict=True)
    )
    stockage = PieceJointe._meta.get_field("fichier").storage
    PieceJointe.objects.bulk_create(
        PieceJointe(
            candidature=candidature,
            piece_demandee=piece_demandee,
            fichier=stockage.save(f"jour-limite/{candidature.pk}.pdf", ContentFile(PDF)),
            nom_original="statuts.pdf",
            type_mime="application/pdf",
            taille=len(PDF),
            ajoutee_par=membre,
        )
        for candidature, membre in zip(candidatures, membres, strict=True)
    )
    for candidature in candidatures:
        assert candidature.manques() == []
    return [
        Candidat(candidature.pk, _session_ouverte(membre))
        for candidature, membre in zip(candidatures, membres, strict=True)
    ]


def _session_ouverte(utilisateur):
    """La clé d'une session où l'utilisateur est connecté, comme après sa connexion."""
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(utilisateur.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = utilisateur.get_session_auth_hash()
    session.create()
    return session.session_key


def _ouvrir_le_formulaire(live_server, candidat):
    """Ce que fait le navigateur avant de déposer : afficher le formulaire, qui pose le cookie
    CSRF et porte le jeton du formulaire."""
    reponse, cookies = _requete(
        live_server, "GET", f"/candidatures/{candidat.candidature_id}/formulaire/", candidat
    )
    assert reponse.statut == 200, reponse.corps[:500]
    candidat.jeton_cookie = cookies[settings.CSRF_COOKIE_NAME]
    candidat.jeton_formulaire = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', reponse.corps
    ).group(1)


def _deposer(live_server, candidat, donnees):
    reponse, _cookies = _requete(
        live_server,
        "POST",
        f"/candidatures/{candidat.candidature_id}/formulaire/",
        candidat,
        {**donnees, "csrfmiddlewaretoken": candidat.jeton_formulaire, "action": "deposer"},
    )
    return reponse


def _tous_ensemble(action, candidats):
    """Lance l'action pour chaque candidat, FILS à la fois ; renvoie les résultats dans
    l'ordre et la durée totale."""
    debut = time.perf_counter()
    with ThreadPoolExecutor(max_workers=FILS) as fils:
        resultats = list(fils.map(action, candidats))
    return resultats, time.perf_counter() - debut


def _quantile(durees, part):
    ordonnees = sorted(durees)
    return ordonnees[min(len(ordonnees) - 1, int(part * len(ordonnees)))]


@pytest.fixture
def file_d_envoi(monkeypatch):
    file_ = FileDEnvoi()
    monkeypatch.setattr(messagerie.tasks, "envoyer_message", file_)
    return file_


def _avancer_l_horloge(monkeypatch, *, jusqu_a):
    """Plutôt qu'attendre la fin de la minute : l'horloge de Django saute jusqu'à `jusqu_a`,
    pour ce processus, donc aussi pour le serveur de test qui y tourne dans un fil."""
    vraie_heure = timezone.now
    decalage = jusqu_a - vraie_heure()
    monkeypatch.setattr(timezone, "now", lambda: vraie_heure() + decalage)


def test_deux_cents_depots_dans_la_derniere_minute(live_server, file_d_envoi, monkeypatch):
    appel = AppelFactory(ouvert=True, avec_questions=True)
    texte, oui_non, nombre = appel.questions.order_by("ordre")
    # Ce que le formulaire renvoie : les réponses déjà enregistrées (la pièce l'est aussi).
    donnees = {
        texte.nom_de_champ: "Des seniors isolés et des demandeurs d'emploi.",
        oui_non.nom_de_champ: "oui",
        nombre.nom_de_champ: "120",
    }
    a_l_heure = _preparer_candidats(appel, NB_A_L_HEURE, 1)
    en_retard = _preparer_candidats(appel, NB_EN_RETARD, NB_A_L_HEURE + 1)
    _tous_ensemble(lambda c: _ouvrir_le_formulaire(live_server, c), a_l_heure + en_retard)

    # La dernière minute commence : l'échéance tombe dans FENETRE.
    date_limite = timezone.now() + FENETRE
    Appel.objects.filter(pk=appel.pk).update(date_limite=date_limite)

    reponses, duree = _tous_ensemble(lambda c: _deposer(live_server, c, donnees), a_l_heure)

    debit = NB_A_L_HEURE / duree
    durees = [r.duree for r in reponses]
    print(
        f"\nJour limite : {NB_A_L_HEURE} dépôts en {duree:.1f} s avec {FILS} requêtes "
        f"simultanées, soit {debit:.1f} dépôts/s ; par dépôt : médiane "
        f"{_quantile(durees, 0.5):.2f} s, 95 % sous {_quantile(durees, 0.95):.2f} s, "
        f"au plus {max(durees):.2f} s."
    )
    assert timezone.now() < date_limite, "la ruée a débordé la fenêtre avant l'échéance"
    assert Counter(r.statut for r in reponses) == {302: NB_A_L_HEURE}, [
        (r.statut, r.corps[:300]) for r in reponses if r.statut != 302
    ]
    assert [r.location for r in reponses] == [
        f"/candidatures/{c.candidature_id}/" for c in a_l_heure
    ]

    # Après l'échéance, les retardataires sont refusés par un message clair, sans erreur 500.
    _avancer_l_horloge(monkeypatch, jusqu_a=date_limite + datetime.timedelta(seconds=1))
    refus, _duree = _tous_ensemble(lambda c: _deposer(live_server, c, donnees), en_retard)
    for reponse in refus:
        assert reponse.statut == 409, reponse.corps[:500]
        assert "La date limite de dépôt était le " in reponse.corps
        assert "Vos réponses restent enregistrées." in reponse.corps

    # Aucune perdue, aucune après l'échéance, un seul dépôt au journal pour chacune.
    ids_a_l_heure = [c.candidature_id for c in a_l_heure]
    deposees = Candidature.objects.filter(etat=EtatCandidature.DEPOSEE)
    assert sorted(deposees.values_list("pk", flat=True)) == sorted(ids_a_l_heure)
    assert not deposees.filter(deposee_le__gte=date_limite).exists()
    assert not deposees.filter(eligibilite={}).exists()
    assert (
        list(
            Candidature.objects.filter(pk__in=[c.candidature_id for c in en_retard]).values_list(
                "etat", flat=True
            )
        )
        == [EtatCandidature.BROUILLON] * NB_EN_RETARD
    )
    journal = Evenement.objects.changements_d_etat().filter(
        cible_type=ContentType.objects.get_for_model(Candidature), transition="deposer"
    )
    assert Counter(int(i) for i in journal.values_list("cible_id", flat=True)) == dict.fromkeys(
        ids_a_l_heure, 1
    )

    # Une confirmation par structure, avec son récépissé, programmée puis bien envoyée.
    confirmations = Message.objects.filter(type="candidature_deposee")
    assert confirmations.count() == NB_A_L_HEURE
    assert sorted(file_d_envoi.ids) == sorted(confirmations.values_list("pk", flat=True))
    assert Counter(tuple(p) for p in confirmations.values_list("pieces_a_produire", flat=True)) == {
        ("candidatures.recepisse.piece_jointe",): NB_A_L_HEURE
    }
    for message_id in file_d_envoi.ids:
        assert services_messagerie.envoyer(message_id)
    assert len(mail.outbox) == NB_A_L_HEURE
    assert all(courriel.attachments[0][1][:5] == b"%PDF-" for courriel in mail.outbox)
    assert not confirmations.filter(pieces_jointes__isnull=True).exists()

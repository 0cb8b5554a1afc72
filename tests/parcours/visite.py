"""La visite de tous les liens d'un rôle, avec le client de test de Django : en largeur depuis
l'accueil du rôle, chaque lien du même site suivi une fois (GET), les redirections suivies, les
téléchargements demandés sans être lus. On y relève toute réponse 500 (ou exception) et les
pages qui portent un formulaire POST, que le test de renvoi à l'identique ouvre ensuite dans
Chromium."""

import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from django.core.signals import request_finished
from django.db import close_old_connections

# Une adresse par « forme » d'URL suffirait à essayer la vue : /candidatures/12/ et /13/ passent
# par le même code. Plusieurs par forme, pour varier les états des objets : l'espace jury liste
# d'abord quatre notations closes de 2022, puis celles en cours, qui ont un formulaire.
PAR_FORME = 8
PROFONDEUR = 6
PAGES_AU_PLUS = 400

# La déconnexion (GET affiche une confirmation, mais on ne veut pas la quitter en route) et les
# adresses qui ne sont pas des pages de Relais.
A_NE_PAS_SUIVRE = re.compile(r"^/(comptes/logout/|static/|media/|i18n/)")


class _Lecteur(HTMLParser):
    """Les liens <a href> et les formulaires POST d'une page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.liens = []
        self.formulaires_post = 0

    def handle_starttag(self, tag, attrs):
        attributs = dict(attrs)
        if tag == "a" and attributs.get("href"):
            self.liens.append(attributs["href"])
        elif tag == "form" and (attributs.get("method") or "get").lower() == "post":
            if not A_NE_PAS_SUIVRE.match(attributs.get("action") or ""):
                self.formulaires_post += 1


def forme(chemin_et_requete):
    """/gestion/appels/12/candidatures/?etat=x → /gestion/appels/N/candidatures/?etat"""
    morceaux = urlsplit(chemin_et_requete)
    chemin = re.sub(r"/\d+(?=/|\.|$)", "/N", morceaux.path)
    chemin = re.sub(r"/[0-9a-f]{8}-[0-9a-f-]{27}(?=/|$)", "/U", chemin)
    cles = sorted({morceau.split("=")[0] for morceau in morceaux.query.split("&") if morceau})
    return chemin + ("?" + "&".join(cles) if cles else "")


@dataclass
class Visite:
    """Ce que la visite d'un rôle a relevé."""

    erreurs: list = field(default_factory=list)  # (adresse, statut ou exception, page d'origine)
    pages: list = field(default_factory=list)  # adresses HTML visitées, dans l'ordre
    pages_avec_formulaire: list = field(default_factory=list)
    telechargements: list = field(default_factory=list)
    remarques: list = field(default_factory=list)  # (adresse, remarque) du contrôle des pages

    def rapport(self, role):
        lignes = [f"{role} : {len(self.erreurs)} réponse(s) en erreur"]
        lignes += [
            f"  {adresse} → {quoi} (lien trouvé sur {origine})"
            for adresse, quoi, origine in self.erreurs
        ]
        return "\n".join(lignes)


def _meme_site(href, page):
    adresse = urldefrag(urljoin("http://testserver" + page, href))[0]
    morceaux = urlsplit(adresse)
    if morceaux.scheme not in ("http", "https") or morceaux.netloc != "testserver":
        return None
    return morceaux.path + ("?" + morceaux.query if morceaux.query else "")


def _fermer(reponse):
    """Ferme la réponse (un téléchargement garde son fichier ouvert) sans laisser le signal de
    fin de requête fermer la connexion, comme le fait le client de test pendant la requête."""
    request_finished.disconnect(close_old_connections)
    try:
        reponse.close()
    finally:
        request_finished.connect(close_old_connections)


def visiter(client, depart="/tableau-de-bord/", controle=None):
    """Suit en largeur tous les liens atteignables depuis `depart` par le compte de `client`.

    `controle(adresse, html)`, s'il est donné, rend la liste de ce qui ne va pas sur une page
    (relevé dans `visite.remarques`)."""
    client.raise_request_exception = True
    visite = Visite()
    vues = {depart}
    par_forme = {}
    file = deque([(depart, 0, "(accueil du rôle)")])
    while file and len(visite.pages) + len(visite.telechargements) < PAGES_AU_PLUS:
        adresse, profondeur, origine = file.popleft()
        try:
            reponse = client.get(adresse)
        except Exception as exception:  # noqa: BLE001 — la visite relève, le test échoue après
            visite.erreurs.append((adresse, f"{type(exception).__name__}: {exception}", origine))
            continue
        if reponse.status_code >= 500:
            visite.erreurs.append((adresse, reponse.status_code, origine))
        type_contenu = reponse.get("Content-Type", "")
        suivants = []
        if reponse.status_code in (301, 302, 303, 307, 308):
            suivants = [reponse["Location"]]
        elif "text/html" in type_contenu and not reponse.streaming:
            visite.pages.append(adresse)
            html = reponse.content.decode(reponse.charset or "utf-8", "replace")
            lecteur = _Lecteur()
            lecteur.feed(html)
            if controle:
                visite.remarques += [(adresse, remarque) for remarque in controle(adresse, html)]
            if lecteur.formulaires_post:
                visite.pages_avec_formulaire.append(adresse)
            suivants = lecteur.liens if profondeur < PROFONDEUR else []
        else:
            visite.telechargements.append(adresse)
        _fermer(reponse)
        for href in suivants:
            cible = _meme_site(href, adresse)
            if cible is None or cible in vues or A_NE_PAS_SUIVRE.match(cible):
                continue
            vues.add(cible)
            cle = forme(cible)
            if par_forme.get(cle, 0) >= PAR_FORME:
                continue
            par_forme[cle] = par_forme.get(cle, 0) + 1
            file.append((cible, profondeur + 1, adresse))
    return visite

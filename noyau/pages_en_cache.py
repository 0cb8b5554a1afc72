"""Des pages gardées en cache, resservies tant qu'aucune des tables qu'elles ont lues n'a changé.

Une page clé (liste de dix mille candidatures, classement, frise, bilan…) coûte des dizaines de
millisecondes à dessiner, pour un HTML qui ne change qu'avec les données qu'elle lit. Une vue
décorée par `page_en_cache` (ou une vue d'API qui mêle `ReponseEnCache`) garde sa réponse sous
une clé propre à la demande, avec la génération de chaque table lue (noyau.horloge) ; la fois
suivante, une requête relit l'horloge et resservit la page si rien n'a bougé.

La clé couvre tout ce qu'une page montre en dehors de la base :
- la personne : chaque champ de son compte (ses rôles, sa langue, sa génération de sessions) ;
  la session entière et les cookies (jeton CSRF, langue choisie) ; un autre compte, une autre
  session ou un autre onglet de connexion n'a jamais la page d'un autre ;
- la demande : hôte, schéma, chemin et paramètres, en-têtes Accept et Accept-Language, langue ;
- le temps : la date du jour et la minute en cours (un « en retard », une clôture à 12 h 00
  basculent à la minute) ;
- le code : les fichiers du projet (gabarits, code, traductions, manifeste des fichiers
  statiques), la version de Django, et les réglages (un réglage changé en cours de route, ce
  que seuls les tests font, change la clé).

N'est jamais gardée : une réponse autre que 200, en flux, qui pose un cookie ou un jeton CSRF
neuf, qui a modifié la session, affiché un message, ou écrit en base pendant son calcul (une
vue qui écrit en lisant garde ainsi son effet). Rien n'est gardé ni servi dans une transaction
ouverte (les tests ordinaires, qui ne valident jamais, voient donc les vues telles quelles).

Les générations sont lues avant le calcul de la page : une écriture validée pendant le calcul
laisse au pire une entrée que la génération suivante rend caduque, jamais une page périmée.
"""

import hashlib
import os
import zlib
from functools import wraps
from pathlib import Path

import django
from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import connection
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language

from noyau.horloge import capture, lire_horloge

DUREE = 15 * 60
_EXTENSIONS_DU_CODE = (".py", ".html", ".txt", ".mo", ".json", ".js", ".css")
_HORS_DU_CODE = {"var", "node_modules", "tests", "bench", "__pycache__"}  # et les dossiers en « . »
_version_du_code = None
_reglages_changes = 0


def _reglage_change(**kwargs):
    global _reglages_changes
    _reglages_changes += 1


setting_changed.connect(_reglage_change, dispatch_uid="noyau_pages_en_cache_reglages")


def version_du_code():
    """Empreinte des fichiers du projet (chemin, taille, date) et du manifeste des fichiers
    statiques : un déploiement la change. Calculée une fois par processus."""
    global _version_du_code
    if _version_du_code is None:
        empreinte = hashlib.sha256(django.get_version().encode())
        racine = str(settings.BASE_DIR)
        fichiers = []
        for dossier, sous_dossiers, noms in os.walk(racine):
            sous_dossiers[:] = sorted(
                d for d in sous_dossiers if d not in _HORS_DU_CODE and not d.startswith(".")
            )
            fichiers += [
                os.path.join(dossier, nom) for nom in noms if nom.endswith(_EXTENSIONS_DU_CODE)
            ]
        manifeste = Path(settings.STATIC_ROOT) / "staticfiles.json"
        for chemin in [*sorted(fichiers), *([str(manifeste)] if manifeste.exists() else [])]:
            etat = os.stat(chemin)
            empreinte.update(f"{chemin}:{etat.st_size}:{etat.st_mtime_ns};".encode())
        _version_du_code = empreinte.hexdigest()[:16]
    return _version_du_code


def actif():
    return settings.RELAIS_PAGES_EN_CACHE and not connection.in_atomic_block


def _champs_du_compte(utilisateur):
    if not getattr(utilisateur, "is_authenticated", False):
        return None
    return tuple(getattr(utilisateur, champ.attname) for champ in utilisateur._meta.concrete_fields)


def cle(request, *parties):
    """La clé d'une demande : `parties` s'ajoute à ce que nomme le module."""
    return (
        "pages:"
        + hashlib.sha256(
            repr(
                (
                    version_du_code(),
                    _reglages_changes,
                    request.get_host(),
                    request.scheme,
                    request.get_full_path(),
                    get_language(),
                    timezone.localdate(),
                    timezone.now().strftime("%Y-%m-%dT%H:%M"),
                    request.META.get("HTTP_ACCEPT", ""),
                    request.META.get("HTTP_ACCEPT_LANGUAGE", ""),
                    *parties,
                )
            ).encode()
        ).hexdigest()
    )


def entree_valable(entree, horloge):
    return entree is not None and all(
        horloge.get(table, 0) == generation for table, generation in entree["tables"].items()
    )


def ranger(cle_, request, reponse, tables_lues, horloge):
    cache.set(
        cle_,
        {
            # La page porte le jeton CSRF : servie à nouveau, son cookie est renouvelé (ce que
            # fait get_token).
            "csrf": bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE")),
            "tables": {table: horloge.get(table, 0) for table in tables_lues},
            "entetes": [(nom, valeur) for nom, valeur in reponse.items()],
            "contenu": zlib.compress(reponse.content, 1),
        },
        DUREE,
    )


def reponse_de(request, entree):
    if entree["csrf"] and "CSRF_COOKIE" in request.META:
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    return HttpResponse(zlib.decompress(entree["contenu"]), headers=entree["entetes"])


def _messages_en_jeu(request):
    stockage = getattr(request, "_messages", None)
    return stockage is not None and bool(
        stockage._queued_messages or getattr(stockage, "_loaded_data", None)
    )


def _jeton_csrf_neuf(request):
    """La page a tiré un secret CSRF que le navigateur n'a pas encore (cookie à poser)."""
    secret = request.META.get("CSRF_COOKIE")
    return secret is not None and secret != request.COOKIES.get(settings.CSRF_COOKIE_NAME)


def _gardable(request, reponse, ecrites):
    session = getattr(request, "session", None)
    return (
        reponse.status_code == 200
        and not reponse.streaming
        and not reponse.cookies
        and not ecrites
        and not _jeton_csrf_neuf(request)
        and not (session is not None and session.modified)
        and not _messages_en_jeu(request)
    )


def page_en_cache(vue):
    """Garde la page de cette vue (GET) tant que les tables qu'elle lit ne changent pas."""

    @wraps(vue)
    def enveloppe(request, *args, **kwargs):
        if request.method != "GET" or not actif():
            return vue(request, *args, **kwargs)
        session = request.session
        if "_messages" in session or "messages" in request.COOKIES:
            return vue(request, *args, **kwargs)
        cle_ = cle(
            request,
            _champs_du_compte(request.user),
            sorted(session.items()),
            request.META.get("HTTP_COOKIE", ""),
        )
        horloge = lire_horloge()
        entree = cache.get(cle_)
        if entree_valable(entree, horloge):
            return reponse_de(request, entree)
        with capture() as lecture:
            reponse = vue(request, *args, **kwargs)
            if hasattr(reponse, "render") and not reponse.is_rendered:
                reponse.render()
        if _gardable(request, reponse, lecture.ecrites):
            ranger(cle_, request, reponse, lecture.lues, horloge)
        return reponse

    return enveloppe


class _Trouvee(Exception):
    def __init__(self, reponse):
        self.reponse = reponse


class ReponseEnCache:
    """À mêler à une vue d'API en lecture : l'authentification, les permissions et la limite de
    débit passent à chaque requête ; la réponse (JSON) est resservie tant que les tables lues
    pour la calculer n'ont pas changé. La clé : le jeton, le compte, la demande."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self._en_cache = None
        if request.method != "GET" or not actif():
            return
        jeton = getattr(request, "auth", None)
        cle_ = cle(
            request,
            getattr(jeton, "pk", None),
            _champs_du_compte(request.user),
            request.META.get("HTTP_ACCEPT_ENCODING", ""),
        )
        horloge = lire_horloge()
        entree = cache.get(cle_)
        if entree_valable(entree, horloge):
            raise _Trouvee(reponse_de(request, entree))
        self._en_cache = (cle_, horloge, capture().__enter__())

    def handle_exception(self, exc):
        if isinstance(exc, _Trouvee):
            return exc.reponse
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        reponse = super().finalize_response(request, response, *args, **kwargs)
        en_cache = getattr(self, "_en_cache", None)
        if en_cache is None:
            return reponse
        self._en_cache = None
        cle_, horloge, lecture = en_cache
        lecture.__exit__(None, None, None)
        if reponse.status_code == 200 and not lecture.ecrites and hasattr(reponse, "render"):
            reponse.render()
            ranger(cle_, request, reponse, lecture.lues, horloge)
        return reponse

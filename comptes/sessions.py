"""Les sessions en base, lues dans le cache (`SESSION_ENGINE = "comptes.sessions"`).

Le moteur `cached_db` de Django, sauf sur un point : une écriture ou un effacement du cache
perdu pendant une panne de Redis (règle de aap/cache.py) ne doit jamais rendre vie à une
session déconnectée ni servir des données de session périmées. Redis figé pendant une
déconnexion, puis revenu avec l'ancienne session encore en mémoire : le cookie déconnecté ne
doit pas redevenir valable.

La réponse tient en trois règles :

1. Le cache ne garde que les sessions connectées, chacune estampillée de la génération des
   sessions de son compte (`Utilisateur.generation_des_sessions`, `CLE_GENERATION` dans les
   données). Une session anonyme se lit en base.
2. Chaque requête charge déjà la ligne de l'utilisateur (AuthenticationMiddleware) :
   `comptes.middleware.AuthentificationMiddleware` compare l'estampille d'une session lue dans
   le cache à la génération de cette ligne ; différente, la session est relue en base (qui
   fait foi) et l'utilisateur réévalué. Aucune requête de plus quand elles concordent.
3. Toute écriture de session commence par une pierre tombale dans le cache, puis écrit la base,
   puis le cache. Si la pierre tombale ou l'écriture finale n'a pas pu être posée (Redis
   injoignable : `set_many` rend la clé non enregistrée), la génération des comptes concernés
   est augmentée en base : ce que le cache garde encore pour eux ne passe plus la règle 2.

Coût : une session connectée se lit sans requête ; une panne de Redis coûte une mise à jour
d'une ligne d'utilisateur par écriture de session perdue, et une relecture en base par
session de ce compte ensuite.
"""

import logging

from asgiref.sync import sync_to_async
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.signals import user_logged_in
from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.db import SessionStore as SessionEnBase
from django.db.models import F
from django.dispatch import receiver

from comptes.models import Utilisateur

logger = logging.getLogger(__name__)

CLE_GENERATION = "_relais_generation_sessions"
PIERRE_TOMBALE = "session-effacee"


def revoquer_les_sessions_en_cache(ids_utilisateurs):
    """Ce que le cache garde des sessions de ces comptes ne vaut plus : elles se relisent en
    base (les sessions elles-mêmes restent ouvertes)."""
    ids = {int(pk) for pk in ids_utilisateurs if pk is not None}
    if ids:
        Utilisateur.objects.filter(pk__in=ids).update(
            generation_des_sessions=F("generation_des_sessions") + 1
        )
        logger.warning(
            "Écriture de session perdue dans le cache : sessions en cache de %s compte(s) "
            "invalidées, relues en base.",
            len(ids),
        )


class SessionStore(cached_db.SessionStore):
    cache_key_prefix = "comptes.sessions"

    def __init__(self, session_key=None):
        super().__init__(session_key)
        self.lue_dans_le_cache = False
        self._utilisateur_lu = None

    # --- Lecture -------------------------------------------------------------------------
    def load(self):
        try:
            donnees = self._cache.get(self.cache_key)
        except Exception:  # une clé refusée par le cache (voir cached_db) : lue en base
            donnees = None
        if isinstance(donnees, dict) and SESSION_KEY in donnees and CLE_GENERATION in donnees:
            self.lue_dans_le_cache = True
        else:
            donnees = self._lire_en_base()
        self._utilisateur_lu = donnees.get(SESSION_KEY)
        return donnees

    def _lire_en_base(self):
        self.lue_dans_le_cache = False
        ligne = self._get_session_from_db()
        if not ligne:
            return {}
        donnees = self.decode(ligne.session_data)
        if SESSION_KEY in donnees and CLE_GENERATION in donnees:
            # `add` : une écriture plus récente (ou sa pierre tombale) garde la place.
            self._cache.add(self.cache_key, donnees, self.get_expiry_age(expiry=ligne.expire_date))
        return donnees

    def relire_en_base(self):
        """Remplace les données lues dans le cache par celles de la base."""
        self._session_cache = self._lire_en_base()
        self._utilisateur_lu = self._session_cache.get(SESSION_KEY)
        self.modified = False

    def estampille_valable(self, utilisateur):
        """Vrai si ces données peuvent servir pour cet utilisateur (chargé de la base). Lues en
        base, elles font foi : l'estampille est mise à jour si la génération a changé."""
        if not utilisateur.is_authenticated:
            return True
        generation = utilisateur.generation_des_sessions
        if self.lue_dans_le_cache:
            return self.get(CLE_GENERATION) == generation
        if self.get(CLE_GENERATION) != generation:
            self[CLE_GENERATION] = generation
        return True

    def exists(self, session_key):
        # La base seule : une pierre tombale n'est pas une session.
        return SessionEnBase.exists(self, session_key)

    # --- Écriture ------------------------------------------------------------------------
    def _ecrire_dans_le_cache(self, cle, valeur):
        """Vrai si le cache a enregistré ; faux pendant une panne (set_many rend les clés
        qu'il n'a pas écrites)."""
        try:
            return not self._cache.set_many({cle: valeur}, self.get_expiry_age())
        except Exception:
            logger.exception("Session non écrite dans le cache (%s)", self._cache)
            return False

    def _comptes_de(self, cle_de_session, donnees=None):
        ids = {self._utilisateur_lu}
        if donnees:
            ids.add(donnees.get(SESSION_KEY))
        ligne = SessionEnBase(cle_de_session)._get_session_from_db() if cle_de_session else None
        if ligne:
            ids.add(self.decode(ligne.session_data).get(SESSION_KEY))
        return ids

    def save(self, must_create=False):
        if self.session_key is None:
            return self.create()  # qui revient ici avec une clé neuve et must_create
        # Une clé neuve n'a rien dans le cache (sinon la base refuse la création).
        pierre_posee = must_create or self._ecrire_dans_le_cache(self.cache_key, PIERRE_TOMBALE)
        if not pierre_posee:
            # Ce que le cache garde sous cette clé peut survivre à l'écriture : révoqué avant.
            revoquer_les_sessions_en_cache(self._comptes_de(self.session_key, self._session))
        SessionEnBase.save(self, must_create)
        donnees = self._session
        if SESSION_KEY in donnees and CLE_GENERATION in donnees:
            if not self._ecrire_dans_le_cache(self.cache_key, donnees) and pierre_posee:
                # Une lecture en base d'avant l'écriture peut avoir repris la place.
                revoquer_les_sessions_en_cache({donnees.get(SESSION_KEY), self._utilisateur_lu})

    def delete(self, session_key=None):
        cle = session_key or self.session_key
        if cle is None:
            return
        if not self._ecrire_dans_le_cache(self.cache_key_prefix + cle, PIERRE_TOMBALE):
            revoquer_les_sessions_en_cache(self._comptes_de(cle))
        SessionEnBase.delete(self, session_key)

    # --- Les mêmes, en asynchrone (Relais sert en synchrone ; gardés exacts par principe) --
    async def aload(self):
        return await sync_to_async(self.load)()

    async def aexists(self, session_key):
        return await sync_to_async(self.exists)(session_key)

    async def asave(self, must_create=False):
        return await sync_to_async(self.save)(must_create)

    async def adelete(self, session_key=None):
        return await sync_to_async(self.delete)(session_key)


@receiver(user_logged_in, dispatch_uid="comptes_estampille_de_session")
def estampiller_a_la_connexion(sender, request, user, **kwargs):
    """La session qui vient de se connecter porte la génération de son compte : dès la
    réponse, elle va dans le cache."""
    session = getattr(request, "session", None)
    if isinstance(session, SessionStore):
        session[CLE_GENERATION] = user.generation_des_sessions

"""L'horloge des tables : pour chaque table, une génération qui change à chaque transaction
validée qui y écrit.

Une page mise en cache (noyau.pages_en_cache) note les tables qu'elle a lues et leur génération
lue *avant* son calcul ; elle ne resservira que si aucune de ces générations n'a bougé.

Exactitude :
- chaque instruction SQL passe par `enveloppe` (posée sur toute connexion par les moteurs
  `noyau.bd.*`, voir DATABASES) : une écriture (INSERT, UPDATE, DELETE, MERGE, DDL, SQL brut
  compris : ce qui n'est pas une lecture) note les tables qu'elle nomme sur la connexion ;
- ces générations sont renouvelées *dans la même transaction*, juste avant sa validation
  (`MelangeHorloge._commit`) : une lecture voit à la fois les données et la génération, ou
  aucune des deux. Une écriture hors transaction est mise dans une transaction pour cela.
  Une transaction annulée ne change rien ; une annulation partielle (point de sauvegarde)
  change quand même : un calcul de plus, jamais une page périmée ;
- une génération est tirée au hasard (`nouvelle_generation`), pas comptée : après la
  restauration d'une sauvegarde, un compteur reprendrait des valeurs déjà vues pour d'autres
  données ;
- les lignes de l'horloge sont écrites dans l'ordre de leur nom, à la toute fin : deux
  transactions ne s'y attendent jamais l'une l'autre en cercle.

Les tables nommées par le SQL sont retrouvées parmi celles des modèles (mots du SQL qui sont des
noms de tables), ce qui couvre les alias, les sous-requêtes et le SQL écrit à la main.
`django_session` n'est pas suivie : les données de session entrent dans la clé d'une page.
Pendant `migrate` (avant que la table de l'horloge existe), rien n'est noté ; à la fin, toutes
les tables changent de génération.
"""

import re
import secrets
from contextvars import ContextVar

from django.apps import apps
from django.db import connection, transaction
from django.db.models.signals import post_migrate, pre_migrate

TABLE = "noyau_horloge"
_LIRE = "SELECT nom, generation FROM noyau_horloge"
# Une ligne après l'autre, dans l'ordre donné (trié) : l'ordre dans lequel elles sont verrouillées.
_ECRIRE = (
    "INSERT INTO noyau_horloge (nom, generation) VALUES (%s, %s) "
    "ON CONFLICT (nom) DO UPDATE SET generation = EXCLUDED.generation"
)
NON_SUIVIES = frozenset({TABLE, "django_session"})

_MOTS = re.compile(r"[a-z_][a-z0-9_]*")
_LECTURES = ("SELECT", "SAVEPOINT", "RELEASE SAVEPOINT")
_ECRITURES = ("INSERT", "UPDATE", "DELETE", "MERGE")

# La génération d'une table que la transaction en cours a écrite : égale à aucune autre.
EN_ATTENTE = -1

_tables_connues = None
_lectures = ContextVar("relais_tables_lues", default=None)
_ecritures = ContextVar("relais_tables_ecrites", default=None)
_suspendue = False


def tables_connues():
    global _tables_connues
    if _tables_connues is None:
        _tables_connues = (
            frozenset(
                modele._meta.db_table for modele in apps.get_models(include_auto_created=True)
            )
            - NON_SUIVIES
        )
    return _tables_connues


def tables_de(sql):
    """Les tables des modèles que nomme cette instruction."""
    return tables_connues().intersection(_MOTS.findall(sql.lower()))


def est_une_lecture(sql):
    """SELECT, une expression de table (WITH) qui n'écrit rien, un point de sauvegarde posé ou
    relâché ; dans le doute, une écriture (une écriture qui ne nomme aucune table, comme un
    ROLLBACK, ne change aucune génération)."""
    debut = sql.lstrip()[:20].upper()
    if debut.startswith(_LECTURES):
        return True
    return debut.startswith("WITH") and not any(mot in sql.upper() for mot in _ECRITURES)


def enveloppe(execute, sql, params, many, context):
    """L'enveloppe d'exécution de toute connexion : note les tables lues (dans une capture) et
    les tables écrites (pour la validation de la transaction)."""
    if est_une_lecture(sql):
        lues = _lectures.get()
        if lues is not None:
            lues.update(tables_de(sql))
        return execute(sql, params, many, context)
    if _suspendue:
        return execute(sql, params, many, context)
    tables = tables_de(sql)
    if not tables:
        return execute(sql, params, many, context)
    ecrites = _ecritures.get()
    if ecrites is not None:
        ecrites.update(tables)
    base = context["connection"]
    if base.in_atomic_block:
        base.horloge_en_attente.update(tables)
        return execute(sql, params, many, context)
    with transaction.atomic(using=base.alias):
        base.horloge_en_attente.update(tables)
        resultat = execute(sql, params, many, context)
        curseur = context["cursor"]
        if base.vendor == "sqlite" and curseur.description is not None:
            # INSERT … RETURNING : SQLite ne valide pas tant que ses lignes n'ont pas été lues.
            curseur.cursor = _LignesDejaLues(curseur.cursor, curseur.cursor.fetchall())
        return resultat


class _LignesDejaLues:
    """Un curseur de la base dont les lignes ont été lues d'avance, et qui les rend."""

    def __init__(self, curseur, lignes):
        self._curseur = curseur
        self._lignes = iter(lignes)

    def fetchone(self):
        return next(self._lignes, None)

    def fetchmany(self, taille=1):
        return [ligne for _i, ligne in zip(range(taille), self._lignes, strict=False)]

    def fetchall(self):
        return list(self._lignes)

    def __iter__(self):
        return self._lignes

    def __getattr__(self, nom):
        return getattr(self._curseur, nom)


class MelangeHorloge:
    """À mêler au DatabaseWrapper d'un moteur : pose l'enveloppe et renouvelle l'horloge des
    tables écrites juste avant chaque validation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.horloge_en_attente = set()
        self.execute_wrappers.append(enveloppe)

    def _commit(self):
        if self.horloge_en_attente:
            tables = sorted(self.horloge_en_attente)
            self.horloge_en_attente = set()
            if not _suspendue:
                with self.cursor() as curseur:
                    curseur.executemany(
                        _ECRIRE, [(table, nouvelle_generation()) for table in tables]
                    )
        return super()._commit()

    def _rollback(self):
        self.horloge_en_attente = set()
        return super()._rollback()


def nouvelle_generation():
    """Une génération tirée au hasard (63 bits), jamais 0 (la valeur d'une table jamais écrite).
    Un compteur reviendrait, après la restauration d'une sauvegarde, à des valeurs déjà vues
    pour d'autres données ; une valeur tirée au hasard ne revient pas, et une base restaurée
    retrouve des générations qui décrivaient exactement ses données."""
    return secrets.randbits(63) or 1


def lire_horloge():
    """{table: génération} de toutes les tables déjà écrites, en une requête (une table jamais
    écrite vaut 0). Dans une transaction qui a écrit, ses tables valent EN_ATTENTE : elle lit
    ses propres écritures, que rien de gardé ne décrit encore."""
    with connection.cursor() as curseur:
        curseur.execute(_LIRE)
        horloge = dict(curseur.fetchall())
    for table in connection.horloge_en_attente:
        horloge[table] = EN_ATTENTE
    return horloge


class capture:
    """Les tables lues et écrites par ce fil pendant le bloc (`lues`, `ecrites`)."""

    def __init__(self):
        self.lues, self.ecrites = set(), set()

    def __enter__(self):
        self._jetons = (_lectures.set(self.lues), _ecritures.set(self.ecrites))
        return self

    def __exit__(self, *exc):
        _lectures.reset(self._jetons[0])
        _ecritures.reset(self._jetons[1])


def _suspendre(**kwargs):
    global _suspendue
    _suspendue = True


def _reprendre(using="default", **kwargs):
    global _suspendue
    if not _suspendue:
        return
    _suspendue = False
    # La base vient d'être migrée : tout ce qu'on a pu garder en cache avant ne vaut plus.
    base = transaction.get_connection(using)
    if TABLE not in base.introspection.table_names():  # `migrate noyau zero`
        return
    with transaction.atomic(using=using):
        base.horloge_en_attente.update(tables_connues())


pre_migrate.connect(_suspendre, dispatch_uid="noyau_horloge_pre_migrate")
post_migrate.connect(_reprendre, dispatch_uid="noyau_horloge_post_migrate")

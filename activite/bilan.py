"""Le bilan de clôture, calculé à partir des lignes d'activité et d'émargement, jamais saisi.

Une poignée de requêtes groupées par structure, quelle que soit la taille de la cohorte ; les
chiffres de la cohorte s'obtiennent en additionnant les sommes et les comptes des structures
(jamais en moyennant des moyennes). Pourcentages et moyennes : arrondis au dixième, « au plus
proche, la moitié vers le haut ».

Les vues lisent le bilan par `bilan_a_jour`, qui le garde en cache sous une clé tirée de la
base : la cohorte et le jeton d'activité de chacune de ses structures (`activite.versions`).
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.core.cache import cache
from django.db import connection
from django.db.models import Case, Count, IntegerField, Max, Min, OuterRef, Subquery, Sum, When
from django.db.models.functions import ExtractYear, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accompagnement.models import Emargement
from activite import enums
from activite.enums import TYPES_PARCOURS, TYPES_SEANCE, Genre, StatutParticipation, TypeAction
from activite.models import Action, ListeAttente, Participation
from activite.selectors import structures_de_la_cohorte

CLES = [
    "structures",
    "referents_formes",
    "actions",
    "ateliers_permanences",
    "parcours",
    "parcours_heures_moyennes",
    "beneficiaires",
    "beneficiaires_en_parcours",
    "femmes_pct",
    "hommes_pct",
    "age_moyen",
    "parcours_complets_pct",
    "liste_attente",
]

# Tranches d'âge du graphique : (libellé, âge minimal inclus, âge maximal inclus).
TRANCHES_AGE = [
    (_("Moins de 30 ans"), None, 29),
    (_("30 à 44 ans"), 30, 44),
    (_("45 à 59 ans"), 45, 59),
    (_("60 à 74 ans"), 60, 74),
    (_("75 ans et plus"), 75, None),
]
DIXIEME = Decimal("0.1")


def arrondi(numerateur, denominateur, facteur=1):
    """numérateur × facteur ÷ dénominateur au dixième, la moitié vers le haut ; None sans
    dénominateur."""
    if not denominateur:
        return None
    valeur = Decimal(numerateur) * facteur / Decimal(denominateur)
    return float(valeur.quantize(DIXIEME, rounding=ROUND_HALF_UP))


@dataclass
class Sommes:
    """Ce qui s'additionne d'une structure à l'autre ; les pourcentages en découlent."""

    structures: int = 0
    referents_formes: int = 0
    ateliers_permanences: int = 0
    parcours_ordinateur: int = 0
    parcours_tablette: int = 0
    heures_ordinateur: Decimal = Decimal(0)
    heures_tablette: Decimal = Decimal(0)
    beneficiaires: int = 0
    beneficiaires_en_parcours: int = 0
    femmes: int = 0
    hommes: int = 0
    genres_renseignes: int = 0
    somme_ages: int = 0
    avec_age: int = 0
    parcours_complets: int = 0
    parcours_termines: int = 0  # complets ou abandonnés
    liste_attente: int = 0
    tranches_age: list = field(default_factory=lambda: [0] * len(TRANCHES_AGE))
    genres: dict = field(default_factory=lambda: dict.fromkeys(Genre.values, 0))
    statuts_parcours: dict = field(
        default_factory=lambda: {s: 0 for s in StatutParticipation.values if s != "present"}
    )

    def ajouter(self, autre):
        for nom in self.__dataclass_fields__:
            valeur = getattr(autre, nom)
            if isinstance(valeur, list):
                setattr(self, nom, [a + b for a, b in zip(getattr(self, nom), valeur, strict=True)])
            elif isinstance(valeur, dict):
                cumul = getattr(self, nom)
                for cle, nombre in valeur.items():
                    cumul[cle] += nombre
            else:
                setattr(self, nom, getattr(self, nom) + valeur)

    def chiffres(self):
        parcours = self.parcours_ordinateur + self.parcours_tablette
        return {
            "structures": self.structures,
            "referents_formes": self.referents_formes,
            "actions": self.ateliers_permanences + parcours,
            "ateliers_permanences": self.ateliers_permanences,
            "parcours": parcours,
            "parcours_heures_moyennes": {
                "ordinateur": arrondi(self.heures_ordinateur, self.parcours_ordinateur),
                "tablette": arrondi(self.heures_tablette, self.parcours_tablette),
            },
            "beneficiaires": self.beneficiaires,
            "beneficiaires_en_parcours": self.beneficiaires_en_parcours,
            "femmes_pct": arrondi(self.femmes, self.genres_renseignes, 100),
            "hommes_pct": arrondi(self.hommes, self.genres_renseignes, 100),
            "age_moyen": arrondi(self.somme_ages, self.avec_age),
            "parcours_complets_pct": arrondi(self.parcours_complets, self.parcours_termines, 100),
            "liste_attente": self.liste_attente,
        }


@dataclass
class Bilan:
    appel: object
    cohorte: dict
    par_structure: list  # dicts : structure, siret, pk, puis les CLES
    sommes: Sommes  # pour les graphiques
    sommes_par_structure: dict  # pk -> Sommes
    seances_par_mois: list  # [(date du 1er du mois, {type: nombre})]
    calcule_le: datetime | None = None

    def en_json(self):
        return {
            "appel": self.appel.slug,
            **self.cohorte,
            "par_structure": [
                {cle: ligne[cle] for cle in ["structure", "siret", *CLES]}
                for ligne in self.par_structure
            ],
        }


def _personnes_par_structure(ids_structures):
    """Une ligne par structure : les comptes sur les bénéficiaires ayant au moins une
    participation (genre, âge à la première participation, en parcours ou non).

    Une sous-requête donne une ligne par personne ; la requête englobante l'agrège par
    structure. Les deux niveaux restent dans la base.
    """
    if not ids_structures:
        # Pas encore de lauréates : rien à compter (et un `IN ()` vide n'a pas de SQL).
        return []
    par_personne = (
        Participation.objects.filter(beneficiaire__structure_id__in=ids_structures)
        .values(
            "beneficiaire_id",
            "beneficiaire__structure_id",
            "beneficiaire__genre",
            "beneficiaire__annee_naissance",
        )
        .annotate(
            premiere_annee=Min(ExtractYear("action__date_debut")),
            en_parcours=Max(
                Case(
                    When(action__type__in=TYPES_PARCOURS, then=1),
                    default=0,
                    output_field=IntegerField(),
                )
            ),
        )
        .order_by()
    )
    sql_personnes, parametres = par_personne.query.sql_with_params()
    colonnes = "beneficiaire_id, structure_id, genre, annee_naissance, premiere_annee, en_parcours"
    age = "(p.premiere_annee - p.annee_naissance)"
    tranches = []
    for _libelle, minimum, maximum in TRANCHES_AGE:
        conditions = ["p.annee_naissance IS NOT NULL"]
        if minimum is not None:
            conditions.append(f"{age} >= {int(minimum)}")
        if maximum is not None:
            conditions.append(f"{age} <= {int(maximum)}")
        tranches.append(f"SUM(CASE WHEN {' AND '.join(conditions)} THEN 1 ELSE 0 END)")
    genres = [f"SUM(CASE WHEN p.genre = '{g}' THEN 1 ELSE 0 END)" for g in Genre.values]
    # Une CTE nomme les colonnes de la sous-requête, sur SQLite comme sur PostgreSQL.
    sql = f"""
        WITH p ({colonnes}) AS ({sql_personnes})
        SELECT p.structure_id, COUNT(*), SUM(p.en_parcours),
               SUM(CASE WHEN p.annee_naissance IS NOT NULL THEN {age} ELSE 0 END),
               COUNT(p.annee_naissance),
               {", ".join(genres)},
               {", ".join(tranches)}
        FROM p
        GROUP BY p.structure_id
    """
    with connection.cursor() as curseur:
        curseur.execute(sql, parametres)
        return curseur.fetchall()


def calculer_bilan(appel):
    """Le bilan de la cohorte d'un appel (ses structures lauréates) et de chacune d'elles."""
    structures = list(structures_de_la_cohorte(appel).order_by("nom", "pk"))
    ids = [s.pk for s in structures]
    sommes = {pk: Sommes(structures=1) for pk in ids}

    for structure_id, nombre in (
        Emargement.objects.filter(present=True, referent__structure_id__in=ids)
        .values("referent__structure_id")
        .annotate(nombre=Count("referent_id", distinct=True))
        .values_list("referent__structure_id", "nombre")
    ):
        sommes[structure_id].referents_formes = nombre

    for structure_id, type_action, nombre, heures in (
        Action.objects.filter(structure_id__in=ids)
        .values("structure_id", "type")
        .annotate(nombre=Count("pk"), heures=Sum("duree_heures"))
        .values_list("structure_id", "type", "nombre", "heures")
        .order_by()
    ):
        s = sommes[structure_id]
        if type_action in TYPES_SEANCE:
            s.ateliers_permanences += nombre
        elif type_action == TypeAction.PARCOURS_ORDINATEUR:
            s.parcours_ordinateur += nombre
            s.heures_ordinateur += Decimal(heures or 0)
        else:
            s.parcours_tablette += nombre
            s.heures_tablette += Decimal(heures or 0)

    for ligne in _personnes_par_structure(ids):
        structure_id, personnes, en_parcours, somme_ages, avec_age = ligne[:5]
        par_genre = dict(zip(Genre.values, ligne[5 : 5 + len(Genre.values)], strict=True))
        s = sommes[structure_id]
        s.beneficiaires = personnes
        s.beneficiaires_en_parcours = int(en_parcours or 0)
        s.somme_ages = int(somme_ages or 0)
        s.avec_age = avec_age
        s.genres = {g: int(n or 0) for g, n in par_genre.items()}
        s.femmes = s.genres[Genre.FEMME]
        s.hommes = s.genres[Genre.HOMME]
        s.genres_renseignes = s.femmes + s.hommes + s.genres[Genre.AUTRE]
        s.tranches_age = [int(n or 0) for n in ligne[5 + len(Genre.values) :]]

    for structure_id, statut, nombre in (
        Participation.objects.filter(action__structure_id__in=ids, action__type__in=TYPES_PARCOURS)
        .values("action__structure_id", "statut")
        .annotate(nombre=Count("pk"))
        .values_list("action__structure_id", "statut", "nombre")
        .order_by()
    ):
        s = sommes[structure_id]
        if statut in s.statuts_parcours:
            s.statuts_parcours[statut] += nombre
        if statut == StatutParticipation.COMPLET:
            s.parcours_complets += nombre
        if statut in (StatutParticipation.COMPLET, StatutParticipation.ABANDON):
            s.parcours_termines += nombre

    derniere_liste = ListeAttente.objects.filter(structure_id=OuterRef("pk")).order_by(
        "-date", "-pk"
    )
    for structure in (
        structures_de_la_cohorte(appel)
        .annotate(attente=Subquery(derniere_liste.values("nombre")[:1]))
        .filter(attente__isnull=False)
        .values_list("pk", "attente")
    ):
        sommes[structure[0]].liste_attente = structure[1]

    seances = defaultdict(lambda: dict.fromkeys(TypeAction.values, 0))
    for mois, type_action, nombre in (
        Action.objects.filter(structure_id__in=ids)
        .annotate(mois=TruncMonth("date_debut"))
        .values("mois", "type")
        .annotate(nombre=Count("pk"))
        .values_list("mois", "type", "nombre")
        .order_by()
    ):
        seances[mois][type_action] = nombre

    total = Sommes()
    for s in sommes.values():
        total.ajouter(s)
    par_structure = [
        {"pk": st.pk, "structure": st.nom, "siret": st.siret, **sommes[st.pk].chiffres()}
        for st in structures
    ]
    return Bilan(
        appel=appel,
        cohorte=total.chiffres(),
        par_structure=par_structure,
        sommes=total,
        sommes_par_structure=sommes,
        seances_par_mois=sorted(seances.items()),
        calcule_le=timezone.now(),
    )


# --- Le bilan en cache -----------------------------------------------------------------------

# La clé change avec les données : la durée ne fait que libérer la place des anciens calculs.
DUREE_EN_CACHE = 24 * 60 * 60
# Le code du calcul entre dans la clé : après une mise en production qui le change, un bilan
# calculé (et sérialisé) par l'ancien code n'est plus jamais servi.
_VERSION_DU_CALCUL = hashlib.sha256(
    Path(__file__).read_bytes() + Path(enums.__file__).read_bytes()
).hexdigest()[:16]


def cle_du_bilan(appel):
    """La clé du bilan de l'appel en cache, en une requête : elle change avec la cohorte
    (une lauréate retenue ou retirée), le nom ou le SIRET d'une structure, et le jeton
    d'activité de chacune, renouvelé à toute écriture qui compte (`activite.versions`)."""
    empreinte = hashlib.sha256(
        repr(
            list(
                structures_de_la_cohorte(appel)
                .order_by("pk")
                .values_list("pk", "nom", "siret", "version_activite__jeton")
            )
        ).encode()
    ).hexdigest()
    return f"activite:bilan:{appel.pk}:{_VERSION_DU_CALCUL}:{empreinte}"


def bilan_a_jour(appel, *, cle=None):
    """Le bilan de l'appel, tiré du cache si rien n'a changé depuis son calcul. `cle` : celle
    que `cle_du_bilan` vient de lire dans la même requête, pour ne pas la relire.

    La clé est lue avant le calcul : une saisie enregistrée pendant le calcul donne au pire
    des chiffres plus récents que la clé sous laquelle ils sont rangés, jamais des chiffres
    plus anciens que la clé. On range le calcul sans l'appel (une instance de modèle)."""
    cle = cle or cle_du_bilan(appel)
    bilan = cache.get(cle)
    if bilan is None:
        bilan = calculer_bilan(appel)
        cache.set(cle, replace(bilan, appel=None), DUREE_EN_CACHE)
    return replace(bilan, appel=appel)

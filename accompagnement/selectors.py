"""Les lectures de l'accompagnement : ce que chacun voit, la frise de la cohorte, les prochaines
échéances, le contenu du flux de calendrier."""

from dataclasses import dataclass, field
from datetime import date

from dateutil.relativedelta import relativedelta
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q

from accompagnement.enums import ETATS_JALON_A_FAIRE, Avancement, EtatJalon
from accompagnement.models import (
    ComiteCloture,
    Jalon,
    PlanAccompagnement,
    SessionFormation,
)
from candidatures.rules import ids_programmes_geres, ids_structures
from comptes.enums import Role


def _est(utilisateur, role):
    return utilisateur.is_authenticated and utilisateur.groups.filter(name=role).exists()


def plans_visibles_par(utilisateur):
    """Les plans de ses programmes (gestionnaire), ceux qui lui sont confiés (coach), celui de
    sa structure : tout autre plan est introuvable (404) pour lui."""
    if not utilisateur.is_authenticated or not utilisateur.is_active:
        return PlanAccompagnement.objects.none()
    condition = Q(structure_id__in=ids_structures(utilisateur))
    if _est(utilisateur, Role.COACH):
        condition |= Q(coach=utilisateur)
    if _est(utilisateur, Role.GESTIONNAIRE):
        condition |= Q(programme_id__in=ids_programmes_geres(utilisateur))
    return PlanAccompagnement.objects.filter(condition)


def plans_suivis_par(utilisateur):
    """Les plans de la frise : ceux du coach, ou tous ceux des programmes du gestionnaire."""
    condition = Q(pk__in=[])
    if _est(utilisateur, Role.COACH):
        condition |= Q(coach=utilisateur)
    if _est(utilisateur, Role.GESTIONNAIRE):
        condition |= Q(programme_id__in=ids_programmes_geres(utilisateur))
    return PlanAccompagnement.objects.filter(condition)


def jalons_visibles_par(utilisateur):
    return Jalon.objects.filter(plan__in=plans_visibles_par(utilisateur))


def sessions_visibles_par(utilisateur):
    """Les sessions qu'il anime, celles ouvertes à ses plans, et celles de ses programmes."""
    if not utilisateur.is_authenticated:
        return SessionFormation.objects.none()
    return SessionFormation.objects.filter(
        Q(formateur=utilisateur)
        | Q(plans__in=plans_visibles_par(utilisateur))
        | Q(formation__programme_id__in=ids_programmes_geres(utilisateur))
    ).distinct()


# --- La frise ------------------------------------------------------------------------------


@dataclass
class Cellule:
    mois: date
    jalons: list = field(default_factory=list)


@dataclass
class LigneFrise:
    plan: PlanAccompagnement
    cellules: list
    jalons: list
    nombre_en_retard: int


@dataclass
class Frise:
    mois: list
    lignes: list
    prochaines: list
    aujourd_hui: date
    page: object = None


PLANS_PAR_PAGE = 10


def _premier_du_mois(jour):
    return jour.replace(day=1)


def frise(
    plans,
    *,
    aujourd_hui,
    avancement=None,
    numero_page=None,
    par_page=PLANS_PAR_PAGE,
    nombre_prochaines=10,
):
    """La frise d'une page de plans : une ligne par structure, une colonne par mois, de la
    première date de démarrage à la dernière échéance de la page ; chaque jalon est rangé au
    mois de son échéance. Les plans sont rangés par structure, `par_page` par page : dessiner
    tous les jalons de 50 plans deux fois (frise et tableau) pesait 1,8 Mo.

    `avancement` (une valeur d'`Avancement`) ne garde que les jalons dans cet état. Les
    prochaines échéances portent sur tous les plans, pas seulement ceux de la page. Quatre
    requêtes quel que soit le nombre de plans : le compte, la page de plans (structure, coach),
    leurs jalons, les prochaines échéances.
    """
    page = Paginator(
        plans.select_related("structure", "coach")
        .prefetch_related(
            Prefetch("jalons", queryset=Jalon.objects.order_by("echeance", "ordre", "pk"))
        )
        .order_by("structure__nom", "pk"),
        par_page,
    ).get_page(numero_page)
    plans_de_la_page = list(page.object_list)
    prochaines = list(
        Jalon.objects.filter(plan__in=plans, etat__in=ETATS_JALON_A_FAIRE)
        .select_related("plan__structure")
        .order_by("echeance", "plan__structure__nom", "ordre", "pk")[:nombre_prochaines]
    )
    tous = [jalon for plan in plans_de_la_page for jalon in plan.jalons.all()]
    for jalon in tous + prochaines:
        jalon.avancement_du_jour = jalon.avancement(aujourd_hui)
    if not plans_de_la_page:
        return Frise(mois=[], lignes=[], prochaines=prochaines, aujourd_hui=aujourd_hui, page=page)
    debut = _premier_du_mois(min(plan.date_debut for plan in plans_de_la_page))
    fin = _premier_du_mois(max([jalon.echeance for jalon in tous] or [debut]))
    mois = []
    courant = debut
    while courant <= fin:
        mois.append(courant)
        courant += relativedelta(months=1)
    index = {m: rang for rang, m in enumerate(mois)}
    lignes = []
    for plan in plans_de_la_page:
        cellules = [Cellule(mois=m) for m in mois]
        retenus = [
            jalon
            for jalon in plan.jalons.all()
            if avancement is None or jalon.avancement_du_jour == avancement
        ]
        for jalon in retenus:
            cellules[index[_premier_du_mois(jalon.echeance)]].jalons.append(jalon)
        lignes.append(
            LigneFrise(
                plan=plan,
                cellules=cellules,
                jalons=retenus,
                nombre_en_retard=sum(
                    1 for j in plan.jalons.all() if j.avancement_du_jour == Avancement.EN_RETARD
                ),
            )
        )
    return Frise(
        mois=mois, lignes=lignes, prochaines=prochaines, aujourd_hui=aujourd_hui, page=page
    )


# --- Le flux de calendrier -----------------------------------------------------------------


def contenu_du_flux(utilisateur):
    """(sessions, jalons, comités) du flux ICS de cette personne : les sessions qu'elle anime
    ou ouvertes à ses plans, les jalons à faire de ses plans, les comités de ses plans."""
    plans = plans_visibles_par(utilisateur)
    sessions = list(
        sessions_visibles_par(utilisateur)
        .select_related("formation", "formateur")
        .order_by("date", "pk")
    )
    jalons = list(
        Jalon.objects.filter(plan__in=plans)
        .exclude(etat=EtatJalon.ANNULE)
        .exclude(type="comite_cloture", comites__isnull=False)
        .select_related("plan__structure")
        .order_by("echeance", "pk")
    )
    comites = list(
        ComiteCloture.objects.filter(jalons__plan__in=plans).distinct().order_by("date", "pk")
    )
    return sessions, jalons, comites

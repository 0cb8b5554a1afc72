"""Les lectures de l'accompagnement : ce que chacun voit, la frise de la cohorte, les prochaines
échéances, le contenu du flux de calendrier."""

from dataclasses import dataclass, field
from datetime import date

from dateutil.relativedelta import relativedelta
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils.translation import ngettext_lazy

from accompagnement.enums import ETATS_JALON_A_FAIRE, Avancement, EtatJalon
from accompagnement.models import (
    ComiteCloture,
    Jalon,
    PlanAccompagnement,
    SessionFormation,
)
from noyau.perimetre import geres_par, ids_structures
from noyau.roles import Role, a_le_role


def _est(utilisateur, role):
    return utilisateur.is_authenticated and a_le_role(utilisateur, role)


def plans_visibles_par(utilisateur):
    """Les plans de ses programmes (gestionnaire), ceux qui lui sont confiés (coach), celui de
    sa structure : tout autre plan est introuvable (404) pour lui."""
    if not utilisateur.is_authenticated or not utilisateur.is_active:
        return PlanAccompagnement.objects.none()
    condition = Q(structure_id__in=ids_structures(utilisateur))
    if _est(utilisateur, Role.COACH):
        condition |= Q(coach=utilisateur)
    if _est(utilisateur, Role.GESTIONNAIRE):
        condition |= geres_par(PlanAccompagnement, utilisateur)
    return PlanAccompagnement.objects.filter(condition)


def plans_suivis_par(utilisateur):
    """Les plans de la frise : ceux du coach, ou tous ceux des programmes du gestionnaire."""
    condition = Q(pk__in=[])
    if _est(utilisateur, Role.COACH):
        condition |= Q(coach=utilisateur)
    if _est(utilisateur, Role.GESTIONNAIRE):
        condition |= geres_par(PlanAccompagnement, utilisateur)
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
        | geres_par(SessionFormation, utilisateur)
    ).distinct()


def structures_dont_il_voit_les_referents(session, utilisateur):
    """Les structures invitées à une session dont cette personne voit les référents inscrits,
    leurs présences et leurs attestations : toutes pour qui émarge (la formatrice ou le
    formateur, un gestionnaire du programme), sinon celles dont elle voit le plan (sa structure,
    celles qu'un coach accompagne). Une structure ne voit jamais l'équipe d'une autre, même
    invitée à la même session. Un queryset d'identifiants de structures."""
    plans = session.plans.all()
    if not utilisateur.has_perm("accompagnement.emarger", session):
        plans = plans.filter(pk__in=plans_visibles_par(utilisateur))
    return plans.values("structure_id")


# --- La frise ------------------------------------------------------------------------------


# Dans une case de la frise, les comptes vont du plus pressant au plus calme ; chacun porte
# un symbole en plus de sa couleur (RGAA 3.1) et se lit seul : « 3 en retard ».
ORDRE_DES_COMPTES = [
    Avancement.EN_RETARD,
    Avancement.EN_COURS,
    Avancement.PREVU,
    Avancement.FAIT,
    Avancement.ANNULE,
]
RANG_DES_COMPTES = {avancement: rang for rang, avancement in enumerate(ORDRE_DES_COMPTES)}
SYMBOLES = {
    Avancement.EN_RETARD: "!",
    Avancement.EN_COURS: "…",
    Avancement.PREVU: "○",
    Avancement.FAIT: "✓",
    Avancement.ANNULE: "×",
}
# Au singulier et au pluriel : « 1 faite », « 2 faites » (une étape).
MOTS_DES_COMPTES = {
    Avancement.EN_RETARD: ngettext_lazy("%(nombre)s en retard", "%(nombre)s en retard", "nombre"),
    Avancement.EN_COURS: ngettext_lazy("%(nombre)s en cours", "%(nombre)s en cours", "nombre"),
    Avancement.PREVU: ngettext_lazy("%(nombre)s prévue", "%(nombre)s prévues", "nombre"),
    Avancement.FAIT: ngettext_lazy("%(nombre)s faite", "%(nombre)s faites", "nombre"),
    Avancement.ANNULE: ngettext_lazy("%(nombre)s annulée", "%(nombre)s annulées", "nombre"),
}


@dataclass
class Compte:
    avancement: Avancement
    nombre: int

    @property
    def symbole(self):
        return SYMBOLES[self.avancement]

    @property
    def texte(self):
        return MOTS_DES_COMPTES[self.avancement] % {"nombre": self.nombre}


@dataclass
class Cellule:
    mois: date
    comptes: list = field(default_factory=list)
    est_mois_courant: bool = False


@dataclass(slots=True)
class EtapeDuTableau:
    """Ce que le tableau montre d'un jalon : des centaines de lignes par page, lues sans
    instancier de modèle."""

    pk: int
    type: str
    libelle: str
    echeance: date
    avancement_du_jour: Avancement


@dataclass
class LigneFrise:
    plan: PlanAccompagnement
    cellules: list
    jalons: list  # les `EtapeDuTableau` de ce plan, dans la période du tableau
    nombre_en_retard: int


@dataclass
class Frise:
    mois: list
    lignes: list
    prochaines: list
    aujourd_hui: date
    page: object = None
    mois_courant: date = None
    premier_mois_du_tableau: date = None
    dernier_mois_du_tableau: date = None

    @property
    def nombre_d_etapes_au_tableau(self):
        return sum(len(ligne.jalons) for ligne in self.lignes)


PLANS_PAR_PAGE = 10
# Le tableau sous la frise nomme les étapes du mois dernier (ce qui vient de passer en retard)
# aux deux mois qui viennent (ce qui arrive) ; les autres sont comptées dans la frise et
# listées sur la page de leur plan. Plus large, le tableau redevient l'essentiel de la page :
# sur 10 plans de 100 jalons, chaque mois de plus y ajoute une soixantaine de lignes.
MOIS_AVANT_LE_MOIS_COURANT = 1
MOIS_APRES_LE_MOIS_COURANT = 2


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
    première date de démarrage (ou échéance) à la dernière échéance de la page ; chaque case
    compte les étapes dont l'échéance tombe ce mois-là, par avancement. Le tableau qui la suit
    nomme les étapes du mois dernier aux deux mois qui viennent. Dessiner chaque jalon de 10
    plans de 100 jalons, dans la frise puis dans le tableau, pesait 350 Ko et coûtait 0,2 s de
    rendu de gabarit.

    `avancement` (une valeur d'`Avancement`) ne garde que les étapes dans cet état, dans les
    cases comme dans le tableau ; le nombre d'étapes en retard de chaque plan reste le total.
    Les prochaines échéances portent sur tous les plans, pas seulement ceux de la page. Cinq
    requêtes quel que soit le nombre de plans : le compte, la page de plans (structure,
    coach), les comptes par plan, mois et avancement, les étapes du tableau, les prochaines
    échéances.
    """
    page = Paginator(
        plans.select_related("structure", "coach").order_by("structure__nom", "pk"),
        par_page,
    ).get_page(numero_page)
    plans_de_la_page = list(page.object_list)
    prochaines = list(
        Jalon.objects.filter(plan__in=plans, etat__in=ETATS_JALON_A_FAIRE)
        .select_related("plan__structure")
        # Ce que la liste montre : ni la description, ni la note, ni le reste de la structure.
        .only("libelle", "echeance", "etat", "plan__structure__nom")
        .order_by("echeance", "plan__structure__nom", "ordre", "pk")[:nombre_prochaines]
    )
    for jalon in prochaines:
        jalon.avancement_du_jour = jalon.avancement(aujourd_hui)
    mois_courant = _premier_du_mois(aujourd_hui)
    premier_du_tableau = mois_courant - relativedelta(months=MOIS_AVANT_LE_MOIS_COURANT)
    dernier_du_tableau = mois_courant + relativedelta(months=MOIS_APRES_LE_MOIS_COURANT)
    resultat = Frise(
        mois=[],
        lignes=[],
        prochaines=prochaines,
        aujourd_hui=aujourd_hui,
        page=page,
        mois_courant=mois_courant,
        premier_mois_du_tableau=premier_du_tableau,
        dernier_mois_du_tableau=dernier_du_tableau,
    )
    if not plans_de_la_page:
        return resultat

    jalons_de_la_page = Jalon.objects.filter(plan__in=plans_de_la_page).avec_avancement(aujourd_hui)
    # L'étendue des mois et le nombre d'étapes en retard de chaque plan ne dépendent pas du
    # filtre ; les cases ne gardent que les comptes de l'avancement filtré.
    comptes = {}
    en_retard = {}
    mois_des_echeances = set()
    for plan_id, mois_echeance, avancement_du_jour, nombre in (
        jalons_de_la_page.annotate(mois_echeance=TruncMonth("echeance"))
        .order_by()
        .values_list("plan_id", "mois_echeance", "avancement_du_jour")
        .annotate(nombre=Count("pk"))
    ):
        mois_des_echeances.add(mois_echeance)
        if avancement_du_jour == Avancement.EN_RETARD:
            en_retard[plan_id] = en_retard.get(plan_id, 0) + nombre
        if avancement is None or avancement_du_jour == avancement:
            comptes.setdefault((plan_id, mois_echeance), []).append(
                Compte(avancement=Avancement(avancement_du_jour), nombre=nombre)
            )
    for comptes_de_la_case in comptes.values():
        comptes_de_la_case.sort(key=lambda compte: RANG_DES_COMPTES[compte.avancement])
    fenetre = jalons_de_la_page.filter(
        echeance__gte=premier_du_tableau,
        echeance__lt=dernier_du_tableau + relativedelta(months=1),
    )
    if avancement is not None:
        fenetre = fenetre.filter(avancement_du_jour=avancement)
    jalons_du_tableau = {}
    for plan_id, *ligne, avancement_du_jour in fenetre.order_by(
        "echeance", "ordre", "pk"
    ).values_list("plan_id", "pk", "type", "libelle", "echeance", "avancement_du_jour"):
        jalons_du_tableau.setdefault(plan_id, []).append(
            EtapeDuTableau(*ligne, avancement_du_jour=Avancement(avancement_du_jour))
        )

    # Une échéance avancée avant le démarrage de son plan ouvre la frise plus tôt.
    debut = min(
        [_premier_du_mois(plan.date_debut) for plan in plans_de_la_page] + list(mois_des_echeances)
    )
    fin = max([debut, *mois_des_echeances])
    courant = debut
    while courant <= fin:
        resultat.mois.append(courant)
        courant += relativedelta(months=1)
    for plan in plans_de_la_page:
        cellules = [
            Cellule(
                mois=mois,
                comptes=comptes.get((plan.pk, mois), []),
                est_mois_courant=mois == mois_courant,
            )
            for mois in resultat.mois
        ]
        resultat.lignes.append(
            LigneFrise(
                plan=plan,
                cellules=cellules,
                jalons=jalons_du_tableau.get(plan.pk, []),
                nombre_en_retard=en_retard.get(plan.pk, 0),
            )
        )
    return resultat


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

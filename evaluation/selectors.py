"""Les lectures du jury : candidatures à évaluer, conflits suggérés, avancement, classement.

Le classement lit les agrégats enregistrés de chaque candidature (moyenne, médiane, écart
type, nombre de notes validées : `AgregatsDuJury`, tenus à jour par `agregats_du_jury`) et y
calcule les rangs (fonction de fenêtre RANK sur tout l'appel) en une requête, quel que soit le
nombre de candidatures : une page du classement garde les rangs de l'appel entier.

Une note ne compte que validée, et jamais celle d'un membre qui a déclaré un conflit avec la
candidature, quel que soit l'ordre des événements : `note_comptee` porte cette règle, dans la
requête même, pour le classement, l'avancement, les notes montrées aux autres membres et
celles de la lettre de décision.
"""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Window,
)
from django.db.models.functions import Coalesce, Rank, Round
from django.utils.translation import gettext

from candidatures.enums import EtatCandidature
from candidatures.models import Candidature
from evaluation.enums import NIVEAU_DECISION, EtatEvaluation, SensDecision
from evaluation.models import (
    Affectation,
    ConflitInterets,
    Decision,
    Evaluation,
    Jury,
    MembreJury,
    Note,
)
from noyau.perimetre import ids_structures
from programmes.enums import EtatAppel

# Les candidatures que le jury examine : recevables, puis décidées par la délibération.
ETATS_EXAMINES = [
    EtatCandidature.RECEVABLE,
    EtatCandidature.RETENUE,
    EtatCandidature.LISTE_ATTENTE,
    EtatCandidature.NON_RETENUE,
]


def note_comptee(*, etat, membre, candidature):
    """Q : l'évaluation est validée et son auteur n'a pas déclaré de conflit avec la
    candidature. Les trois arguments sont les chemins, depuis le modèle interrogé, vers l'état
    de l'évaluation, le membre et la candidature."""
    conflit = ConflitInterets.objects.filter(
        membre=OuterRef(membre), candidature=OuterRef(candidature), en_conflit=True
    )
    return Q(**{etat: EtatEvaluation.VALIDEE}) & ~Exists(conflit)


# Depuis une candidature, à travers ses affectations.
NOTE_COMPTEE_DE_LA_CANDIDATURE = {
    "etat": "affectations__evaluation__etat",
    "membre": "affectations__membre",
    "candidature": "pk",
}


def candidatures_examinees(appel):
    return (
        Candidature.objects.filter(appel=appel, etat__in=ETATS_EXAMINES)
        .select_related("structure__commune")
        .order_by("structure__nom_recherche", "pk")
    )


def jury_de(appel):
    return Jury.objects.filter(appel=appel).select_related("appel__programme").first()


# --- Conflits --------------------------------------------------------------------------------


def raison_conflit_suggere(membre, candidature, *, structures_du_compte=frozenset()):
    """Pourquoi Relais pense que ce membre est en conflit avec cette candidature, ou ""."""
    structure = candidature.structure
    if membre.structure_id and membre.structure_id == structure.pk:
        return gettext("Vous êtes rattaché à %(nom)s.") % {"nom": structure.nom}
    if structure.pk in structures_du_compte:
        return gettext("Votre compte agit pour %(nom)s.") % {"nom": structure.nom}
    if membre.commune_id and membre.commune_id == structure.commune_id:
        return gettext("%(nom)s est dans votre commune (%(commune)s).") % {
            "nom": structure.nom,
            "commune": structure.commune.nom,
        }
    return ""


def est_conflit_suggere(membre, candidature):
    structures = ids_structures(membre.utilisateur) if membre.utilisateur_id else frozenset()
    return bool(raison_conflit_suggere(membre, candidature, structures_du_compte=structures))


def motif_recusation(membre, candidature, declaration, *, structures_du_compte=frozenset()):
    """Pourquoi ce membre ne prend pas part à la décision sur cette candidature, ou "" :
    un conflit déclaré, ou une attache connue (structure, compte, commune) qu'il n'a pas
    écartée en déclarant n'avoir aucun conflit."""
    if declaration is not None:
        if declaration.en_conflit:
            return f"conflit d'intérêts déclaré ({declaration.get_type_display().lower()})"
        return ""
    structure = candidature.structure
    if membre.structure_id and membre.structure_id == structure.pk:
        return "travaille dans la structure"
    if structure.pk in structures_du_compte:
        return "son compte agit pour la structure"
    if membre.commune_id and membre.commune_id == structure.commune_id:
        return f"élu ou en poste dans la commune ({structure.commune.nom})"
    return ""


def recusations_des_presents(appel, presents):
    """[(membre, candidature, motif)] : chaque membre présent en conflit avec une candidature
    examinée, dans l'ordre des candidatures puis des adresses."""
    candidatures = list(candidatures_examinees(appel))
    declarations = {
        (d.membre_id, d.candidature_id): d
        for d in ConflitInterets.objects.filter(
            membre__in=[m.pk for m in presents], candidature__appel=appel
        )
    }
    structures = {
        membre.pk: ids_structures(membre.utilisateur) if membre.utilisateur_id else frozenset()
        for membre in presents
    }
    recusations = []
    for candidature in candidatures:
        for membre in sorted(presents, key=lambda m: m.email):
            motif = motif_recusation(
                membre,
                candidature,
                declarations.get((membre.pk, candidature.pk)),
                structures_du_compte=structures[membre.pk],
            )
            if motif:
                recusations.append((membre, candidature, motif))
    return recusations


# --- Espace du membre ------------------------------------------------------------------------


@dataclass
class LigneMembre:
    affectation: Affectation
    candidature: Candidature
    declaration: ConflitInterets | None
    evaluation: Evaluation | None
    conflit_suggere: str

    @property
    def etat_libelle(self):
        etat_appel = self.candidature.appel.etat
        if etat_appel in ETATS_APPEL_AVANT_EVALUATION:
            return gettext("Évaluation pas encore lancée")
        if self.declaration is None:
            if etat_appel != EtatAppel.EN_EVALUATION:
                return gettext("Notation close")
            return gettext("Conflit d'intérêts à déclarer")
        if self.declaration.en_conflit:
            return gettext("Récusé (conflit déclaré)")
        if self.evaluation is None:
            return gettext("À noter")
        return self.evaluation.get_etat_display()


def siege_au_jury_de(utilisateur, *, candidature_id):
    """Ce compte siège-t-il au jury de l'appel de cette candidature (qu'elle lui soit confiée
    ou non) ?"""
    return MembreJury.objects.filter(
        utilisateur=utilisateur, jury__appel__candidatures__pk=candidature_id
    ).exists()


ETATS_APPEL_AVANT_EVALUATION = (EtatAppel.BROUILLON, EtatAppel.OUVERT, EtatAppel.CLOS)

# L'ordre des appels dans l'espace du membre : celui qu'il note d'abord, puis ceux à venir,
# puis ceux déjà passés.
RANG_APPEL_POUR_LE_MEMBRE = {
    EtatAppel.EN_EVALUATION: 0,
    EtatAppel.CLOS: 1,
    EtatAppel.OUVERT: 2,
    EtatAppel.BROUILLON: 3,
    EtatAppel.EN_DELIBERATION: 4,
    EtatAppel.DECIDE: 5,
    EtatAppel.ARCHIVE: 6,
}


def _cle_de_l_appel(appel):
    date = appel.date_limite or appel.cree_le
    return (RANG_APPEL_POUR_LE_MEMBRE.get(appel.etat, 9), -date.timestamp(), appel.pk)


def affectations_du_membre(utilisateur):
    """Les candidatures confiées à ce compte, groupées par appel : l'appel en évaluation
    d'abord, puis ceux à venir, puis ceux passés (les plus récents d'abord à étape égale) ;
    dans un appel, les conflits suggérés d'abord, puis par nom.

    Trois requêtes, quel que soit le nombre de candidatures.
    """
    affectations = list(
        Affectation.objects.filter(membre__utilisateur=utilisateur)
        .select_related(
            "membre__jury__appel", "candidature__structure__commune", "candidature__appel"
        )
        .select_related("evaluation")
        .order_by("candidature__structure__nom_recherche", "pk")
    )
    declarations = {
        (d.membre_id, d.candidature_id): d
        for d in ConflitInterets.objects.filter(membre__utilisateur=utilisateur)
    }
    structures = ids_structures(utilisateur)
    lignes = []
    for affectation in affectations:
        try:
            evaluation = affectation.evaluation
        except Evaluation.DoesNotExist:
            evaluation = None
        lignes.append(
            LigneMembre(
                affectation=affectation,
                candidature=affectation.candidature,
                declaration=declarations.get((affectation.membre_id, affectation.candidature_id)),
                evaluation=evaluation,
                conflit_suggere=raison_conflit_suggere(
                    affectation.membre, affectation.candidature, structures_du_compte=structures
                ),
            )
        )
    lignes.sort(
        key=lambda ligne: (_cle_de_l_appel(ligne.candidature.appel), not ligne.conflit_suggere)
    )
    return lignes


def candidature_suivante(utilisateur, candidature):
    """La prochaine candidature que ce membre a encore à noter (sans conflit déclaré, notes
    non validées, appel en évaluation), dans l'ordre de son espace, après celle-ci ; None
    s'il n'en reste pas."""
    lignes = affectations_du_membre(utilisateur)
    rang = next((i for i, ligne in enumerate(lignes) if ligne.candidature.pk == candidature.pk), -1)
    for ligne in lignes[rang + 1 :] + lignes[: rang + 1]:
        if (
            ligne.candidature.pk != candidature.pk
            and ligne.candidature.appel.etat == EtatAppel.EN_EVALUATION
            and not (ligne.declaration is not None and ligne.declaration.en_conflit)
            and (ligne.evaluation is None or ligne.evaluation.etat != EtatEvaluation.VALIDEE)
        ):
            return ligne.candidature
    return None


def evaluations_validees(candidature):
    """Les évaluations qui comptent pour une candidature (validées, auteur sans conflit),
    avec leurs notes et leur auteur."""
    return (
        Evaluation.objects.filter(
            note_comptee(
                etat="etat", membre="affectation__membre", candidature="affectation__candidature"
            ),
            affectation__candidature=candidature,
        )
        .select_related("affectation__membre__utilisateur")
        .prefetch_related(Prefetch("notes", queryset=_notes_ordonnees()))
        .order_by("affectation__membre__email")
    )


def _notes_ordonnees():
    return Note.objects.select_related("critere").order_by("critere__ordre", "critere_id")


# --- Avancement ------------------------------------------------------------------------------


def avancement_par_membre(jury):
    validees = note_comptee(
        etat="affectations__evaluation__etat",
        membre="pk",
        candidature="affectations__candidature",
    )
    conflits = ConflitInterets.objects.filter(membre=OuterRef("pk"), en_conflit=True)
    return (
        MembreJury.objects.filter(jury=jury)
        .select_related("utilisateur", "structure", "commune")
        .annotate(
            nombre_affectations=Count("affectations", distinct=True),
            nombre_validees=Count("affectations__evaluation", filter=validees, distinct=True),
            nombre_brouillons=Count(
                "affectations__evaluation",
                filter=Q(affectations__evaluation__etat=EtatEvaluation.BROUILLON),
                distinct=True,
            ),
            nombre_conflits=Coalesce(
                Subquery(
                    conflits.values("membre").annotate(n=Count("pk")).values("n")[:1],
                    output_field=IntegerField(),
                ),
                0,
            ),
        )
        .order_by("email")
    )


def sous_requete_recusations():
    return Coalesce(
        Subquery(
            ConflitInterets.objects.filter(candidature=OuterRef("pk"), en_conflit=True)
            .values("candidature")
            .annotate(n=Count("pk"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def avancement_par_candidature(appel):
    return candidatures_examinees(appel).annotate(
        nombre_affectations=Count("affectations", distinct=True),
        nombre_validees=Count(
            "affectations__evaluation",
            filter=note_comptee(**NOTE_COMPTEE_DE_LA_CANDIDATURE),
            distinct=True,
        ),
        nombre_recusations=sous_requete_recusations(),
    )


# --- Classement ------------------------------------------------------------------------------


@dataclass
class LigneClassement:
    candidature: Candidature
    moyenne: float | None
    mediane: float | None
    ecart_type: float | None
    nombre_notes: int
    nombre_recusations: int
    desaccord: bool
    rang: int | None = None
    ex_aequo: bool = False
    recuses: list = field(default_factory=list)


def _arrondi(valeur):
    return None if valeur is None else round(valeur, 2)


LIGNES_DU_CLASSEMENT_PAR_PAGE = 50


def _classement_sql(appel, *, deliberation=None):
    """Les candidatures examinées annotées de leurs agrégats, de leur rang et du nombre de
    candidatures à égalité, de la meilleure moyenne à la moins bonne.

    Seules les notes qui comptent (`note_comptee`) entrent dans les agrégats : celle d'un
    membre récusé n'y est jamais, même si elle a été validée avant sa déclaration. Les
    agrégats sont ceux enregistrés par candidature (`AgregatsDuJury`), recalculés avec cette
    règle à chaque écriture qui les change (`evaluation.agregats_du_jury`) : la page ne lit
    plus toutes les notes de l'appel ; une candidature sans ligne n'a ni note ni récusation.

    L'égalité se lit sur la moyenne au centième : `centiemes` = ROUND(moyenne × 100), qui
    marche sur la moyenne en double précision de PostgreSQL comme sur SQLite. Le rang est
    « olympique » (1, 2, 2, 4) : RANK() sur tout l'appel, avant toute pagination.
    """
    ordre_des_moyennes = F("centiemes").desc(nulls_last=True)
    candidatures = candidatures_examinees(appel)
    if deliberation is not None:
        # Le procès-verbal garde chaque candidature décidée en séance, même retirée depuis.
        candidatures = Candidature.objects.filter(
            Q(etat__in=ETATS_EXAMINES) | Q(decision_jury__deliberation=deliberation), appel=appel
        ).select_related("structure__commune")
    return (
        candidatures.annotate(
            moyenne=F("agregats_jury__moyenne"),
            mediane=F("agregats_jury__mediane"),
            ecart_type=F("agregats_jury__ecart_type"),
            nombre_notes=Coalesce(F("agregats_jury__nombre_notes"), 0),
            nombre_recusations=Coalesce(F("agregats_jury__nombre_recusations"), 0),
        )
        .annotate(centiemes=Round(F("moyenne") * 100))
        .annotate(
            rang=Window(Rank(), order_by=ordre_des_moyennes),
            nombre_a_egalite=Window(Count("pk"), partition_by=[F("centiemes")]),
        )
        .order_by(ordre_des_moyennes, "structure__nom_recherche", "pk")
    )


def _ligne_classement(candidature, seuil):
    classee = candidature.centiemes is not None
    return LigneClassement(
        candidature=candidature,
        moyenne=candidature.centiemes / 100 if classee else None,
        mediane=_arrondi(candidature.mediane),
        ecart_type=_arrondi(candidature.ecart_type),
        nombre_notes=candidature.nombre_notes,
        nombre_recusations=candidature.nombre_recusations,
        desaccord=(
            seuil is not None
            and candidature.ecart_type is not None
            and round(candidature.ecart_type, 2) > seuil
        ),
        rang=candidature.rang if classee else None,
        ex_aequo=classee and candidature.nombre_a_egalite > 1,
    )


def _seuil(jury):
    return float(jury.seuil_desaccord) if jury else None


def classement(appel, *, jury=None, deliberation=None):
    """Les candidatures examinées, de la meilleure moyenne à la moins bonne.

    Moyenne, médiane et écart type (de population) des totaux sur 20 des notes qui comptent
    (validées, d'un membre sans conflit), leur nombre, celui des récusations, rang : tout
    vient d'une requête SQL agrégée. Avec `deliberation`, les candidatures qu'elle a décidées
    et qui ont été retirées depuis restent à leur place (le procès-verbal de la séance).
    Deux moyennes égales au centième sont ex aequo (même rang). Les candidatures sans note qui
    compte viennent en dernier, sans rang.
    """
    seuil = _seuil(jury or jury_de(appel))
    lignes = _classement_sql(appel, deliberation=deliberation)
    return [_ligne_classement(candidature, seuil) for candidature in lignes]


def page_du_classement(
    appel, *, jury=None, numero_page=None, par_page=LIGNES_DU_CLASSEMENT_PAR_PAGE
):
    """Une page du classement (`classement` pour le détail) : les rangs et les ex aequo sont
    ceux de l'appel entier, calculés en SQL ; deux requêtes (le compte, la page). La page ne
    lit des candidatures que ce qu'elle montre (le nom de la structure) : les fonctions de
    fenêtre trient alors des lignes étroites, pas les réponses de chaque candidature."""
    seuil = _seuil(jury or jury_de(appel))
    lignes = (
        _classement_sql(appel)
        .select_related(None)
        .select_related("structure")
        .only("id", "appel_id", "structure__nom")
    )
    page = Paginator(lignes, par_page).get_page(numero_page)
    page.object_list = [_ligne_classement(candidature, seuil) for candidature in page.object_list]
    return page


def ecarts_au_classement(lignes, sens_par_candidature):
    """Les candidatures dont la décision s'écarte de l'ordre du classement : une candidature
    mieux classée reçoit une décision moins bonne, ou l'inverse. Leur motif est obligatoire.

    `sens_par_candidature` : {id de candidature: SensDecision}.
    """
    classees = [
        (
            ligne.moyenne,
            ligne.candidature.pk,
            NIVEAU_DECISION[sens_par_candidature[ligne.candidature.pk]],
        )
        for ligne in lignes
        if ligne.candidature.pk in sens_par_candidature
    ]
    ecarts = set()
    for moyenne_a, id_a, niveau_a in classees:
        for moyenne_b, id_b, niveau_b in classees:
            mieux_classee = (moyenne_a or -1) > (moyenne_b or -1)
            if mieux_classee and niveau_a > niveau_b:
                ecarts.update({id_a, id_b})
    return ecarts


# --- Places et liste d'attente, après la publication -----------------------------------------


def places_occupees(appel):
    """Le nombre de candidatures retenues de l'appel : un lauréat retiré libère sa place."""
    return Candidature.objects.filter(appel_id=appel.pk, etat=EtatCandidature.RETENUE).count()


def liste_attente(appel):
    """Les décisions « liste d'attente » encore en attente, dans l'ordre des rangs fixés à la
    publication d'après le classement (l'identifiant ne départage que des rangs égaux)."""
    return (
        Decision.objects.filter(
            deliberation__appel_id=appel.pk,
            sens=SensDecision.LISTE_ATTENTE,
            promue_le__isnull=True,
            candidature__etat=EtatCandidature.LISTE_ATTENTE,
        )
        .select_related("candidature__structure")
        .order_by("rang_liste_attente", "pk")
    )

"""Les lectures partagées par plusieurs vues : ce que chacun a le droit de voir, les listes du
back office, les réponses mises en forme, la chronologie d'une candidature."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Q
from django.utils.translation import gettext

from annotations.selectors import filtre_etiquette
from candidatures.completude import numeroter
from candidatures.enums import EtatCandidature
from candidatures.models import Candidature, PieceJointe
from candidatures.reponses import valeur_affichee
from journal.selectors import historique
from messagerie.models import Message
from noyau.perimetre import geres_par, ids_structures
from programmes.enums import EtatAppel, TypeQuestion
from programmes.models import Appel, Programme
from structures.models import Structure
from territoires.departements import nom_du_departement
from territoires.eligibilite import CommuneInconnue, ReglesEligibilite, evaluer_eligibilite
from territoires.enums import TypePopulation, TypeStructure
from territoires.models import Commune, Epci
from territoires.normalisation import forme_de_recherche

# --- Visibilité ----------------------------------------------------------------------------


def programmes_geres_par(utilisateur):
    return Programme.objects.filter(geres_par(Programme, utilisateur))


def appels_geres_par(utilisateur):
    return Appel.objects.filter(geres_par(Appel, utilisateur))


def structures_de(utilisateur):
    return Structure.objects.filter(pk__in=ids_structures(utilisateur)).select_related("commune")


def candidatures_visibles_par(utilisateur):
    """Celles de ses structures, et celles des appels de ses programmes : toute autre
    candidature est introuvable (404) pour lui."""
    return Candidature.objects.filter(
        Q(structure_id__in=ids_structures(utilisateur)) | geres_par(Candidature, utilisateur)
    )


def appels_publics():
    """Les appels ouverts, le plus proche de sa date limite d'abord."""
    return (
        Appel.objects.filter(etat=EtatAppel.OUVERT)
        .select_related("programme")
        .order_by("date_limite", "pk")
    )


def appels_du_back_office(utilisateur):
    return (
        appels_geres_par(utilisateur)
        .select_related("programme")
        .annotate(
            nombre_candidatures=Count(
                "candidatures", filter=~Q(candidatures__etat=EtatCandidature.BROUILLON)
            ),
            nombre_brouillons=Count(
                "candidatures", filter=Q(candidatures__etat=EtatCandidature.BROUILLON)
            ),
        )
        .order_by("programme__nom", "-cree_le")
    )


# --- Liste du back office ------------------------------------------------------------------

# Les brouillons, sans date de dépôt, viennent en dernier dans les deux sens.
TRIS = {
    "structure": ("structure__nom_recherche", "pk"),
    "-structure": ("-structure__nom_recherche", "-pk"),
    "commune": ("structure__commune__nom", "structure__nom_recherche", "pk"),
    "-commune": ("-structure__commune__nom", "structure__nom_recherche", "pk"),
    "depot": (F("deposee_le").asc(nulls_last=True), "pk"),
    "-depot": (F("deposee_le").desc(nulls_last=True), "-pk"),
    "etat": ("etat", "structure__nom_recherche", "pk"),
}
TRI_PAR_DEFAUT = "-depot"


def candidatures_de_l_appel(
    appel,
    *,
    etat="",
    eligibilite="",
    commune="",
    type_structure="",
    recherche="",
    etiquette=None,
    tri=TRI_PAR_DEFAUT,
):
    """Les candidatures d'un appel filtrées et triées, avec structure et commune en une seule
    requête (le nombre de requêtes de la liste ne dépend pas du nombre de lignes). `etiquette`
    (une étiquette ou son identifiant) ne garde que celles qui la portent."""
    candidatures = Candidature.objects.filter(appel=appel).select_related(
        "structure__commune", "appel"
    )
    if etat:
        candidatures = candidatures.filter(etat=etat)
    if eligibilite:
        candidatures = candidatures.filter(resultat_eligibilite=eligibilite)
    if commune:
        candidatures = candidatures.filter(structure__commune__code_insee=commune)
    if type_structure:
        candidatures = candidatures.filter(structure__type=type_structure)
    if etiquette:
        candidatures = candidatures.filter(filtre_etiquette(Candidature, etiquette))
    for mot in forme_de_recherche(recherche).split():
        candidatures = candidatures.filter(
            Q(structure__nom_recherche__contains=mot)
            | Q(structure__commune__nom_recherche__contains=mot)
            | Q(structure__commune__code_insee=mot)
        )
    return candidatures.order_by(*TRIS.get(tri, TRIS[TRI_PAR_DEFAUT]))


def communes_des_candidatures(appel, *, au_plus=None):
    """Les communes des structures candidates à cet appel, pour le filtre (code, libellé), par
    nom. Avec `au_plus` : au plus ce nombre de communes, assez pour savoir s'il y en a plus
    qu'une liste déroulante n'en montre ; la requête s'arrête alors aux `au_plus` premières
    communes distinctes trouvées, au lieu de lire et trier toutes celles d'un appel national.
    Sous cette limite, la liste est entière et exacte."""
    communes = Commune.objects.filter(
        pk__in=Candidature.objects.filter(appel=appel)
        .order_by()
        .values("structure__commune_id")
        .distinct()[:au_plus]
    )
    return list(communes.order_by("nom", "code_insee").values_list("code_insee", "nom"))


# --- Une candidature -----------------------------------------------------------------------


@dataclass(frozen=True)
class ReponseLisible:
    numero: int
    question: object  # la Question, ou la QuestionFigee d'une version
    texte: str
    piece: object  # la PieceJointe (ou FichierVersion) d'une question « fichier », sinon None


def reponses_lisibles(candidature, version=None):
    """Les réponses lisibles d'une candidature : telles qu'elles sont, ou telles qu'elles
    étaient au dépôt `version` (questions, réponses et fichiers de la version)."""
    if version is None:
        questions = candidature.appel.questions.all()
        reponses = candidature.reponses
        fichiers = candidature.pieces_jointes.all()
    else:
        questions = version.questions_figees()
        reponses = version.reponses
        fichiers = version.fichiers.all()
    pieces = {fichier.question_id: fichier for fichier in fichiers if fichier.question_id}
    lignes = []
    for numero, question in numeroter(questions, reponses):
        piece = pieces.get(question.pk) if question.type == TypeQuestion.FICHIER else None
        texte = (
            piece.nom_original
            if piece
            else valeur_affichee(question, reponses.get(str(question.pk)))
        )
        lignes.append(ReponseLisible(numero, question, texte, piece))
    return lignes


@dataclass(frozen=True)
class PieceLisible:
    piece_demandee: object  # la PieceDemandee, ou la PieceDemandeeFigee d'une version
    piece: object  # la PieceJointe (ou FichierVersion) déposée, ou None


def pieces_lisibles(candidature, version=None):
    """Chaque pièce demandée et son fichier (ou None) : maintenant, ou au dépôt `version`."""
    if version is None:
        demandees = candidature.appel.pieces_demandees.all()
        fichiers = candidature.pieces_jointes.all()
    else:
        demandees = version.pieces_demandees_figees()
        fichiers = version.fichiers.all()
    deposees = {
        fichier.piece_demandee_id: fichier for fichier in fichiers if fichier.piece_demandee_id
    }
    return [
        PieceLisible(piece_demandee, deposees.get(piece_demandee.pk))
        for piece_demandee in demandees
    ]


def piece_jointe_visible(utilisateur, *, candidature_id, piece_id):
    return (
        PieceJointe.objects.filter(
            candidature__in=candidatures_visibles_par(utilisateur), candidature_id=candidature_id
        )
        .filter(pk=piece_id)
        .first()
    )


TRANSITIONS_DE_LA_STRUCTURE = {"deposer", "redeposer", "retirer"}


def chronologie(candidature, *, pour_la_structure):
    """Le journal de la candidature, du plus ancien au plus récent. La structure n'en voit que
    les changements d'état, et l'équipe du programme sans noms de personnes ; les notes
    internes de l'instruction restent au back office."""
    lignes = historique(candidature)
    # Les membres ne servent qu'à la vue de la structure : l'équipe du programme n'en a pas
    # besoin (une requête de moins au back office).
    membres = set()
    if pour_la_structure:
        membres = set(candidature.structure.membres.values_list("pk", flat=True))
        lignes = [ligne for ligne in lignes if ligne.vers]
    versions = _versions_des_depots(candidature, lignes)
    resultat = []
    for ligne in lignes:
        if ligne.acteur is None:
            # Sans compte connu (données reprises d'un appel passé), un dépôt vient de la
            # structure ; le reste, des tâches de Relais.
            par = (
                gettext("La structure")
                if ligne.libelle in TRANSITIONS_DE_LA_STRUCTURE
                else "Relais"
            )
        elif pour_la_structure and ligne.acteur.pk not in membres:
            par = gettext("L'équipe du programme")
        else:
            par = ligne.acteur.get_full_name() or ligne.acteur.email
        resultat.append(
            {
                "quand": ligne.quand,
                "par": par,
                "libelle": (
                    EtatCandidature(ligne.vers).label
                    if ligne.vers in EtatCandidature.values
                    else ligne.libelle
                ),
                "etat": ligne.vers,
                "motif": ligne.motif,
                "version": versions.get(id(ligne)),
            }
        )
    return resultat


def _versions_des_depots(candidature, lignes):
    """{id de la ligne du journal: numéro de la version déposée} pour les lignes de dépôt,
    appariées depuis la fin : les dépôts d'avant les versions n'en ont pas, sauf le dernier
    d'entre eux, que la version reconstituée n° 1 représente."""
    depots = [ligne for ligne in lignes if ligne.libelle in ("deposer", "redeposer")]
    if "versions" in getattr(candidature, "_prefetched_objects_cache", {}):
        numeros = [version.numero for version in candidature.versions.all()]
    else:
        numeros = list(candidature.versions.values_list("numero", flat=True))
    return {
        id(ligne): numero
        for ligne, numero in zip(reversed(depots), reversed(numeros), strict=False)
    }


def messages_de_la_candidature(candidature, utilisateur):
    """Les courriels reçus par cet utilisateur au sujet de la candidature, du plus récent."""
    return Message.objects.filter(
        objet_type=ContentType.objects.get_for_model(Candidature),
        objet_id=candidature.pk,
        utilisateur=utilisateur,
    ).order_by("-cree_le", "-pk")


# --- Éligibilité, pour les pages d'un appel ------------------------------------------------


def conditions_d_eligibilite(appel):
    """Les règles de l'appel en phrases, pour la page publique « Qui peut candidater ? »."""
    conditions = []
    if appel.types_structure:
        types = [str(TypeStructure(valeur).label) for valeur in appel.types_structure]
        conditions.append(
            gettext("Structures acceptées : %(types)s.") % {"types": ", ".join(types)}
        )
    else:
        conditions.append(gettext("Tous les types de structure sont acceptés."))
    territoires = []
    if appel.perimetre_epci:
        noms = dict(Epci.objects.filter(siren__in=appel.perimetre_epci).values_list("siren", "nom"))
        territoires += [noms.get(siren) or f"EPCI {siren}" for siren in appel.perimetre_epci]
    if appel.perimetre_departements:
        territoires += [
            gettext("département %(nom)s") % {"nom": nom_du_departement(code)}
            for code in appel.perimetre_departements
        ]
    if territoires:
        conditions.append(
            gettext("Structure située dans : %(territoires)s.")
            % {"territoires": ", ".join(territoires)}
        )
    population = (
        gettext("population municipale")
        if appel.type_population == TypePopulation.MUNICIPALE
        else gettext("population totale")
    )
    seuil = f"{appel.seuil_population:,}".replace(",", "\u202f")
    conditions.append(
        gettext("Commune de moins de %(seuil)s habitants (%(population)s, INSEE).")
        % {"seuil": seuil, "population": population}
    )
    liste = appel.version_qpv or gettext("la plus récente")
    conditions.append(
        gettext(
            "Aucun quartier prioritaire de la politique de la ville (QPV) sur le territoire de "
            "la commune (liste %(liste)s)."
        )
        % {"liste": liste}
    )
    return conditions


def eligibilite_de_la_structure(appel, structure):
    """La réponse de la règle de l'appel pour cette structure aujourd'hui, ou None si la
    commune manque aux données de référence."""
    try:
        return evaluer_eligibilite(
            structure.commune.code_insee,
            ReglesEligibilite.depuis_appel(appel),
            type_structure=structure.type,
        )
    except CommuneInconnue:
        return None


def nombre_de_brouillons(appel):
    """Les candidatures de l'appel encore en brouillon : celles qu'une clôture arrête."""
    return appel.candidatures.filter(etat=EtatCandidature.BROUILLON).count()

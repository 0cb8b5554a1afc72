"""Le catalogue de ce que Relais envoie : chaque courriel y est déclaré une seule fois.

Une entrée (`Courriel`) dit son code (le seul vocabulaire des types de courriel : notifications,
relances et courriels de compte), son déclencheur, ses destinataires, ses gabarits, sa catégorie
et s'il est essentiel (une personne ne peut pas le refuser). Deux déclencheurs :

- `Evenement` : un service l'envoie au moment où l'événement a lieu (une candidature déposée),
  par `messagerie.services.preparer_courriel` ou, pour django-allauth, par l'adaptateur des
  comptes ;
- `Echeance` : une date et des décalages en jours (-7 = sept jours avant) ; le seul moteur des
  courriels datés, le balayage de `relances`, les envoie à leur jour, exactement une fois.

Chaque application déclare les siens dans ses modules `notifications.py` (événements) et
`relances.py` (échéances), chargés au démarrage (`MessagerieConfig.ready`). Ce module, en bas
des couches, ne connaît aucune application : elles s'y inscrivent. De même, les préférences
des personnes (tenues par `relances`) s'y branchent par `consulter_les_preferences`.

Le code d'un courriel est aussi le type du message dans la boîte d'envoi, sauf pour les
courriels datés déclarés avant ce catalogue : leur code est celui de leurs relances et de leurs
réglages (« brouillon_date_limite »), leur message s'appelle « relance_<code> » ; le rappel de
convocation au référent donne un type par jour de rappel (`types_de_message`).
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from django.utils.translation import gettext

# Un rappel manqué (balayage en panne) d'après la date part encore ce nombre de jours après son
# jour, sauf mention contraire de son échéance (voir relances.registre).
RATTRAPAGE_JOURS = 3


class Categorie(StrEnum):
    COMPTE = "compte"
    INVITATION = "invitation"
    CANDIDATURE = "candidature"
    JURY = "jury"
    ACCOMPAGNEMENT = "accompagnement"
    ACTIVITE = "activite"
    RELANCES = "relances"


@dataclass(frozen=True)
class Adresse:
    """Un destinataire sans compte (un référent convoqué) : il reçoit à son adresse, dans la
    langue par défaut, sans préférences ni résumé du jour."""

    email: str


@dataclass(frozen=True)
class Evenement:
    """Un courriel envoyé par un service au moment de l'événement qu'il nomme."""

    nom: str


@dataclass(frozen=True)
class Echeance:
    """Un courriel daté, balayé par le moteur de `relances`.

    `objets(maintenant, fenetre)` : les objets qui peuvent être dus (la fenêtre ne garde que
    les dates de référence dues d'après tous les décalages en vigueur) ; `date_reference(objet)`
    la date dont partent les `decalages` ; `repetition_jours` relance ensuite tous les N jours ;
    `debut(objet)` le jour de naissance de l'objet (une relance d'avant n'est pas due) ;
    `portees(objet)` les objets qui portent un réglage, du plus précis au plus général, et
    `portees_modeles` les modèles (« app.modele ») où un gestionnaire le règle.

    Pour des destinataires à leur adresse (`Adresse`), `cle_message(objet, decalage)` est la clé
    qui rend chaque envoi unique dans la boîte d'envoi, et `pieces_jointes(objet)` les pièces.
    """

    objets: Callable
    date_reference: Callable[[object], date | None]
    decalages: tuple[int, ...]
    repetition_jours: int | None = None
    rattrapage_jours: int = RATTRAPAGE_JOURS
    debut: Callable[[object], date | None] = field(default=lambda objet: None)
    portees: Callable[[object], list] = field(default=lambda objet: [])
    portees_modeles: tuple[str, ...] = ()
    cle_message: Callable[[object, int], str] | None = None
    pieces_jointes: Callable[[object], list] = field(default=lambda objet: [])


@dataclass(frozen=True)
class Champ:
    """Un champ qu'un programme peut placer dans sa version d'un courriel ou d'un document
    (`{{ nom }}`) : sa description pour le gestionnaire et `valeur(contexte)`, la valeur tirée du
    contexte de rendu (celui que reçoivent aussi les gabarits par défaut), mise en forme par le
    code : un texte ou un nombre, jamais un objet."""

    nom: str
    description: str
    valeur: Callable[[Mapping], object]


def valeurs_des_champs(champs, contexte):
    """{nom: valeur} des champs pour ce contexte ; une valeur absente devient un texte vide."""
    valeurs = {}
    for champ in champs:
        valeur = champ.valeur(contexte)
        valeurs[champ.nom] = "" if valeur is None else valeur
    return valeurs


@dataclass(frozen=True)
class TexteDuProgramme:
    """Ce qu'il faut pour qu'un programme écrive sa version d'un courriel : les champs offerts,
    le texte de départ (sujet et corps, avec ces champs) et `exemple(id_programme)`, le contexte
    d'un objet réel du programme pour l'aperçu (None s'il n'en a pas encore). `pied` : un gabarit
    ajouté sous le corps du programme (le pied des relances, par exemple). `destinataires` : à
    qui il part, dit au gestionnaire (deux courriels peuvent avoir le même libellé)."""

    champs: tuple[Champ, ...]
    sujet: str
    corps: str
    exemple: Callable[[int], Mapping | None] = field(default=lambda id_programme: None)
    pied: str = ""
    destinataires: str = ""


def _de_l_echeance(nom):
    return property(lambda courriel: getattr(courriel.echeance, nom))


@dataclass(frozen=True)
class Courriel:
    code: str
    libelle: str
    declencheur: Evenement | Echeance
    categorie: Categorie
    # Qui le reçoit : pour une échéance, `destinataires(objet)` rend des comptes ou des
    # `Adresse` ; pour un événement, la phrase qui le dit (le service choisit les personnes).
    destinataires: Callable[[object], Iterable] | str
    # Les gabarits `templates/emails/<gabarit>/` (sujet.txt, corps.txt, corps.html) ; ceux
    # d'allauth pour les courriels de compte.
    gabarit: str
    essentiel: bool = False
    raison_essentielle: str = ""
    # Reçu par des comptes, qui peuvent le refuser s'il n'est pas essentiel ; False : par des
    # adresses sans compte (une invitation, un référent), sans préférences.
    aux_comptes: bool = True
    contexte: Callable[[object], dict] = field(default=lambda objet: {})
    # {type de message: libellé} quand un courriel en produit plusieurs (un par décalage) ;
    # `type_par_decalage` dit lequel.
    types_de_message: dict = field(default_factory=dict)
    type_par_decalage: Callable[[int], str] | None = None
    # Un programme peut écrire sa propre version de ce courriel (messagerie.modeles).
    texte_du_programme: TexteDuProgramme | None = None

    @property
    def echeance(self):
        return self.declencheur if isinstance(self.declencheur, Echeance) else None

    objets = _de_l_echeance("objets")
    date_reference = _de_l_echeance("date_reference")
    decalages = _de_l_echeance("decalages")
    repetition_jours = _de_l_echeance("repetition_jours")
    rattrapage_jours = _de_l_echeance("rattrapage_jours")
    debut = _de_l_echeance("debut")
    portees = _de_l_echeance("portees")
    portees_modeles = _de_l_echeance("portees_modeles")

    def type_du_message(self, decalage=None):
        """Le type du message dans la boîte d'envoi."""
        if self.type_par_decalage is not None:
            return self.type_par_decalage(decalage)
        if self.echeance is not None:
            return f"relance_{self.code}"
        return self.code

    def libelles_des_messages(self):
        """{type de message: libellé affiché par la boîte d'envoi}."""
        if self.types_de_message:
            return dict(self.types_de_message)
        if self.echeance is not None:
            libelle = gettext("Relance : %(libelle)s") % {"libelle": self.libelle}
        elif self.categorie == Categorie.COMPTE:
            libelle = gettext("Compte : %(libelle)s") % {"libelle": self.libelle}
        else:
            libelle = self.libelle
        return {self.type_du_message(): libelle}


_CATALOGUE: dict[str, Courriel] = {}


def declarer(courriel):
    """Inscrit un courriel au catalogue (une fois par code) et le renvoie."""
    if courriel.code in _CATALOGUE and _CATALOGUE[courriel.code] != courriel:
        raise ValueError(f"Courriel déjà déclaré : {courriel.code}")
    _CATALOGUE[courriel.code] = courriel
    return courriel


def courriel(code):
    """L'entrée du catalogue de ce code ; KeyError s'il n'y en a pas."""
    return _CATALOGUE[code]


def courriel_du_type(type_message):
    """L'entrée du catalogue qui produit ce type de message, ou None."""
    for entree in _CATALOGUE.values():
        if type_message in entree.libelles_des_messages():
            return entree
    return None


def courriels_des_programmes():
    """Les courriels qu'un programme peut réécrire, triés par libellé."""
    entrees = [e for e in _CATALOGUE.values() if e.texte_du_programme is not None]
    return sorted(entrees, key=lambda entree: (str(entree.libelle), entree.code))


def courriels(*, dates=None):
    """Les entrées du catalogue ; `dates=True` : celles qu'un balayage envoie à leur date,
    `dates=False` : celles qu'un événement déclenche."""
    entrees = list(_CATALOGUE.values())
    if dates is not None:
        entrees = [c for c in entrees if (c.echeance is not None) == dates]
    return entrees


def choix_des_types():
    """Les (type de message, libellé) de tout le catalogue, triés par libellé."""
    choix = {}
    for entree in _CATALOGUE.values():
        choix.update(entree.libelles_des_messages())
    return sorted(choix.items(), key=lambda item: str(item[1]))


# Les préférences des personnes : des fonctions (utilisateur, code) -> True si la personne a
# refusé ce courriel, inscrites par l'application qui les tient (relances).
_REFUS_DES_PERSONNES: list[Callable] = []


def consulter_les_preferences(fonction):
    if fonction not in _REFUS_DES_PERSONNES:
        _REFUS_DES_PERSONNES.append(fonction)
    return fonction


def refuse_par(utilisateur, entree):
    """Cette personne a refusé ce courriel (jamais pour un courriel essentiel)."""
    if entree.essentiel or utilisateur is None:
        return False
    return any(refus(utilisateur, entree.code) for refus in _REFUS_DES_PERSONNES)


# Les pièces jointes que le worker calcule juste avant l'envoi (un PDF, par exemple) : une
# application déclare sa fonction `fonction(objet) -> (nom, contenu, type MIME)` ; le message
# garde son nom (« module.fonction »), le worker la retrouve ici, sans import dynamique.
_PIECES_A_PRODUIRE = {}


def nom_de_la_piece(fonction):
    return f"{fonction.__module__}.{fonction.__qualname__}"


def piece_a_produire(fonction):
    """Décorateur : déclare une pièce jointe produite par le worker."""
    _PIECES_A_PRODUIRE[nom_de_la_piece(fonction)] = fonction
    return fonction


def producteur_de_piece(nom):
    """La fonction déclarée sous ce nom ; LookupError si aucune ne l'est."""
    try:
        return _PIECES_A_PRODUIRE[nom]
    except KeyError:
        raise LookupError(f"Pièce jointe à produire non déclarée : {nom}") from None


# Le lien qui désabonne une personne d'un courriel non essentiel : une fonction
# (utilisateur, code) -> chemin, inscrite par l'application qui tient les préférences
# (relances) ; les envois groupés le mettent au pied de chaque message.
_LIENS_DE_DESABONNEMENT: list[Callable] = []


def fournir_le_desabonnement(fonction):
    if fonction not in _LIENS_DE_DESABONNEMENT:
        _LIENS_DE_DESABONNEMENT.append(fonction)
    return fonction


def lien_de_desabonnement(utilisateur, entree):
    """Le chemin qui désabonne cette personne de ce courriel ; "" pour un courriel essentiel,
    une adresse sans compte ou sans application qui tienne les préférences."""
    if entree.essentiel or utilisateur is None or not _LIENS_DE_DESABONNEMENT:
        return ""
    return _LIENS_DE_DESABONNEMENT[0](utilisateur, entree.code)

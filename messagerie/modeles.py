"""Les modèles de courriels et de documents d'un programme : la version qu'un gestionnaire
écrit d'un courriel du catalogue ou d'une lettre, avec les seuls champs offerts.

Pourquoi ici : la boîte d'envoi (`services.rendre_message`) doit lire la version du programme
au moment de rendre un courriel, et elle est tout en bas des couches ; les applications du
dessus (évaluation, accompagnement) déclarent leurs champs et leurs documents dans les
registres de ce module et de `messagerie.documents`, comme elles déclarent leurs courriels.
Le programme est désigné par une clé étrangère en chaîne, comme pour `Message.programme`.

Tout texte d'un programme est vérifié (`noyau.gabarits_surs.verifier`) avant d'être
enregistré, et rendu seulement par `noyau.gabarits_surs.rendre` avec des valeurs calculées par
le code. Un texte enregistré qui ne se rend plus (un champ retiré depuis) n'empêche jamais un
envoi : le texte par défaut part à sa place, et le journal des erreurs le dit.
"""

import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext

from journal.enums import TypeEvenement
from journal.services import journaliser
from messagerie.catalogue import courriel, courriels_des_programmes, valeurs_des_champs
from messagerie.documents import document, documents
from messagerie.models import ModeleCourriel, ModeleDocument
from noyau.erreurs import DonneesRefusees
from noyau.gabarits_surs import rendre, verifier
from noyau.transitions import exiger

logger = logging.getLogger(__name__)

COURRIEL = "courriel"
DOCUMENT = "document"

PERMISSION = "messagerie.gerer_modeles"


class TexteRefuse(DonneesRefusees):
    """Un texte de programme refusé ; `champ` : le champ du formulaire qui le porte."""

    def __init__(self, message, *, champ):
        super().__init__(message)
        self.champ = champ


@dataclass(frozen=True)
class Modele:
    """Un courriel ou un document que le programme peut réécrire, vu par la page des modèles :
    ses champs, son texte de départ (`textes_par_defaut` : {champ du formulaire: texte}) et
    la version du programme s'il en a une."""

    genre: str
    code: str
    libelle: str
    champs: tuple
    textes_par_defaut: dict
    exemple: object
    version: object = None
    destinataires: str = ""

    @property
    def textes(self):
        """Les textes à éditer : ceux du programme, sinon ceux de départ."""
        if self.version is None:
            return dict(self.textes_par_defaut)
        return {nom: getattr(self.version, nom) for nom in self.textes_par_defaut}


def _modele_du_courriel(entree, version=None):
    texte = entree.texte_du_programme
    return Modele(
        genre=COURRIEL,
        code=entree.code,
        libelle=entree.libelle,
        champs=texte.champs,
        textes_par_defaut={"sujet": str(texte.sujet), "corps": str(texte.corps)},
        exemple=texte.exemple,
        version=version,
        destinataires=texte.destinataires,
    )


def _modele_du_document(doc, version=None):
    return Modele(
        genre=DOCUMENT,
        code=doc.code,
        libelle=doc.libelle,
        champs=doc.champs,
        textes_par_defaut={"texte": str(doc.texte)},
        exemple=doc.exemple,
        version=version,
    )


def _table(genre):
    return ModeleCourriel if genre == COURRIEL else ModeleDocument


def modeles_du_programme(programme):
    """Tous les modèles que ce programme peut réécrire, courriels puis documents, chacun avec
    sa version s'il en a une."""
    courriels = {m.code: m for m in ModeleCourriel.objects.filter(programme=programme)}
    docs = {m.code: m for m in ModeleDocument.objects.filter(programme=programme)}
    return [
        _modele_du_courriel(entree, courriels.get(entree.code))
        for entree in courriels_des_programmes()
    ] + [_modele_du_document(doc, docs.get(doc.code)) for doc in documents()]


def modele_du_programme(programme, genre, code):
    """Le modèle `code` de ce genre pour ce programme ; LookupError s'il n'existe pas."""
    if genre == COURRIEL:
        entree = courriel(code)
        if entree.texte_du_programme is None:
            raise LookupError(code)
        version = ModeleCourriel.objects.filter(programme=programme, code=code).first()
        return _modele_du_courriel(entree, version)
    if genre == DOCUMENT:
        version = ModeleDocument.objects.filter(programme=programme, code=code).first()
        return _modele_du_document(document(code), version)
    raise LookupError(genre)


def verifier_les_textes(modele, textes):
    """Refuse (`TexteRefuse`, avec le champ du formulaire) un texte vide ou qui ne se rend pas
    avec les champs offerts."""
    noms = [champ.nom for champ in modele.champs]
    for nom in modele.textes_par_defaut:
        texte = textes.get(nom, "")
        if not texte.strip():
            raise TexteRefuse(gettext("Ce texte ne peut pas être vide."), champ=nom)
        try:
            verifier(texte, noms)
        except DonneesRefusees as refus:
            raise TexteRefuse(refus.message, champ=nom) from refus


def apercu(modele, textes, id_programme):
    """{champ du formulaire: texte rendu} avec l'exemple d'un objet réel du programme, ou None
    si le programme n'en a pas encore. Refuse comme `verifier_les_textes`."""
    verifier_les_textes(modele, textes)
    contexte = modele.exemple(id_programme)
    if contexte is None:
        return None
    valeurs = valeurs_des_champs(modele.champs, contexte)
    rendus = {}
    for nom in modele.textes_par_defaut:
        try:
            rendus[nom] = rendre(textes[nom], valeurs)
        except DonneesRefusees as refus:
            raise TexteRefuse(refus.message, champ=nom) from refus
    return rendus


def enregistrer(programme, modele, textes, *, par):
    """Enregistre la version du programme, après vérification ; journalisé sur le programme.
    Rien n'est écrit si un texte est refusé."""
    exiger(par, PERMISSION, programme)
    verifier_les_textes(modele, textes)
    valeurs = {nom: textes[nom] for nom in modele.textes_par_defaut}
    if "sujet" in valeurs:
        valeurs["sujet"] = " ".join(valeurs["sujet"].split())
    with transaction.atomic():
        version, _cree = _table(modele.genre).objects.update_or_create(
            programme=programme, code=modele.code, defaults={**valeurs, "modifie_par": par}
        )
        journaliser(
            TypeEvenement.MODELE_TEXTE_MODIFIE,
            cible=programme,
            acteur=par,
            donnees={"genre": modele.genre, "code": modele.code, **valeurs},
        )
    return version


def retablir(programme, modele, *, par):
    """Supprime la version du programme : le texte par défaut s'applique de nouveau."""
    exiger(par, PERMISSION, programme)
    with transaction.atomic():
        supprimes, _detail = (
            _table(modele.genre).objects.filter(programme=programme, code=modele.code).delete()
        )
        if supprimes:
            journaliser(
                TypeEvenement.MODELE_TEXTE_RETABLI,
                cible=programme,
                acteur=par,
                donnees={"genre": modele.genre, "code": modele.code},
            )
    return bool(supprimes)


def _rendre_ou_rien(textes, champs, contexte, *, genre, code, id_programme):
    try:
        valeurs = valeurs_des_champs(champs, contexte)
        return {nom: rendre(texte, valeurs) for nom, texte in textes.items()}
    except DonneesRefusees as refus:
        logger.error(
            "Le modèle %s « %s » du programme %s ne se rend plus (%s) : texte par défaut.",
            genre,
            code,
            id_programme,
            refus.message,
        )
        return None


def courriel_du_programme(entree, *, id_programme, contexte):
    """(sujet, corps) de la version du programme pour ce courriel du catalogue, rendue avec ce
    contexte ; None s'il n'en a pas, ou si elle ne se rend plus (le texte par défaut part)."""
    if entree is None or entree.texte_du_programme is None or id_programme is None:
        return None
    version = ModeleCourriel.objects.filter(programme_id=id_programme, code=entree.code).first()
    if version is None:
        return None
    rendus = _rendre_ou_rien(
        {"sujet": version.sujet, "corps": version.corps},
        entree.texte_du_programme.champs,
        contexte,
        genre=COURRIEL,
        code=entree.code,
        id_programme=id_programme,
    )
    if rendus is None:
        return None
    return " ".join(rendus["sujet"].split()), rendus["corps"]


def texte_du_document(code, *, id_programme, contexte):
    """Le texte du programme pour ce document, rendu avec ce contexte ; None s'il n'en a pas ou
    s'il ne se rend plus (le document garde alors son texte par défaut)."""
    if id_programme is None:
        return None
    version = ModeleDocument.objects.filter(programme_id=id_programme, code=code).first()
    if version is None:
        return None
    rendus = _rendre_ou_rien(
        {"texte": version.texte},
        document(code).champs,
        contexte,
        genre=DOCUMENT,
        code=code,
        id_programme=id_programme,
    )
    return None if rendus is None else rendus["texte"]

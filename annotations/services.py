"""Les écritures des notes privées et des étiquettes. Chaque service vérifie la permission sur
l'objet (règles de `annotations.rules`, celles que la cible a déclarées au registre) et lève
`ActionNonPermise` sinon ; les saisies refusées lèvent `DonneesRefusees`."""

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from annotations.models import Etiquetage, Etiquette, NotePrivee
from journal.enums import TypeEvenement
from journal.services import journaliser
from noyau.erreurs import ActionImpossible, ActionNonPermise, DonneesRefusees
from noyau.perimetre import id_programme_de
from noyau.transitions import exiger

REFUS_NOTE = gettext_lazy("Seule l'équipe qui suit ce dossier écrit ses notes privées.")
REFUS_AUTEUR = gettext_lazy("Seul l'auteur d'une note la modifie ou l'efface.")
REFUS_ETIQUETTES = gettext_lazy("Les étiquettes d'un programme se gèrent par ses gestionnaires.")
REFUS_ETIQUETER = gettext_lazy("Vous ne pouvez pas étiqueter ce dossier.")
LONGUEUR_NOM = 60
LONGUEUR_NOTE = 5000


# --- Notes ---------------------------------------------------------------------------------


def _texte_de_note(texte):
    texte = (texte or "").strip()
    if not texte:
        raise DonneesRefusees(_("Écrivez la note avant de l'enregistrer."))
    if len(texte) > LONGUEUR_NOTE:
        raise DonneesRefusees(
            _("Une note tient en %(n)s caractères au plus.") % {"n": LONGUEUR_NOTE}
        )
    return texte


def ecrire_note(cible, *, par, texte):
    """Ajoute une note datée, de `par`, sur la cible. Rien d'autre ne change, rien ne part."""
    texte = _texte_de_note(texte)
    exiger(par, "annotations.ecrire_note", cible, REFUS_NOTE)
    return NotePrivee.objects.create(
        programme_id=id_programme_de(cible),
        cible_type=ContentType.objects.get_for_model(cible),
        cible_id=cible.pk,
        auteur=par,
        texte=texte,
    )


def modifier_note(note, *, par, texte):
    """Remplace le texte de la note (par son auteur) et date la modification."""
    texte = _texte_de_note(texte)
    with transaction.atomic():
        note = NotePrivee.objects.select_for_update().get(pk=note.pk)
        exiger(par, "annotations.modifier_note", note, REFUS_AUTEUR)
        note.texte = texte
        note.modifiee_le = timezone.now()
        note.save(update_fields=["texte", "modifiee_le"])
    return note


def supprimer_note(note, *, par):
    """Efface la note (par son auteur) ; le journal du programme garde qu'elle a existé, sans
    son texte."""
    with transaction.atomic():
        note = NotePrivee.objects.select_for_update().filter(pk=note.pk).first()
        if note is None:
            raise ActionImpossible(_("Cette note est déjà effacée."))
        exiger(par, "annotations.modifier_note", note, REFUS_AUTEUR)
        journaliser(
            TypeEvenement.NOTE_PRIVEE_SUPPRIMEE,
            cible=note.programme,
            acteur=par,
            donnees={
                "note": note.pk,
                "cible": f"{note.cible_type.app_label}.{note.cible_type.model}",
                "cible_id": note.cible_id,
                "creee_le": note.creee_le.isoformat(),
            },
        )
        note.delete()


# --- Étiquettes ----------------------------------------------------------------------------


def _nom_d_etiquette(programme_id, nom, *, sauf=None):
    """Le nom sans espaces superflus ; refusé s'il est vide, trop long, ou déjà pris dans le
    programme sans égard à la casse (« dossier solide » = « Dossier Solide »). La contrainte de
    la base dit la même chose ; ce contrôle donne la phrase, et couvre les lettres accentuées
    que `lower()` de SQLite ne connaît pas."""
    nom = " ".join((nom or "").split())
    if not nom:
        raise DonneesRefusees(_("Donnez un nom à l'étiquette."))
    if len(nom) > LONGUEUR_NOM:
        raise DonneesRefusees(
            _("Le nom d'une étiquette tient en %(n)s caractères au plus.") % {"n": LONGUEUR_NOM}
        )
    autres = Etiquette.objects.filter(programme_id=programme_id)
    if sauf is not None:
        autres = autres.exclude(pk=sauf.pk)
    if any(
        existant.casefold() == nom.casefold() for existant in autres.values_list("nom", flat=True)
    ):
        raise DonneesRefusees(
            _("L'étiquette « %(nom)s » existe déjà dans ce programme.") % {"nom": nom}
        )
    return nom


def _enregistrer(etiquette, nom):
    try:
        with transaction.atomic():
            etiquette.save()
    except IntegrityError as doublon:
        raise DonneesRefusees(
            _("L'étiquette « %(nom)s » existe déjà dans ce programme.") % {"nom": nom}
        ) from doublon


def creer_etiquette(programme, *, par, nom):
    """Crée une étiquette du programme ; journalisé sur l'étiquette."""
    exiger(par, "annotations.gerer_etiquettes", programme, REFUS_ETIQUETTES)
    nom = _nom_d_etiquette(programme.pk, nom)
    with transaction.atomic():
        etiquette = Etiquette(programme=programme, nom=nom)
        _enregistrer(etiquette, nom)
        journaliser(
            TypeEvenement.ETIQUETTE_CREEE, cible=etiquette, acteur=par, donnees={"nom": nom}
        )
    return etiquette


def renommer_etiquette(etiquette, *, par, nom):
    """Change le nom de l'étiquette (les dossiers qui la portent la gardent) ; journalisé avec
    l'ancien et le nouveau nom."""
    exiger(par, "annotations.gerer_etiquettes", etiquette, REFUS_ETIQUETTES)
    nom = _nom_d_etiquette(etiquette.programme_id, nom, sauf=etiquette)
    with transaction.atomic():
        etiquette = Etiquette.objects.select_for_update().get(pk=etiquette.pk)
        avant = etiquette.nom
        if avant == nom:
            return etiquette
        etiquette.nom = nom
        _enregistrer(etiquette, nom)
        journaliser(
            TypeEvenement.ETIQUETTE_RENOMMEE,
            cible=etiquette,
            acteur=par,
            donnees={"avant": avant, "apres": nom},
        )
    return etiquette


def supprimer_etiquette(etiquette, *, par):
    """Supprime l'étiquette et la retire de tous les dossiers qui la portaient ; journalisé sur
    le programme, avec son nom et le nombre de dossiers. Renvoie ce nombre."""
    exiger(par, "annotations.gerer_etiquettes", etiquette, REFUS_ETIQUETTES)
    with transaction.atomic():
        etiquette = Etiquette.objects.select_for_update().filter(pk=etiquette.pk).first()
        if etiquette is None:
            raise ActionImpossible(_("Cette étiquette est déjà supprimée."))
        nombre = etiquette.etiquetages.count()
        journaliser(
            TypeEvenement.ETIQUETTE_SUPPRIMEE,
            cible=etiquette.programme,
            acteur=par,
            donnees={"etiquette": etiquette.pk, "nom": etiquette.nom, "dossiers": nombre},
        )
        etiquette.delete()
    return nombre


def _verifier_les_cibles(etiquette, cibles, par):
    if not cibles:
        raise DonneesRefusees(_("Cochez au moins un dossier."))
    for cible in cibles:
        exiger(par, "annotations.etiqueter", cible, REFUS_ETIQUETER)
        if id_programme_de(cible) != etiquette.programme_id:
            raise ActionNonPermise(str(REFUS_ETIQUETER))


def ajouter_etiquette(etiquette, cibles, *, par):
    """Pose l'étiquette sur chaque cible (d'un même modèle) qui ne la porte pas encore. Tout ou
    rien : une cible que `par` ne peut pas étiqueter refuse l'ensemble. Journalisé une fois,
    sur l'étiquette, avec le nombre de dossiers. Renvoie ce nombre."""
    cibles = list(cibles)
    _verifier_les_cibles(etiquette, cibles, par)
    cible_type = ContentType.objects.get_for_model(cibles[0])
    with transaction.atomic():
        deja = set(
            etiquette.etiquetages.filter(
                cible_type=cible_type, cible_id__in=[c.pk for c in cibles]
            ).values_list("cible_id", flat=True)
        )
        nouvelles = sorted({c.pk for c in cibles} - deja)
        Etiquetage.objects.bulk_create(
            [
                Etiquetage(etiquette=etiquette, cible_type=cible_type, cible_id=pk, pose_par=par)
                for pk in nouvelles
            ],
            ignore_conflicts=True,
        )
        if nouvelles:
            journaliser(
                TypeEvenement.ETIQUETTE_AJOUTEE,
                cible=etiquette,
                acteur=par,
                donnees={
                    "nombre": len(nouvelles),
                    "cible": f"{cible_type.app_label}.{cible_type.model}",
                    "identifiants": nouvelles,
                },
            )
    return len(nouvelles)


def retirer_etiquette(etiquette, cibles, *, par):
    """Retire l'étiquette des cibles qui la portent ; mêmes droits, même journal (une ligne,
    le nombre de dossiers). Renvoie ce nombre."""
    cibles = list(cibles)
    _verifier_les_cibles(etiquette, cibles, par)
    cible_type = ContentType.objects.get_for_model(cibles[0])
    with transaction.atomic():
        liens = etiquette.etiquetages.filter(
            cible_type=cible_type, cible_id__in=[c.pk for c in cibles]
        )
        retirees = sorted(liens.values_list("cible_id", flat=True))
        liens.delete()
        if retirees:
            journaliser(
                TypeEvenement.ETIQUETTE_RETIREE,
                cible=etiquette,
                acteur=par,
                donnees={
                    "nombre": len(retirees),
                    "cible": f"{cible_type.app_label}.{cible_type.model}",
                    "identifiants": retirees,
                },
            )
    return len(retirees)

"""Écrire dans un fil, le marquer lu, le montrer au jury.

Chaque service vérifie le droit sur l'objet (règles déclarées au registre par l'application de
l'objet), écrit tout ou rien et journalise sur l'objet, sans le texte du message."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from echanges import notifications, registre
from echanges.models import Cote, Fil, Lecture, MessageFil, PieceJointeMessage
from journal.enums import TypeEvenement
from journal.services import journaliser
from noyau.erreurs import ActionNonPermise, DonneesRefusees
from noyau.fichiers import verifier_fichier
from noyau.perimetre import id_programme_de

LONGUEUR_MAX = 10_000
DELAI_MAX_JOURS = 90


def _type_de(objet):
    return registre.du_modele(type(objet))


def cote_de(utilisateur, objet):
    """« structure » si cette personne est du côté de la structure de l'objet, sinon
    « equipe »."""
    membres = {personne.pk for personne in _type_de(objet).cote_structure(objet)}
    return Cote.STRUCTURE if utilisateur.pk in membres else Cote.EQUIPE


def fil_de(objet, *, creer=False):
    """Le fil de l'objet (créé s'il le faut avec `creer`), ou None."""
    cible = {"cible_type": ContentType.objects.get_for_model(objet), "cible_id": objet.pk}
    if not creer:
        return Fil.objects.filter(**cible).first()
    fil, _ = Fil.objects.get_or_create(**cible, defaults={"programme_id": id_programme_de(objet)})
    return fil


def _verifier_delai(delai_jours, cote):
    if delai_jours in (None, ""):
        return None
    if cote != Cote.EQUIPE:
        raise DonneesRefusees(
            gettext("Seule l'équipe du programme peut demander une réponse avant une date.")
        )
    if not 1 <= int(delai_jours) <= DELAI_MAX_JOURS:
        raise DonneesRefusees(
            gettext("Le délai de réponse va de 1 à %(max)s jours.") % {"max": DELAI_MAX_JOURS}
        )
    return timezone.localdate() + datetime.timedelta(days=int(delai_jours))


def ecrire(objet, *, par, texte, fichiers=(), delai_reponse_jours=None, notifier=True):
    """Ajoute un message au fil de l'objet (le fil naît au premier message).

    Vérifie le droit d'écrire ; `fichiers` passent les contrôles de `noyau.fichiers` (un seul
    refusé et rien n'est écrit) ; `delai_reponse_jours` (équipe seulement) fixe la date avant
    laquelle une réponse est attendue (la structure est relancée ce jour-là, voir
    `echanges/relances.py`). Un message de la structure répond aux demandes en attente.
    Journalisé sur l'objet (côté, nombre de pièces, pas le texte) ; marqué lu pour son
    auteur ; avec `notifier`, un courriel à chaque personne de l'autre côté. Renvoie le
    message."""
    type_de_fil = _type_de(objet)
    if not par.has_perm(type_de_fil.regle_ecrire, objet):
        raise ActionNonPermise(gettext("Vous ne pouvez pas écrire dans ce fil de discussion."))
    texte = (texte or "").strip()
    if not texte:
        raise DonneesRefusees(gettext("Écrivez votre message."))
    if len(texte) > LONGUEUR_MAX:
        raise DonneesRefusees(
            gettext("Le message dépasse %(max)s caractères.") % {"max": LONGUEUR_MAX}
        )
    cote = cote_de(par, objet)
    reponse_attendue_avant = _verifier_delai(delai_reponse_jours, cote)
    formats = [verifier_fichier(fichier) for fichier in fichiers]
    with transaction.atomic():
        fil = Fil.objects.select_for_update().get(pk=fil_de(objet, creer=True).pk)
        maintenant = timezone.now()
        if cote == Cote.STRUCTURE:
            fil.messages.filter(
                cote=Cote.EQUIPE, reponse_attendue_avant__isnull=False, repondu_le__isnull=True
            ).update(repondu_le=maintenant)
        message = MessageFil.objects.create(
            fil=fil,
            auteur=par,
            cote=cote,
            texte=texte,
            cree_le=maintenant,
            reponse_attendue_avant=reponse_attendue_avant,
        )
        for fichier, format_lu in zip(fichiers, formats, strict=True):
            PieceJointeMessage.objects.create(
                message=message,
                fichier=fichier,
                nom_original=fichier.name[:255],
                type_mime=format_lu.type_mime,
                taille=fichier.size,
            )
        journaliser(
            TypeEvenement.MESSAGE_FIL_ECRIT,
            cible=objet,
            acteur=par,
            donnees={
                "message": message.pk,
                "cote": cote,
                "pieces": len(fichiers),
                "reponse_attendue_avant": (
                    reponse_attendue_avant.isoformat() if reponse_attendue_avant else None
                ),
            },
        )
        _marquer_lu(fil, par, message.pk)
        if notifier:
            if cote == Cote.STRUCTURE:
                autre_cote, destinataires = Cote.EQUIPE, type_de_fil.cote_equipe(objet)
            else:
                autre_cote, destinataires = Cote.STRUCTURE, type_de_fil.cote_structure(objet)
            notifications.message_ecrit(
                message,
                objet=objet,
                type_de_fil=type_de_fil,
                destinataires=_uniques(p for p in destinataires if p.is_active and p != par),
                cote_destinataires=autre_cote,
            )
    return message


def _uniques(personnes):
    vues, liste = set(), []
    for personne in personnes:
        if personne.pk not in vues:
            vues.add(personne.pk)
            liste.append(personne)
    return liste


def _marquer_lu(fil, utilisateur, dernier_message_id):
    lecture, creee = Lecture.objects.get_or_create(
        fil=fil, utilisateur=utilisateur, defaults={"dernier_message_lu": dernier_message_id}
    )
    if not creee and lecture.dernier_message_lu < dernier_message_id:
        lecture.dernier_message_lu = dernier_message_id
        lecture.lu_le = timezone.now()
        lecture.save(update_fields=["dernier_message_lu", "lu_le"])


def marquer_lu(fil, *, par):
    """Tout le fil est lu par cette personne (appelé quand le fil s'affiche pour elle)."""
    if fil is None or not par.is_authenticated:
        return
    dernier = fil.messages.order_by("-pk").values_list("pk", flat=True).first()
    if dernier is not None:
        _marquer_lu(fil, par, dernier)


def partager_avec_le_jury(objet, *, par, partage):
    """Montre (ou cesse de montrer) le fil de l'objet au jury, en lecture seule ; journalisé.
    Renvoie le fil."""
    type_de_fil = _type_de(objet)
    if type_de_fil.regle_partager is None or not par.has_perm(type_de_fil.regle_partager, objet):
        raise ActionNonPermise(gettext("Vous ne pouvez pas montrer ce fil au jury."))
    with transaction.atomic():
        fil = Fil.objects.select_for_update().get(pk=fil_de(objet, creer=True).pk)
        if fil.partage_jury == partage:
            return fil
        fil.partage_jury = partage
        fil.save(update_fields=["partage_jury"])
        journaliser(
            TypeEvenement.FIL_PARTAGE_JURY if partage else TypeEvenement.FIL_RETIRE_JURY,
            cible=objet,
            acteur=par,
        )
    return fil

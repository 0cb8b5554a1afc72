"""Les candidatures : le brouillon (réponses, fichiers joints), le dépôt et le nouveau dépôt,
l'instruction par les gestionnaires (complément, recevabilité, éligibilité forcée), le retrait.

Chaque changement d'état passe par `noyau.transitions.appliquer_transition` sur la ligne déjà
verrouillée ici ; les courriels partent de la boîte d'envoi, au commit."""

from pathlib import PurePosixPath

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from candidatures import notifications
from candidatures.enums import EtatCandidature
from candidatures.erreurs import CandidatureIncomplete, DateLimiteDepassee
from candidatures.models import Candidature, PieceJointe
from candidatures.services.communs import est_obligatoire, quand, refus_d_etat
from candidatures.services.versions import fichier_garde_par_une_version, figer_version
from crochets.evenements import CodeEvenement
from crochets.services import signaler
from echanges import services as echanges
from journal.enums import TypeEvenement
from journal.services import journaliser
from noyau.erreurs import ActionImpossible, ActionNonPermise, DonneesRefusees
from noyau.fichiers import verifier_fichier
from noyau.transitions import (
    REFUS_PAR_DEFAUT,
    appliquer_transition,
    exiger,
    exiger_transition,
    motif_obligatoire,
)
from programmes.enums import EtatAppel, TypeQuestion
from territoires.eligibilite import CommuneInconnue, ReglesEligibilite, evaluer_eligibilite
from territoires.enums import ResultatEligibilite


def _verrouiller(candidature):
    return (
        Candidature.objects.select_for_update(of=("self",))
        .select_related("appel", "structure__commune")
        .get(pk=candidature.pk)
    )


def commencer_candidature(appel, structure, *, par):
    """Ouvre le brouillon de la structure pour cet appel, ou renvoie celui qui existe.
    Renvoie (candidature, créée ?)."""
    existante = Candidature.objects.filter(appel=appel, structure=structure).first()
    if existante is not None:
        exiger(par, "candidatures.voir_candidature", existante)
        return existante, False
    exiger(
        par,
        "candidatures.modifier_structure",
        structure,
        _("Vous ne pouvez candidater que pour votre structure."),
    )
    if not appel.accepte_les_depots():
        raise ActionImpossible(_raison_depot_impossible(appel))
    with transaction.atomic():
        candidature = Candidature.objects.create(appel=appel, structure=structure, creee_par=par)
        journaliser(TypeEvenement.CANDIDATURE_COMMENCEE, cible=candidature, acteur=par)
    return candidature, True


def _exiger_modifiable(candidature, par):
    exiger(par, "candidatures.voir_candidature", candidature)
    if not par.has_perm("candidatures.modifier_candidature", candidature):
        if candidature.etat in (EtatCandidature.BROUILLON, EtatCandidature.A_COMPLETER):
            raise ActionNonPermise(str(REFUS_PAR_DEFAUT))
        raise ActionImpossible(
            _("Cette candidature est « %(etat)s » : elle ne se modifie plus.")
            % {"etat": candidature.get_etat_display()}
        )


def enregistrer_reponses(candidature, *, par, reponses):
    """Fusionne des réponses ({id de question: valeur JSON ou None pour effacer}) dans le
    brouillon et note l'heure d'enregistrement. Pas de journal : c'est un brouillon."""
    with transaction.atomic():
        candidature = _verrouiller(candidature)
        _exiger_modifiable(candidature, par)
        questions = set(candidature.appel.questions.values_list("pk", flat=True))
        fusion = dict(candidature.reponses)
        for identifiant, valeur in reponses.items():
            if int(identifiant) not in questions:
                continue
            if valeur is None:
                fusion.pop(str(identifiant), None)
            else:
                fusion[str(identifiant)] = valeur
        candidature.reponses = fusion
        candidature.brouillon_enregistre_le = timezone.now()
        candidature.save(update_fields=["reponses", "brouillon_enregistre_le", "modifiee_le"])
    return candidature


def _supprimer_fichier_au_commit(fichier):
    nom, stockage = fichier.name, fichier.storage
    if fichier_garde_par_une_version(nom):
        # Le fichier d'un dépôt passé reste lisible depuis sa version.
        return
    # robust: a file that cannot be removed (disk, permissions) is logged, and the request that
    # committed still succeeds; an orphan file costs space, not the user's work.
    transaction.on_commit(lambda: stockage.delete(nom), robust=True)


def joindre_fichier(candidature, *, par, fichier, piece_demandee=None, question=None):
    """Vérifie le fichier (type par son contenu, taille) et l'enregistre pour la pièce ou la
    question ; un fichier déjà joint au même endroit est remplacé. Journalisé."""
    format_ = verifier_fichier(fichier)
    with transaction.atomic():
        candidature = _verrouiller(candidature)
        _exiger_modifiable(candidature, par)
        if piece_demandee is not None:
            emplacement = {"piece_demandee": piece_demandee}
            valide = piece_demandee.appel_id == candidature.appel_id
        else:
            emplacement = {"question": question}
            valide = (
                question is not None
                and question.appel_id == candidature.appel_id
                and question.type == TypeQuestion.FICHIER
            )
        if not valide:
            raise DonneesRefusees(_("Ce fichier ne correspond à aucune pièce de cet appel."))
        for ancienne in PieceJointe.objects.filter(candidature=candidature, **emplacement):
            _supprimer_fichier_au_commit(ancienne.fichier)
            ancienne.delete()
        piece = PieceJointe(
            candidature=candidature,
            nom_original=PurePosixPath(fichier.name).name[:255],
            type_mime=format_.type_mime,
            taille=fichier.size,
            ajoutee_par=par,
            **emplacement,
        )
        piece.fichier.save(piece.nom_original, fichier, save=False)
        try:
            piece.save()
        except Exception:
            piece.fichier.storage.delete(piece.fichier.name)
            raise
        journaliser(
            TypeEvenement.PIECE_JOINTE_AJOUTEE,
            cible=candidature,
            acteur=par,
            motif=piece.nom_original,
        )
    return piece


def retirer_fichier(piece, *, par):
    """Supprime un fichier joint d'une candidature encore modifiable. Journalisé."""
    with transaction.atomic():
        candidature = _verrouiller(piece.candidature)
        _exiger_modifiable(candidature, par)
        piece = PieceJointe.objects.get(pk=piece.pk, candidature=candidature)
        _supprimer_fichier_au_commit(piece.fichier)
        piece.delete()
        journaliser(
            TypeEvenement.PIECE_JOINTE_RETIREE,
            cible=candidature,
            acteur=par,
            motif=piece.nom_original,
        )


def _raison_depot_impossible(appel, maintenant=None):
    maintenant = maintenant or timezone.now()
    if appel.etat == EtatAppel.OUVERT and appel.ouverture and maintenant < appel.ouverture:
        return _("Les dépôts ouvrent le %(date)s.") % {"date": quand(appel.ouverture)}
    if appel.date_limite and maintenant >= appel.date_limite:
        return _(
            "La date limite de dépôt était le %(date)s : l'appel n'accepte plus de candidature."
        ) % {"date": quand(appel.date_limite)}
    return _("Cet appel n'est pas ouvert aux candidatures.")


def instantane_eligibilite(candidature, *, maintenant=None):
    """La réponse de la règle d'éligibilité de l'appel pour la commune et le type de la
    structure, en données JSON à figer dans la candidature : `Eligibilite.en_dict()` de
    territoires (result, reasons, summary, population et millésime, liste et détail des QPV,
    règles appliquées), avec l'heure de l'évaluation."""
    structure = candidature.structure
    commune = structure.commune
    try:
        instantane = evaluer_eligibilite(
            commune.code_insee,
            ReglesEligibilite.depuis_appel(candidature.appel),
            type_structure=structure.type,
        ).en_dict()
    except CommuneInconnue:
        raison = (
            f"{commune.nom} ({commune.code_insee}) est absente des données de référence : "
            "un gestionnaire examinera la candidature."
        )
        instantane = {
            "code": commune.code_insee,
            "commune": commune.nom,
            "insee_code": commune.code_insee,
            "result": ResultatEligibilite.A_EXAMINER.value,
            "reasons": [raison],
            "summary": raison,
        }
    instantane["evaluee_le"] = (maintenant or timezone.now()).isoformat()
    return instantane


CHAMPS_DU_DEPOT = [
    "etat",
    "premier_depot_le",
    "deposee_le",
    "eligibilite",
    "resultat_eligibilite",
    "modifiee_le",
]


def deposer_candidature(candidature, *, par):
    """brouillon → déposée, avant la date limite et si rien ne manque.

    Fige la réponse d'éligibilité dans la candidature, garde la version déposée n° 1 (réponses,
    formulaire, fichiers), journalise le dépôt et envoie à chaque membre de la structure la
    confirmation avec le récépissé PDF (au commit).
    """
    action = _("déposer la candidature")
    with transaction.atomic():
        candidature = _verrouiller(candidature)
        # Droit et état d'abord, puis les conditions propres : les refus gardent leur ordre.
        exiger_transition(candidature, "deposer", par=par, refus_etat=refus_d_etat(action))
        if not candidature.appel.accepte_les_depots():
            raise DateLimiteDepassee(
                _raison_depot_impossible(candidature.appel)
                + " "
                + _("Vos réponses restent enregistrées.")
            )
        manques = candidature.manques()
        if manques:
            raise CandidatureIncomplete(manques)
        candidature = appliquer_transition(
            candidature,
            "deposer",
            par=par,
            motif="Dépôt",
            champs=CHAMPS_DU_DEPOT,
            refus_etat=refus_d_etat(action),
            action=action,
            verrou=False,
            eligibilite=instantane_eligibilite(candidature),
        )
        figer_version(candidature, par=par, quand=candidature.deposee_le)
        notifications.candidature_deposee(candidature, par=par)
        signaler(CodeEvenement.CANDIDATURE_DEPOSEE, candidature)
    return candidature


def redeposer_candidature(candidature, *, par):
    """à compléter → déposée, si rien ne manque (la date limite ne compte plus : c'est le
    gestionnaire qui a demandé le complément). Refige l'éligibilité (la commune a pu être
    corrigée), garde la version déposée suivante, journalise et renvoie la confirmation avec
    un nouveau récépissé."""
    action = _("déposer à nouveau la candidature")
    with transaction.atomic():
        candidature = _verrouiller(candidature)
        # Droit et état d'abord, puis les conditions propres : les refus gardent leur ordre.
        exiger_transition(candidature, "redeposer", par=par, refus_etat=refus_d_etat(action))
        manques = candidature.manques()
        if manques:
            raise CandidatureIncomplete(manques)
        candidature = appliquer_transition(
            candidature,
            "redeposer",
            par=par,
            motif="Nouveau dépôt après complément",
            champs=CHAMPS_DU_DEPOT,
            refus_etat=refus_d_etat(action),
            action=action,
            verrou=False,
            eligibilite=instantane_eligibilite(candidature),
        )
        figer_version(candidature, par=par, quand=candidature.deposee_le)
        notifications.candidature_deposee(candidature, par=par, redepot=True)
        signaler(CodeEvenement.CANDIDATURE_DEPOSEE, candidature)
    return candidature


def _appliquer(candidature, transition, *, par, action, motif, **arguments):
    """Une transition de la candidature, relue sous verrou ici (règle et état
    vérifiés par `appliquer_transition`, refus nommant `action`)."""
    return appliquer_transition(
        _verrouiller(candidature),
        transition,
        par=par,
        motif=motif,
        refus_etat=refus_d_etat(action),
        action=action,
        verrou=False,
        **arguments,
    )


def demander_complement(candidature, *, par, message):
    """déposée → à compléter, avec le message (obligatoire) envoyé à la structure ; le message
    entre aussi dans le fil de la candidature, sans second courriel (celui de la demande part)."""
    message = motif_obligatoire(message, est_obligatoire(_("Le message à la structure")))
    with transaction.atomic():
        candidature = _appliquer(
            candidature,
            "demander_complement",
            par=par,
            action=_("demander un complément"),
            motif=message,
            message=message,
        )
        notifications.complement_demande(candidature)
        echanges.ecrire(candidature, par=par, texte=message, notifier=False)
    return candidature


def declarer_irrecevable(candidature, *, par, motif):
    """déposée → irrecevable, avec le motif (obligatoire) envoyé à la structure."""
    motif = motif_obligatoire(motif, est_obligatoire(_("Le motif d'irrecevabilité")))
    with transaction.atomic():
        candidature = _appliquer(
            candidature,
            "declarer_irrecevable",
            par=par,
            action=_("déclarer la candidature irrecevable"),
            motif=motif,
        )
        notifications.candidature_irrecevable(candidature)
    return candidature


def declarer_recevable(candidature, *, par):
    """déposée → recevable ; la structure en est informée."""
    with transaction.atomic():
        candidature = _appliquer(
            candidature,
            "declarer_recevable",
            par=par,
            action=_("déclarer la candidature recevable"),
            motif="Recevable",
        )
        notifications.candidature_recevable(candidature)
    return candidature


def declarer_recevables(candidatures, *, par):
    """Déclare recevables plusieurs candidatures, chacune dans sa propre transaction : une
    candidature refusée (déjà traitée, pas à ce gestionnaire) n'empêche pas les autres.
    Renvoie (candidatures déclarées, [(candidature, raison du refus)])."""
    faites, refusees = [], []
    for candidature in candidatures:
        try:
            faites.append(declarer_recevable(candidature, par=par))
        except (ActionImpossible, ActionNonPermise) as refus:
            refusees.append((candidature, refus.message))
    return faites, refusees


def forcer_eligibilite(candidature, *, par, resultat, motif):
    """Remplace le résultat d'éligibilité d'une candidature déposée par celui d'un gestionnaire,
    motif obligatoire. La réponse figée au dépôt reste telle quelle à côté. Journalisé avec
    l'ancien et le nouveau résultat."""
    motif = motif_obligatoire(motif, est_obligatoire(_("Le motif du forçage")))
    if resultat not in ResultatEligibilite.values:
        raise DonneesRefusees(_("Choisissez le résultat d'éligibilité retenu."))
    with transaction.atomic():
        candidature = _verrouiller(candidature)
        exiger(par, "candidatures.instruire_candidature", candidature)
        if not candidature.eligibilite:
            raise ActionImpossible(
                _("L'éligibilité se force sur une candidature déposée : celle-ci ne l'a pas été.")
            )
        avant = candidature.resultat_eligibilite
        candidature.resultat_eligibilite = resultat
        candidature.eligibilite_forcee_le = timezone.now()
        candidature.eligibilite_forcee_par = par
        candidature.motif_forcage_eligibilite = motif
        candidature.save(
            update_fields=[
                "resultat_eligibilite",
                "eligibilite_forcee_le",
                "eligibilite_forcee_par",
                "motif_forcage_eligibilite",
                "modifiee_le",
            ]
        )
        journaliser(
            TypeEvenement.ELIGIBILITE_FORCEE,
            cible=candidature,
            acteur=par,
            motif=motif,
            donnees={
                "avant": avant,
                "apres": resultat,
                "calcule": candidature.resultat_eligibilite_calcule,
            },
        )
    return candidature


def retirer_candidature(candidature, *, par, motif=""):
    """→ retirée, à la demande de la structure, tant qu'aucune décision n'est prise."""
    motif = (motif or "").strip()
    with transaction.atomic():
        return _appliquer(
            candidature,
            "retirer",
            par=par,
            action=_("retirer la candidature"),
            motif=motif or "Retrait",
            motif_retrait=motif,
        )

"""La délibération : son ouverture, la séance (présents, quorum, procès-verbal, récusations)
et les décisions, enregistrées sans être appliquées."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop, ngettext

from evaluation import selectors
from evaluation.enums import SensDecision
from evaluation.models import Decision, Deliberation, Jury, Recusation
from evaluation.services.verrous import verrouiller_appel
from journal.enums import TypeEvenement
from journal.services import journaliser
from noyau.erreurs import ActionImpossible, DonneesRefusees
from noyau.transitions import appliquer_transition, exiger

# --- Ouverture ------------------------------------------------------------------------------


def _refus_de_l_ouverture(appel):
    return ActionImpossible(
        gettext("Impossible d'ouvrir la délibération : l'appel est « %(etat)s ».")
        % {"etat": appel.get_etat_display()}
    )


def ouvrir_deliberation(appel, *, par, motif=""):
    """Passe l'appel « en délibération » : les notes se figent, le classement sert la séance.

    Le verrou de l'appel attend la fin des notes et déclarations en cours ; celles qui
    arrivent ensuite trouvent l'appel en délibération et sont refusées."""
    with transaction.atomic():
        appel = verrouiller_appel(appel.pk)
        appel = appliquer_transition(
            appel,
            "ouvrir_deliberation",
            par=par,
            motif=motif,
            refus_etat=_refus_de_l_ouverture,
            verrou=False,
        )
        Deliberation.objects.get_or_create(appel=appel)
    return appel


# --- Séance et décisions ---------------------------------------------------------------------


def exiger_deliberation_ouverte(appel, par):
    """Un gestionnaire d'un autre programme : refus de droit ; le bon gestionnaire hors de la
    délibération (déjà publiée, pas encore ouverte) : action impossible dans cet état."""
    exiger(par, "evaluation.gerer_jury", appel)
    if not par.has_perm("evaluation.deliberer", appel):
        raise ActionImpossible(
            gettext("La délibération n'est pas ouverte : l'appel est « %(etat)s ».")
            % {"etat": appel.get_etat_display()}
        )


SEANCE_DANS_LE_FUTUR = gettext_noop(
    "La séance ne peut pas être datée dans le futur : enregistrez-la une fois tenue."
)


def enregistrer_seance(appel, *, par, date, presents, quorum, proces_verbal):
    """Enregistre la date, les présents, le quorum et le procès-verbal, et relève les
    récusations : chaque présent en conflit avec une candidature (déclaré, ou attache connue
    qu'il n'a pas écartée) ne prend pas part à sa décision. Journalisé, avec les récusations.

    Refusé (données refusées) pour une séance datée dans le futur ; refusé (action
    impossible) si la délibération n'est pas ouverte : l'étape se relit sous le verrou de
    l'appel, qui attend une publication en cours ; la séance et le procès-verbal publiés ne
    se réécrivent pas."""
    exiger(par, "evaluation.gerer_jury", appel)
    if date is not None and date > timezone.now():
        raise DonneesRefusees(gettext(SEANCE_DANS_LE_FUTUR))
    with transaction.atomic():
        appel = verrouiller_appel(appel.pk)
        exiger_deliberation_ouverte(appel, par)
        deliberation = Deliberation.objects.select_for_update().get(appel=appel)
        if any(membre.jury.appel_id != appel.pk for membre in presents):
            raise DonneesRefusees(gettext("Un des présents ne fait pas partie du jury."))
        deliberation.date = date
        deliberation.quorum = quorum
        deliberation.proces_verbal = proces_verbal.strip()
        deliberation.save(update_fields=["date", "quorum", "proces_verbal"])
        deliberation.membres_presents.set(presents)
        recusations = selectors.recusations_des_presents(appel, presents)
        Recusation.objects.filter(deliberation=deliberation).delete()
        Recusation.objects.bulk_create(
            Recusation(
                deliberation=deliberation, membre=membre, candidature=candidature, motif=motif
            )
            for membre, candidature, motif in recusations
        )
        journaliser(
            TypeEvenement.SEANCE_ENREGISTREE,
            cible=appel,
            acteur=par,
            donnees={
                "presents": sorted(membre.pk for membre in presents),
                "quorum": quorum,
                "recusations": [
                    [membre.pk, candidature.pk] for membre, candidature, _ in recusations
                ],
            },
        )
    return deliberation


MOTIF_ECART = gettext_noop("La décision s'écarte de l'ordre du classement : indiquez un motif.")
MOTIF_NON_RETENUE = gettext_noop(
    "Indiquez pourquoi la candidature n'est pas retenue : le motif figure dans la lettre "
    "envoyée à la structure."
)


def motifs_manquants(appel, decisions, *, lignes=None):
    """{id de candidature: message à afficher près du champ} pour chaque décision dont le
    motif obligatoire manque : une décision qui s'écarte du classement, ou une candidature
    non retenue quand le jury de l'appel exige un motif (réglage « exiger un motif pour
    chaque candidature non retenue »)."""
    lignes = selectors.classement(appel) if lignes is None else lignes
    sens = {pk: valeur[0] for pk, valeur in decisions.items() if valeur[0]}
    ecarts = selectors.ecarts_au_classement(lignes, sens)
    jury = Jury.objects.filter(appel_id=appel.pk).first()
    exiger_non_retenue = jury is not None and jury.motif_obligatoire_non_retenue
    manquants = {}
    for pk, (valeur, motif) in decisions.items():
        if (motif or "").strip():
            continue
        if pk in ecarts:
            manquants[pk] = gettext(MOTIF_ECART)
        elif valeur == SensDecision.NON_RETENUE and exiger_non_retenue:
            manquants[pk] = gettext(MOTIF_NON_RETENUE)
    return manquants


def problemes_des_decisions(
    appel, decisions, *, motif_depassement, depasser_places=True, exiger_toutes=False
):
    """Les refus, en phrases, d'un jeu de décisions {id de candidature: (sens, motif)}.

    Motif obligatoire pour toute décision qui s'écarte du classement, et pour une candidature
    non retenue si le jury l'exige ; motif de dépassement obligatoire si plus de candidatures
    sont retenues que de places, avec la case « dépasser » cochée (`depasser_places` ; à la
    publication, le motif enregistré en tient lieu). Renvoie aussi le nombre de retenues et
    l'ensemble des candidatures qui s'écartent du classement.
    """
    lignes = selectors.classement(appel)
    noms = {ligne.candidature.pk: ligne.candidature.structure.nom for ligne in lignes}
    problemes = []
    inconnues = set(decisions) - set(noms)
    if inconnues:
        problemes.append(
            gettext("Une décision porte sur une candidature que le jury n'examine pas.")
        )
    sens = {pk: valeur[0] for pk, valeur in decisions.items() if pk in noms and valeur[0]}
    if exiger_toutes:
        manquantes = [nom for pk, nom in noms.items() if pk not in sens]
        if manquantes:
            problemes.append(
                gettext("Décision à prendre pour : %(noms)s.")
                % {"noms": ", ".join(sorted(manquantes))}
            )
    ecarts = selectors.ecarts_au_classement(lignes, sens)
    manquants = motifs_manquants(
        appel, {pk: valeur for pk, valeur in decisions.items() if pk in noms}, lignes=lignes
    )
    for pk in sorted(manquants, key=lambda pk: noms[pk]):
        if manquants[pk] == gettext(MOTIF_ECART):
            problemes.append(
                gettext(
                    "%(nom)s : la décision s'écarte de l'ordre du classement, "
                    "un motif est obligatoire."
                )
                % {"nom": noms[pk]}
            )
        else:
            problemes.append(
                gettext("%(nom)s : non retenue, le motif est obligatoire.") % {"nom": noms[pk]}
            )
    retenues = sum(1 for valeur in sens.values() if valeur == SensDecision.RETENUE)
    if appel.nombre_places is not None and retenues > appel.nombre_places:
        if not depasser_places:
            problemes.append(
                gettext(
                    "%(retenues)s candidatures retenues pour %(places)s places : cochez "
                    "« Dépasser le nombre de places de l'appel » et indiquez pourquoi."
                )
                % {"retenues": retenues, "places": appel.nombre_places}
            )
        elif not (motif_depassement or "").strip():
            problemes.append(
                gettext(
                    "%(retenues)s candidatures retenues pour %(places)s places : "
                    "indiquez le motif du dépassement."
                )
                % {"retenues": retenues, "places": appel.nombre_places}
            )
    return problemes, retenues, ecarts


def enregistrer_decisions(appel, *, par, decisions, motif_depassement="", depasser_places=False):
    """Enregistre (sans les appliquer) les décisions de la délibération.

    `decisions` : {id de candidature: (SensDecision ou "", motif)} ; "" efface la décision.
    Plus de retenues que de places demande `depasser_places` et son motif ; sans
    dépassement, le motif n'est pas gardé.
    Refusé en bloc si un motif obligatoire manque, et (action impossible) si la délibération
    n'est pas ouverte : l'étape se relit sous le verrou de l'appel, qui attend une
    publication en cours. Journalisé.
    """
    exiger(par, "evaluation.gerer_jury", appel)
    with transaction.atomic():
        appel = verrouiller_appel(appel.pk)
        exiger_deliberation_ouverte(appel, par)
        deliberation = Deliberation.objects.select_for_update().get(appel=appel)
        problemes, retenues, _ = problemes_des_decisions(
            appel,
            decisions,
            motif_depassement=motif_depassement,
            depasser_places=depasser_places,
        )
        if problemes:
            raise DonneesRefusees(" ".join(problemes))
        for candidature_id, (sens, motif) in decisions.items():
            if not sens:
                Decision.objects.filter(candidature_id=candidature_id).delete()
                continue
            Decision.objects.update_or_create(
                candidature_id=candidature_id,
                defaults={"deliberation": deliberation, "sens": sens, "motif": motif.strip()},
            )
        depasse = appel.nombre_places is not None and retenues > appel.nombre_places
        deliberation.motif_depassement = motif_depassement.strip() if depasse else ""
        deliberation.save(update_fields=["motif_depassement"])
        journaliser(
            TypeEvenement.DECISIONS_ENREGISTREES,
            cible=appel,
            acteur=par,
            donnees={"retenues": retenues, "decisions": len(decisions)},
        )
    return deliberation


def message_quorum_non_atteint(presents, quorum):
    if presents == 0:
        return gettext(
            "Quorum non atteint : 0 membre présent pour un quorum de %(quorum)s. "
            "Les résultats ne se publient pas ; enregistrez les présents de la séance."
        ) % {"quorum": quorum}
    return ngettext(
        "Quorum non atteint : %(presents)s membre présent pour un quorum de %(quorum)s. "
        "Les résultats ne se publient pas ; enregistrez les présents de la séance.",
        "Quorum non atteint : %(presents)s membres présents pour un quorum de %(quorum)s. "
        "Les résultats ne se publient pas ; enregistrez les présents de la séance.",
        presents,
    ) % {"presents": presents, "quorum": quorum}

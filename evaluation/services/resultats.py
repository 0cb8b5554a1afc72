"""Après la délibération : la publication des résultats (transitions des candidatures,
lettres de décision), la liste d'attente et le retrait d'un lauréat.

Le plan d'accompagnement d'un lauréat (créé quand une candidature est retenue, abandonné
quand elle est retirée) est une suite de la transition de la candidature, que
l'accompagnement branche sur `noyau.transitions.transition_appliquee` : l'évaluation ne
l'importe pas."""

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from candidatures.models import Candidature
from crochets.evenements import CodeEvenement
from crochets.services import signaler
from evaluation import lettres, notifications, selectors
from evaluation.enums import TRANSITION_DECISION, SensDecision
from evaluation.models import Decision, Deliberation, Jury
from evaluation.services.deliberation import (
    exiger_deliberation_ouverte,
    message_quorum_non_atteint,
    problemes_des_decisions,
)
from evaluation.services.verrous import verrouiller_appel
from journal.enums import TypeEvenement
from journal.services import journaliser
from noyau.erreurs import ActionImpossible, DonneesRefusees
from noyau.transitions import appliquer_transition, exiger, motif_obligatoire
from programmes.enums import EtatAppel


def _garder_la_lettre(candidature, decision, *, ligne, motif_promotion=""):
    """Édite la lettre de décision, la garde sur la décision (la structure et les
    gestionnaires la retrouvent sur la page de la candidature) et renvoie ses octets, joints
    au courriel. Après une promotion, la nouvelle lettre (retenue) remplace sur la page celle
    de la liste d'attente, qui reste jointe au premier courriel."""
    jury = Jury.objects.filter(appel_id=candidature.appel_id).first()
    # Une seule lettre, gardée et envoyée à toute la structure : dans la langue du site, pas
    # dans celle du gestionnaire qui publie.
    with translation.override(settings.LANGUAGE_CODE):
        pdf = lettres.lettre_decision_pdf(
            candidature, decision, ligne=ligne, jury=jury, motif_promotion=motif_promotion
        )
    decision.lettre.save(lettres.nom_lettre(candidature), ContentFile(pdf), save=False)
    decision.lettre_editee_le = timezone.now()
    decision.save(update_fields=["lettre", "lettre_editee_le"])
    return pdf


def _refus_de_la_decision(nom):
    """Le refus d'une décision que l'état de la candidature (nommée par sa structure) ne
    permet plus d'appliquer."""

    def refus(candidature):
        return ActionImpossible(
            gettext("%(nom)s : la candidature est « %(etat)s », la décision ne s'applique pas.")
            % {"nom": nom, "etat": candidature.get_etat_display()}
        )

    return refus


def publier_resultats(appel, *, par):
    """Applique toutes les décisions d'un coup et clôt la délibération.

    Dans une transaction : chaque candidature passe par sa transition (retenue, liste
    d'attente, non retenue ; journalisée avec le motif), les lauréats
    reçoivent leur plan d'accompagnement, la liste d'attente est ordonnée par le classement,
    chaque structure reçoit sa lettre de décision en PDF (gardée aussi sur la décision, à
    télécharger depuis la page de la candidature), et l'appel passe à « décidé ».
    Refusé sans rien écrire s'il manque une décision ou un motif, ou (action impossible) si
    les présents enregistrés pour la séance n'atteignent pas le quorum.
    """
    exiger_deliberation_ouverte(appel, par)
    with transaction.atomic():
        appel = verrouiller_appel(appel.pk)
        deliberation = Deliberation.objects.select_for_update().get(appel=appel)
        if deliberation.est_publiee or appel.etat != EtatAppel.EN_DELIBERATION:
            raise ActionImpossible(gettext("Les résultats sont déjà publiés."))
        presents = deliberation.membres_presents.count()
        if presents < deliberation.quorum:
            raise ActionImpossible(message_quorum_non_atteint(presents, deliberation.quorum))
        decisions = {
            d.candidature_id: d
            for d in Decision.objects.filter(deliberation=deliberation).select_for_update()
        }
        problemes, _, _ = problemes_des_decisions(
            appel,
            {pk: (d.sens, d.motif) for pk, d in decisions.items()},
            motif_depassement=deliberation.motif_depassement,
            exiger_toutes=True,
        )
        if problemes:
            raise DonneesRefusees(" ".join(problemes))
        lignes = selectors.classement(appel)
        candidatures = {
            c.pk: c for c in Candidature.objects.select_for_update().filter(pk__in=list(decisions))
        }
        rang_attente = 0
        for ligne in lignes:
            decision = decisions[ligne.candidature.pk]
            candidature = candidatures[ligne.candidature.pk]
            candidature.appel = appel
            # Le journal garde le libellé français de la décision, quelle que soit la langue
            # de la personne qui publie.
            with translation.override(settings.LANGUAGE_CODE):
                description = decision.motif or decision.get_sens_display()
            # Les candidatures sont verrouillées ci-dessus ; un lauréat reçoit son plan
            # d'accompagnement par la suite de la transition, dans cette transaction.
            candidature = appliquer_transition(
                candidature,
                TRANSITION_DECISION[decision.sens],
                par=par,
                motif=description,
                refus_etat=_refus_de_la_decision(ligne.candidature.structure.nom),
                verrou=False,
            )
            if decision.sens == SensDecision.LISTE_ATTENTE:
                rang_attente += 1
                decision.rang_liste_attente = rang_attente
                decision.save(update_fields=["rang_liste_attente"])
            pdf = _garder_la_lettre(candidature, decision, ligne=ligne)
            notifications.decision_publiee(candidature, decision, pdf=pdf)
        appliquer_transition(
            appel, "marquer_decide", par=par, motif="Résultats publiés", verrou=False
        )
        deliberation.publiee_le = timezone.now()
        deliberation.publiee_par = par
        deliberation.save(update_fields=["publiee_le", "publiee_par"])
        journaliser(
            TypeEvenement.RESULTATS_PUBLIES,
            cible=appel,
            acteur=par,
            donnees={"decisions": len(decisions)},
        )
        signaler(CodeEvenement.RESULTATS_PUBLIES, appel)
        retenues = sum(1 for d in decisions.values() if d.sens == SensDecision.RETENUE)
        if appel.nombre_places is not None and retenues > appel.nombre_places:
            journaliser(
                TypeEvenement.NOMBRE_DE_PLACES_DEPASSE,
                cible=appel,
                acteur=par,
                motif=deliberation.motif_depassement,
                donnees={"retenues": retenues, "places": appel.nombre_places},
            )
    return deliberation


MOTIF_DEPASSEMENT_MANQUANT = gettext_noop("Indiquez pourquoi le nombre de places est dépassé.")


def _exiger_une_place(appel, *, depasser_places, motif_depassement):
    """Refuse d'ajouter un lauréat quand les places de l'appel sont toutes prises, sauf
    dépassement explicite (case cochée et motif). L'appel est déjà verrouillé : le compte des
    retenues, relu ici, ne bouge pas avant la fin de la transaction. Renvoie le nombre de
    retenues avant l'ajout et le motif du dépassement retenu ("" sans dépassement)."""
    retenues = selectors.places_occupees(appel)
    if appel.nombre_places is None or retenues < appel.nombre_places:
        return retenues, ""
    if not depasser_places:
        raise ActionImpossible(
            gettext(
                "Les %(places)s places de l'appel sont prises (%(retenues)s candidatures "
                "retenues). Retirez d'abord un lauréat qui renonce, ou cochez « Dépasser le nombre "
                "de places de l'appel » et indiquez pourquoi."
            )
            % {"places": appel.nombre_places, "retenues": retenues}
        )
    motif_depassement = motif_obligatoire(motif_depassement, gettext(MOTIF_DEPASSEMENT_MANQUANT))
    return retenues, motif_depassement


def promouvoir_liste_attente(appel, *, par, motif, depasser_places=False, motif_depassement=""):
    """Retient la première candidature de la liste d'attente, dans l'ordre des rangs fixés à
    la publication (après un désistement).

    Motif obligatoire. Refusé quand toutes les places sont prises, sauf dépassement explicite
    (`depasser_places` et son motif, journalisé avec la promotion) : le verrou de l'appel,
    pris d'abord, fait passer deux promotions l'une après l'autre et la seconde relit le
    nombre de retenues. Transition journalisée, plan d'accompagnement créé, nouvelle lettre
    de décision gardée sur la décision et jointe au courriel à la structure. Renvoie la
    candidature promue.
    """
    motif = motif_obligatoire(
        motif, gettext("Le motif de la promotion est obligatoire (désistement de…).")
    )
    exiger(par, "evaluation.gerer_jury", appel)
    if not par.has_perm("evaluation.promouvoir_liste_attente", appel):
        raise ActionImpossible(gettext("La promotion se fait une fois les résultats publiés."))
    with transaction.atomic():
        appel = verrouiller_appel(appel.pk)
        decision = selectors.liste_attente(appel).select_for_update(of=("self",)).first()
        if decision is None:
            raise ActionImpossible(gettext("La liste d'attente est vide."))
        retenues, motif_depassement = _exiger_une_place(
            appel, depasser_places=depasser_places, motif_depassement=motif_depassement
        )
        candidature = Candidature.objects.select_for_update().get(pk=decision.candidature_id)
        candidature.appel = appel
        # Le plan d'accompagnement du lauréat : la suite de la transition, dans la transaction.
        candidature = appliquer_transition(
            candidature, "retenir", par=par, motif=motif, verrou=False
        )
        decision.promue_le = timezone.now()
        decision.save(update_fields=["promue_le"])
        donnees = {
            "rang": decision.rang_liste_attente,
            "retenues": retenues + 1,
            "places": appel.nombre_places,
        }
        if motif_depassement:
            donnees["motif_depassement"] = motif_depassement
        journaliser(
            TypeEvenement.LISTE_ATTENTE_PROMUE,
            cible=candidature,
            acteur=par,
            motif=motif,
            donnees=donnees,
        )
        if motif_depassement:
            journaliser(
                TypeEvenement.NOMBRE_DE_PLACES_DEPASSE,
                cible=appel,
                acteur=par,
                motif=motif_depassement,
                donnees={
                    "candidature": candidature.pk,
                    "retenues": retenues + 1,
                    "places": appel.nombre_places,
                },
            )
        pdf = _garder_la_lettre(candidature, decision, ligne=None, motif_promotion=motif)
        notifications.promotion_liste_attente(candidature, motif=motif, pdf=pdf)
    return candidature


MOTIF_RETRAIT_MANQUANT = gettext_noop("Indiquez pourquoi la candidature retenue est retirée.")


def _refus_du_retrait(candidature):
    return ActionImpossible(
        gettext(
            "La candidature est « %(etat)s » : seule une candidature retenue se retire "
            "ainsi. L'action a peut-être déjà été faite."
        )
        % {"etat": candidature.get_etat_display()}
    )


def retirer_laureat(candidature, *, par, motif):
    """Retire une candidature retenue, à la demande de la structure ou par un gestionnaire
    pour elle : retenue → retirée par sa transition (journalisée avec le motif, obligatoire),
    le plan d'accompagnement abandonné par la sienne, la place libérée ; les gestionnaires
    du programme reçoivent un courriel qui leur propose la suivante de la liste d'attente.

    Verrous dans l'ordre de la délibération : l'appel, puis la candidature (puis le plan).
    Refusé si la candidature n'est plus retenue, relu sous les verrous. Renvoie la
    candidature ; la suivante de la liste d'attente se lit avec
    `selectors.liste_attente(appel).first()`.
    """
    motif = motif_obligatoire(motif, gettext(MOTIF_RETRAIT_MANQUANT))
    refus = gettext(
        "Seules la structure et l'équipe du programme peuvent retirer cette candidature."
    )
    exiger(par, "candidatures.retirer_laureat", candidature, refus)
    with transaction.atomic():
        verrouiller_appel(candidature.appel_id)
        candidature = (
            Candidature.objects.select_for_update(of=("self",))
            .select_related("appel__programme", "structure")
            .get(pk=candidature.pk)
        )
        # Le plan d'accompagnement s'abandonne par la suite de la transition.
        candidature = appliquer_transition(
            candidature,
            "retirer_laureat",
            par=par,
            motif=motif,
            refus=refus,
            refus_etat=_refus_du_retrait,
            verrou=False,
        )
        notifications.laureat_retire(
            candidature, motif=motif, suivante=selectors.liste_attente(candidature.appel).first()
        )
    return candidature

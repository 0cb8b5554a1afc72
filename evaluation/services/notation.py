"""La notation : le lancement de l'évaluation, puis, côté membre, la déclaration des
conflits d'intérêts et les notes."""

from django.db import transaction
from django.db.models import F, FloatField, Sum
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from candidatures.models import Candidature
from evaluation import selectors
from evaluation.enums import EtatEvaluation, TypeConflit
from evaluation.models import Affectation, ConflitInterets, Critere, Evaluation, Jury, Note
from evaluation.rules import oublier_sieges
from evaluation.services.verrous import verrouiller_appel
from journal.enums import TypeEvenement
from journal.services import journaliser
from noyau.erreurs import ActionImpossible, ActionNonPermise, DonneesRefusees
from noyau.transitions import appliquer_transition, exiger, exiger_transition
from programmes.enums import EtatAppel

# --- Lancement ------------------------------------------------------------------------------


def _refus_du_lancement(appel):
    return ActionImpossible(
        gettext("Impossible de lancer l'évaluation : l'appel est « %(etat)s ».")
        % {"etat": appel.get_etat_display()}
    )


def lancer_evaluation(appel, *, par, motif=""):
    """Passe l'appel de « clos » à « en évaluation » : le jury peut déclarer et noter.

    Exige un jury avec au moins un membre, une grille et une date limite de notation.
    La transition est journalisée (journal.Evenement) ; les avis d'affectation partent par les
    relances.
    """
    with transaction.atomic():
        appel = verrouiller_appel(appel.pk)
        exiger_transition(appel, "lancer_evaluation", par=par, refus_etat=_refus_du_lancement)
        jury = Jury.objects.filter(appel=appel).first()
        manques = []
        if jury is None or not jury.membres.exists():
            manques.append(gettext("le jury n'a aucun membre"))
        if jury is not None and jury.date_limite_notation is None:
            manques.append(gettext("la date limite de notation n'est pas fixée"))
        if not Critere.objects.filter(grille__appel=appel).exists():
            manques.append(gettext("la grille n'a aucun critère"))
        if jury is not None and not Affectation.objects.filter(membre__jury=jury).exists():
            manques.append(gettext("aucune candidature n'est affectée"))
        if manques:
            raise ActionImpossible(
                gettext("Impossible de lancer l'évaluation : %(manques)s.")
                % {"manques": gettext(" ; ").join(manques)}
            )
        appel = appliquer_transition(
            appel,
            "lancer_evaluation",
            par=par,
            motif=motif,
            refus_etat=_refus_du_lancement,
            verrou=False,
        )
    return appel


# --- Côté membre : conflits et notes ---------------------------------------------------------

EVALUATION_PAS_COMMENCEE = gettext_noop(
    "L'évaluation de cet appel n'a pas encore commencé : vous pourrez déclarer vos conflits "
    "d'intérêts puis noter dès que le gestionnaire l'aura lancée."
)
REFUS_DECLARATION = gettext_noop(
    "Vous ne pouvez pas déclarer de conflit sur cette candidature (elle ne vous est pas "
    "confiée, ou la notation est close)."
)
REFUS_NOTATION = gettext_noop(
    "Vous ne pouvez pas noter cette candidature (conflit non déclaré, conflit d'intérêts, ou "
    "notation close)."
)


# Un membre du jury à qui la candidature a été retirée (une page restée ouverte) : il l'a
# lue, mais le refus n'en montre rien, pas même le nom.
PLUS_CONFIEE_NOTES = gettext_noop(
    "Cette candidature ne vous est plus confiée : vos notes n'ont pas été enregistrées."
)
PLUS_CONFIEE_DECLARATION = gettext_noop(
    "Cette candidature ne vous est plus confiée : votre déclaration n'a pas été enregistrée."
)


def _refus_sans_siege(candidature, utilisateur, *, plus_confiee, refus):
    """Le refus d'un compte qui n'a pas (ou plus) de siège sur la candidature : un membre du
    jury de l'appel apprend qu'elle ne lui est plus confiée (action impossible) ; un autre
    compte reçoit le refus de droit."""
    if selectors.siege_au_jury_de(utilisateur, candidature_id=candidature.pk):
        return ActionImpossible(gettext(plus_confiee))
    return ActionNonPermise(gettext(refus))


def message_recusation(candidature):
    """Le refus montré à un membre qui a déclaré un conflit et tente de noter."""
    return gettext(
        "Vous avez déclaré un conflit d'intérêts avec %(nom)s : vous ne "
        "pouvez pas noter cette candidature, et aucune de vos notes n'y compte."
    ) % {"nom": candidature.structure.nom}


def _siege(candidature, utilisateur):
    return (
        Affectation.objects.select_for_update(of=("self",))
        .select_related("membre")
        .filter(membre__utilisateur=utilisateur, candidature=candidature)
        .first()
    )


def _verrouiller_siege(candidature, utilisateur):
    """Pose les verrous dans l'ordre commun (l'appel, puis l'affectation du membre) et relit
    après eux tout ce qui fonde le droit du membre : l'état de l'appel, sa déclaration, ses
    sièges (les règles les relisent, le cache du compte est vidé).

    Renvoie (candidature portant l'appel verrouillé, affectation ou None, déclaration ou None).
    """
    appel = verrouiller_appel(candidature.appel_id)
    candidature = Candidature.objects.select_related("structure").get(pk=candidature.pk)
    candidature.appel = appel
    affectation = _siege(candidature, utilisateur)
    declaration = None
    if affectation is not None:
        declaration = ConflitInterets.objects.filter(
            membre_id=affectation.membre_id, candidature=candidature
        ).first()
    oublier_sieges(utilisateur)
    return candidature, affectation, declaration


def declarer_conflit(candidature, *, par, en_conflit, type_conflit="", precision=""):
    """Enregistre la déclaration du membre sur cette candidature, pendant la notation.

    Un conflit efface les notes éventuelles du membre sur la candidature (brouillon ou
    validées) : elles ne comptent plus, et le journal de la déclaration dit ce qui a été
    effacé (`notes_effacees` : état et total sur 20). Un conflit déclaré ne se retire pas.
    """
    if en_conflit and type_conflit not in TypeConflit.values:
        raise DonneesRefusees(gettext("Précisez le type de conflit d'intérêts."))
    with transaction.atomic():
        candidature, affectation, declaration = _verrouiller_siege(candidature, par)
        if affectation is None:
            raise _refus_sans_siege(
                candidature, par, plus_confiee=PLUS_CONFIEE_DECLARATION, refus=REFUS_DECLARATION
            )
        appel = candidature.appel
        if appel.etat in selectors.ETATS_APPEL_AVANT_EVALUATION:
            raise ActionImpossible(gettext(EVALUATION_PAS_COMMENCEE))
        if appel.etat != EtatAppel.EN_EVALUATION:
            raise ActionImpossible(
                gettext(
                    "Les conflits d'intérêts se déclarent pendant la notation : l'appel est "
                    "« %(etat)s »."
                )
                % {"etat": appel.get_etat_display()}
            )
        exiger(par, "evaluation.declarer_conflit", candidature, gettext(REFUS_DECLARATION))
        if declaration is not None and declaration.en_conflit and not en_conflit:
            raise ActionImpossible(
                gettext("Votre conflit d'intérêts avec %(nom)s est déclaré : il ne se retire pas.")
                % {"nom": candidature.structure.nom}
            )
        declaration, _ = ConflitInterets.objects.update_or_create(
            membre=affectation.membre,
            candidature=candidature,
            defaults={
                "en_conflit": en_conflit,
                "type": type_conflit if en_conflit else "",
                "precision": precision.strip() if en_conflit else "",
                "declare_le": timezone.now(),
            },
        )
        donnees = {"membre": affectation.membre_id, "type": declaration.type}
        evaluation = Evaluation.objects.filter(affectation=affectation).first()
        if en_conflit and evaluation is not None:
            donnees["notes_effacees"] = {
                "etat": evaluation.etat,
                "total_sur_20": evaluation.total_sur_20,
            }
            evaluation.delete()
        journaliser(
            TypeEvenement.CONFLIT_DECLARE if en_conflit else TypeEvenement.ABSENCE_CONFLIT_DECLAREE,
            cible=candidature,
            acteur=par,
            motif=declaration.precision,
            donnees=donnees,
        )
    oublier_sieges(par)
    return declaration


def _total_sur_20(evaluation):
    """Σ(note / maximum × poids) / Σ poids × 20, calculé en SQL sur les notes."""
    valeur = Cast(F("valeur"), FloatField())
    sommes = Note.objects.filter(evaluation=evaluation).aggregate(
        pondere=Sum(valeur * F("critere__poids") / F("critere__maximum")),
        poids=Sum("critere__poids"),
    )
    if not sommes["poids"]:
        return None
    return sommes["pondere"] / sommes["poids"] * 20


def _changer_d_etat(evaluation, transition, *, par, motif, affectation, candidature):
    """Valide les notes, ou les repasse en brouillon. L'évaluation est déjà verrouillée ; la
    transition vérifie de nouveau le droit de noter, sur la candidature et l'appel déjà lus
    sous les verrous."""
    affectation.candidature = candidature
    evaluation.affectation = affectation
    return appliquer_transition(
        evaluation,
        transition,
        par=par,
        motif=motif,
        refus=gettext(REFUS_NOTATION),
        verrou=False,
    )


def enregistrer_notes(candidature, *, par, notes, commentaire="", valider=False):
    """Enregistre les notes du membre (brouillon), et les valide si `valider`.

    `notes` : {id de critère: (valeur ou None, commentaire)}. Un brouillon peut être
    incomplet ; la validation exige une note par critère. Des notes validées enregistrées
    en brouillon repassent en brouillon (transition journalisée) et ne comptent plus.
    Toute valeur hors de 0..maximum est refusée sans rien écrire. Modifiable jusqu'à la
    date limite, même validée, tant que l'appel est en évaluation. Refusé (action
    impossible) une fois l'appel passé à une autre étape, ou si le membre a déclaré un
    conflit sur la candidature, l'un et l'autre relus sous les verrous. Journalise
    l'enregistrement (et la validation par le journal).
    """
    with transaction.atomic():
        candidature, affectation, declaration = _verrouiller_siege(candidature, par)
        if affectation is None:
            raise _refus_sans_siege(
                candidature, par, plus_confiee=PLUS_CONFIEE_NOTES, refus=REFUS_NOTATION
            )
        appel = candidature.appel
        if appel.etat != EtatAppel.EN_EVALUATION:
            raise ActionImpossible(
                gettext(
                    "La notation est close : l'appel est « %(etat)s », les notes ne changent plus."
                )
                % {"etat": appel.get_etat_display()}
            )
        if declaration is not None and declaration.en_conflit:
            raise ActionImpossible(message_recusation(candidature))
        exiger(par, "evaluation.noter", candidature, gettext(REFUS_NOTATION))
        criteres = list(Critere.objects.filter(grille__appel=candidature.appel))
        erreurs = []
        propres = {}
        for critere in criteres:
            valeur, commentaire_note = notes.get(critere.pk, (None, ""))
            if valeur is None:
                if valider:
                    erreurs.append(
                        gettext("« %(critere)s » : la note manque.") % {"critere": critere.libelle}
                    )
                continue
            if not 0 <= valeur <= critere.maximum:
                erreurs.append(
                    gettext("« %(critere)s » : la note doit être entre 0 et %(maximum)s.")
                    % {"critere": critere.libelle, "maximum": critere.maximum}
                )
                continue
            propres[critere.pk] = (valeur, (commentaire_note or "").strip())
        if erreurs:
            raise DonneesRefusees(" ".join(erreurs))
        evaluation, _ = Evaluation.objects.select_for_update().get_or_create(
            affectation=affectation
        )
        evaluation.commentaire = commentaire.strip()
        Note.objects.filter(evaluation=evaluation).exclude(critere_id__in=propres).delete()
        for critere_id, (valeur, commentaire_note) in propres.items():
            Note.objects.update_or_create(
                evaluation=evaluation,
                critere_id=critere_id,
                defaults={"valeur": valeur, "commentaire": commentaire_note},
            )
        evaluation.total_sur_20 = _total_sur_20(evaluation)
        evaluation.save(update_fields=["commentaire", "total_sur_20", "modifiee_le"])
        if valider and evaluation.etat == EtatEvaluation.BROUILLON:
            evaluation = _changer_d_etat(
                evaluation,
                "valider",
                par=par,
                motif="Notes validées",
                affectation=affectation,
                candidature=candidature,
            )
        elif not valider and evaluation.etat == EtatEvaluation.VALIDEE:
            # Un brouillon enregistré est un brouillon : ses notes ne comptent plus tant
            # qu'elles ne sont pas validées de nouveau.
            evaluation = _changer_d_etat(
                evaluation,
                "repasser_en_brouillon",
                par=par,
                motif="Notes repassées en brouillon",
                affectation=affectation,
                candidature=candidature,
            )
        journaliser(
            TypeEvenement.NOTES_ENREGISTREES,
            cible=candidature,
            acteur=par,
            donnees={"membre": affectation.membre_id, "etat": evaluation.etat},
        )
    oublier_sieges(par)
    return evaluation

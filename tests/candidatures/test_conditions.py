"""Questions conditionnelles : une question n'est montrée (donc obligatoire, lue, exportée) que
si la réponse à une question précédente est la réponse attendue."""

import pytest

from candidatures import exports, recepisse, services
from candidatures.enums import EtatCandidature
from candidatures.erreurs import CandidatureIncomplete
from candidatures.selectors import reponses_lisibles
from noyau.erreurs import ActionImpossible
from programmes.enums import TypeQuestion
from programmes.models import questions_affichees
from tests.candidatures.factories import AppelFactory, CandidatureFactory, QuestionFactory

pytestmark = pytest.mark.django_db

ATELIERS = "Avez-vous déjà animé des ateliers numériques ?"
PERSONNES = "Combien de personnes par an ?"
FORMAT = "Sous quelle forme ?"
GROUPES = "Décrivez un atelier de groupe"


def _appel_conditionnel(**kwargs):
    """Q1 oui/non ; Q2 (nombre) et Q3 (choix) si Q1 = oui ; Q4 (texte) si Q3 = « En groupe »."""
    appel = AppelFactory(**kwargs)
    ateliers = QuestionFactory(appel=appel, ordre=1, type=TypeQuestion.OUI_NON, libelle=ATELIERS)
    personnes = QuestionFactory(
        appel=appel,
        ordre=2,
        type=TypeQuestion.NOMBRE,
        libelle=PERSONNES,
        condition=ateliers,
        condition_valeur="oui",
    )
    forme = QuestionFactory(
        appel=appel,
        ordre=3,
        type=TypeQuestion.CHOIX_UNIQUE,
        libelle=FORMAT,
        choix=["En groupe", "En individuel"],
        condition=ateliers,
        condition_valeur="oui",
    )
    groupes = QuestionFactory(
        appel=appel,
        ordre=4,
        type=TypeQuestion.TEXTE_LONG,
        libelle=GROUPES,
        condition=forme,
        condition_valeur="En groupe",
    )
    return appel, (ateliers, personnes, forme, groupes)


@pytest.fixture
def conditionnel(structure):
    appel, questions = _appel_conditionnel(ouvert=True, titre="AMI 2027")
    candidature = CandidatureFactory(appel=appel, structure=structure)
    return candidature, questions


def _repondre(candidature, par, reponses):
    services.enregistrer_reponses(
        candidature, par=par, reponses={question.pk: valeur for question, valeur in reponses}
    )
    candidature.refresh_from_db()
    return candidature


def _manques(candidature):
    return [manque.libelle for manque in candidature.manques()]


# --- La règle de visibilité ----------------------------------------------------------------


def test_questions_affichees_suit_la_chaine_des_conditions(conditionnel):
    _candidature, (ateliers, personnes, forme, groupes) = conditionnel
    questions = [ateliers, personnes, forme, groupes]

    def montrees(reponses):
        affichees = questions_affichees(
            questions, {str(q.pk): valeur for q, valeur in reponses.items()}
        )
        return [q.libelle for q in questions if q.pk in affichees]

    assert montrees({}) == [ATELIERS]
    assert montrees({ateliers: False}) == [ATELIERS]
    assert montrees({ateliers: True}) == [ATELIERS, PERSONNES, FORMAT]
    assert montrees({ateliers: True, forme: "En individuel"}) == [ATELIERS, PERSONNES, FORMAT]
    assert montrees({ateliers: True, forme: "En groupe"}) == [ATELIERS, PERSONNES, FORMAT, GROUPES]
    # Une réponse gardée dans une question masquée ne montre pas la suite de la chaîne.
    assert montrees({ateliers: False, forme: "En groupe"}) == [ATELIERS]
    assert groupes.est_affichee({str(ateliers.pk): True, str(forme.pk): "En groupe"}) is True
    assert groupes.est_affichee({str(ateliers.pk): False, str(forme.pk): "En groupe"}) is False


def test_une_condition_sur_un_choix_multiple_suit_la_case_cochee():
    appel = AppelFactory()
    publics = QuestionFactory(
        appel=appel,
        ordre=1,
        type=TypeQuestion.CHOIX_MULTIPLE,
        libelle="Publics",
        choix=["Seniors", "Jeunes"],
    )
    jeunes = QuestionFactory(
        appel=appel, ordre=2, libelle="Âge", condition=publics, condition_valeur="Jeunes"
    )
    assert jeunes.est_affichee({str(publics.pk): ["Seniors", "Jeunes"]}) is True
    assert jeunes.est_affichee({str(publics.pk): ["Seniors"]}) is False
    assert jeunes.est_affichee({}) is False


# --- Complétude et dépôt -------------------------------------------------------------------


def test_une_question_masquee_n_est_pas_obligatoire_une_question_montree_l_est(
    conditionnel, candidat
):
    candidature, (ateliers, personnes, forme, groupes) = conditionnel
    assert _manques(candidature) == [f"Question 1 : {ATELIERS}"]
    assert _manques(_repondre(candidature, candidat, [(ateliers, False)])) == []
    assert _manques(_repondre(candidature, candidat, [(ateliers, True)])) == [
        f"Question 2 : {PERSONNES}",
        f"Question 3 : {FORMAT}",
    ]
    assert _manques(_repondre(candidature, candidat, [(forme, "En groupe")])) == [
        f"Question 2 : {PERSONNES}",
        f"Question 4 : {GROUPES}",
    ]
    assert [
        m.ancre
        for m in _repondre(candidature, candidat, [(personnes, 0), (groupes, "Jeux")]).manques()
    ] == []
    # Revenir sur « non » masque toute la chaîne : les réponses gardées ne manquent à rien.
    assert _manques(_repondre(candidature, candidat, [(ateliers, False), (groupes, None)])) == []


def test_depot_accepte_quand_la_question_conditionnelle_est_masquee_et_vide(conditionnel, candidat):
    candidature, (ateliers, *_autres) = conditionnel
    _repondre(candidature, candidat, [(ateliers, False)])
    services.deposer_candidature(candidature, par=candidat)
    candidature.refresh_from_db()
    assert candidature.etat == EtatCandidature.DEPOSEE


def test_depot_refuse_quand_la_question_conditionnelle_est_montree_et_vide(conditionnel, candidat):
    candidature, (ateliers, personnes, forme, _groupes) = conditionnel
    _repondre(candidature, candidat, [(ateliers, True), (forme, "En individuel")])
    with pytest.raises(CandidatureIncomplete) as refus:
        services.deposer_candidature(candidature, par=candidat)
    assert [(m.libelle, m.ancre) for m in refus.value.manques] == [
        (f"Question 2 : {PERSONNES}", f"id_q_{personnes.pk}")
    ]
    candidature.refresh_from_db()
    assert candidature.etat == EtatCandidature.BROUILLON


# --- Lectures : récépissé, jury et gestionnaires, exports ------------------------------------


def test_le_recepisse_et_les_lectures_laissent_de_cote_la_question_masquee(conditionnel, candidat):
    candidature, (ateliers, personnes, forme, groupes) = conditionnel
    # La structure avait répondu « oui », puis est revenue sur « non » : ses réponses restent
    # enregistrées mais ne se lisent plus.
    _repondre(
        candidature,
        candidat,
        [(ateliers, False), (personnes, 120), (forme, "En groupe"), (groupes, "Jeux vidéo")],
    )
    services.deposer_candidature(candidature, par=candidat)
    candidature.refresh_from_db()

    assert [(r.numero, r.question.libelle, r.texte) for r in reponses_lisibles(candidature)] == [
        (1, ATELIERS, "Non")
    ]
    html = recepisse.html(candidature)
    assert "1. Avez-vous déjà animé des ateliers numériques ?</strong>\n  <p>Non</p>" in html
    for absent in (PERSONNES, FORMAT, "Décrivez un atelier", "120", "Jeux vidéo"):
        assert absent not in html


def test_les_numeros_des_questions_montrees_restent_ceux_du_formulaire(conditionnel, candidat):
    candidature, (ateliers, personnes, forme, groupes) = conditionnel
    _repondre(
        candidature,
        candidat,
        [(ateliers, True), (personnes, 1250), (forme, "En groupe"), (groupes, "Jeux")],
    )
    assert [(r.numero, r.texte) for r in reponses_lisibles(candidature)] == [
        (1, "Oui"),
        (2, "1250"),
        (3, "En groupe"),
        (4, "Jeux"),
    ]


def test_l_export_laisse_vide_la_cellule_d_une_question_masquee(conditionnel, candidat):
    candidature, (ateliers, personnes, forme, groupes) = conditionnel
    _repondre(
        candidature,
        candidat,
        [(ateliers, False), (personnes, 120), (forme, "En groupe"), (groupes, "Jeux")],
    )
    autre = CandidatureFactory(
        appel=candidature.appel,
        reponses={
            str(ateliers.pk): True,
            str(personnes.pk): 40,
            str(forme.pk): "En individuel",
            str(groupes.pk): "Gardé",
        },
    )
    entetes, lignes = exports.tableau(candidature.appel, candidature.appel.candidatures.all())
    assert entetes[13:] == [
        f"Q1. {ATELIERS}",
        f"Q2. {PERSONNES}",
        f"Q3. {FORMAT}",
        f"Q4. {GROUPES}",
    ]
    par_reference = {ligne[0]: ligne[13:] for ligne in lignes}
    assert par_reference == {
        candidature.reference: ["Non", None, None, None],
        autre.reference: ["Oui", 40, "En individuel", None],
    }


# --- L'ordre et la copie de l'appel ----------------------------------------------------------


def test_une_question_ne_monte_pas_au_dessus_de_sa_condition(gestionnaire, programme):
    appel, (ateliers, personnes, forme, _groupes) = _appel_conditionnel(programme=programme)
    with pytest.raises(ActionImpossible) as refus:
        services.deplacer_dans_le_formulaire(
            appel, par=gestionnaire, element=personnes, sens="monter"
        )
    assert refus.value.message == (
        f"« {PERSONNES} » ne s'affiche que selon la réponse à « {ATELIERS} » : elle reste après "
        "elle. Retirez d'abord sa condition pour changer cet ordre."
    )
    with pytest.raises(ActionImpossible) as refus:
        services.deplacer_dans_le_formulaire(
            appel, par=gestionnaire, element=ateliers, sens="descendre"
        )
    assert refus.value.message.startswith(f"« {PERSONNES} » ne s'affiche que selon")
    # Deux questions qui dépendent de la même condition s'échangent librement.
    services.deplacer_dans_le_formulaire(appel, par=gestionnaire, element=forme, sens="monter")
    assert list(appel.questions.values_list("libelle", flat=True)) == [
        ATELIERS,
        FORMAT,
        PERSONNES,
        GROUPES,
    ]


def test_dupliquer_un_appel_garde_les_conditions_vers_les_copies(gestionnaire, programme):
    appel, _questions = _appel_conditionnel(programme=programme, clos=True)
    copie = services.dupliquer_appel(appel, par=gestionnaire)
    assert [
        (q.libelle, q.condition.libelle if q.condition else None, q.condition_valeur)
        for q in copie.questions.select_related("condition")
    ] == [
        (ATELIERS, None, ""),
        (PERSONNES, ATELIERS, "oui"),
        (FORMAT, ATELIERS, "oui"),
        (GROUPES, FORMAT, "En groupe"),
    ]
    assert set(
        copie.questions.exclude(condition=None).values_list("condition__appel", flat=True)
    ) == {copie.pk}

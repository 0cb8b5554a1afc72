"""Questions conditionnelles : une question n'est montrée (donc obligatoire, lue, exportée) que
si la réponse à une question précédente est la réponse attendue."""

import pytest
from django.core.management import call_command

from candidatures import exports, recepisse, services
from candidatures.enums import EtatCandidature
from candidatures.erreurs import CandidatureIncomplete
from candidatures.selectors import reponses_lisibles
from noyau.erreurs import ActionImpossible
from programmes.enums import TypeQuestion
from programmes.models import Appel, questions_affichees
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


def test_une_version_deposee_garde_les_conditions_d_alors(conditionnel, candidat):
    candidature, (ateliers, personnes, forme, groupes) = conditionnel
    _repondre(candidature, candidat, [(ateliers, False), (personnes, 120)])
    services.deposer_candidature(candidature, par=candidat)
    # Après le dépôt, la condition de « personnes » est retirée du formulaire : la question se
    # lit désormais, mais la version n° 1 reste lue avec la condition qu'elle avait.
    personnes.condition = None
    personnes.condition_valeur = ""
    personnes.save()
    candidature.refresh_from_db()
    version = candidature.versions.get()

    assert [(r.numero, r.texte) for r in reponses_lisibles(candidature, version)] == [(1, "Non")]
    assert [(r.numero, r.texte) for r in reponses_lisibles(candidature)] == [
        (1, "Non"),
        (2, "120"),
    ]
    assert "120" not in recepisse.html(candidature, version=version)


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
        "Étiquettes",
    ]
    par_reference = {ligne[0]: ligne[13:-1] for ligne in lignes}
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


# --- L'éditeur de questions du gestionnaire ------------------------------------------------


@pytest.fixture
def connecte(client, gestionnaire):
    client.force_login(gestionnaire)
    return client


def _donnees_du_formulaire(appel, modifications=None, nouvelle=None):
    """Les données que le navigateur envoie pour la page des questions, avec des champs
    changés : {libellé de la question: {champ: valeur}} ; `nouvelle` remplit la ligne vide."""
    modifications = modifications or {}
    questions = list(appel.questions.all())
    donnees = {
        "questions-TOTAL_FORMS": str(len(questions) + 1),
        "questions-INITIAL_FORMS": str(len(questions)),
        "pieces-TOTAL_FORMS": "0",
        "pieces-INITIAL_FORMS": "0",
    }
    for rang, question in enumerate(questions):
        champs = {
            "id": question.pk,
            "libelle": question.libelle,
            "type": question.type,
            "aide": question.aide,
            "choix": "\n".join(question.choix),
            "limite_caracteres": question.limite_caracteres or "",
            "condition": question.condition_id or "",
            "condition_valeur": question.condition_valeur,
        }
        if question.obligatoire:
            champs["obligatoire"] = "on"
        champs |= modifications.get(question.libelle, {})
        donnees |= {f"questions-{rang}-{nom}": valeur for nom, valeur in champs.items()}
    vide = {"libelle": "", "type": "", "aide": "", "choix": "", "obligatoire": "on"}
    vide |= {"condition": "", "condition_valeur": ""} | (nouvelle or {})
    donnees |= {f"questions-{len(questions)}-{nom}": valeur for nom, valeur in vide.items()}
    return donnees


def _erreurs(reponse):
    return {
        form.instance.libelle or "nouvelle": dict(form.errors)
        for form in reponse.context["questions"].forms
        if form.errors
    }


def test_ajouter_une_question_conditionnelle_depuis_l_editeur(connecte, programme):
    appel, (ateliers, *_autres) = _appel_conditionnel(programme=programme)
    page = connecte.get(f"/gestion/appels/{appel.pk}/questions/")
    # Seules les questions à choix ou oui / non se proposent comme condition.
    assert (
        f'<option value="{ateliers.pk}">Q1. {ATELIERS}</option>' in page.text
        and "Q2. Combien de personnes par an ?</option>" not in page.text
    )
    assert f'<optgroup label="Q3. {FORMAT}">' in page.text
    assert "(affichée si la réponse à « Sous quelle forme ? » est « En groupe »)" in page.text

    reponse = connecte.post(
        f"/gestion/appels/{appel.pk}/questions/",
        _donnees_du_formulaire(
            appel,
            nouvelle={
                "libelle": "Quels outils utilisez-vous ?",
                "type": TypeQuestion.TEXTE_COURT,
                "obligatoire": "on",
                "condition": ateliers.pk,
                "condition_valeur": "oui",
            },
        ),
    )
    assert reponse.status_code == 302
    nouvelle = appel.questions.get(libelle="Quels outils utilisez-vous ?")
    assert (nouvelle.ordre, nouvelle.condition, nouvelle.condition_valeur) == (5, ateliers, "oui")


@pytest.mark.parametrize(
    "modifications, erreurs",
    [
        (
            {ATELIERS: {"condition": "forme", "condition_valeur": "En groupe"}},
            {
                ATELIERS: {
                    "condition": [
                        f"« {FORMAT} » vient après cette question : choisissez une question "
                        "placée avant elle."
                    ]
                }
            },
        ),
        (
            {GROUPES: {"condition": "personnes", "condition_valeur": "12"}},
            {
                GROUPES: {
                    "condition": [
                        f"« {PERSONNES} » est une question « Nombre » : choisissez une question "
                        "à choix unique, à choix multiple ou oui / non."
                    ]
                }
            },
        ),
        (
            {GROUPES: {"condition_valeur": "À distance"}},
            {
                GROUPES: {
                    "condition_valeur": [
                        f"« À distance » n'est pas une réponse possible à « {FORMAT} » : "
                        "choisissez parmi « En groupe », « En individuel »."
                    ]
                }
            },
        ),
        (
            {FORMAT: {"condition": "forme", "condition_valeur": "En groupe"}},
            {FORMAT: {"condition": ["Une question ne peut pas dépendre de sa propre réponse."]}},
        ),
        (
            {PERSONNES: {"condition_valeur": ""}},
            {
                PERSONNES: {
                    "condition_valeur": ["Choisissez la réponse qui affiche cette question."]
                }
            },
        ),
        (
            # La question dont une autre dépend change de type dans le même enregistrement.
            {FORMAT: {"type": TypeQuestion.TEXTE_COURT}},
            {
                GROUPES: {
                    "condition": [
                        f"« {FORMAT} » est une question « Texte court » : choisissez une "
                        "question à choix unique, à choix multiple ou oui / non."
                    ]
                }
            },
        ),
        (
            {FORMAT: {"choix": "Sur place\nÀ distance"}},
            {
                GROUPES: {
                    "condition_valeur": [
                        f"« En groupe » n'est pas une réponse possible à « {FORMAT} » : "
                        "choisissez parmi « Sur place », « À distance »."
                    ]
                }
            },
        ),
        (
            {FORMAT: {"DELETE": "on"}},
            {
                GROUPES: {
                    "condition": [
                        f"« {FORMAT} » est supprimée dans ce même enregistrement : choisissez "
                        "une autre question ou « Toujours affichée »."
                    ]
                }
            },
        ),
    ],
)
def test_l_editeur_refuse_une_condition_impossible(connecte, programme, modifications, erreurs):
    appel, (ateliers, personnes, forme, groupes) = _appel_conditionnel(programme=programme)
    identifiants = {"forme": forme.pk, "personnes": personnes.pk}
    for champs in modifications.values():
        if champs.get("condition") in identifiants:
            champs["condition"] = identifiants[champs["condition"]]

    reponse = connecte.post(
        f"/gestion/appels/{appel.pk}/questions/", _donnees_du_formulaire(appel, modifications)
    )

    assert reponse.status_code == 400
    assert _erreurs(reponse) == erreurs
    # Rien n'est enregistré.
    assert [
        (q.libelle, q.type, q.condition_id, q.condition_valeur) for q in appel.questions.all()
    ] == [
        (ATELIERS, TypeQuestion.OUI_NON, None, ""),
        (PERSONNES, TypeQuestion.NOMBRE, ateliers.pk, "oui"),
        (FORMAT, TypeQuestion.CHOIX_UNIQUE, ateliers.pk, "oui"),
        (GROUPES, TypeQuestion.TEXTE_LONG, forme.pk, "En groupe"),
    ]


def test_retirer_la_condition_efface_la_reponse_attendue(connecte, programme):
    appel, (_ateliers, personnes, *_autres) = _appel_conditionnel(programme=programme)
    reponse = connecte.post(
        f"/gestion/appels/{appel.pk}/questions/",
        _donnees_du_formulaire(appel, {PERSONNES: {"condition": ""}}),
    )
    assert reponse.status_code == 302
    personnes.refresh_from_db()
    assert (personnes.condition, personnes.condition_valeur) == (None, "")


def test_monter_une_question_au_dessus_de_sa_condition_est_refuse_en_409(connecte, programme):
    appel, (_ateliers, personnes, *_autres) = _appel_conditionnel(programme=programme)
    reponse = connecte.post(
        f"/gestion/appels/{appel.pk}/questions/{personnes.pk}/deplacer/", {"sens": "monter"}
    )
    assert reponse.status_code == 409
    assert (
        f"« {PERSONNES} » ne s&#x27;affiche que selon la réponse à « {ATELIERS} »" in reponse.text
    )
    assert list(appel.questions.values_list("libelle", flat=True))[:2] == [ATELIERS, PERSONNES]


# --- Le formulaire de la structure ---------------------------------------------------------


def test_le_formulaire_porte_la_condition_et_sa_consigne_sans_javascript(
    client, candidat, conditionnel
):
    candidature, (ateliers, personnes, forme, groupes) = conditionnel
    client.force_login(candidat)
    page = client.get(f"/candidatures/{candidature.pk}/formulaire/")
    assert page.status_code == 200
    assert (
        f'<div class="question mb-4" id="question-{groupes.pk}" '
        f'data-condition-champ="q_{forme.pk}" data-condition-valeur="En groupe">'
    ) in page.text
    assert (
        "À remplir seulement si vous avez répondu « Oui » à « Avez-vous déjà animé des ateliers "
        "numériques ? »."
    ) in page.text
    assert f"À remplir seulement si vous avez répondu « En groupe » à « {FORMAT} »." in page.text
    assert 'id="annonce-conditions" aria-live="polite"' in page.text
    assert "candidatures/conditions" in page.text


# --- La démo -------------------------------------------------------------------------------


def test_la_demo_pose_une_question_conditionnelle_dans_l_ami_2027():
    call_command("seed_demo")
    call_command("seed_demo")
    appel = Appel.objects.get(slug="ami-inclusion-numerique-2027")
    assert [
        (q.libelle, q.type, q.obligatoire, q.condition.libelle, q.condition_valeur)
        for q in appel.questions.exclude(condition=None).select_related("condition")
    ] == [
        (
            "Combien de personnes y participent par an ?",
            TypeQuestion.NOMBRE,
            True,
            "Avez-vous déjà animé des ateliers numériques ?",
            "oui",
        )
    ]
    deposee = appel.candidatures.get(etat=EtatCandidature.DEPOSEE)
    assert deposee.manques() == []


def test_la_page_du_gestionnaire_ne_lit_pas_la_reponse_d_une_question_masquee(
    connecte, programme, structure, candidat
):
    appel, (ateliers, personnes, forme, _groupes) = _appel_conditionnel(
        programme=programme, ouvert=True
    )
    candidature = CandidatureFactory(appel=appel, structure=structure)
    _repondre(candidature, candidat, [(ateliers, False), (personnes, 987), (forme, "En groupe")])
    services.deposer_candidature(candidature, par=candidat)

    page = connecte.get(f"/gestion/candidatures/{candidature.pk}/")
    assert page.status_code == 200
    assert [(r.numero, r.texte) for r in page.context["reponses"]] == [(1, "Non")]
    assert PERSONNES not in page.text and "987" not in page.text

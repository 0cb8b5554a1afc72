"""Ce que partagent les parcours : la démo chargée avec un compte par rôle (dont une structure
lauréate), la connexion par le formulaire, et axe sans aucune violation."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from demo.comptes_demo import MOT_DE_PASSE_DEMO
from structures.models import MembreStructure, Structure
from tests.factories import UtilisateurFactory

# Le compte de chaque rôle dans la démo ; la structure lauréate est ajoutée par `charger_demo`.
COMPTES = {
    "gestionnaire": "gestionnaire@demo.relais.test",
    "candidat": "candidat@demo.relais.test",
    "membre_jury": "jury@demo.relais.test",
    "coach": "coach@demo.relais.test",
    "observateur": "observateur@demo.relais.test",
    "structure_laureate": "ccas@houplines.demo.test",
}


def charger_demo():
    """`seed_demo`, puis une agente du CCAS de Houplines (lauréat 2022, accompagné, qui saisit
    son activité) : le candidat de démo est sur liste d'attente."""
    call_command("seed_demo", stdout=None)
    agente = UtilisateurFactory(
        candidat=True,
        email=COMPTES["structure_laureate"],
        first_name="Sonia",
        last_name="Lefebvre",
    )
    agente.set_password(MOT_DE_PASSE_DEMO)
    agente.save(update_fields=["password"])
    MembreStructure.objects.create(
        structure=Structure.objects.get(nom="CCAS de Houplines"), utilisateur=agente
    )
    _travaux_en_cours()
    return COMPTES


def _travaux_en_cours():
    """La démo raconte un programme achevé : presque tout y est fait, validé, clos, et les
    formulaires de modification n'y apparaissent plus. On y ajoute de quoi en montrer : le
    brouillon du candidat sur l'appel ouvert (avec une question de date), un jury en cours de
    notation pour le membre de démo, un plan en cadrage pour la coach."""
    from django.contrib.auth import get_user_model

    from candidatures import services as candidatures
    from evaluation import services as evaluation
    from programmes.enums import TypeQuestion
    from programmes.models import Appel
    from tests.accompagnement.factories import plan_pour
    from tests.candidatures.factories import (
        AppelFactory,
        CandidatureFactory,
        QuestionFactory,
        StructureFactory,
    )
    from tests.evaluation.factories import (
        AffectationFactory,
        JuryFactory,
        MembreJuryFactory,
        noter,
    )

    utilisateurs = get_user_model().objects
    appel_ouvert = Appel.objects.get(slug="ami-inclusion-numerique-2027")
    programme = appel_ouvert.programme
    QuestionFactory(
        appel=appel_ouvert,
        ordre=99,
        type=TypeQuestion.DATE,
        obligatoire=False,
        libelle="À partir de quand votre équipe peut-elle suivre les formations ?",
    )
    candidat = utilisateurs.get(email=COMPTES["candidat"])
    candidature, _creee = candidatures.commencer_candidature(
        appel_ouvert, Structure.objects.get(adhesions__utilisateur=candidat), par=candidat
    )
    exemples = {
        TypeQuestion.TEXTE_COURT: "Ateliers du mardi",
        TypeQuestion.TEXTE_LONG: "Un CCAS qui accueille des seniors isolés.",
        TypeQuestion.NOMBRE: 120,
        TypeQuestion.DATE: "2027-04-01",
        TypeQuestion.OUI_NON: True,
    }
    reponses = {}
    for question in appel_ouvert.questions.all():
        if question.type == TypeQuestion.CHOIX_MULTIPLE:
            reponses[question.pk] = question.choix[:2]
        elif question.type == TypeQuestion.CHOIX_UNIQUE:
            reponses[question.pk] = question.choix[0]
        elif question.type in exemples:
            reponses[question.pk] = exemples[question.type]
    candidatures.enregistrer_reponses(candidature, par=candidat, reponses=reponses)

    jury = JuryFactory(appel__programme=programme, appel__titre="AMI 2025 (en évaluation)")
    membre = MembreJuryFactory(
        jury=jury, utilisateur=utilisateurs.get(email=COMPTES["membre_jury"])
    )
    for nom, valider in (
        ("CCAS de Wambrechies (fictif)", False),
        ("CCAS de Comines (fictif)", True),
    ):
        a_noter = CandidatureFactory(
            appel=jury.appel, recevable=True, structure=StructureFactory(nom=nom)
        )
        AffectationFactory(membre=membre, candidature=a_noter)
        evaluation.declarer_conflit(a_noter, par=membre.utilisateur, en_conflit=False)
        noter(a_noter, membre.utilisateur, [4, 7], valider=valider, commentaire="Projet solide.")

    plan_pour(
        coach=utilisateurs.get(email=COMPTES["coach"]),
        date_debut=None,
        appel=AppelFactory(programme=programme, titre="AMI 2026 (en cours)", slug="ami-2026"),
        structure__nom="CCAS de Quesnoy-sur-Deûle (fictif)",
    )


def se_connecter(page, site, email, mot_de_passe=MOT_DE_PASSE_DEMO):
    """Depuis l'accueil public, « Se connecter », le formulaire, puis l'accueil du rôle."""
    page.goto(site + "/")
    page.get_by_role("link", name="Se connecter").first.click()
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe", exact=False).first.fill(mot_de_passe)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


class Axe:
    """axe-core sur chaque page visitée : aucune violation, quel que soit son impact (le brief
    des parcours demande zéro violation ; `verifier_accessibilite` ne retient que les graves).

    Les violations sont relevées sans arrêter le parcours, pour voir aussi ce qui suit ;
    `aucune_violation()` les rapporte toutes à la fin."""

    def __init__(self):
        from axe_playwright_python.sync_playwright import Axe as AxeCore

        self._axe = AxeCore()
        self.violations = []

    def __call__(self, page):
        resultats = self._axe.run(page)
        for violation in resultats.response["violations"]:
            cibles = ", ".join(str(noeud["target"]) for noeud in violation["nodes"][:3])
            self.violations.append(
                f"{page.url} — {violation['id']} ({violation['impact']}) : "
                f"{violation['help']} — {cibles}"
            )

    def aucune_violation(self):
        assert self.violations == [], "axe :\n" + "\n".join(self.violations)


@pytest.fixture
def axe():
    return Axe()

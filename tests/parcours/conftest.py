"""Ce que partagent les parcours : la démo chargée avec un compte par rôle (dont une structure
lauréate), la connexion par le formulaire, et axe sans aucune violation."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from candidatures.models import MembreStructure, Structure
from demo.comptes_demo import MOT_DE_PASSE_DEMO
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
    return COMPTES


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

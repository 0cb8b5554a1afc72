"""Parcours dans Chromium : la gestionnaire, depuis son espace, ouvre une candidature et pose
une question avec une réponse attendue ; la structure voit le message non lu sur son tableau
de bord, l'ouvre et répond avec une pièce jointe. axe à chaque page."""

import pytest
from playwright.sync_api import expect

from echanges.models import MessageFil
from tests.candidatures.factories import (
    AppelFactory,
    CandidatureFactory,
    ProgrammeFactory,
    StructureFactory,
)
from tests.candidatures.fichiers import PDF
from tests.factories import MOT_DE_PASSE, UtilisateurFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _connexion(page, live_server, email):
    page.goto(live_server.url + "/comptes/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe", exact=False).first.fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Connexion").click()


def test_gestionnaire_et_structure_echangent_dans_le_fil(
    page, live_server, verifier_accessibilite, tmp_path, settings
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    gestionnaire = UtilisateurFactory(gestionnaire=True, email="gestion@exemple.test")
    membre = UtilisateurFactory(candidat=True, email="ccas@houplines.test")
    appel = AppelFactory(
        programme=ProgrammeFactory(gestionnaires=[gestionnaire]), ouvert=True, titre="AMI 2027"
    )
    structure = StructureFactory(nom="CCAS de Houplines", membres=[membre])
    CandidatureFactory(appel=appel, structure=structure, deposee=True)

    _connexion(page, live_server, "gestion@exemple.test")
    page.goto(live_server.url + "/gestion/")
    page.get_by_role("link", name="Voir les appels").click()
    page.get_by_role("link", name="AMI 2027", exact=True).click()
    page.get_by_role("link", name="Candidatures", exact=True).click()
    page.get_by_role("link", name="CCAS de Houplines").click()
    fil = page.get_by_role("region", name="Fil de discussion")
    expect(fil.get_by_text("Aucun message pour l'instant.")).to_be_visible()
    verifier_accessibilite(page)
    fil.get_by_label("Votre message").fill("Pouvez-vous joindre le budget détaillé ?")
    fil.get_by_label("Réponse attendue sous (jours)").fill("7")
    fil.get_by_role("button", name="Envoyer le message").click()
    expect(page.get_by_text("Votre message est envoyé.")).to_be_visible()
    expect(fil.get_by_text("Pouvez-vous joindre le budget détaillé ?")).to_be_visible()
    expect(fil.get_by_text("Réponse attendue avant le")).to_be_visible()
    page.context.clear_cookies()

    _connexion(page, live_server, "ccas@houplines.test")
    expect(
        page.get_by_text("Vous avez 1 message non lu dans vos fils de discussion.")
    ).to_be_visible()
    verifier_accessibilite(page)
    page.get_by_role("link", name="AMI 2027", exact=True).click()
    fil = page.get_by_role("region", name="Fil de discussion")
    expect(fil.get_by_text("Pouvez-vous joindre le budget détaillé ?")).to_be_visible()
    expect(fil.get_by_text("Nouveau")).to_be_visible()
    verifier_accessibilite(page)
    fil.get_by_label("Votre message").fill("Le voici, avec le plan de financement.")
    chemin = tmp_path / "budget.pdf"
    chemin.write_bytes(PDF)
    fil.get_by_label("Pièces jointes").set_input_files(str(chemin))
    fil.get_by_role("button", name="Envoyer le message").click()
    expect(page.get_by_text("Votre message est envoyé.")).to_be_visible()
    expect(fil.get_by_role("link", name="budget.pdf")).to_be_visible()
    expect(fil.get_by_text("répondu le")).to_be_visible()
    verifier_accessibilite(page)
    page.goto(live_server.url + "/")
    expect(page.get_by_text("message non lu")).to_have_count(0)
    assert list(MessageFil.objects.order_by("pk").values_list("cote", flat=True)) == [
        "equipe",
        "structure",
    ]

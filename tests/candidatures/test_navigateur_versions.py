"""Une gestionnaire, depuis son espace de gestion, ouvre une candidature redéposée après un
complément et lit ce qui a changé entre les deux dépôts ; axe sur chaque page."""

import pytest
from playwright.sync_api import expect

from candidatures import services
from tests.candidatures.factories import (
    AppelFactory,
    CandidatureFactory,
    ProgrammeFactory,
    StructureFactory,
)
from tests.candidatures.fichiers import PDF, fichier
from tests.factories import MOT_DE_PASSE, UtilisateurFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def redeposee(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    gestionnaire = UtilisateurFactory(gestionnaire=True, email="gestion@programme.test")
    candidat = UtilisateurFactory(candidat=True, email="ccas@houplines.test")
    appel = AppelFactory(
        programme=ProgrammeFactory(gestionnaires=[gestionnaire]),
        ouvert=True,
        avec_questions=True,
        titre="AMI inclusion numérique 2027",
    )
    candidature = CandidatureFactory(
        appel=appel, structure=StructureFactory(nom="CCAS de Houplines", membres=[candidat])
    )
    texte, oui_non, _nombre = appel.questions.all()
    piece_demandee = appel.pieces_demandees.get()
    services.enregistrer_reponses(
        candidature, par=candidat, reponses={texte.pk: "Des seniors isolés.", oui_non.pk: False}
    )
    services.joindre_fichier(
        candidature, par=candidat, fichier=fichier("statuts.pdf"), piece_demandee=piece_demandee
    )
    services.deposer_candidature(candidature, par=candidat)
    services.demander_complement(candidature, par=gestionnaire, message="Statuts signés, svp.")
    services.enregistrer_reponses(
        candidature, par=candidat, reponses={texte.pk: "Des seniors et des familles."}
    )
    services.joindre_fichier(
        candidature,
        par=candidat,
        fichier=fichier("statuts-signes.pdf", PDF + b"% signes\n"),
        piece_demandee=piece_demandee,
    )
    services.redeposer_candidature(candidature, par=candidat)
    return candidature


def test_la_gestionnaire_lit_la_difference_entre_deux_depots(
    page, live_server, redeposee, verifier_accessibilite
):
    page.goto(live_server.url + "/comptes/login/")
    page.get_by_label("Courriel").fill("gestion@programme.test")
    page.get_by_label("Mot de passe", exact=False).first.fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Espace de gestion")

    page.get_by_role("link", name="Voir les appels").click()
    verifier_accessibilite(page)
    page.get_by_role("link", name="candidatures de AMI inclusion numérique 2027").click()
    verifier_accessibilite(page)
    page.get_by_role("link", name="CCAS de Houplines").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("CCAS de Houplines")
    verifier_accessibilite(page)

    page.get_by_role("link", name="Versions déposées — voir les différences").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Versions déposées")
    tableau = page.get_by_role(
        "table", name="2 champs modifiés entre le dépôt n° 1 et le dépôt n° 2"
    )
    ligne = tableau.get_by_role("row", name="Quels publics accueillez-vous ?")
    expect(ligne.get_by_role("cell")).to_have_text(
        ["Des seniors isolés.", "Des seniors et des familles."]
    )
    ligne_fichier = tableau.get_by_role("row", name="Statuts ou délibération")
    expect(ligne_fichier.get_by_role("link")).to_have_text(["statuts.pdf", "statuts-signes.pdf"])
    page.get_by_text("3 champs inchangés").click()
    expect(page.get_by_text("Disposez-vous d'une salle équipée ?")).to_be_visible()
    verifier_accessibilite(page)

    # Le formulaire de la page compare deux autres dépôts : ici, dans l'autre sens.
    page.get_by_label("Comparer le dépôt").select_option("2")
    page.get_by_label("avec le dépôt").select_option("1")
    page.get_by_role("button", name="Comparer").click()
    expect(
        page.get_by_role("table", name="2 champs modifiés entre le dépôt n° 2 et le dépôt n° 1")
    ).to_be_visible()

"""Parcours dans Chromium, après la délibération : le gestionnaire oublie le motif d'une
candidature non retenue et le lit près du champ, publie ; la structure lauréate retrouve sa
lettre sur sa page puis se retire ; le gestionnaire retient la suivante de la liste
d'attente, dans la limite des places.

L'appel est celui de `tests/evaluation/resultats.py` : 2 places ; A (20) et D (19) à
retenir, C (13) puis B (11) en liste d'attente, E (3) non retenue."""

import pytest
from playwright.sync_api import expect

from tests.candidatures.factories import ProgrammeFactory
from tests.evaluation.factories import seance_au_quorum
from tests.evaluation.resultats import appel_en_deliberation
from tests.factories import MOT_DE_PASSE, UtilisateurFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _connexion(page, live_server, email):
    page.goto(live_server.url + "/comptes/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe", exact=False).first.fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Connexion").click()


def _deconnexion(page):
    page.get_by_role("link", name="Se déconnecter").click()
    page.get_by_role("button", name="Se déconnecter").click()


def test_motif_oublie_lettre_retrouvee_retrait_et_liste_d_attente(
    page, live_server, verifier_accessibilite
):
    gestionnaire = UtilisateurFactory(gestionnaire=True, email="gestion@exemple.test")
    programme = ProgrammeFactory(gestionnaires=[gestionnaire])
    jury, candidatures = appel_en_deliberation(programme, gestionnaire)
    seance_au_quorum(jury.appel, gestionnaire)
    a = candidatures["A"]

    _connexion(page, live_server, "gestion@exemple.test")
    page.goto(live_server.url + f"/gestion/appels/{jury.appel_id}/deliberation/")
    for lettre, sens in (
        ("A", "retenue"),
        ("D", "retenue"),
        ("C", "liste_attente"),
        ("B", "liste_attente"),
        ("E", "non_retenue"),
    ):
        page.get_by_label(f"Décision pour CCAS {lettre}").select_option(sens)
    page.get_by_label("Motif pour CCAS A").fill("Projet le plus abouti")
    page.get_by_role("button", name="Enregistrer les décisions").click()

    # Le motif manque pour E : le message est près de son champ, ce qui a été saisi reste.
    expect(page.get_by_text("Des motifs manquent ; rien n'a été enregistré.")).to_be_visible()
    motif_e = page.get_by_label("Motif pour CCAS E")
    expect(motif_e).to_have_accessible_description(
        "Indiquez pourquoi la candidature n'est pas retenue : le motif figure dans la lettre "
        "envoyée à la structure."
    )
    expect(page.get_by_label("Décision pour CCAS E")).to_have_value("non_retenue")
    expect(page.get_by_label("Motif pour CCAS A")).to_have_value("Projet le plus abouti")
    verifier_accessibilite(page)
    motif_e.fill("Aucun référent ne peut suivre les formations")
    page.get_by_role("button", name="Enregistrer les décisions").click()
    expect(page.get_by_text("Décisions enregistrées.")).to_be_visible()
    page.reload()
    expect(page.get_by_label("Motif pour CCAS E")).to_have_value(
        "Aucun référent ne peut suivre les formations"
    )
    page.get_by_role("button", name="Publier les résultats").click()
    expect(page.get_by_text("Résultats publiés : chaque structure")).to_be_visible()
    expect(page.get_by_text("2 candidatures retenues pour 2 places.")).to_be_visible()
    _deconnexion(page)

    # La structure A retrouve sa lettre sur la page de sa candidature, puis se retire.
    _connexion(page, live_server, "ccas-a@exemple.test")
    page.goto(live_server.url + f"/candidatures/{a.pk}/")
    verifier_accessibilite(page)
    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Télécharger la lettre de décision (PDF)").click()
    assert telechargement.value.suggested_filename == f"decision-{a.reference}.pdf"
    page.get_by_role("link", name="Retirer la candidature retenue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Retirer la candidature retenue de CCAS A ?"
    )
    verifier_accessibilite(page)
    page.get_by_role("button", name="Retirer la candidature retenue").click()
    expect(
        page.get_by_label("Pourquoi la candidature retenue est-elle retirée ?")
    ).to_have_accessible_description("Indiquez pourquoi la candidature retenue est retirée.")
    page.get_by_label("Pourquoi la candidature retenue est-elle retirée ?").fill(
        "Notre référente numérique a quitté le CCAS"
    )
    page.get_by_label("Je confirme", exact=False).check()
    page.get_by_role("button", name="Retirer la candidature retenue").click()
    expect(
        page.get_by_text("Votre candidature est retirée : l'accompagnement s'arrête")
    ).to_be_visible()
    expect(page.get_by_text("État : Retirée")).to_be_visible()
    expect(page.get_by_text("Notre référente numérique a quitté le CCAS")).to_be_visible()
    expect(page.get_by_role("link", name="Retirer la candidature retenue")).to_have_count(0)
    verifier_accessibilite(page)
    _deconnexion(page)

    # Le gestionnaire retient la suivante par rang : C, créée après B mais mieux classée.
    _connexion(page, live_server, "gestion@exemple.test")
    page.goto(live_server.url + f"/gestion/appels/{jury.appel_id}/deliberation/")
    expect(page.get_by_text("1 candidature retenue pour 2 places.")).to_be_visible()
    page.get_by_role("link", name="Voir la liste d'attente et les places libres").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Liste d'attente")
    expect(page.get_by_role("heading", name="Retenir CCAS C (rang 1)")).to_be_visible()
    verifier_accessibilite(page)
    page.get_by_label("Motif (désistement de…)").fill("Désistement du CCAS A")
    page.get_by_role("button", name="Retenir CCAS C").click()
    expect(page.get_by_text("CCAS C est retenue.")).to_be_visible()
    expect(page.get_by_text("2 candidatures retenues pour 2 places.")).to_be_visible()
    expect(page.get_by_text("Toutes les places sont prises.")).to_be_visible()

    # Plus de place : B n'entre pas sans la case « dépasser » et son motif.
    page.get_by_label("Motif (désistement de…)").fill("Une place de plus ?")
    page.get_by_role("button", name="Retenir CCAS B").click()
    expect(
        page.get_by_text("Les 2 places de l'appel sont prises (2 candidatures retenues).")
    ).to_be_visible()
    expect(page.get_by_label("Motif (désistement de…)")).to_have_value("Une place de plus ?")
    expect(page.get_by_text("2 candidatures retenues pour 2 places.")).to_be_visible()
    verifier_accessibilite(page)

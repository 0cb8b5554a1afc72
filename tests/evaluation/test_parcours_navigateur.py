"""Parcours dans Chromium : une membre du jury déclare, note (brouillon puis validation),
voit alors les notes des autres ; le gestionnaire ouvre la délibération et publie."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from candidatures.models import PieceJointe
from evaluation import services
from programmes.enums import EtatAppel
from programmes.models import Appel, PieceDemandee
from tests.candidatures.factories import (
    CandidatureFactory,
    ProgrammeFactory,
    StructureFactory,
)
from tests.candidatures.fichiers import PDF
from tests.evaluation.factories import (
    AffectationFactory,
    JuryFactory,
    MembreJuryFactory,
    membre_note,
)
from tests.factories import MOT_DE_PASSE, UtilisateurFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _connexion(page, live_server, email):
    page.goto(live_server.url + "/comptes/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe", exact=False).first.fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Connexion").click()


def _noter(page, valeurs):
    for libelle, valeur in valeurs.items():
        page.get_by_label(libelle, exact=False).first.fill(valeur)


def test_membre_note_puis_gestionnaire_publie(page, live_server, verifier_accessibilite):
    gestionnaire = UtilisateurFactory(gestionnaire=True, email="gestion@exemple.test")
    jury = JuryFactory(appel__programme=ProgrammeFactory(gestionnaires=[gestionnaire]))
    candidatures = [
        CandidatureFactory(appel=jury.appel, recevable=True, structure=StructureFactory(nom=nom))
        for nom in ("CCAS de Houplines", "CCAS de Leers")
    ]
    for candidature in candidatures:
        membre_note(jury, candidature, [3, 6], commentaire="Avis d'un autre membre")
    moi = MembreJuryFactory(
        jury=jury,
        utilisateur=UtilisateurFactory(
            membre_jury=True, email="jury@exemple.test", first_name="Claire", last_name="Dubois"
        ),
    )
    for candidature in candidatures:
        AffectationFactory(membre=moi, candidature=candidature)

    _connexion(page, live_server, "jury@exemple.test")
    page.get_by_role("link", name="Mon espace jury").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Espace jury")
    verifier_accessibilite(page)

    for numero, nom in enumerate(("CCAS de Houplines", "CCAS de Leers")):
        page.get_by_role("link", name=nom).click()
        verifier_accessibilite(page)
        page.get_by_label("Je n'ai pas de conflit d'intérêts").check()
        page.get_by_role("button", name="Enregistrer ma déclaration").click()
        expect(page.get_by_role("heading", name="Mes notes")).to_be_visible()
        expect(page.get_by_text("Avis d'un autre membre")).to_have_count(0)
        verifier_accessibilite(page)
        _noter(page, {"Adéquation (sur 5": "4", "Partenariats (sur 10": "7"})
        if numero == 0:
            page.get_by_role("button", name="Enregistrer le brouillon").click()
            expect(page.get_by_text("Brouillon enregistré")).to_be_visible()
            expect(page.get_by_text("Avis d'un autre membre")).to_have_count(0)
        page.get_by_role("button", name="Valider mes notes").click()
        expect(page.get_by_text("Notes validées : 15,50 / 20.")).to_be_visible()
        expect(page.get_by_text("Avis d'un autre membre")).to_be_visible()
        if numero == 0:
            expect(
                page.get_by_role("link", name="Candidature suivante : CCAS de Leers")
            ).to_be_visible()
        else:
            expect(
                page.get_by_text("Toutes les candidatures qui vous sont confiées sont notées.")
            ).to_be_visible()
        verifier_accessibilite(page)
        page.get_by_role("link", name="← Espace jury").click()

    page.get_by_role("link", name="Se déconnecter").click()
    page.get_by_role("button", name="Se déconnecter").click()
    _connexion(page, live_server, "gestion@exemple.test")
    page.goto(live_server.url + f"/gestion/appels/{jury.appel_id}/jury/")
    verifier_accessibilite(page)
    # Les réglages et la répartition ont chacun leur nombre de membres, chacun son libellé.
    expect(page.get_by_label("Nombre de membres par candidature proposé par défaut")).to_have_value(
        "3"
    )
    # Un membre par candidature désormais : les affectations déjà notées restent, et la page
    # dit lesquelles.
    repartition = page.locator("form").filter(
        has=page.get_by_label("Répartition automatique équilibrée")
    )
    repartition.get_by_label("Répartition automatique équilibrée").check()
    repartition.get_by_label(
        "Nombre de membres à affecter à chaque candidature (répartition automatique)"
    ).fill("1")
    repartition.get_by_role("button", name="Affecter").click()
    expect(page.get_by_text("Candidatures affectées.")).to_be_visible()
    expect(
        page.get_by_text(
            "2 affectations gardées, car la notation y a commencé : Claire Dubois pour CCAS "
            "de Houplines ; Claire Dubois pour CCAS de Leers."
        )
    ).to_be_visible()
    page.reload()
    expect(page.get_by_label("Nombre de membres par candidature proposé par défaut")).to_have_value(
        "1"
    )
    verifier_accessibilite(page)
    onglets = page.get_by_role("navigation", name="Jury de l'appel")
    # Pas d'onglet vers une délibération qui n'existe pas encore.
    expect(onglets.get_by_role("link", name="Délibération")).to_have_count(0)
    page.get_by_role("button", name="Ouvrir la délibération").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Délibération")
    expect(onglets.get_by_role("link", name="Délibération")).to_be_visible()
    verifier_accessibilite(page)
    page.get_by_label("Décision pour CCAS de Houplines").select_option("retenue")
    page.get_by_label("Décision pour CCAS de Leers").select_option("retenue")
    page.get_by_role("button", name="Enregistrer les décisions").click()
    expect(page.get_by_text("Décisions enregistrées.")).to_be_visible()
    # Personne n'est encore noté présent : le quorum n'est pas atteint, rien ne se publie.
    page.get_by_role("button", name="Publier les résultats").click()
    expect(
        page.get_by_text(
            "Quorum non atteint : 0 membre présent pour un quorum de 1. Les résultats ne se "
            "publient pas ; enregistrez les présents de la séance."
        )
    ).to_be_visible()
    verifier_accessibilite(page)
    # Une séance datée de demain est refusée à côté du champ, ce qui a été saisi reste.
    demain = (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("Date de la séance").fill(demain)
    page.get_by_label("Claire Dubois").check()
    page.get_by_label("Procès-verbal").fill("Séance tenue en mairie.")
    page.get_by_role("button", name="Enregistrer la séance").click()
    expect(
        page.get_by_text(
            "La séance ne peut pas être datée dans le futur : enregistrez-la une fois tenue.",
            exact=True,
        )
    ).to_be_visible()
    expect(page.get_by_label("Date de la séance")).to_have_value(demain)
    verifier_accessibilite(page)
    hier = (timezone.localtime() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("Date de la séance").fill(hier)
    page.get_by_label("Claire Dubois").check()
    page.get_by_role("button", name="Enregistrer la séance").click()
    expect(page.get_by_text("Séance enregistrée.")).to_be_visible()
    expect(page.get_by_text("Présents : 1 — quorum 1 : atteint.")).to_be_visible()
    page.get_by_role("button", name="Publier les résultats").click()
    expect(page.get_by_text("Résultats publiés : chaque structure")).to_be_visible()
    verifier_accessibilite(page)


def test_membre_se_decouvre_en_conflit_et_ne_peut_plus_noter(
    page, live_server, verifier_accessibilite
):
    """Elle a validé 17,5/20, découvre en relisant que sa sœur préside l'association, le
    déclare ; ses notes s'effacent, l'onglet resté ouvert ne peut plus noter, et le
    classement du gestionnaire ne compte que le 12/20 de l'autre membre."""
    gestionnaire = UtilisateurFactory(gestionnaire=True, email="gestion@exemple.test")
    jury = JuryFactory(appel__programme=ProgrammeFactory(gestionnaires=[gestionnaire]))
    houplines = CandidatureFactory(
        appel=jury.appel, recevable=True, structure=StructureFactory(nom="CCAS de Houplines")
    )
    membre_note(jury, houplines, [3, 6])
    moi = MembreJuryFactory(
        jury=jury, utilisateur=UtilisateurFactory(membre_jury=True, email="jury@exemple.test")
    )
    AffectationFactory(membre=moi, candidature=houplines)

    _connexion(page, live_server, "jury@exemple.test")
    page.get_by_role("link", name="Mon espace jury").click()
    page.get_by_role("link", name="CCAS de Houplines").click()
    page.get_by_label("Je n'ai pas de conflit d'intérêts").check()
    page.get_by_role("button", name="Enregistrer ma déclaration").click()
    _noter(page, {"Adéquation (sur 5": "5", "Partenariats (sur 10": "5"})
    page.get_by_role("button", name="Valider mes notes").click()
    expect(page.get_by_text("Notes validées : 17,50 / 20.")).to_be_visible()
    page.reload()
    expect(page.get_by_label("Adéquation (sur 5", exact=False).first).to_have_value("5")

    # Un second onglet reste ouvert sur la candidature, une correction en cours de saisie.
    onglet = page.context.new_page()
    onglet.goto(page.url)
    _noter(onglet, {"Adéquation (sur 5": "4", "Partenariats (sur 10": "4"})

    page.get_by_label("Type de conflit").select_option("famille")
    page.get_by_label("Précision (facultative)").fill("Ma sœur préside l'association")
    verifier_accessibilite(page)
    page.get_by_role("button", name="Déclarer un conflit d'intérêts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Espace jury")
    expect(
        page.get_by_text("Conflit déclaré : vous êtes récusé pour CCAS de Houplines.")
    ).to_be_visible()
    expect(page.get_by_role("cell", name="Récusé (conflit déclaré)")).to_be_visible()
    expect(page.get_by_role("link", name="CCAS de Houplines")).to_have_count(0)
    verifier_accessibilite(page)

    onglet.get_by_role("button", name="Valider mes notes").click()
    expect(onglet.get_by_role("heading", level=1)).to_have_text("Espace jury")
    expect(
        onglet.get_by_text(
            "Vous avez déclaré un conflit d'intérêts avec CCAS de Houplines : vous ne pouvez "
            "pas noter cette candidature, et aucune de vos notes n'y compte."
        )
    ).to_be_visible()
    expect(onglet.get_by_role("heading", name="Mes notes")).to_have_count(0)
    verifier_accessibilite(onglet)
    onglet.close()

    page.get_by_role("link", name="Se déconnecter").click()
    page.get_by_role("button", name="Se déconnecter").click()
    _connexion(page, live_server, "gestion@exemple.test")
    page.goto(live_server.url + f"/gestion/appels/{jury.appel_id}/classement/")
    ligne = page.get_by_role("row").filter(has_text="CCAS de Houplines")
    expect(ligne.get_by_role("cell")).to_have_text(
        ["1", "CCAS de Houplines", "12,00", "12,00", "0,00", "1", "1"]
    )
    verifier_accessibilite(page)


def test_membre_a_qui_la_candidature_est_retiree_pendant_qu_il_la_note(
    page, live_server, verifier_accessibilite
):
    """Elle a ouvert la candidature et commence à noter ; le gestionnaire la confie à un
    autre membre avant qu'elle valide : elle lit pourquoi ses notes ne sont pas enregistrées,
    sur son espace, sans plus rien de la candidature."""
    gestionnaire = UtilisateurFactory(gestionnaire=True, email="gestion@exemple.test")
    jury = JuryFactory(appel__programme=ProgrammeFactory(gestionnaires=[gestionnaire]))
    houplines = CandidatureFactory(
        appel=jury.appel, recevable=True, structure=StructureFactory(nom="CCAS de Houplines")
    )
    moi = MembreJuryFactory(
        jury=jury, utilisateur=UtilisateurFactory(membre_jury=True, email="jury@exemple.test")
    )
    affectation = AffectationFactory(membre=moi, candidature=houplines)

    _connexion(page, live_server, "jury@exemple.test")
    page.get_by_role("link", name="Mon espace jury").click()
    page.get_by_role("link", name="CCAS de Houplines").click()
    page.get_by_label("Je n'ai pas de conflit d'intérêts").check()
    page.get_by_role("button", name="Enregistrer ma déclaration").click()
    _noter(page, {"Adéquation (sur 5": "4", "Partenariats (sur 10": "7"})

    services.retirer_affectation(affectation, par=gestionnaire)
    page.get_by_role("button", name="Valider mes notes").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Espace jury")
    expect(
        page.get_by_text(
            "Cette candidature ne vous est plus confiée : vos notes n'ont pas été enregistrées."
        )
    ).to_be_visible()
    expect(
        page.get_by_text("Aucune candidature ne vous est confiée pour l'instant.")
    ).to_be_visible()
    expect(page.get_by_text("Houplines")).to_have_count(0)
    verifier_accessibilite(page)


def test_membre_attend_le_lancement_puis_lit_les_pieces_et_enchaine_les_candidatures(
    page, live_server, verifier_accessibilite
):
    """Un appel 2024 décidé, l'appel 2025 en évaluation (Houplines, avec ses statuts, et
    Leers), l'appel 2026 clos (Comines) : l'espace montre 2025 d'abord. Comines n'offre rien
    à déclarer ; Houplines se lit avec ses statuts, se valide (total sur 20, lien vers
    Leers), puis un brouillon la fait repasser en brouillon."""
    programme = ProgrammeFactory()
    moi = UtilisateurFactory(membre_jury=True, email="jury@exemple.test")
    candidatures = {}
    for titre, etat, jours, noms in (
        ("AMI 2024", EtatAppel.DECIDE, -400, ["CCAS d'Anstaing"]),
        ("AMI 2025", EtatAppel.EN_EVALUATION, -20, ["CCAS de Leers", "CCAS de Houplines"]),
        ("AMI 2026", EtatAppel.CLOS, -2, ["CCAS de Comines"]),
    ):
        jury = JuryFactory(appel__programme=programme, appel__titre=titre)
        limite = timezone.now() + datetime.timedelta(days=jours)
        Appel.objects.filter(pk=jury.appel_id).update(
            etat=etat, ouverture=limite - datetime.timedelta(days=30), date_limite=limite
        )
        membre = MembreJuryFactory(jury=jury, utilisateur=moi, email=moi.email)
        for nom in noms:
            candidatures[nom] = CandidatureFactory(
                appel=jury.appel, recevable=True, structure=StructureFactory(nom=nom)
            )
            AffectationFactory(membre=membre, candidature=candidatures[nom])
    houplines = candidatures["CCAS de Houplines"]
    PieceJointe.objects.create(
        candidature=houplines,
        piece_demandee=PieceDemandee.objects.create(appel=houplines.appel, libelle="Statuts"),
        fichier=ContentFile(PDF, name="statuts.pdf"),
        nom_original="statuts-houplines.pdf",
        type_mime="application/pdf",
        taille=len(PDF),
    )

    _connexion(page, live_server, "jury@exemple.test")
    page.get_by_role("link", name="Mon espace jury").click()
    expect(page.get_by_role("heading", level=2)).to_have_text(["AMI 2025", "AMI 2026", "AMI 2024"])
    expect(page.get_by_role("link", name="CCAS de Houplines")).to_be_visible()
    ligne_comines = page.get_by_role("row").filter(has_text="CCAS de Comines")
    expect(ligne_comines.get_by_role("cell").nth(1)).to_have_text("Évaluation pas encore lancée")
    verifier_accessibilite(page)

    page.get_by_role("link", name="CCAS de Comines").click()
    expect(
        page.get_by_text("L'évaluation de cet appel n'a pas encore commencé", exact=False)
    ).to_be_visible()
    expect(page.get_by_role("button", name="Enregistrer ma déclaration")).to_have_count(0)
    verifier_accessibilite(page)
    page.get_by_role("link", name="← Espace jury").click()

    page.get_by_role("link", name="CCAS de Houplines").click()
    page.get_by_label("Je n'ai pas de conflit d'intérêts").check()
    page.get_by_role("button", name="Enregistrer ma déclaration").click()
    with page.expect_download() as telechargement:
        page.get_by_role("link", name="statuts-houplines.pdf").click()
    fichier = telechargement.value
    assert fichier.suggested_filename == "statuts-houplines.pdf"
    with open(fichier.path(), "rb") as contenu:
        assert contenu.read() == PDF

    _noter(page, {"Adéquation (sur 5": "4", "Partenariats (sur 10": "7"})
    page.get_by_role("button", name="Valider mes notes").click()
    expect(page.get_by_text("Notes validées : 15,50 / 20.")).to_be_visible()
    expect(page.get_by_text("Total de vos notes : 15,50 / 20")).to_be_visible()
    expect(page.get_by_text("Notes : validée")).to_be_visible()
    verifier_accessibilite(page)

    _noter(page, {"Adéquation (sur 5": "3"})
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_text("Brouillon enregistré : pensez à valider.")).to_be_visible()
    expect(page.get_by_text("Notes : brouillon")).to_be_visible()
    expect(page.get_by_text("Notes : validée")).to_have_count(0)
    page.reload()
    expect(page.get_by_label("Adéquation (sur 5", exact=False).first).to_have_value("3")

    page.get_by_role("button", name="Valider mes notes").click()
    expect(page.get_by_text("Notes validées : 12,50 / 20.")).to_be_visible()
    page.get_by_role("link", name="Candidature suivante : CCAS de Leers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("CCAS de Leers")
    verifier_accessibilite(page)

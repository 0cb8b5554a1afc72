"""Les comptes dans Chromium, axe sur chaque page :
- une invitation à une adresse qui a déjà un compte : la gestionnaire invite depuis son
  espace ; la personne invitée ouvre le lien, se connecte avec son propre mot de passe,
  accepte et trouve son nouveau rôle dans son espace ;
- une structure candidate télécharge ses données puis supprime son compte."""

import json
import re

import pytest
from playwright.sync_api import expect

from candidatures import services as services_candidatures
from messagerie.models import Message
from structures.models import InvitationStructure, Structure
from tests.candidatures.factories import ProgrammeFactory, StructureFactory
from tests.factories import MOT_DE_PASSE, UtilisateurFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _se_connecter(page, email):
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe", exact=False).first.fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Connexion").click()


def test_une_personne_qui_a_deja_un_compte_accepte_une_invitation_en_se_connectant(
    page, live_server, verifier_accessibilite
):
    site = live_server.url
    gestionnaire = UtilisateurFactory(
        gestionnaire=True, email="gaelle.gestion@mel.test", first_name="Gaëlle"
    )
    ProgrammeFactory(nom="Inclusion numérique MEL", gestionnaires=[gestionnaire])
    ines = UtilisateurFactory(
        candidat=True, email="ines.roux@ccas-houplines.test", first_name="Inès", last_name="Roux"
    )
    StructureFactory(nom="CCAS de Houplines", membres=[ines])

    # La gestionnaire invite Inès au jury, depuis son espace.
    page.goto(site + "/")
    page.get_by_role("link", name="Se connecter").first.click()
    _se_connecter(page, "gaelle.gestion@mel.test")
    page.get_by_role("link", name="Gérer les invitations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invitations")
    verifier_accessibilite(page)
    page.get_by_label("Adresse électronique de la personne invitée").fill(
        "ines.roux@ccas-houplines.test"
    )
    page.get_by_label("Rôle").select_option(label="Membre du jury")
    page.get_by_label("Programme").select_option(label="Inclusion numérique MEL")
    page.get_by_role("button", name="Envoyer l'invitation").click()
    expect(page.get_by_text("Invitation envoyée à ines.roux@ccas-houplines.test.")).to_be_visible()
    ligne = page.get_by_role("row").filter(has_text="ines.roux@ccas-houplines.test")
    expect(ligne).to_contain_text("Inclusion numérique MEL")
    expect(ligne).to_contain_text("En attente")
    page.get_by_role("link", name="Se déconnecter").click()
    page.get_by_role("button", name=re.compile("Se déconnecter|Déconnexion")).click()

    # Inès ouvre le lien du courriel : on lui demande de se connecter, pas un mot de passe.
    courriel = Message.objects.get(type="invitation", destinataire="ines.roux@ccas-houplines.test")
    lien = re.search(r"https?://\S+/invitation/[\w-]+/", courriel.corps_texte).group(0)
    chemin = "/invitation/" + lien.rsplit("/invitation/", 1)[1]
    page.goto(site + chemin)
    expect(page.get_by_role("heading", level=1)).to_have_text("Accepter l'invitation")
    expect(page.get_by_text("Un compte existe déjà pour l'adresse")).to_be_visible()
    expect(page.locator("input[type=password]")).to_have_count(0)
    verifier_accessibilite(page)

    page.get_by_role("link", name="Me connecter pour accepter").click()
    verifier_accessibilite(page)
    _se_connecter(page, "ines.roux@ccas-houplines.test")

    # Revenue sur l'invitation, connectée avec son compte : elle accepte.
    expect(page).to_have_url(site + chemin)
    expect(page.get_by_text("Vous êtes connecté·e avec le compte")).to_be_visible()
    verifier_accessibilite(page)
    page.get_by_role("button", name="Accepter le rôle avec mon compte").click()

    expect(page).to_have_url(site + "/tableau-de-bord/")
    expect(
        page.get_by_text(
            "Invitation acceptée : vous avez le rôle « Membre du jury » dans le programme "
            "« Inclusion numérique MEL »."
        )
    ).to_be_visible()
    expect(page.get_by_text("Vos rôles : Structure candidate, Membre du jury.")).to_be_visible()
    expect(page.get_by_role("link", name="Mon espace jury : candidatures à noter")).to_be_visible()
    verifier_accessibilite(page)
    page.reload()
    expect(page.get_by_text("Vos rôles : Structure candidate, Membre du jury.")).to_be_visible()

    # Le lien ne sert plus.
    page.goto(site + chemin)
    expect(page.get_by_role("heading", level=1)).to_have_text("Invitation non valable")


def test_une_structure_telecharge_ses_donnees_puis_supprime_son_compte(
    page, live_server, verifier_accessibilite
):
    site = live_server.url
    claire = UtilisateurFactory(
        candidat=True,
        email="claire.zephyrine@ccas-houplines.test",
        first_name="Claire",
        last_name="Zéphyrine",
    )
    StructureFactory(
        nom="CCAS de Houplines",
        membres=[claire],
        contact_nom="Claire Zéphyrine",
        contact_email="claire.zephyrine@ccas-houplines.test",
    )
    voisine = StructureFactory(nom="CCAS de Frelinghien", membres=[UtilisateurFactory()])
    services_candidatures.inviter_dans_structure(
        voisine, email="claire.zephyrine@ccas-houplines.test", par=voisine.membres.get()
    )

    page.goto(site + "/")
    page.get_by_role("link", name="Se connecter").first.click()
    _se_connecter(page, "claire.zephyrine@ccas-houplines.test")
    page.get_by_role("link", name="Mon compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")
    verifier_accessibilite(page)

    with page.expect_download() as telechargement:
        page.get_by_role("button", name="Télécharger mes données").click()
    with open(telechargement.value.path(), encoding="utf-8") as fichier:
        donnees = json.load(fichier)
    assert [(i["structure"], i["etat"]) for i in donnees["invitations_recues"]] == [
        ("CCAS de Frelinghien", "en attente")
    ]
    assert [c["structure"] for c in donnees["contact_de_structures"]] == ["CCAS de Houplines"]

    page.get_by_role("link", name="Supprimer mon compte…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Supprimer mon compte")
    expect(page.get_by_text("les invitations encore ouvertes à votre adresse")).to_be_visible()
    verifier_accessibilite(page)
    page.get_by_label("Votre mot de passe, pour confirmer que c'est bien vous").fill(MOT_DE_PASSE)
    page.get_by_label("J'ai compris : mon compte sera supprimé").check()
    page.get_by_role("button", name="Supprimer définitivement mon compte").click()

    expect(page).to_have_url(site + "/")
    expect(page.get_by_text("Votre compte est supprimé")).to_be_visible()
    verifier_accessibilite(page)
    anonyme = f"supprime-{claire.pk}@invalid"
    assert InvitationStructure.objects.get().email == anonyme
    assert Structure.objects.get(nom="CCAS de Houplines").contact_email == ""

    # L'ancienne adresse n'ouvre plus rien.
    page.get_by_role("link", name="Se connecter").first.click()
    _se_connecter(page, "claire.zephyrine@ccas-houplines.test")
    expect(page.get_by_role("link", name="Mon compte")).to_have_count(0)

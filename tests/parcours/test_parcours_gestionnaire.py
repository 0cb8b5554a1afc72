"""Un gestionnaire, d'un nouvel appel aux résultats publiés, par les pages seulement : créer,
publier, (les candidatures arrivent), clore, recevabilité, jury, lancer l'évaluation, (les
membres notent), délibération, décisions, publication. Connexion par le formulaire avec le
second facteur, axe sur chaque page (aucune violation)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from evaluation.models import Affectation
from programmes.models import Appel
from tests.candidatures.factories import CandidatureFactory, ProgrammeFactory, StructureFactory
from tests.evaluation.factories import noter
from tests.factories import MOT_DE_PASSE, UtilisateurFactory
from tests.securite.totp import activer_totp, code_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STRUCTURES = ("CCAS de Houplines", "CCAS de Leers", "Association Roubaix Connectée")


def _saisie_de_date(moment):
    """Ce qu'une personne tape dans un champ date et heure : l'heure de Paris, à la minute."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _les_membres_notent(appel):
    """Ce que font les membres du jury (leur parcours est testé à part) : pas de conflit, puis
    des notes validées, la première candidature mieux notée que la deuxième."""
    from evaluation import services

    for affectation in Affectation.objects.filter(candidature__appel=appel).select_related(
        "membre__utilisateur", "candidature__structure"
    ):
        candidature, utilisateur = affectation.candidature, affectation.membre.utilisateur
        services.declarer_conflit(candidature, par=utilisateur, en_conflit=False)
        rang = STRUCTURES.index(candidature.structure.nom)
        criteres = candidature.appel.grille.criteres.order_by("ordre")
        noter(candidature, utilisateur, [c.maximum - rang for c in criteres])


def test_d_un_nouvel_appel_aux_resultats_publies(page, live_server, axe, settings):
    settings.MFA_OBLIGATOIRE_GESTIONNAIRES = True
    gestionnaire = UtilisateurFactory(
        gestionnaire=True, is_staff=True, email="gaelle@mel.test", first_name="Gaëlle"
    )
    secret = activer_totp(gestionnaire)
    ProgrammeFactory(nom="Inclusion numérique MEL", gestionnaires=[gestionnaire])
    for email, prenom in (("jury1@exemple.test", "Claire"), ("jury2@exemple.test", "Jules")):
        UtilisateurFactory(membre_jury=True, email=email, first_name=prenom, last_name="Dubois")
    site = live_server.url

    page.goto(site + "/")
    page.get_by_role("link", name="Se connecter").first.click()
    axe(page)
    page.get_by_label("Courriel").fill("gaelle@mel.test")
    page.get_by_label("Mot de passe", exact=False).first.fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Authentification à deux facteurs")
    axe(page)
    page.get_by_label("Code").fill(code_totp(secret))
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Espace de gestion")
    axe(page)

    # Un nouvel appel, ses questions, ses règles, publié.
    page.get_by_role("link", name="Voir les appels").click()
    axe(page)
    page.get_by_role("link", name="Nouvel appel pour Inclusion numérique MEL").click()
    axe(page)
    maintenant = timezone.now()
    page.get_by_label("Titre").fill("AMI inclusion numérique 2028")
    page.get_by_label("Description").fill("Des ateliers numériques **réguliers**.")
    page.get_by_label("Ouverture des dépôts").fill(
        _saisie_de_date(maintenant - datetime.timedelta(days=1))
    )
    page.get_by_label("Date limite de dépôt").fill(
        _saisie_de_date(maintenant + datetime.timedelta(days=30))
    )
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("L'appel est créé en brouillon.")).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Questions et pièces").click()
    axe(page)
    page.locator("#id_questions-0-libelle").fill("Décrivez votre projet")
    page.locator("#id_questions-0-type").select_option("texte_long")
    page.get_by_role("button", name="Enregistrer").click()
    expect(
        page.get_by_text("Les questions et les pièces demandées sont enregistrées.")
    ).to_be_visible()
    page.get_by_role("link", name="← AMI inclusion numérique 2028").click()
    page.get_by_role("link", name="Règles d'éligibilité").click()
    axe(page)
    page.get_by_label("EPCI du périmètre").select_option(label="Métropole Européenne de Lille")
    page.get_by_role("button", name="Enregistrer les règles").click()
    expect(page.get_by_text("Les règles d'éligibilité sont enregistrées.")).to_be_visible()
    page.get_by_role("button", name="Publier l'appel").click()
    expect(page.get_by_text("L'appel est publié")).to_be_visible()
    expect(page.locator("main .badge").first).to_have_text("Ouvert")
    axe(page)

    # Les candidatures arrivent (le dépôt est le parcours de la structure, testé à part).
    appel = Appel.objects.get(titre="AMI inclusion numérique 2028")
    for nom in STRUCTURES:
        CandidatureFactory(appel=appel, deposee=True, structure=StructureFactory(nom=nom))

    page.get_by_role("link", name="Clore maintenant…").click()
    axe(page)
    expect(page.get_by_text("Aucune candidature n'est en brouillon.")).to_be_visible()
    page.get_by_role("button", name="Confirmer la clôture").click()
    expect(page.locator("main .badge").first).to_have_text("Clos")
    axe(page)

    # Recevabilité : deux d'un coup depuis la liste, la troisième irrecevable, motivée.
    page.get_by_role("link", name="Candidatures", exact=True).click()
    axe(page)
    page.get_by_label("Sélectionner CCAS de Houplines").check()
    page.get_by_label("Sélectionner CCAS de Leers").check()
    page.get_by_role("button", name="Déclarer recevables les candidatures cochées").click()
    axe(page)
    page.get_by_role("link", name="Association Roubaix Connectée").click()
    axe(page)
    page.get_by_label("Motif d'irrecevabilité").fill(
        "Roubaix compte plus de 21 000 habitants : hors des critères de l'appel."
    )
    page.get_by_role("button", name="Déclarer irrecevable").click()
    expect(page.locator("main .badge").first).to_have_text("Irrecevable")
    axe(page)

    # Le jury : préparé, deux membres, les candidatures recevables réparties, évaluation lancée.
    page.goto(site + f"/gestion/appels/{appel.pk}/")
    page.get_by_role("link", name="Jury", exact=True).click()
    axe(page)
    page.get_by_role("button", name="Préparer le jury").click()
    axe(page)
    membres = page.get_by_role("table", name="Avancement par membre").get_by_role("row")
    for nombre, email in enumerate(("jury1@exemple.test", "jury2@exemple.test"), start=1):
        page.get_by_label("Adresse électronique").fill(email)
        page.get_by_role("button", name="Ajouter au jury").click()
        expect(membres.filter(has_text="Dubois")).to_have_count(nombre)
    page.get_by_label("Répartition automatique équilibrée").check()
    page.get_by_label(
        "Nombre de membres à affecter à chaque candidature (répartition automatique)"
    ).fill("2")
    page.get_by_role("button", name="Affecter", exact=True).first.click()
    expect(page.get_by_text("Candidatures affectées.")).to_be_visible()
    axe(page)
    page.get_by_label("Date limite de notation").fill(
        _saisie_de_date(maintenant + datetime.timedelta(days=45))
    )
    page.get_by_role("button", name="Enregistrer les réglages").click()
    axe(page)
    page.get_by_role("button", name="Lancer l'évaluation").click()
    expect(page.get_by_text("État de l'appel : En évaluation")).to_be_visible()
    axe(page)

    _les_membres_notent(appel)

    # Délibération : séance, décisions, publication.
    page.reload()
    page.get_by_role("button", name="Ouvrir la délibération").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Délibération")
    axe(page)
    page.get_by_label("Date de la séance").fill(
        _saisie_de_date(timezone.now() - datetime.timedelta(hours=2))
    )
    page.get_by_label("Claire Dubois").check()
    page.get_by_label("Jules Dubois").check()
    page.get_by_label("Quorum (membres présents requis)").fill("2")
    page.get_by_role("button", name="Enregistrer la séance").click()
    axe(page)
    page.get_by_label("Décision pour CCAS de Houplines").select_option("retenue")
    page.get_by_label("Décision pour CCAS de Leers").select_option("liste_attente")
    page.get_by_role("button", name="Enregistrer les décisions").click()
    expect(page.get_by_text("Décisions enregistrées.")).to_be_visible()
    axe(page)
    page.get_by_role("button", name="Publier les résultats").click()
    expect(page.get_by_text("Résultats publiés : chaque structure")).to_be_visible()
    axe(page)

    appel.refresh_from_db()
    etats = dict(appel.candidatures.values_list("structure__nom", "etat"))
    assert (appel.etat, etats) == (
        "decide",
        {
            "CCAS de Houplines": "retenue",
            "CCAS de Leers": "liste_attente",
            "Association Roubaix Connectée": "irrecevable",
        },
    )
    axe.aucune_violation()

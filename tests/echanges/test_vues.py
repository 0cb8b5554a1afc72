import pytest
from django.urls import reverse

from candidatures.models import Candidature
from echanges import selectors, services
from echanges.models import MessageFil
from evaluation import services as services_evaluation
from tests.candidatures.factories import CandidatureFactory
from tests.candidatures.fichiers import PDF, fichier
from tests.evaluation.factories import AffectationFactory, JuryFactory, MembreJuryFactory

pytestmark = pytest.mark.django_db


def _fil(objet, cle):
    return reverse("echanges:fil", args=[cle, objet.pk])


def test_la_structure_repond_depuis_la_page_de_sa_candidature(client, monde):
    services.ecrire(monde.candidature, par=monde.gestionnaire, texte="Budget détaillé ?")
    client.force_login(monde.membre)
    page = client.get(reverse("tableau_de_bord")).content.decode()
    assert "Vous avez 1 message non lu dans vos fils de discussion." in page
    assert "1 message non lu</span>" in page

    page = client.get(reverse("candidatures:candidature", args=[monde.candidature.pk]))
    contenu = page.content.decode()
    assert 'aria-labelledby="titre-fil-discussion"' in contenu
    assert "Budget détaillé ?" in contenu
    assert "Nouveau</span>" in contenu
    assert selectors.non_lus(monde.membre, [monde.candidature]) == {}
    assert "Réponse attendue sous (jours)" not in contenu

    reponse = client.post(
        _fil(monde.candidature, "candidature"),
        {"texte": "Le voici.", "fichiers": [fichier("budget.pdf")]},
    )
    assert reponse.status_code == 302
    assert reponse["Location"] == (
        reverse("candidatures:candidature", args=[monde.candidature.pk]) + "#fil-discussion"
    )
    message = MessageFil.objects.latest("pk")
    assert (message.auteur, message.cote, message.texte) == (monde.membre, "structure", "Le voici.")
    piece = message.pieces.get()
    telechargement = client.get(reverse("echanges:piece", args=[piece.pk]))
    assert telechargement.status_code == 200
    assert b"".join(telechargement.streaming_content) == PDF


def test_fichier_refuse_message_garde_et_erreur_a_cote_du_champ(client, monde):
    client.force_login(monde.membre)
    reponse = client.post(
        _fil(monde.candidature, "candidature"),
        {"texte": "Mon texte à garder", "fichiers": [fichier("budget.exe", contenu=b"MZ")]},
    )
    assert reponse.status_code == 400
    contenu = reponse.content.decode()
    assert "Mon texte à garder" in contenu
    assert "n&#x27;est pas d&#x27;un type accepté" in contenu
    assert 'id="error_1_id_fil_fichiers"' in contenu
    assert MessageFil.objects.count() == 0


def test_le_gestionnaire_demande_une_reponse_depuis_sa_page(client, monde):
    client.force_login(monde.gestionnaire)
    page = client.get(reverse("candidatures:gestion_candidature", args=[monde.candidature.pk]))
    assert "Réponse attendue sous (jours)" in page.content.decode()
    assert "Montrer ce fil au jury" in page.content.decode()
    reponse = client.post(
        _fil(monde.candidature, "candidature"),
        {"texte": "Vos statuts ?", "delai_reponse_jours": "7"},
    )
    assert reponse["Location"] == (
        reverse("candidatures:gestion_candidature", args=[monde.candidature.pk]) + "#fil-discussion"
    )
    assert MessageFil.objects.get().reponse_attendue_avant is not None
    reponse = client.post(
        _fil(monde.candidature, "candidature"), {"texte": "Encore", "delai_reponse_jours": "400"}
    )
    assert reponse.status_code == 400
    assert "inférieure ou égale à 90" in reponse.content.decode()


def test_plan_le_coach_et_la_structure(client, monde):
    client.force_login(monde.coach)
    reponse = client.post(_fil(monde.plan, "plan"), {"texte": "Rendez-vous mardi ?"})
    assert reponse["Location"] == (
        reverse("accompagnement:plan", args=[monde.plan.pk]) + "#fil-discussion"
    )
    client.force_login(monde.membre)
    contenu = client.get(reverse("accompagnement:mes_plans"), follow=True).content.decode()
    assert "Rendez-vous mardi ?" in contenu
    client.force_login(monde.gestionnaire)
    cohorte = reverse("accompagnement:gestion_cohorte", args=[monde.plan.candidature.appel_id])
    assert "1 message non lu</span>" in client.get(cohorte).content.decode()
    frise = client.get(reverse("accompagnement:frise")).content.decode()
    assert "1 message non lu</span>" in frise
    accueil = client.get(reverse("accueil_gestion")).content.decode()
    assert "Vous avez 1 message non lu dans vos fils de discussion." in accueil


@pytest.mark.parametrize(
    "personne,statut",
    [("candidat_b", 404), ("autre_coach", 404), ("autre_gestionnaire", 404)],
)
def test_hors_du_fil_du_plan_introuvable(client, monde, personne, statut):
    message = services.ecrire(
        monde.plan, par=monde.coach, texte="Bonjour", fichiers=[fichier("a.pdf")]
    )
    client.force_login(getattr(monde, personne))
    assert client.get(_fil(monde.plan, "plan")).status_code == statut
    assert client.post(_fil(monde.plan, "plan"), {"texte": "Intrus"}).status_code == statut
    piece = message.pieces.get()
    assert client.get(reverse("echanges:piece", args=[piece.pk])).status_code == 404
    assert MessageFil.objects.count() == 1


def test_le_jury_voit_le_fil_seulement_une_fois_montre(client, monde):
    jury = JuryFactory(appel__programme=monde.candidature.appel.programme)
    membre = MembreJuryFactory(jury=jury)
    candidature = CandidatureFactory(
        appel=jury.appel, structure=monde.candidature.structure, recevable=True
    )
    AffectationFactory(membre=membre, candidature=candidature)
    services_evaluation.declarer_conflit(candidature, par=membre.utilisateur, en_conflit=False)
    message = services.ecrire(
        candidature, par=monde.membre, texte="Précision pour l'équipe", fichiers=[fichier("p.pdf")]
    )
    page_jury = reverse("evaluation:jury_candidature", args=[candidature.pk])
    piece = reverse("echanges:piece", args=[message.pieces.get().pk])
    client.force_login(membre.utilisateur)
    assert "Précision pour l&#x27;équipe" not in client.get(page_jury).content.decode()
    assert client.get(piece).status_code == 404

    client.force_login(monde.gestionnaire)
    partage = reverse("echanges:partage", args=["candidature", candidature.pk])
    assert client.post(partage, {"partage": "1"}).status_code == 302

    client.force_login(membre.utilisateur)
    contenu = client.get(page_jury).content.decode()
    assert "Précision pour l&#x27;équipe" in contenu
    assert "Envoyer le message" not in contenu
    assert client.get(piece).status_code == 200
    assert client.get(_fil(candidature, "candidature")).status_code == 404
    assert client.post(partage, {"partage": "0"}).status_code == 404


def test_la_structure_ne_montre_pas_le_fil_au_jury(client, monde):
    client.force_login(monde.membre)
    partage = reverse("echanges:partage", args=["candidature", monde.candidature.pk])
    assert client.post(partage, {"partage": "1"}).status_code == 403


def _liste(client, appel):
    return client.get(reverse("candidatures:gestion_candidatures", args=[appel.pk]))


def test_liste_des_candidatures_meme_nombre_de_requetes(
    client, monde, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    appel = monde.candidature.appel
    client.force_login(monde.collegue)
    services.ecrire(monde.candidature, par=monde.gestionnaire, texte="Un")
    with CaptureQueriesContext(connection) as une:
        contenu = _liste(client, appel).content.decode()
    assert contenu.count("message non lu</span>") == 1
    for _ in range(3):
        autre = CandidatureFactory(appel=appel, deposee=True)
        services.ecrire(autre, par=monde.gestionnaire, texte="Deux")
        services.ecrire(autre, par=monde.gestionnaire, texte="Trois")
    with CaptureQueriesContext(connection) as plusieurs:
        contenu = _liste(client, appel).content.decode()
    assert contenu.count("2 messages non lus</span>") == 3
    assert len(plusieurs) == len(une)
    assert Candidature.objects.filter(appel=appel).count() == 5

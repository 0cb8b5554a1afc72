"""Les écritures de l'activité vérifient elles-mêmes qui les fait : une vue oubliée ou un
autre appelant ne peut pas écrire l'activité d'une structure qu'il ne saisit pas."""

import datetime
import html

import pytest
from django.urls import reverse

from activite import services
from activite.importation import importer_activite
from activite.models import Action, Beneficiaire, ListeAttente, Participation
from journal.models import Evenement
from noyau.erreurs import ActionNonPermise, DonneesRefusees
from tests.activite.factories import ActionFactory, BeneficiaireFactory, ParticipationFactory
from tests.candidatures.factories import CandidatureFactory, membre_de
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def laureate(structure):
    candidature = CandidatureFactory(structure=structure, retenue=True)
    gestionnaire = UtilisateurFactory(gestionnaire=True)
    candidature.appel.programme.gestionnaires.add(gestionnaire)
    return structure, membre_de(structure), gestionnaire


def test_le_gestionnaire_du_programme_lit_l_activite_mais_les_services_refusent_qu_il_la_saisisse(
    laureate,
):
    structure, _membre, gestionnaire = laureate
    action = ActionFactory(structure=structure)
    participation = ParticipationFactory(action=action)
    ecritures = [
        lambda: services.ajouter_beneficiaire(structure, par=gestionnaire, genre="F"),
        lambda: services.enregistrer_action(
            structure, par=gestionnaire, type="atelier", date_debut=datetime.date(2023, 3, 1)
        ),
        lambda: services.ajouter_participants(action, [], par=gestionnaire),
        lambda: services.changer_statuts(action, {}, par=gestionnaire),
        lambda: services.retirer_participant(action, participation.pk, par=gestionnaire),
        lambda: services.supprimer_action(action, par=gestionnaire),
        lambda: services.enregistrer_liste_attente(
            structure, par=gestionnaire, date=datetime.date(2023, 9, 1), nombre=3
        ),
        lambda: importer_activite(structure, {}, par=gestionnaire),
    ]
    avant = Evenement.objects.count()

    for ecriture in ecritures:
        with pytest.raises(ActionNonPermise):
            ecriture()

    assert Beneficiaire.objects.filter(structure=structure).count() == 1
    assert Action.objects.filter(structure=structure).count() == 1
    assert Participation.objects.filter(pk=participation.pk).exists()
    assert not ListeAttente.objects.exists()
    assert Evenement.objects.count() == avant


def test_seul_un_gestionnaire_modifie_le_catalogue_des_themes(laureate):
    _structure, membre, gestionnaire = laureate

    with pytest.raises(ActionNonPermise):
        services.enregistrer_theme(par=membre, libelle="Démarches en ligne")
    theme = services.enregistrer_theme(par=gestionnaire, libelle="Démarches en ligne")

    assert theme.pk is not None
    with pytest.raises(DonneesRefusees):
        services.enregistrer_theme(par=gestionnaire, libelle="Démarches en ligne")


def test_ajouter_et_retirer_un_participant_se_journalisent(laureate):
    structure, membre, _gestionnaire = laureate
    action = ActionFactory(structure=structure)
    beneficiaire = BeneficiaireFactory(structure=structure)

    inscrits = services.ajouter_participants(
        action, [beneficiaire], par=membre, nouveau={"code": "", "genre": "F"}
    )
    participation = action.participations.get(beneficiaire=beneficiaire)
    services.retirer_participant(action, participation.pk, par=membre)

    assert [b.code for b in inscrits][0] == beneficiaire.code
    assert list(action.participations.values_list("beneficiaire", flat=True)) == [inscrits[1].pk]
    assert list(
        Evenement.objects.filter(acteur=membre).order_by("pk").values_list("type", "donnees")
    ) == [
        ("beneficiaire_ajoute", {}),
        ("action_enregistree", {"action": action.pk, "participants": 2}),
        ("action_enregistree", {"action": action.pk, "retrait": True}),
    ]


def test_un_participant_d_une_autre_structure_est_refuse_et_rien_n_est_cree(laureate):
    structure, membre, _gestionnaire = laureate
    action = ActionFactory(structure=structure)
    etranger = BeneficiaireFactory()

    with pytest.raises(DonneesRefusees):
        services.ajouter_participants(
            action, [etranger], par=membre, nouveau={"code": "NOUVEAU", "genre": "F"}
        )

    assert not Beneficiaire.objects.filter(code="NOUVEAU").exists()
    assert not action.participations.exists()


def test_un_code_deja_pris_reaffiche_la_page_des_beneficiaires_avec_le_refus(client, laureate):
    structure, membre, _gestionnaire = laureate
    BeneficiaireFactory(structure=structure, code="MAISON-7")
    client.force_login(membre)

    reponse = client.post(
        reverse("activite:beneficiaires", args=[structure.pk]),
        {"code": "MAISON-7", "genre": "F", "annee_naissance": "1961"},
    )

    assert reponse.status_code == 400
    contenu = html.unescape(reponse.content.decode())
    assert "Le code « MAISON-7 » est déjà pris dans cette structure" in contenu
    assert 'value="1961"' in contenu
    # Le refus se lit à côté du champ (et dans le résumé des erreurs), pas en bandeau.
    [erreur] = reponse.context["form"].errors["code"]
    assert erreur.startswith("Le code « MAISON-7 » est déjà pris dans cette structure")
    assert 'aria-describedby="id_code_error' in contenu or "id_code_error" in contenu
    assert Beneficiaire.objects.filter(structure=structure).count() == 1


def test_un_statut_refuse_reaffiche_l_action_sans_rien_changer(client, laureate):
    structure, membre, _gestionnaire = laureate
    atelier = ActionFactory(structure=structure)
    participation = ParticipationFactory(action=atelier)
    client.force_login(membre)

    reponse = client.post(
        reverse("activite:action_statuts", args=[atelier.pk]),
        {f"statut-{participation.pk}": "complet"},
    )

    assert reponse.status_code == 400
    assert "Le statut « complet » ne convient pas à : atelier thématique." in html.unescape(
        reponse.content.decode()
    )
    assert Participation.objects.get(pk=participation.pk).statut == "present"

"""Le journal unique : chaque transition y entre (qui, depuis, vers, quelle transition, motif),
et la page d'un objet le montre."""

import pytest
from django.urls import reverse

from accompagnement.enums import EtatJalon, TypeJalon
from candidatures import services
from journal.enums import TypeEvenement
from journal.models import Evenement
from journal.selectors import derniere_transition, historique
from journal.services import journaliser
from messagerie.models import Message
from programmes.enums import EtatAppel
from tests.accompagnement.factories import plan_pour
from tests.candidatures.factories import AppelFactory, ProgrammeFactory
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def gestionnaire():
    return UtilisateurFactory(gestionnaire=True, first_name="Gaëlle", last_name="Gestion")


@pytest.fixture
def appel(gestionnaire):
    appel = AppelFactory(etat=EtatAppel.OUVERT)
    appel.programme.gestionnaires.add(gestionnaire)
    return appel


def test_une_transition_entre_au_journal_avec_qui_depuis_vers_et_motif(appel, gestionnaire):
    services.clore_appel(appel, par=gestionnaire, motif="Places pourvues")

    evenement = Evenement.objects.de(appel).get()
    assert (
        evenement.type,
        evenement.acteur,
        evenement.transition,
        evenement.depuis,
        evenement.vers,
        evenement.motif,
    ) == (TypeEvenement.CHANGEMENT_ETAT, gestionnaire, "clore", "ouvert", "clos", "Places pourvues")
    assert derniere_transition(appel, "clore") == evenement
    assert derniere_transition(appel, "rouvrir") is None


def test_une_transition_sans_acteur_ni_motif(appel):
    appel.clore()
    appel.save()
    evenement = Evenement.objects.de(appel).changements_d_etat().get()
    assert (evenement.acteur, evenement.motif) == (None, "")
    # Le motif et l'acteur ne restent pas posés sur l'objet après la transition.
    assert not [nom for nom in vars(appel) if nom.startswith("_journal_transition")]


def test_l_historique_melange_transitions_et_evenements_dans_l_ordre(appel, gestionnaire):
    journaliser(TypeEvenement.APPEL_MODIFIE, cible=appel, acteur=gestionnaire)
    services.clore_appel(appel, par=gestionnaire, motif="Places pourvues")

    lignes = historique(appel)
    assert [(ligne.libelle, ligne.depuis, ligne.vers, ligne.motif) for ligne in lignes] == [
        ("Appel modifié", "", "", ""),
        ("clore", "ouvert", "clos", "Places pourvues"),
    ]


def test_la_page_de_l_appel_montre_son_journal(client, appel, gestionnaire):
    services.clore_appel(appel, par=gestionnaire, motif="Places pourvues")
    client.force_login(gestionnaire)

    page = client.get(reverse("candidatures:gestion_appel", args=[appel.pk])).content.decode()

    assert 'id="titre-historique"' in page
    assert "Places pourvues" in page
    assert "Gaëlle Gestion" in page


def test_la_page_du_jalon_montre_son_journal_sans_nom_a_la_structure(client, gestionnaire):
    coach = UtilisateurFactory(coach=True, first_name="Chloé", last_name="Coachée")
    membre = UtilisateurFactory(candidat=True)
    plan = plan_pour(
        coach=coach,
        appel__programme=ProgrammeFactory(gestionnaires=[gestionnaire]),
        structure__membres=[membre],
    )
    jalon = plan.jalons.get(type=TypeJalon.LANCEMENT)
    journaliser(TypeEvenement.ECHEANCE_JALON_MODIFIEE, cible=jalon, acteur=coach)
    client.force_login(coach)
    client.post(reverse("accompagnement:jalon_action", args=[jalon.pk, "terminer"]))
    url = reverse("accompagnement:jalon", args=[jalon.pk])

    journal = client.get(url).text.split('id="titre-historique"')[1]
    assert str(EtatJalon.FAIT.label) in journal
    assert "Chloé Coachée" in journal
    assert "Échéance d&#x27;un jalon modifiée" in journal

    client.force_login(membre)
    journal = client.get(url).text.split('id="titre-historique"')[1]
    assert str(EtatJalon.FAIT.label) in journal
    assert "Chloé Coachée" not in journal
    assert "Échéance d&#x27;un jalon modifiée" not in journal


def test_la_page_du_plan_et_celle_du_message_montrent_leur_journal(client, gestionnaire):
    plan = plan_pour(appel__programme=ProgrammeFactory(gestionnaires=[gestionnaire]))
    client.force_login(gestionnaire)

    page = client.get(reverse("accompagnement:plan", args=[plan.pk])).text
    assert 'id="titre-historique"' in page

    message = Message.objects.create(
        type="essai", destinataire="ines@exemple.test", sujet="Bonjour", corps_texte="."
    )
    journaliser(TypeEvenement.MESSAGE_RENVOYE, cible=message, acteur=gestionnaire)
    client.force_login(UtilisateurFactory(is_staff=True, is_superuser=True))
    page = client.get(reverse("messagerie:detail", args=[message.pk])).text
    assert "Message renvoyé" in page.split('id="titre-historique"')[1]

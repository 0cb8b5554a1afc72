"""La démo est ce que l'application elle-même aurait pu produire (issue #15, point 28) : un
appel décidé a décidé de chaque candidature recevable, la liste d'attente suit le classement,
et chaque compte de démonstration se connecte, dont une structure lauréate."""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from candidatures.enums import EtatAppel, EtatCandidature
from candidatures.models import Appel
from demo.comptes_demo import COMPTES_DEMO, MOT_DE_PASSE_DEMO
from evaluation import selectors
from evaluation.enums import SensDecision
from evaluation.models import Decision

pytestmark = pytest.mark.django_db

DECIDEES = (EtatCandidature.RETENUE, EtatCandidature.LISTE_ATTENTE, EtatCandidature.NON_RETENUE)


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=None)


def test_chaque_appel_decide_a_decide_de_chaque_candidature_recevable(demo):
    appels = Appel.objects.filter(etat=EtatAppel.DECIDE)
    assert appels.count() == 1
    for appel in appels:
        candidatures = appel.candidatures.all()
        assert candidatures.filter(etat=EtatCandidature.RECEVABLE).count() == 0
        decidees = candidatures.filter(etat__in=DECIDEES)
        sens = dict(
            Decision.objects.filter(candidature__in=decidees).values_list("candidature_id", "sens")
        )
        assert sens == {c.pk: c.etat for c in decidees}


def test_la_liste_d_attente_suit_le_classement(demo):
    appel = Appel.objects.get(etat=EtatAppel.DECIDE)
    moyennes = {ligne.candidature.pk: ligne.moyenne for ligne in selectors.classement(appel)}
    attente = list(
        Decision.objects.filter(candidature__appel=appel, sens=SensDecision.LISTE_ATTENTE).order_by(
            "rang_liste_attente"
        )
    )

    assert [d.rang_liste_attente for d in attente] == list(range(1, len(attente) + 1))
    suite = [moyennes[d.candidature_id] for d in attente]
    assert len(suite) == 2
    assert suite == sorted(suite, reverse=True)
    assert suite[0] > suite[1]


@pytest.mark.parametrize("email", [email for email, *_ in COMPTES_DEMO])
def test_chaque_compte_de_demo_se_connecte(client, demo, email):
    reponse = client.post(reverse("account_login"), {"login": email, "password": MOT_DE_PASSE_DEMO})

    assert reponse.status_code == 302
    assert reponse["Location"] != reverse("account_login")
    assert client.session["_auth_user_id"]


def test_la_structure_laureate_de_demo_voit_son_accompagnement_et_son_activite(client, demo):
    client.post(
        reverse("account_login"),
        {"login": "laureate@demo.relais.test", "password": MOT_DE_PASSE_DEMO},
    )

    espace = client.get(reverse("tableau_de_bord")).content.decode()
    activite = client.get(reverse("activite:structures")).content.decode()

    assert "Mon accompagnement" in espace
    assert "Activité : ateliers, permanences et parcours" in espace
    assert "CCAS de Houplines" in activite


def test_le_lancement_nomme_la_structure_de_chaque_compte_de_structure(capsys):
    call_command("seed_demo")

    sortie = capsys.readouterr().out
    assert (
        "  Structure candidate          laureate@demo.relais.test "
        "(CCAS de Houplines, lauréate 2022)"
    ) in sortie
    assert f"Relais : {settings.SITE_URL}\n" in sortie


def test_chaque_candidature_de_demo_est_arrivee_a_son_etat_par_les_transitions_permises(demo):
    from django.contrib.contenttypes.models import ContentType
    from django_fsm_log.models import StateLog

    from candidatures.models import Candidature

    permises = {
        (transition.name, transition.source, transition.target)
        for transition in Candidature._meta.get_field("etat").get_all_transitions(Candidature)
    }
    type_candidature = ContentType.objects.get_for_model(Candidature)
    ecarts = []
    for candidature in Candidature.objects.all():
        etat = EtatCandidature.BROUILLON
        journal = StateLog.objects.filter(
            content_type=type_candidature, object_id=candidature.pk
        ).order_by("timestamp", "pk")
        for ligne in journal:
            if not {(ligne.transition, etat, ligne.state), (ligne.transition, "*", ligne.state)} & (
                permises
            ):
                ecarts.append((candidature.structure.nom, ligne.transition, etat, ligne.state))
            etat = ligne.state
        if etat != candidature.etat:
            ecarts.append((candidature.structure.nom, "état final", etat, candidature.etat))
    assert ecarts == []

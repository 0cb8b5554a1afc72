"""La démo est ce que l'application elle-même aurait pu produire (issue #15, point 28) : un
appel décidé a décidé de chaque candidature recevable, la liste d'attente suit le classement,
chaque état a été atteint par une transition journalisée faite par une personne de la démo,
et chaque compte de démonstration se connecte, dont une structure lauréate.

La démo est chargée une fois pour le module, dans une transaction annulée à la fin."""

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django_fsm import FSMField

from candidatures.enums import EtatCandidature
from demo.comptes_demo import COMPTES_DEMO, MOT_DE_PASSE_DEMO
from evaluation import selectors
from evaluation.enums import SensDecision
from evaluation.models import Decision
from journal.models import Evenement
from programmes.enums import EtatAppel
from programmes.models import Appel

pytestmark = pytest.mark.django_db

DECIDEES = (EtatCandidature.RETENUE, EtatCandidature.LISTE_ATTENTE, EtatCandidature.NON_RETENUE)


DOMAINE_DEMO = "@demo.relais.test"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=None)
        yield
        transaction.set_rollback(True)


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

    from candidatures.models import Candidature
    from journal.models import Evenement

    permises = {
        (transition.name, transition.source, transition.target)
        for transition in Candidature._meta.get_field("etat").get_all_transitions(Candidature)
    }
    type_candidature = ContentType.objects.get_for_model(Candidature)
    ecarts = []
    for candidature in Candidature.objects.all():
        etat = EtatCandidature.BROUILLON
        journal = (
            Evenement.objects.changements_d_etat()
            .filter(cible_type=type_candidature, cible_id=candidature.pk)
            .order_by("survenu_le", "pk")
        )
        for ligne in journal:
            if not {(ligne.transition, etat, ligne.vers), (ligne.transition, "*", ligne.vers)} & (
                permises
            ):
                ecarts.append((candidature.structure.nom, ligne.transition, etat, ligne.vers))
            etat = ligne.vers
        if etat != candidature.etat:
            ecarts.append((candidature.structure.nom, "état final", etat, candidature.etat))
    assert ecarts == []


def _modeles_a_etats():
    """(modèle, nom du champ d'état, état initial) pour chaque machine à états du projet."""
    for modele in apps.get_models():
        for champ in modele._meta.concrete_fields:
            if isinstance(champ, FSMField):
                yield modele, champ.name, champ.default


def test_chaque_etat_de_la_demo_a_ete_atteint_par_une_personne_de_la_demo(demo):
    """Hors de son état initial, chaque objet à états a au moins une transition journalisée
    dont l'auteur est un compte de la démo : rien n'y a été posé directement en base."""
    sans_auteur = []
    modeles = 0
    for modele, champ, initial in _modeles_a_etats():
        type_objet = ContentType.objects.get_for_model(modele)
        avances = modele.objects.exclude(**{champ: initial}).values_list("pk", champ)
        if avances:
            modeles += 1
        par_la_demo = {
            str(pk)
            for pk in Evenement.objects.changements_d_etat()
            .filter(cible_type=type_objet, acteur__email__endswith=DOMAINE_DEMO)
            .values_list("cible_id", flat=True)
        }
        sans_auteur += [
            (modele.__name__, pk, etat) for pk, etat in avances if str(pk) not in par_la_demo
        ]
    assert sans_auteur == []
    # Appels, candidatures, évaluations, plans, jalons et l'envoi groupé aux lauréates 2022.
    assert modeles == 6


def test_le_journal_de_la_demo_dit_qui_a_fait_quoi_et_quand(demo):
    from candidatures.models import Candidature

    candidature = Candidature.objects.get(
        appel__slug="ami-inclusion-numerique-2022", structure__nom__startswith="Association Clic"
    )
    journal = (
        Evenement.objects.changements_d_etat()
        .filter(cible_type=ContentType.objects.get_for_model(Candidature), cible_id=candidature.pk)
        .order_by("survenu_le")
    )
    assert [(ligne.transition, ligne.acteur.email) for ligne in journal] == [
        ("deposer", "candidat@demo.relais.test"),
        ("declarer_recevable", "gestionnaire@demo.relais.test"),
        ("mettre_en_liste_attente", "gestionnaire@demo.relais.test"),
    ]
    assert [ligne.survenu_le.year for ligne in journal] == [2022, 2022, 2022]
    assert candidature.deposee_le == journal[0].survenu_le


def test_les_courriels_de_la_demo_sont_ceux_des_services_et_attendent_dans_la_boite(demo):
    from messagerie.models import Message

    types = set(
        Message.objects.filter(destinataire="candidat@demo.relais.test").values_list(
            "type", flat=True
        )
    )
    assert {"candidature_deposee", "candidature_recevable"} <= types
    assert not Message.objects.exclude(etat=Message._meta.get_field("etat").default).exists()


def test_chaque_adresse_de_la_demo_est_une_adresse_valide(demo):
    """Les comptes, les référents et les destinataires des courriels : des adresses qu'un
    formulaire de Relais accepterait (le référent de l'ESAT avait « @.demo.relais.test »)."""
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    from accompagnement.models import Referent
    from messagerie.models import Message

    adresses = (
        set(get_user_model().objects.values_list("email", flat=True))
        | set(Referent.objects.values_list("email", flat=True))
        | set(Message.objects.values_list("destinataire", flat=True))
    )
    invalides = []
    for adresse in sorted(adresses):
        try:
            validate_email(adresse)
        except ValidationError:
            invalides.append(adresse)

    assert len(adresses) > 40
    assert invalides == []


@pytest.mark.parametrize("close_a_l_echeance", [False, True])
def test_des_mois_plus_tard_l_appel_ouvert_accepte_toujours_les_depots(demo, close_a_l_echeance):
    """Rechargée après la date limite de l'appel ouvert, la démo la repousse par les services
    (modification, ou réouverture de l'appel clos par la tâche de l'échéance)."""
    import datetime

    import time_machine
    from django.utils import timezone

    from candidatures import services

    plus_tard = timezone.now() + datetime.timedelta(days=200)
    with time_machine.travel(plus_tard, tick=False):
        if close_a_l_echeance:
            services.clore_appels_echus()
        call_command("seed_demo", stdout=None)
        appel = Appel.objects.get(slug="ami-inclusion-numerique-2027")

        assert appel.accepte_les_depots()
        assert appel.etat == EtatAppel.OUVERT
        journal = (
            Evenement.objects.changements_d_etat()
            .filter(cible_type=ContentType.objects.get_for_model(Appel), cible_id=appel.pk)
            .order_by("survenu_le")
        )
        attendu = ["publier", "clore", "rouvrir"] if close_a_l_echeance else ["publier"]
        assert [ligne.transition for ligne in journal] == attendu


def test_la_demo_a_ses_notes_privees_et_ses_etiquettes(demo):
    from annotations.models import Etiquetage, Etiquette, NotePrivee

    assert sorted(Etiquette.objects.values_list("nom", flat=True)) == [
        "Dossier solide",
        "À rappeler",
    ]
    assert sorted(
        Etiquetage.objects.values_list("etiquette__nom", "cible_type__model").distinct()
    ) == [("Dossier solide", "candidature"), ("À rappeler", "candidature")]
    assert sorted(
        (note.auteur.email, note.cible_type.model) for note in NotePrivee.objects.all()
    ) == [
        ("coach@demo.relais.test", "planaccompagnement"),
        ("gestionnaire@demo.relais.test", "candidature"),
        ("gestionnaire@demo.relais.test", "candidature"),
    ]


def test_la_gestionnaire_a_ecrit_aux_laureates_2022(demo):
    from messagerie.models import EnvoiGroupe, Message

    envoi = EnvoiGroupe.objects.get()
    assert envoi.description == (
        "5 lauréates de la cohorte de l'appel AMI 2022 : inclusion numérique des structures "
        "sociales des petites communes"
    )
    assert (envoi.etat, envoi.traites, envoi.ignores) == ("termine", envoi.total, 0)
    assert envoi.cree_le.year == 2023
    messages = Message.objects.filter(cle__startswith=f"envoi-{envoi.pk}-")
    assert messages.count() == envoi.mis_en_envoi == envoi.total > 0

"""Le gestionnaire et son appel, comme il les rencontre : dupliquer puis modifier et publier,
clore avec confirmation puis rouvrir, réordonner les questions par boutons."""

import datetime

import pytest
from django.utils import timezone
from django_fsm_log.models import StateLog

from candidatures.enums import EtatAppel
from candidatures.models import Appel
from journal.enums import TypeEvenement
from journal.models import Evenement
from tests.candidatures.factories import AppelFactory, CandidatureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def connecte(client, gestionnaire):
    client.force_login(gestionnaire)
    return client


def _entree_date_heure(moment):
    """Ce qu'envoie un champ `<input type="datetime-local">` : heure locale, sans secondes."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


# --- Modifier un appel, y compris sa copie -------------------------------------------------


def test_dupliquer_puis_dater_et_publier_la_copie(connecte, programme, gestionnaire):
    ancien = AppelFactory(
        programme=programme, clos=True, avec_questions=True, titre="AMI 2022", slug="ami-2022"
    )
    reponse = connecte.post(f"/gestion/appels/{ancien.pk}/dupliquer/")
    copie = Appel.objects.get(copie_de=ancien)
    assert reponse["Location"] == f"/gestion/appels/{copie.pk}/"
    assert (copie.ouverture, copie.date_limite) == (None, None)

    formulaire = connecte.get(f"/gestion/appels/{copie.pk}/modifier/")
    assert formulaire.status_code == 200
    ouverture = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=1)
    date_limite = ouverture + datetime.timedelta(days=60)
    reponse = connecte.post(
        f"/gestion/appels/{copie.pk}/modifier/",
        {
            "titre": "AMI 2027",
            "description": "Pour les **petites communes**.",
            "ouverture": _entree_date_heure(ouverture),
            "date_limite": _entree_date_heure(date_limite),
            "nombre_places": "6",
        },
    )
    assert reponse.status_code == 302
    assert reponse["Location"] == f"/gestion/appels/{copie.pk}/"
    copie.refresh_from_db()
    # Brouillon : l'adresse publique suit le nouveau titre, sans qu'on la demande.
    assert (copie.titre, copie.slug, copie.ouverture, copie.date_limite, copie.nombre_places) == (
        "AMI 2027",
        "ami-2027",
        ouverture,
        date_limite,
        6,
    )
    assert copie.etat == EtatAppel.BROUILLON
    modification = Evenement.objects.get(type=TypeEvenement.APPEL_MODIFIE)
    assert modification.donnees == {
        "champs": ["date_limite", "description", "nombre_places", "ouverture", "slug", "titre"]
    }

    regles = {
        "perimetre_epci": "200093201",
        "seuil_population": "21000",
        "type_population": "municipale",
        "version_qpv": "",
        "qpv_intercommunal": "ineligible",
    }
    assert connecte.post(f"/gestion/appels/{copie.pk}/regles/", regles).status_code == 302
    assert connecte.post(f"/gestion/appels/{copie.pk}/publier/").status_code == 302
    copie.refresh_from_db()
    assert copie.etat == EtatAppel.OUVERT


def test_modifier_un_appel_ouvert_garde_son_etat(connecte, programme):
    appel = AppelFactory(programme=programme, ouvert=True, titre="AMI 2026", slug="ami-2026")
    reponse = connecte.post(
        f"/gestion/appels/{appel.pk}/modifier/",
        {
            "titre": "AMI 2026 — inclusion numérique",
            "description": appel.description,
            "ouverture": _entree_date_heure(appel.ouverture),
            "date_limite": _entree_date_heure(appel.date_limite + datetime.timedelta(days=7)),
            "nombre_places": "5",
        },
    )
    assert reponse.status_code == 302
    appel.refresh_from_db()
    # Publié : son adresse publique, déjà diffusée, ne change pas avec le titre.
    assert (appel.titre, appel.slug, appel.etat) == (
        "AMI 2026 — inclusion numérique",
        "ami-2026",
        EtatAppel.OUVERT,
    )


# --- Clore avant la date limite, avec confirmation ; rouvrir ------------------------------


def test_clore_maintenant_demande_confirmation_en_comptant_les_brouillons(connecte, programme):
    appel = AppelFactory(programme=programme, ouvert=True, titre="AMI 2026")
    CandidatureFactory.create_batch(2, appel=appel)  # brouillons
    CandidatureFactory(appel=appel, deposee=True)

    page = connecte.get(f"/gestion/appels/{appel.pk}/")
    assert f'href="/gestion/appels/{appel.pk}/clore/"' in page.text
    confirmation = connecte.get(f"/gestion/appels/{appel.pk}/clore/")
    assert confirmation.status_code == 200
    assert "2 candidatures sont encore en brouillon" in confirmation.text
    appel.refresh_from_db()
    assert appel.etat == EtatAppel.OUVERT

    reponse = connecte.post(f"/gestion/appels/{appel.pk}/clore/", {"motif": "Places pourvues"})
    assert reponse["Location"] == f"/gestion/appels/{appel.pk}/"
    appel.refresh_from_db()
    assert appel.etat == EtatAppel.CLOS
    journal = StateLog.objects.for_(appel).get(transition="clore")
    assert (journal.source_state, journal.state, journal.description) == (
        "ouvert",
        "clos",
        "Places pourvues",
    )


def test_la_confirmation_dit_quand_aucun_brouillon_n_est_ouvert(connecte, programme):
    appel = AppelFactory(programme=programme, ouvert=True)
    confirmation = connecte.get(f"/gestion/appels/{appel.pk}/clore/")
    assert "Aucune candidature n'est en brouillon." in confirmation.text


def test_rouvrir_un_appel_clos_trop_tot(connecte, programme, gestionnaire):
    appel = AppelFactory(programme=programme, ouvert=True, titre="AMI 2026")
    connecte.post(f"/gestion/appels/{appel.pk}/clore/")
    page = connecte.get(f"/gestion/appels/{appel.pk}/")
    assert f'href="/gestion/appels/{appel.pk}/rouvrir/"' in page.text

    nouvelle = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=14)
    formulaire = connecte.get(f"/gestion/appels/{appel.pk}/rouvrir/")
    assert formulaire.status_code == 200
    reponse = connecte.post(
        f"/gestion/appels/{appel.pk}/rouvrir/",
        {"date_limite": _entree_date_heure(nouvelle), "motif": "Clos par erreur"},
    )
    assert reponse["Location"] == f"/gestion/appels/{appel.pk}/"
    appel.refresh_from_db()
    assert (appel.etat, appel.date_limite, appel.clos_le) == (EtatAppel.OUVERT, nouvelle, None)
    assert appel.accepte_les_depots()
    journal = StateLog.objects.for_(appel).get(transition="rouvrir")
    assert (journal.source_state, journal.state, journal.by, journal.description) == (
        "clos",
        "ouvert",
        gestionnaire,
        "Clos par erreur",
    )


@pytest.mark.parametrize(
    ("saisie", "champ", "erreur"),
    [
        ({"motif": ""}, "motif", "Ce champ est obligatoire."),
        ({"date_limite": "passee"}, "date_limite", "La nouvelle date limite doit être à venir."),
        (
            {"date_limite": "2027-13-45T25:00"},
            "date_limite",
            "Saisissez une date et une heure valides.",
        ),
    ],
)
def test_rouvrir_exige_un_motif_et_une_date_a_venir(connecte, programme, saisie, champ, erreur):
    appel = AppelFactory(programme=programme, clos=True)
    donnees = {
        "date_limite": _entree_date_heure(timezone.now() + datetime.timedelta(days=7)),
        "motif": "Clos par erreur",
    }
    donnees |= saisie
    if donnees["date_limite"] == "passee":
        donnees["date_limite"] = _entree_date_heure(timezone.now() - datetime.timedelta(hours=2))
    reponse = connecte.post(f"/gestion/appels/{appel.pk}/rouvrir/", donnees)
    assert reponse.status_code == 400
    assert reponse.context["form"].errors[champ] == [erreur]
    assert reponse.context["form"]["motif"].value() == donnees["motif"]
    appel.refresh_from_db()
    assert appel.etat == EtatAppel.CLOS


@pytest.mark.parametrize("etat", ["ouvert", "en_evaluation", "decide"])
def test_seul_un_appel_clos_avant_l_evaluation_se_rouvre(connecte, programme, etat):
    appel = AppelFactory(programme=programme, etat=etat)
    reponse = connecte.post(
        f"/gestion/appels/{appel.pk}/rouvrir/",
        {
            "date_limite": _entree_date_heure(timezone.now() + datetime.timedelta(days=7)),
            "motif": "Encore une semaine",
        },
    )
    assert reponse.status_code == 409
    appel.refresh_from_db()
    assert appel.etat == etat
    assert not StateLog.objects.for_(appel).filter(transition="rouvrir").exists()

import datetime

import pytest
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from candidatures.models import Candidature
from journal.enums import TypeEvenement
from journal.models import Evenement
from messagerie.models import Message
from relances import services
from relances.enums import EtatRelance
from relances.models import ReglageRelance, Relance
from tests.candidatures.factories import (
    AppelFactory,
    CandidatureFactory,
    ProgrammeFactory,
    StructureFactory,
)
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db


def _dans_jours(jours):
    return (timezone.localtime() + datetime.timedelta(days=jours)).replace(
        hour=12, minute=0, second=0, microsecond=0
    )


@pytest.fixture
def personne():
    return UtilisateurFactory(candidat=True, email="ccas@houplines.test")


def _brouillon(personne, jours_avant_date_limite, **traits):
    appel = AppelFactory(ouvert=True, date_limite=_dans_jours(jours_avant_date_limite))
    structure = StructureFactory(membres=[personne])
    return CandidatureFactory(appel=appel, structure=structure, **traits)


def test_brouillon_a_sept_jours_de_la_date_limite_une_relance_j_moins_7(
    personne, taches_immediates, django_capture_on_commit_callbacks, mailoutbox
):
    candidature = _brouillon(personne, 7)
    with django_capture_on_commit_callbacks(execute=True):
        services.balayer()
        services.balayer()
    assert list(Relance.objects.values_list("type_code", "decalage", "destinataire__email")) == [
        ("brouillon_date_limite", -7, "ccas@houplines.test")
    ]
    assert [m.subject for m in mailoutbox] == [
        f"[Relais] Plus que 7 jours pour déposer votre candidature « {candidature.appel.titre} »"
    ]
    assert "Cette relance ne peut pas être désactivée." in mailoutbox[0].body


def test_veille_de_la_date_limite_relance_j_moins_1(personne):
    _brouillon(personne, 1)
    services.balayer()
    assert list(Relance.objects.values_list("type_code", "decalage")) == [
        ("brouillon_date_limite", -1)
    ]
    assert Message.objects.get().sujet.startswith("[Relais] Dernier jour pour déposer")


def test_une_candidature_deposee_ne_recoit_rien(personne):
    _brouillon(personne, 7, deposee=True)
    assert services.balayer().total == 0
    assert Relance.objects.count() == 0


def test_desabonne_de_tout_recoit_encore_les_relances_essentielles(personne):
    _brouillon(personne, 7)
    complement = _brouillon(personne, 30, a_completer=True)
    Evenement.objects.create(
        type=TypeEvenement.CHANGEMENT_ETAT,
        cible_type=ContentType.objects.get_for_model(Candidature),
        cible_id=complement.pk,
        depuis="deposee",
        vers="a_completer",
        transition="demander_complement",
        survenu_le=timezone.now() - datetime.timedelta(days=7),
    )
    services.enregistrer_preferences(
        personne,
        types_desactives=["brouillon_date_limite", "complement_sans_reponse"],
        resume_quotidien=False,
    )
    services.balayer()
    assert sorted(Relance.objects.values_list("type_code", "etat")) == [
        ("brouillon_date_limite", EtatRelance.MISE_EN_ENVOI),
        ("complement_sans_reponse", EtatRelance.IGNOREE_PREFERENCE),
    ]
    assert list(Message.objects.values_list("type", flat=True)) == ["relance_brouillon_date_limite"]


@pytest.mark.parametrize("jours, attendu", [(6, []), (7, [7]), (13, [7]), (14, [14])])
def test_complement_sans_reponse_apres_sept_jours_puis_chaque_semaine(personne, jours, attendu):
    candidature = _brouillon(personne, 30, a_completer=True)
    Evenement.objects.create(
        type=TypeEvenement.CHANGEMENT_ETAT,
        cible_type=ContentType.objects.get_for_model(Candidature),
        cible_id=candidature.pk,
        depuis="deposee",
        vers="a_completer",
        transition="demander_complement",
        survenu_le=timezone.now() - datetime.timedelta(days=jours),
    )
    services.balayer()
    assert list(Relance.objects.values_list("decalage", flat=True)) == attendu


def test_les_gestionnaires_apprennent_le_lendemain_de_la_cloture_combien_instruire():
    gestionnaire = UtilisateurFactory(gestionnaire=True, email="chef@mel.test")
    programme = ProgrammeFactory(gestionnaires=[gestionnaire])
    appel = AppelFactory(programme=programme, clos=True, titre="AMI 2022")
    appel.clos_le = timezone.now() - datetime.timedelta(days=1)
    appel.save(update_fields=["clos_le"])
    for _ in range(3):
        CandidatureFactory(appel=appel, deposee=True)
    CandidatureFactory(appel=appel, recevable=True)
    services.balayer()
    message = Message.objects.get()
    assert (message.destinataire, message.sujet) == (
        "chef@mel.test",
        "[Relais] Appel « AMI 2022 » clos : 3 candidatures à instruire",
    )


def test_brouillon_commence_a_cinq_jours_rattrape_j_moins_7_avec_les_vrais_jours(personne):
    candidature = _brouillon(personne, 5)
    services.balayer()
    assert list(Relance.objects.values_list("decalage", flat=True)) == [-7]
    assert Message.objects.get().sujet == (
        f"[Relais] Plus que 5 jours pour déposer votre candidature « {candidature.appel.titre} »"
    )


def test_les_decalages_reglables_par_appel_puis_par_programme(personne):
    candidature = _brouillon(personne, 3)
    ReglageRelance.objects.create(
        type_code="brouillon_date_limite", portee=candidature.appel.programme, decalages=[-2]
    )
    assert services.balayer().total == 0
    ReglageRelance.objects.create(
        type_code="brouillon_date_limite", portee=candidature.appel, decalages=[-3, -1]
    )
    services.balayer()
    assert list(Relance.objects.values_list("decalage", flat=True)) == [-3]


def test_un_gestionnaire_regle_les_decalages_de_son_appel(client):
    gestionnaire = UtilisateurFactory(gestionnaire=True, email="chef@mel.test")
    appel = AppelFactory(programme=ProgrammeFactory(gestionnaires=[gestionnaire]), ouvert=True)
    autre = AppelFactory(ouvert=True)
    client.force_login(gestionnaire)
    url = f"/gestion/relances/reglages/appel/{appel.pk}/"
    assert client.get(url).status_code == 200
    assert client.get(f"/gestion/relances/reglages/appel/{autre.pk}/").status_code == 403
    # Tous les types réglables sur un appel, à leurs valeurs proposées, puis nos changements.
    formulaire = client.get(url).context["form"]
    donnees = {
        nom: ("on" if champ.initial else "")
        if isinstance(champ, forms.BooleanField)
        else ("" if champ.initial is None else champ.initial)
        for nom, champ in formulaire.fields.items()
        if not champ.disabled
    }
    donnees.update(
        {
            "brouillon_date_limite-decalages": "-10, J-3, -1",
            "complement_sans_reponse-active": "",
            "complement_sans_reponse-decalages": "7",
            "complement_sans_reponse-repetition": "7",
        }
    )
    reponse = client.post(url, {**donnees, "brouillon_date_limite-decalages": "-7, demain"})
    assert reponse.status_code == 200
    assert "« demain » n&#x27;est pas un nombre de jours." in reponse.text
    assert "-7, demain" in reponse.text
    assert ReglageRelance.objects.count() == 0
    assert client.post(url, donnees).status_code == 302
    assert sorted(
        ReglageRelance.objects.values_list("type_code", "active", "decalages", "repetition_jours")
    ) == [
        ("brouillon_date_limite", True, [-10, -3, -1], None),
        ("complement_sans_reponse", False, [7], 7),
    ]

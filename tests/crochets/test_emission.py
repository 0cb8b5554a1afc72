"""Chaque service qui fait un événement du catalogue le signale : une livraison par webhook du
programme qui le suit, avec une charge utile courte et sans donnée personnelle. Les commits
n'arrivent jamais dans ces tests : rien ne part, on lit les livraisons préparées."""

import datetime

import pytest

from accompagnement import services as services_accompagnement
from accompagnement.enums import EtatPlan
from accompagnement.models import PlanAccompagnement
from activite.importation import importer_activite
from candidatures import services as services_candidatures
from crochets import services
from crochets.models import Livraison
from tests.accompagnement.factories import plan_pour
from tests.activite.test_bilan_en_cache import (
    ACTIONS_CSV,
    BENEFICIAIRES_CSV,
    PARTICIPATIONS_CSV,
    _feuilles,
)
from tests.candidatures.factories import (
    AppelFactory,
    CandidatureFactory,
    ProgrammeFactory,
    QuestionFactory,
    StructureFactory,
)
from tests.candidatures.test_services import _remplir
from tests.evaluation.resultats import appel_publie
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db

TOUS = [
    "candidature.deposee",
    "appel.publie",
    "appel.clos",
    "resultats.publies",
    "plan.clos",
    "activite.importee",
]


@pytest.fixture(autouse=True)
def fichiers_isoles(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _abonner(programme, evenements=TOUS):
    return services.creer_abonnement(
        programme,
        par=programme.gestionnaires.first(),
        url="https://partenaire.exemple.test/relais",
        evenements=evenements,
    )


def _livrees():
    return [
        (livraison.evenement, livraison.charge_utile["programme"], livraison.charge_utile["objet"])
        for livraison in Livraison.objects.order_by("pk")
    ]


def test_la_charge_utile_tient_en_cinq_champs_sans_donnee_personnelle(appel, gestionnaire):
    _abonner(appel.programme)

    services_candidatures.clore_appel(appel, par=gestionnaire)

    livraison = Livraison.objects.get()
    assert sorted(livraison.charge_utile) == [
        "date",
        "evenement",
        "identifiant",
        "objet",
        "programme",
    ]
    assert datetime.datetime.fromisoformat(livraison.charge_utile["date"]) <= datetime.datetime.now(
        datetime.UTC
    )
    assert "AMI 2027" not in str(livraison.charge_utile)


def test_depot_et_nouveau_depot_d_une_candidature(programme):
    candidat = UtilisateurFactory(candidat=True, email="ccas@houplines.test")
    structure = StructureFactory(nom="CCAS de Houplines", membres=[candidat])
    candidature = CandidatureFactory(structure=structure, appel__programme=programme)
    _remplir(candidature, candidat)
    _abonner(programme)

    services_candidatures.deposer_candidature(candidature, par=candidat)
    services_candidatures.demander_complement(
        candidature, par=programme.gestionnaires.first(), message="Le budget, s'il vous plaît."
    )
    services_candidatures.redeposer_candidature(candidature, par=candidat)

    depot = (
        "candidature.deposee",
        programme.pk,
        {
            "type": "candidature",
            "id": candidature.pk,
            "etat": "deposee",
            "url_api": f"http://testserver/api/v1/candidatures/{candidature.pk}/",
        },
    )
    assert _livrees() == [depot, depot]
    assert all("Houplines" not in str(ligne.charge_utile) for ligne in Livraison.objects.all())


def test_publication_et_cloture_d_un_appel_par_le_gestionnaire_ou_a_la_date_limite(
    programme, gestionnaire
):
    brouillon = AppelFactory(programme=programme)
    QuestionFactory(appel=brouillon)
    echu = AppelFactory(programme=programme, echu=True)
    _abonner(programme)

    services_candidatures.publier_appel(brouillon, par=gestionnaire)
    services_candidatures.clore_appel(brouillon, par=gestionnaire)
    assert services_candidatures.clore_appels_echus() == 1

    url = "http://testserver/api/v1/appels/{}/"
    assert _livrees() == [
        (
            "appel.publie",
            programme.pk,
            {
                "type": "appel",
                "id": brouillon.pk,
                "etat": "ouvert",
                "url_api": url.format(brouillon.pk),
            },
        ),
        (
            "appel.clos",
            programme.pk,
            {
                "type": "appel",
                "id": brouillon.pk,
                "etat": "clos",
                "url_api": url.format(brouillon.pk),
            },
        ),
        (
            "appel.clos",
            programme.pk,
            {"type": "appel", "id": echu.pk, "etat": "clos", "url_api": url.format(echu.pk)},
        ),
    ]


def test_publication_des_resultats(programme, gestionnaire):
    _abonner(programme, ["resultats.publies"])

    jury, _candidatures = appel_publie(programme, gestionnaire)
    appel = jury.appel

    assert _livrees() == [
        (
            "resultats.publies",
            programme.pk,
            {
                "type": "appel",
                "id": appel.pk,
                "etat": "decide",
                "url_api": f"http://testserver/api/v1/appels/{appel.pk}/",
            },
        )
    ]


def test_cloture_des_plans_par_le_compte_rendu_du_comite(programme, gestionnaire):
    plan = plan_pour(appel__programme=programme)
    autre = plan_pour(appel=plan.candidature.appel)
    PlanAccompagnement.objects.filter(pk__in=[plan.pk, autre.pk]).update(etat=EtatPlan.ACTIF)
    comite = services_accompagnement.planifier_comite(
        programme, par=gestionnaire, plans=[plan, autre], date=datetime.date(2023, 12, 14)
    )
    _abonner(programme)

    services_accompagnement.enregistrer_compte_rendu(
        comite, par=gestionnaire, compte_rendu="Bilan présenté."
    )

    assert sorted(_livrees(), key=lambda ligne: ligne[2]["id"]) == [
        (
            "plan.clos",
            programme.pk,
            {
                "type": "plan",
                "id": p.pk,
                "etat": "clos",
                "url_api": f"http://testserver/api/v1/plans/{p.pk}/",
            },
        )
        for p in sorted([plan, autre], key=lambda p: p.pk)
    ]


def test_import_d_activite_vers_chaque_programme_ou_la_structure_est_laureate(programme):
    structure = StructureFactory(nom="CCAS de Houplines")
    CandidatureFactory(structure=structure, appel__programme=programme, retenue=True)
    second = ProgrammeFactory(gestionnaires=[UtilisateurFactory(gestionnaire=True)])
    CandidatureFactory(structure=structure, appel__programme=second, retenue=True)
    # Candidate non retenue d'un troisième programme : il n'en saura rien.
    troisieme = ProgrammeFactory(gestionnaires=[UtilisateurFactory(gestionnaire=True)])
    CandidatureFactory(structure=structure, appel__programme=troisieme, non_retenue=True)
    for p in (programme, second, troisieme):
        _abonner(p)

    feuilles = _feuilles(BENEFICIAIRES_CSV, ACTIONS_CSV, PARTICIPATIONS_CSV)
    essai = importer_activite(structure, feuilles, essai=True)
    assert Livraison.objects.count() == 0
    rapport = importer_activite(structure, feuilles)

    assert (essai.applique, rapport.applique) == (False, True)
    objet = {
        "type": "structure",
        "id": structure.pk,
        "etat": "",
        "url_api": f"http://testserver/api/v1/structures/{structure.pk}/activite/",
    }
    assert sorted(_livrees(), key=lambda ligne: ligne[1]) == [
        ("activite.importee", programme.pk, objet),
        ("activite.importee", second.pk, objet),
    ]


def test_sans_webhook_signaler_ne_coute_qu_une_requete(appel, django_assert_num_queries):
    structure = StructureFactory()
    with django_assert_num_queries(1):
        assert services.signaler("appel.clos", appel) == []
    with django_assert_num_queries(1):
        assert (
            services.signaler(
                "activite.importee",
                structure,
                programme_id=structure.candidatures.values("appel__programme_id"),
            )
            == []
        )


def test_un_objet_hors_programme_sans_programme_donne_ne_signale_rien(django_assert_num_queries):
    structure = StructureFactory()
    _abonner(ProgrammeFactory(gestionnaires=[UtilisateurFactory(gestionnaire=True)]))
    with django_assert_num_queries(0):
        assert services.signaler("activite.importee", structure) == []


def test_un_code_inconnu_est_une_erreur_de_programmation(appel):
    with pytest.raises(ValueError):
        services.signaler("appel.inconnu", appel)

import pytest
from django.core.management import call_command

from candidatures.enums import EtatCandidature
from candidatures.models import Candidature, PieceJointe
from journal.enums import TypeEvenement
from journal.models import Evenement
from programmes.models import Appel, Programme

pytestmark = pytest.mark.django_db


def _photographie():
    """Tout ce que la démo écrit pour les appels, sans les identifiants techniques."""
    candidatures = Candidature.objects.select_related("appel", "structure__commune")
    return {
        "appels": list(
            Appel.objects.order_by("slug").values_list(
                "slug", "etat", "ouverture", "date_limite", "version_qpv", "copie_de__slug"
            )
        ),
        "candidatures": sorted(
            (
                c.appel.slug,
                c.structure.siret,
                c.structure.nom,
                c.structure.commune.code_insee,
                c.etat,
                c.resultat_eligibilite,
                c.resultat_eligibilite_calcule,
                c.motif_forcage_eligibilite,
                c.deposee_le,
                tuple(sorted((k, str(v)) for k, v in c.reponses.items())),
            )
            for c in candidatures
        ),
        "journal": sorted(
            (log.cible_type.model, log.transition, log.vers, log.survenu_le, str(log.acteur))
            for log in Evenement.objects.changements_d_etat().select_related("cible_type", "acteur")
        ),
        "evenements": sorted((e.type, e.motif, e.survenu_le) for e in Evenement.objects.all()),
        "pieces": sorted(PieceJointe.objects.values_list("fichier", "taille")),
        "membres": sorted(Programme.objects.values_list("slug", "gestionnaires__email")),
    }


def test_la_demo_donne_les_memes_donnees_a_chaque_passage():
    call_command("seed_demo", stdout=None)
    premiere = _photographie()
    call_command("seed_demo")
    assert _photographie() == premiere


def test_l_appel_2022_et_ses_22_candidatures():
    call_command("seed_demo")
    appel = Appel.objects.get(slug="ami-inclusion-numerique-2022")
    candidatures = appel.candidatures.select_related("structure__commune")
    assert candidatures.count() == 22
    # Tous les états, sauf « recevable » : un appel décidé a décidé de chaque recevable.
    assert {c.etat for c in candidatures} == set(EtatCandidature.values) - {
        EtatCandidature.RECEVABLE
    }
    laureates = sorted(
        (c.structure.nom, c.structure.commune.nom)
        for c in candidatures.filter(etat=EtatCandidature.RETENUE)
    )
    assert laureates == [
        ("CCAS de Faches-Thumesnil", "Faches-Thumesnil"),
        ("CCAS de Haubourdin", "Haubourdin"),
        ("CCAS de Houplines", "Houplines"),
        ("CCAS de Leers", "Leers"),
        ("ESAT « Les Ateliers de la Lys »", "Erquinghem-Lys"),
    ]
    forcees = sorted(
        (c.structure.commune.code_insee, c.resultat_eligibilite_calcule, c.resultat_eligibilite)
        for c in candidatures.exclude(eligibilite_forcee_le=None)
    )
    assert forcees == [("59220", "non_eligible", "eligible"), ("59286", "non_eligible", "eligible")]
    haubourdin = candidatures.get(structure__commune__code_insee="59286")
    assert [q["code"] for q in haubourdin.eligibilite["qpv"]] == ["QN05991N"]
    assert "la liste des quartiers prioritaires alors en vigueur était celle de 2015" in (
        haubourdin.motif_forcage_eligibilite
    )
    assert Evenement.objects.filter(type=TypeEvenement.ELIGIBILITE_FORCEE).count() == 2
    non_eligibles = {
        c.structure.commune.nom for c in candidatures.filter(resultat_eligibilite="non_eligible")
    }
    assert non_eligibles == {"Roubaix", "Wattrelos", "Hem"}
    esat = candidatures.get(structure__type="esat")
    assert esat.resultat_eligibilite == "eligible"
    assert "illustrative" in esat.structure.adresse


def test_l_appel_ouvert_et_les_comptes_de_demo():
    call_command("seed_demo")
    ouvert = Appel.objects.get(slug="ami-inclusion-numerique-2027")
    assert ouvert.accepte_les_depots()
    assert ouvert.copie_de.slug == "ami-inclusion-numerique-2022"
    programme = Programme.objects.get()
    assert list(programme.gestionnaires.values_list("email", flat=True)) == [
        "gestionnaire@demo.relais.test"
    ]
    candidat = programme.gestionnaires.model.objects.get(email="candidat@demo.relais.test")
    [structure] = candidat.structures.all()
    assert structure.nom == "Association Clic'Solidaire (fictive)"
    assert not ouvert.candidatures.filter(structure=structure).exists()

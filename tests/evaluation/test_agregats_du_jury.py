"""Les agrégats du jury enregistrés par candidature (`AgregatsDuJury`) : recalculés dans la
transaction de chaque écriture qui change une note qui compte, égaux à ceux calculés en direct
depuis les notes, lus tels quels par le classement et l'API."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from candidatures.models import Candidature
from evaluation import services
from evaluation.agregats_du_jury import agregats_en_direct, recalculer
from evaluation.models import AgregatsDuJury, Evaluation, MembreJury
from evaluation.selectors import page_du_classement
from tests.candidatures.factories import CandidatureFactory, StructureFactory
from tests.evaluation.factories import membre_note, noter

pytestmark = pytest.mark.django_db


def _enregistres(candidature):
    a = AgregatsDuJury.objects.get(candidature=candidature)
    return (a.moyenne, a.mediane, a.ecart_type, a.nombre_notes, a.nombre_recusations)


def _en_direct(candidature):
    ligne = (
        Candidature.objects.filter(pk=candidature.pk)
        .values("pk")
        .annotate(**agregats_en_direct())
        .get()
    )
    return tuple(
        ligne[c] for c in ("moyenne", "mediane", "ecart_type", "nombre_notes", "nombre_recusations")
    )


def _conflit(candidature, membre):
    services.declarer_conflit(
        candidature,
        par=membre.utilisateur,
        en_conflit=True,
        type_conflit="famille",
        precision="Ma sœur préside l'association",
    )


def test_validation_renotation_brouillon_et_conflit_recalculent_les_agregats(jury, candidature):
    assert not AgregatsDuJury.objects.filter(candidature=candidature).exists()

    membre_note(jury, candidature, [3, 6])  # 12 sur 20
    assert _enregistres(candidature) == (12.0, 12.0, 0.0, 1, 0)

    bruno = membre_note(jury, candidature, [5, 5])  # 17,5 sur 20
    assert _enregistres(candidature) == (14.75, 14.75, 2.75, 2, 0)

    # Renotée et validée de nouveau : 15 sur 20 au lieu de 17,5.
    noter(candidature, bruno.utilisateur, [4, 6])
    assert _enregistres(candidature) == (13.5, 13.5, 1.5, 2, 0)

    # Repassée en brouillon : elle ne compte plus.
    noter(candidature, bruno.utilisateur, [4, 6], valider=False)
    assert Evaluation.objects.get(affectation__membre=bruno).etat == "brouillon"
    assert _enregistres(candidature) == (12.0, 12.0, 0.0, 1, 0)

    # Validée de nouveau, puis un conflit déclaré : sa note est effacée, une récusation.
    noter(candidature, bruno.utilisateur, [4, 6])
    assert _enregistres(candidature) == (13.5, 13.5, 1.5, 2, 0)
    _conflit(candidature, bruno)
    assert _enregistres(candidature) == (12.0, 12.0, 0.0, 1, 1)
    assert _enregistres(candidature) == _en_direct(candidature)


def test_une_renotation_change_la_page_du_classement(jury, candidature):
    autre = CandidatureFactory(
        appel=jury.appel, recevable=True, structure=StructureFactory(nom="CCAS de Leers")
    )
    membre_note(jury, candidature, [3, 6])  # Houplines : 12
    leers = membre_note(jury, autre, [4, 6])  # Leers : 15

    def lignes():
        return [
            (ligne.candidature.structure.nom, ligne.rang, ligne.moyenne, ligne.nombre_notes)
            for ligne in page_du_classement(jury.appel, jury=jury)
        ]

    assert lignes() == [("CCAS de Leers", 1, 15.0, 1), ("CCAS de Houplines", 2, 12.0, 1)]
    noter(autre, leers.utilisateur, [1, 2])  # Leers : 4
    assert lignes() == [("CCAS de Houplines", 1, 12.0, 1), ("CCAS de Leers", 2, 4.0, 1)]
    noter(autre, leers.utilisateur, [1, 2], valider=False)
    assert lignes() == [("CCAS de Houplines", 1, 12.0, 1), ("CCAS de Leers", None, None, 0)]


def test_un_membre_retire_du_jury_ne_compte_plus(jury, candidature):
    membre_note(jury, candidature, [3, 6])
    bruno = membre_note(jury, candidature, [5, 5])
    MembreJury.objects.filter(pk=bruno.pk).delete()
    assert _enregistres(candidature) == (12.0, 12.0, 0.0, 1, 0)


def test_effacer_une_candidature_notee_emporte_ses_agregats(jury, candidature):
    membre = membre_note(jury, candidature, [3, 6])
    _conflit(candidature, membre_note(jury, candidature, [5, 5]))
    assert _enregistres(candidature) == (12.0, 12.0, 0.0, 1, 1)
    assert membre.pk

    candidature.delete()

    assert AgregatsDuJury.objects.count() == 0
    # Les clés étrangères (vérifiées au commit) tiennent : aucune ligne orpheline recréée.
    connection.check_constraints()


def test_recalculer_ecrit_ce_que_le_calcul_en_direct_donne(jury, candidature):
    membre_note(jury, candidature, [3, 6])
    membre_note(jury, candidature, [5, 5])
    membre_note(jury, candidature, [4, 2])
    AgregatsDuJury.objects.all().delete()

    with CaptureQueriesContext(connection) as requetes:
        assert recalculer(Candidature.objects.filter(pk=candidature.pk)) == 1
    assert len(requetes) == 2
    assert _enregistres(candidature) == _en_direct(candidature)
    # 12, 17,5 et 13 sur 20 : moyenne 85/6, médiane 13, écart type √(103/18).
    assert _enregistres(candidature) == (
        pytest.approx(85 / 6),
        13.0,
        pytest.approx((103 / 18) ** 0.5),
        3,
        0,
    )

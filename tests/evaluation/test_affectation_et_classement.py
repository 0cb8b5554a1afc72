"""Répartition équilibrée des candidatures, classement (moyenne, médiane, écart type)."""

from collections import Counter

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluation import services
from evaluation.enums import ModeAffectation
from evaluation.models import Affectation, Jury
from evaluation.selectors import classement
from journal.models import Evenement
from noyau.erreurs import DonneesRefusees
from tests.candidatures.factories import CandidatureFactory, StructureFactory, commune
from tests.evaluation.factories import (
    AffectationFactory,
    ConflitFactory,
    MembreJuryFactory,
    membre_note,
    membre_sans_conflit,
    noter,
)

pytestmark = pytest.mark.django_db


class _Objet:
    def __init__(self, pk):
        self.pk = pk


@settings(max_examples=60, deadline=None)
@given(
    nombre_membres=st.integers(min_value=1, max_value=9),
    nombre_candidatures=st.integers(min_value=1, max_value=30),
    par_candidature=st.integers(min_value=1, max_value=9),
)
def test_repartition_equilibree_sans_exclusion(
    nombre_membres, nombre_candidatures, par_candidature
):
    par_candidature = min(par_candidature, nombre_membres)
    membres = [_Objet(pk) for pk in range(1, nombre_membres + 1)]
    candidatures = [_Objet(pk) for pk in range(100, 100 + nombre_candidatures)]

    repartition = services.repartition_equilibree(
        membres, candidatures, par_candidature=par_candidature, exclus=set()
    )

    charges = Counter(m for ids in repartition.values() for m in ids)
    charges = [charges.get(m.pk, 0) for m in membres]
    assert max(charges) - min(charges) <= 1
    assert all(len(set(ids)) == par_candidature for ids in repartition.values())


def test_affectation_automatique_equilibree_sans_membre_en_conflit(jury, gestionnaire):
    candidatures = [
        CandidatureFactory(appel=jury.appel, recevable=True, structure=StructureFactory())
        for _ in range(7)
    ]
    membres = [MembreJuryFactory(jury=jury) for _ in range(5)]
    # Un conflit déclaré, et un conflit suggéré (la commune du membre) jamais écarté.
    ConflitFactory(membre=membres[0], candidature=candidatures[0])
    leers = CandidatureFactory(
        appel=jury.appel, recevable=True, structure=StructureFactory(commune=commune("59339"))
    )
    membres[1].commune = commune("59339")
    membres[1].save(update_fields=["commune"])

    repartition = services.affecter(
        jury, par=gestionnaire, mode=ModeAffectation.AUTOMATIQUE, par_candidature=3
    )
    repartition_bis = services.affecter(
        jury, par=gestionnaire, mode=ModeAffectation.AUTOMATIQUE, par_candidature=3
    )

    assert repartition == repartition_bis  # déterministe
    couples = set(Affectation.objects.values_list("membre_id", "candidature_id"))
    assert (membres[0].pk, candidatures[0].pk) not in couples
    assert (membres[1].pk, leers.pk) not in couples
    assert len(couples) == 8 * 3
    charges = Counter(membre for membre, _ in couples)
    assert max(charges.values()) - min(charges.values()) <= 1
    assert sorted(charges.values()) == [4, 5, 5, 5, 5]
    assert Evenement.objects.filter(type="affectations_reparties").count() == 2


def test_affectation_a_tous_sauf_conflits_declares(jury, gestionnaire):
    candidatures = [CandidatureFactory(appel=jury.appel, recevable=True) for _ in range(3)]
    CandidatureFactory(appel=jury.appel, irrecevable=True)
    membres = [MembreJuryFactory(jury=jury) for _ in range(2)]
    ConflitFactory(membre=membres[1], candidature=candidatures[2])

    services.affecter(jury, par=gestionnaire, mode=ModeAffectation.TOUS)

    assert Affectation.objects.count() == 5
    assert not Affectation.objects.filter(membre=membres[1], candidature=candidatures[2]).exists()


def test_repartition_garde_et_signale_une_affectation_deja_notee(
    client, jury, gestionnaire, candidature
):
    """Trois membres notent CCAS de Houplines ; le premier puis Claire Dubois ont déjà validé
    leurs notes quand le gestionnaire passe à un membre par candidature. Le premier noté
    compte pour ce membre ; celle de Claire Dubois reste en plus, et la page le dit ;
    l'affectation du troisième, sans note, est retirée."""
    premier = membre_note(jury, candidature, [3, 5])
    claire = membre_note(
        jury, candidature, [4, 6], utilisateur__first_name="Claire", utilisateur__last_name="Dubois"
    )
    troisieme = membre_sans_conflit(jury, candidature)
    client.force_login(gestionnaire)

    reponse = client.post(
        reverse("evaluation:gestion_affecter", args=[jury.appel_id]),
        {"mode": "automatique", "par_candidature": "1"},
        follow=True,
    )

    assert [str(message) for message in reponse.context["messages"]] == [
        "Candidatures affectées.",
        "Affectation gardée, car la notation y a commencé : Claire Dubois pour CCAS de Houplines.",
    ]
    assert sorted(Affectation.objects.values_list("membre_id", flat=True)) == [
        premier.pk,
        claire.pk,
    ]
    journal = Evenement.objects.get(type="affectations_reparties")
    assert (journal.donnees["charges"], journal.donnees["gardees"]) == (
        {str(premier.pk): 1, str(claire.pk): 1, str(troisieme.pk): 0},
        [[claire.pk, candidature.pk]],
    )


def test_une_affectation_notee_compte_dans_le_nombre_de_membres(
    client, jury, gestionnaire, candidature
):
    """Claire Dubois a validé ses notes : à un membre par candidature, c'est elle ; les deux
    autres, sans note, sont retirés, et rien n'est signalé en plus."""
    premier = membre_sans_conflit(jury, candidature)
    claire = membre_note(
        jury, candidature, [4, 6], utilisateur__first_name="Claire", utilisateur__last_name="Dubois"
    )
    membre_sans_conflit(jury, candidature)
    client.force_login(gestionnaire)

    reponse = client.post(
        reverse("evaluation:gestion_affecter", args=[jury.appel_id]),
        {"mode": "automatique", "par_candidature": "1"},
        follow=True,
    )

    assert [str(message) for message in reponse.context["messages"]] == ["Candidatures affectées."]
    assert list(Affectation.objects.values_list("membre_id", flat=True)) == [claire.pk]
    assert premier.pk not in Affectation.objects.values_list("membre_id", flat=True)


def _charges():
    return sorted(Counter(Affectation.objects.values_list("membre_id", flat=True)).values())


def _membres_par_candidature():
    return Counter(Affectation.objects.values_list("candidature_id", flat=True))


def test_repartition_refaite_apres_des_notes_garde_les_notees_et_equilibre_le_reste(
    client, jury, gestionnaire
):
    """Quatre membres, douze candidatures, deux membres chacune. Anne a déjà noté quatre
    candidatures qu'on lui avait confiées à la main (et Bruno une). La répartition refaite
    les garde, complète chaque candidature à exactement deux membres et égalise les charges :
    6, 6, 6, 6 (et non 8, 6, 6, 6 avec des candidatures à trois membres)."""
    candidatures = [
        CandidatureFactory(appel=jury.appel, recevable=True, structure=StructureFactory())
        for _ in range(12)
    ]
    anne, bruno, *_autres = [MembreJuryFactory(jury=jury) for _ in range(4)]
    for candidature in candidatures[:4]:
        AffectationFactory(membre=anne, candidature=candidature)
        services.declarer_conflit(candidature, par=anne.utilisateur, en_conflit=False)
        noter(candidature, anne.utilisateur, [4, 6])
    AffectationFactory(membre=bruno, candidature=candidatures[0])
    services.declarer_conflit(candidatures[0], par=bruno.utilisateur, en_conflit=False)
    noter(candidatures[0], bruno.utilisateur, [2, 6], valider=False)
    notees = set(
        Affectation.objects.filter(evaluation__isnull=False).values_list(
            "membre_id", "candidature_id"
        )
    )
    client.force_login(gestionnaire)

    reponse = client.post(
        reverse("evaluation:gestion_affecter", args=[jury.appel_id]),
        {"mode": "automatique", "par_candidature": "2"},
        follow=True,
    )

    assert [str(message) for message in reponse.context["messages"]] == ["Candidatures affectées."]
    assert _charges() == [6, 6, 6, 6]
    assert _membres_par_candidature() == {c.pk: 2 for c in candidatures}
    apres = set(Affectation.objects.values_list("membre_id", "candidature_id"))
    assert notees <= apres
    journal = Evenement.objects.get(type="affectations_reparties")
    assert sorted(journal.donnees["charges"].values()) == [6, 6, 6, 6]

    # Refaite encore à l'identique : rien ne bouge.
    client.post(
        reverse("evaluation:gestion_affecter", args=[jury.appel_id]),
        {"mode": "automatique", "par_candidature": "2"},
    )
    assert set(Affectation.objects.values_list("membre_id", "candidature_id")) == apres


def test_repartition_nomme_les_candidatures_sans_assez_de_membres_sans_conflit(
    client, jury, gestionnaire
):
    """Trois membres, deux par candidature ; Bruno et Chloé ont déclaré un conflit avec le
    CCAS de Leers, qui n'a donc qu'Anne. La page le dit au lieu de « Candidatures affectées. »,
    et les charges restent les plus égales possible : 2, 2, 1."""
    leers = CandidatureFactory(
        appel=jury.appel, recevable=True, structure=StructureFactory(nom="CCAS de Leers")
    )
    autres = [
        CandidatureFactory(appel=jury.appel, recevable=True, structure=StructureFactory(nom=nom))
        for nom in ("CCAS de Houplines", "CCAS de Comines")
    ]
    anne, bruno, chloe = [MembreJuryFactory(jury=jury) for _ in range(3)]
    ConflitFactory(membre=bruno, candidature=leers)
    ConflitFactory(membre=chloe, candidature=leers)
    client.force_login(gestionnaire)

    reponse = client.post(
        reverse("evaluation:gestion_affecter", args=[jury.appel_id]),
        {"mode": "automatique", "par_candidature": "2"},
        follow=True,
    )

    assert [str(message) for message in reponse.context["messages"]] == [
        "Répartition incomplète : une candidature n'a pas assez de membres sans conflit "
        "d'intérêts : CCAS de Leers (1 membre sur 2). Ajoutez des membres au jury ou "
        "réduisez le nombre de membres par candidature."
    ]
    assert list(
        Affectation.objects.filter(candidature=leers).values_list("membre_id", flat=True)
    ) == [anne.pk]
    assert _membres_par_candidature() == {leers.pk: 1, autres[0].pk: 2, autres[1].pk: 2}
    assert _charges() == [1, 2, 2]
    journal = Evenement.objects.get(type="affectations_reparties")
    assert journal.donnees["sous_couvertes"] == [[leers.pk, 1]]


def test_plus_de_membres_par_candidature_que_de_membres_refuse(jury, gestionnaire):
    CandidatureFactory(appel=jury.appel, recevable=True)
    MembreJuryFactory(jury=jury)

    with pytest.raises(DonneesRefusees, match="Le jury compte 1 membre"):
        services.affecter(
            jury, par=gestionnaire, mode=ModeAffectation.AUTOMATIQUE, par_candidature=2
        )


def test_classement_moyenne_mediane_ecart_type_calcules_a_la_main(jury):
    # Grille : « Adéquation » poids 3 sur 5, « Partenariats » poids 1 sur 10.
    # Totaux sur 20 : (5/5×3 + 10/10×1)/4×20 = 20 ; (3/5×3 + 4/10×1)/4×20 = 11 ;
    # (4/5×3 + 2/10×1)/4×20 = 13. Moyenne 44/3 = 14,67 ; médiane 13 ;
    # écart type (population) √(((16/3)² + (11/3)² + (5/3)²)/3) = √(134/9) = 3,86.
    a = CandidatureFactory(appel=jury.appel, recevable=True, structure=StructureFactory(nom="A"))
    b = CandidatureFactory(appel=jury.appel, recevable=True, structure=StructureFactory(nom="B"))
    c = CandidatureFactory(appel=jury.appel, recevable=True, structure=StructureFactory(nom="C"))
    for valeurs in ([5, 10], [3, 4], [4, 2]):
        membre_note(jury, a, valeurs)
    membre_note(jury, b, [5, 10])
    membre_note(jury, b, [0, 0], valider=False)  # brouillon : ne compte pas

    lignes = classement(jury.appel)

    assert [
        (
            ligne.candidature.pk,
            ligne.rang,
            ligne.moyenne,
            ligne.mediane,
            ligne.ecart_type,
            ligne.nombre_notes,
        )
        for ligne in lignes
    ] == [
        (b.pk, 1, 20.0, 20.0, 0.0, 1),
        (a.pk, 2, 14.67, 13.0, 3.86, 3),
        (c.pk, None, None, None, None, 0),
    ]


def test_classement_mediane_d_un_nombre_pair_de_notes(jury):
    a = CandidatureFactory(appel=jury.appel, recevable=True)
    for valeurs in ([5, 10], [3, 4], [4, 2], [0, 0]):  # 20, 11, 13, 0
        membre_note(jury, a, valeurs)

    assert classement(jury.appel)[0].mediane == 12.0


def test_classement_ex_aequo_et_desaccord_selon_le_seuil(jury):
    a = CandidatureFactory(appel=jury.appel, recevable=True, structure=StructureFactory(nom="A"))
    b = CandidatureFactory(appel=jury.appel, recevable=True, structure=StructureFactory(nom="B"))
    c = CandidatureFactory(appel=jury.appel, recevable=True, structure=StructureFactory(nom="C"))
    # a : 20 et 10 → moyenne 15, écart type 5 ; b : 15 et 15 → 15, écart 0 ; c : 10.
    membre_note(jury, a, [5, 10])
    membre_note(jury, a, [2, 8])  # (2/5×3 + 8/10)/4×20 = (1,2 + 0,8)/4×20 = 10
    membre_note(jury, b, [4, 2])  # 13
    membre_note(jury, b, [4, 10])  # (2,4 + 1)/4×20 = 17
    membre_note(jury, c, [2, 8])

    Jury.objects.filter(pk=jury.pk).update(seuil_desaccord="4.9")
    lignes = classement(jury.appel)
    assert [(ligne.rang, ligne.ex_aequo, ligne.desaccord) for ligne in lignes] == [
        (1, True, True),
        (1, True, False),
        (3, False, False),
    ]
    assert {lignes[0].candidature.pk, lignes[1].candidature.pk} == {a.pk, b.pk}

    Jury.objects.filter(pk=jury.pk).update(seuil_desaccord="5.0")
    assert [ligne.desaccord for ligne in classement(jury.appel)] == [False, False, False]

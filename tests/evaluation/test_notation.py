"""Conflits d'intérêts, notes en brouillon puis validées, cécité, totaux sur 20."""

import datetime

import pytest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from evaluation import services
from evaluation.enums import EtatEvaluation
from evaluation.models import Affectation, Evaluation, Jury
from evaluation.rules import oublier_sieges, sieges
from evaluation.selectors import affectations_du_membre
from journal.models import Evenement
from noyau.erreurs import ActionImpossible, ActionNonPermise, DonneesRefusees
from tests.candidatures.factories import CandidatureFactory, StructureFactory, commune
from tests.evaluation.factories import (
    AffectationFactory,
    MembreJuryFactory,
    membre_note,
    membre_sans_conflit,
    noter,
)

pytestmark = pytest.mark.django_db


def test_notes_refusees_tant_que_le_conflit_n_est_pas_declare(jury, candidature):
    affectation = AffectationFactory(membre__jury=jury, candidature=candidature)

    with pytest.raises(ActionNonPermise):
        noter(candidature, affectation.membre.utilisateur, [4, 8])

    assert Evaluation.objects.count() == 0


def test_membre_en_conflit_ne_peut_pas_noter_et_ses_notes_sont_effacees(jury, candidature):
    membre = membre_note(jury, candidature, [4, 8], valider=False)

    services.declarer_conflit(
        candidature,
        par=membre.utilisateur,
        en_conflit=True,
        type_conflit="elu",
        precision="Adjoint au maire de Houplines",
    )

    assert Evaluation.objects.count() == 0
    with pytest.raises(ActionImpossible, match="Vous avez déclaré un conflit d'intérêts"):
        noter(candidature, membre.utilisateur, [4, 8])
    evenement = Evenement.objects.filter(type="conflit_declare").get()
    # (4/5 × 3 + 8/10 × 1) / 4 × 20 = 16 : le brouillon effacé, dit au journal.
    assert (evenement.motif, evenement.donnees) == (
        "Adjoint au maire de Houplines",
        {
            "membre": membre.pk,
            "type": "elu",
            "notes_effacees": {"etat": "brouillon", "total_sur_20": 16.0},
        },
    )


def test_conflit_sans_type_refuse(jury, candidature):
    affectation = AffectationFactory(membre__jury=jury, candidature=candidature)

    with pytest.raises(DonneesRefusees, match="type de conflit"):
        services.declarer_conflit(candidature, par=affectation.membre.utilisateur, en_conflit=True)


def test_total_sur_20_pondere(jury, candidature):
    # (4/5 × 3 + 5/10 × 1) / 4 × 20 = (2,4 + 0,5) / 4 × 20 = 14,5
    membre = membre_note(jury, candidature, [4, 5])

    evaluation = Evaluation.objects.get(affectation__membre=membre)
    assert (evaluation.etat, evaluation.total_sur_20) == (EtatEvaluation.VALIDEE, 14.5)


def test_brouillon_incomplet_accepte_validation_incomplete_refusee(jury, candidature):
    membre = membre_sans_conflit(jury, candidature)
    critere = candidature.appel.grille.criteres.first()

    services.enregistrer_notes(
        candidature, par=membre.utilisateur, notes={critere.pk: (3, "Bien")}, valider=False
    )
    with pytest.raises(DonneesRefusees, match="« Partenariats » : la note manque."):
        services.enregistrer_notes(
            candidature, par=membre.utilisateur, notes={critere.pk: (3, "Bien")}, valider=True
        )

    evaluation = Evaluation.objects.get(affectation__membre=membre)
    assert evaluation.etat == EtatEvaluation.BROUILLON
    assert list(evaluation.notes.values_list("valeur", "commentaire")) == [(3, "Bien")]


def test_note_hors_bornes_refusee_sans_rien_ecrire(jury, candidature):
    membre = membre_sans_conflit(jury, candidature)

    with pytest.raises(DonneesRefusees, match="entre 0 et 5"):
        noter(candidature, membre.utilisateur, [6, 5])

    assert Evaluation.objects.count() == 0


def test_notes_modifiables_jusqu_a_la_date_limite_seulement(jury, candidature):
    membre = membre_note(jury, candidature, [4, 5])
    noter(candidature, membre.utilisateur, [5, 10])
    assert Evaluation.objects.get().total_sur_20 == 20.0

    Jury.objects.filter(pk=jury.pk).update(
        date_limite_notation=timezone.now() - datetime.timedelta(minutes=1)
    )
    membre.utilisateur = type(membre.utilisateur).objects.get(pk=membre.utilisateur.pk)
    with pytest.raises(ActionNonPermise):
        noter(candidature, membre.utilisateur, [1, 1])
    assert Evaluation.objects.get().total_sur_20 == 20.0


def test_cecite_notes_des_autres_visibles_seulement_apres_validation(jury, candidature):
    membre_note(jury, candidature, [4, 5])
    moi = membre_sans_conflit(jury, candidature)
    perm = "evaluation.voir_notes_des_autres"

    assert moi.utilisateur.has_perm(perm, candidature) is False
    noter(candidature, moi.utilisateur, [3, 3], valider=False)
    assert moi.utilisateur.has_perm(perm, candidature) is False
    noter(candidature, moi.utilisateur, [3, 3], valider=True)
    assert moi.utilisateur.has_perm(perm, candidature) is True


def test_cecite_jusqu_a_la_deliberation_si_l_appel_le_demande(jury, candidature, gestionnaire):
    Jury.objects.filter(pk=jury.pk).update(notes_cachees_jusqu_a_deliberation=True)
    moi = membre_note(jury, candidature, [3, 3])
    perm = "evaluation.voir_notes_des_autres"

    assert moi.utilisateur.has_perm(perm, candidature) is False
    services.ouvrir_deliberation(candidature.appel, par=gestionnaire)
    utilisateur = type(moi.utilisateur).objects.get(pk=moi.utilisateur.pk)
    candidature = type(candidature).objects.get(pk=candidature.pk)
    assert utilisateur.has_perm(perm, candidature) is True


def test_conflits_suggeres_en_tete_de_liste(jury):
    houplines = CandidatureFactory(
        appel=jury.appel, recevable=True, structure=StructureFactory(nom="A — CCAS de Houplines")
    )
    leers = CandidatureFactory(
        appel=jury.appel,
        recevable=True,
        structure=StructureFactory(nom="Z — CCAS de Leers", commune=commune("59339")),
    )
    membre = MembreJuryFactory(jury=jury, commune=commune("59339"))
    AffectationFactory(membre=membre, candidature=houplines)
    AffectationFactory(membre=membre, candidature=leers)

    lignes = affectations_du_membre(membre.utilisateur)

    assert [(ligne.candidature.pk, ligne.conflit_suggere) for ligne in lignes] == [
        (leers.pk, "Z — CCAS de Leers est dans votre commune (Leers)."),
        (houplines.pk, ""),
    ]


def test_notes_apres_le_retrait_de_l_affectation_refusees_avec_la_raison(
    jury, candidature, gestionnaire
):
    membre = membre_sans_conflit(jury, candidature)
    services.retirer_affectation(Affectation.objects.get(membre=membre), par=gestionnaire)

    with pytest.raises(ActionImpossible) as refus:
        noter(candidature, membre.utilisateur, [4, 8])

    assert refus.value.message == (
        "Cette candidature ne vous est plus confiée : vos notes n'ont pas été enregistrées."
    )
    assert Evaluation.objects.count() == 0


def test_notes_d_un_compte_hors_du_jury_refusees_sans_raison(jury, candidature):
    ailleurs = MembreJuryFactory()

    with pytest.raises(ActionNonPermise) as refus:
        noter(candidature, ailleurs.utilisateur, [4, 8])

    assert refus.value.message == services.REFUS_NOTATION
    assert Evaluation.objects.count() == 0


def test_les_sieges_relus_apres_oubli_meme_sur_le_compte_d_une_requete(jury, candidature):
    """Le compte d'une requête (`request.user`) est un objet paresseux : les services qui
    relisent les sièges sous leurs verrous doivent pouvoir en vider le cache."""
    membre = membre_sans_conflit(jury, candidature)
    compte_de_la_requete = SimpleLazyObject(lambda: membre.utilisateur)
    assert list(sieges(compte_de_la_requete)) == [candidature.pk]
    Affectation.objects.filter(membre=membre).delete()

    oublier_sieges(compte_de_la_requete)

    assert sieges(compte_de_la_requete) == {}


def test_affectations_a_la_main_figees_une_fois_la_deliberation_ouverte(
    jury, candidature, gestionnaire
):
    from programmes.enums import EtatAppel
    from programmes.models import Appel

    membre = membre_sans_conflit(jury, candidature)
    autre = MembreJuryFactory(jury=jury)
    Appel.objects.filter(pk=jury.appel_id).update(etat=EtatAppel.EN_DELIBERATION)

    with pytest.raises(ActionImpossible) as ajout:
        services.affecter_a_la_main(autre, candidature, par=gestionnaire)
    with pytest.raises(ActionImpossible) as retrait:
        services.retirer_affectation(Affectation.objects.get(membre=membre), par=gestionnaire)

    attendu = "Les candidatures s'affectent une fois l'appel clos, avant la délibération."
    assert (ajout.value.message, retrait.value.message) == (attendu, attendu)
    assert list(Affectation.objects.values_list("membre_id", flat=True)) == [membre.pk]

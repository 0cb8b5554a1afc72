"""Deux personnes qui agissent à la même seconde sur la même ligne : une seule transition
passe, l'autre reçoit un refus clair, et le journal n'en garde qu'une."""

import datetime
import time

import pytest
from django.utils import timezone

from candidatures import services as services_candidatures
from candidatures.models import Candidature
from evaluation.models import Evaluation, Jury
from journal.models import Evenement
from noyau.erreurs import ActionImpossible, ActionNonPermise
from tests.candidatures.factories import CandidatureFactory, ProgrammeFactory
from tests.evaluation.factories import JuryFactory, membre_sans_conflit, noter
from tests.factories import UtilisateurFactory
from tests.fiabilite.simultane import en_meme_temps

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_recevable_et_irrecevable_en_meme_temps_une_seule_passe(client):
    premier, second = (UtilisateurFactory(gestionnaire=True) for _ in range(2))
    programme = ProgrammeFactory(gestionnaires=[premier, second])
    candidature = CandidatureFactory(appel__programme=programme, deposee=True)

    resultats = en_meme_temps(
        lambda: services_candidatures.declarer_recevable(candidature, par=premier),
        lambda: services_candidatures.declarer_irrecevable(
            candidature, par=second, motif="Hors périmètre"
        ),
    )

    refus = [r for r in resultats if isinstance(r, Exception)]
    assert len(refus) == 1 and isinstance(refus[0], ActionImpossible), resultats
    assert "candidature" in refus[0].message
    etat_final = Candidature.objects.get(pk=candidature.pk).etat
    assert etat_final in ("recevable", "irrecevable")
    journal = (
        Evenement.objects.changements_d_etat()
        .de(candidature)
        .filter(transition__in=["declarer_recevable", "declarer_irrecevable"])
    )
    assert [(e.depuis, e.vers) for e in journal] == [("deposee", etat_final)]

    # Le perdant, par la page : 409 et un message en français, rien de plus au journal.
    perdant = second if etat_final == "recevable" else premier
    client.force_login(perdant)
    if etat_final == "recevable":
        reponse = client.post(
            f"/gestion/candidatures/{candidature.pk}/irrecevable/", {"motif": "Hors périmètre"}
        )
    else:
        reponse = client.post(f"/gestion/candidatures/{candidature.pk}/recevable/")
    assert reponse.status_code == 409
    assert "candidature" in reponse.content.decode()
    assert journal.count() == 1


def test_deux_membres_valident_a_la_derniere_seconde_puis_la_notation_se_ferme():
    """Attendu : les deux validations faites avant l'échéance (strictement avant, règle
    `evaluation.noter`) passent toutes les deux ; une note tentée à l'échéance ou après est
    refusée."""
    jury = JuryFactory()
    candidature = CandidatureFactory(appel=jury.appel, recevable=True)
    membres = [membre_sans_conflit(jury, candidature) for _ in range(2)]
    echeance = timezone.now() + datetime.timedelta(seconds=3)
    Jury.objects.filter(pk=jury.pk).update(date_limite_notation=echeance)

    resultats = en_meme_temps(
        *(lambda m=m: noter(candidature, m.utilisateur, [4, 8]) for m in membres)
    )

    assert [type(r) for r in resultats] == [Evaluation, Evaluation], resultats
    assert Evaluation.objects.filter(etat="validee").count() == 2
    assert Evenement.objects.changements_d_etat().filter(transition="valider").count() == 2

    time.sleep(max(0.0, (echeance - timezone.now()).total_seconds()) + 0.1)
    with pytest.raises(ActionNonPermise):
        noter(candidature, membres[0].utilisateur, [5, 9])

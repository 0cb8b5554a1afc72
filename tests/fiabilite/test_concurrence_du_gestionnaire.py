"""Le gestionnaire écrit sur un appel à la même seconde qu'une autre écriture : il répartit
les candidatures pendant qu'un membre pose sa première note.

La répartition prend d'abord le verrou de l'appel, comme les notes et les changements
d'étape, et relit sous ce verrou ce qui fonde son droit. Deux preuves : des essais lâchés
ensemble, l'ordre laissé au serveur ; et un entrelacement rejoué à coup sûr, où l'autre
écriture, réelle, a tout fait sauf valider sa transaction.

Grille des fabriques : « Adéquation » poids 3 sur 5, « Partenariats » poids 1 sur 10 ;
[5, 5] y vaut 17,5/20.
"""

from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from candidatures.erreurs import ActionNonPermise
from evaluation import services
from evaluation.enums import ModeAffectation
from evaluation.models import Affectation, Evaluation, Jury
from tests.candidatures.factories import CandidatureFactory, ProgrammeFactory, StructureFactory
from tests.evaluation.factories import JuryFactory, membre_sans_conflit, noter
from tests.factories import UtilisateurFactory
from tests.fiabilite.simultane import (
    attendre_bloque_ou_fini,
    en_meme_temps,
    lancer,
    transaction_tenue,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ESSAIS = 20


def _compte_frais(utilisateur):
    """Chaque fil a son propre objet compte, comme chaque requête du serveur."""
    return get_user_model().objects.get(pk=utilisateur.pk)


def _bilan(ecarts):
    return f"{len(ecarts)} essais sur {ESSAIS} en écart : " + repr(
        Counter(constate for _, constate in ecarts)
    )


@pytest.fixture
def gestionnaire():
    return UtilisateurFactory(gestionnaire=True)


@pytest.fixture
def programme(gestionnaire):
    return ProgrammeFactory(gestionnaires=[gestionnaire])


@pytest.fixture
def navigateur_du_gestionnaire(gestionnaire):
    client = Client()
    client.force_login(gestionnaire)
    return client


# --- Répartir pendant qu'un membre pose sa première note -------------------------------------


def _deux_membres_confies(programme, nom):
    """Un appel en notation, une candidature confiée à deux membres sans conflit, dont aucun
    n'a encore noté. Passer à un membre par candidature garde le premier (le plus ancien)."""
    jury = JuryFactory(appel__programme=programme)
    candidature = CandidatureFactory(
        appel=jury.appel, recevable=True, structure=StructureFactory(nom=nom)
    )
    premier = membre_sans_conflit(jury, candidature)
    second = membre_sans_conflit(
        jury, candidature, utilisateur__first_name="Claire", utilisateur__last_name="Dubois"
    )
    return jury, candidature, premier, second


def _membres_affectes(jury):
    return sorted(Affectation.objects.filter(membre__jury=jury).values_list("membre_id", flat=True))


def _totaux(membre):
    return tuple(
        Evaluation.objects.filter(affectation__membre=membre).values_list("total_sur_20", flat=True)
    )


def test_repartition_et_premiere_note_en_meme_temps_jamais_d_erreur(gestionnaire, programme):
    """Le gestionnaire passe à un membre par candidature (la répartition garde le premier)
    pendant que le second pose sa première note, 17,5/20.

    Attendu à chaque essai : la note passe avant, et l'affectation du second reste, signalée
    comme gardée ; ou la répartition passe avant, et la note est refusée. Jamais d'erreur de
    la base."""
    ecarts = []
    for essai in range(ESSAIS):
        jury, candidature, premier, second = _deux_membres_confies(programme, f"CCAS {essai}")

        repartition, note = en_meme_temps(
            lambda jury=jury: services.affecter(
                Jury.objects.get(pk=jury.pk),
                par=_compte_frais(gestionnaire),
                mode=ModeAffectation.AUTOMATIQUE,
                par_candidature=1,
            ),
            lambda second=second, candidature=candidature: noter(
                candidature, _compte_frais(second.utilisateur), [5, 5]
            ),
        )

        note_refusee = (
            isinstance(note, ActionNonPermise) and note.message == services.REFUS_NOTATION
        )
        role = {premier.pk: "premier", second.pk: "second"}
        constate = (
            type(repartition).__name__,
            tuple(role[a.membre_id] for a in getattr(repartition, "gardees", [])),
            "refusée" if note_refusee else type(note).__name__,
            tuple(role[pk] for pk in _membres_affectes(jury)),
            _totaux(second),
        )
        attendus = [
            # La note d'abord : l'affectation du second reste, et le gestionnaire le sait.
            ("Repartition", ("second",), "Evaluation", ("premier", "second"), (17.5,)),
            # La répartition d'abord : la candidature n'est plus confiée au second.
            ("Repartition", (), "refusée", ("premier",), ()),
        ]
        if constate not in attendus:
            ecarts.append((essai, constate))

    assert ecarts == [], _bilan(ecarts)


def test_repartition_pendant_une_premiere_note_en_cours_garde_l_affectation(
    programme, navigateur_du_gestionnaire
):
    """La première note du second membre est écrite, sa transaction pas encore validée,
    quand le gestionnaire envoie la répartition : elle attend la note, la trouve, garde
    l'affectation et le dit."""
    jury, candidature, premier, second = _deux_membres_confies(programme, "CCAS de Leers")
    url = reverse("evaluation:gestion_affecter", args=[jury.appel_id])

    with transaction_tenue(lambda: noter(candidature, second.utilisateur, [5, 5])) as note:
        envoi = lancer(
            lambda: navigateur_du_gestionnaire.post(
                url, {"mode": "automatique", "par_candidature": "1"}, follow=True
            )
        )
        attendre_bloque_ou_fini(envoi)

    reponse = envoi.resultat()
    assert type(note.resultat()) is Evaluation
    assert not isinstance(reponse, Exception), reponse
    assert reponse.status_code == 200
    assert [str(message) for message in reponse.context["messages"]] == [
        "Candidatures affectées.",
        "Affectation gardée, car la notation y a commencé : Claire Dubois pour CCAS de Leers.",
    ]
    assert _membres_affectes(jury) == [premier.pk, second.pk]
    assert _totaux(second) == (17.5,)

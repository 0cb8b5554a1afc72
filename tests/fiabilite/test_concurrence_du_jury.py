"""Un membre du jury qui déclare un conflit et valide ses notes à la même seconde ; des notes
enregistrées pendant que le gestionnaire ouvre la délibération.

Chaque essai est rejoué : un seul passage sans accroc ne prouverait rien sur une course.
Toutes les écritures du jury sur une candidature prennent leurs verrous dans le même ordre
(l'appel, puis l'affectation) et relisent le droit sous ces verrous : les deux actions passent
l'une après l'autre, jamais entremêlées.
"""

import pytest
from django.contrib.auth import get_user_model

from evaluation import services
from evaluation.models import ConflitInterets, Evaluation
from evaluation.selectors import classement
from journal.models import Evenement
from noyau.erreurs import ActionImpossible
from programmes.models import Appel
from tests.candidatures.factories import CandidatureFactory, ProgrammeFactory, StructureFactory
from tests.evaluation.factories import JuryFactory, membre_note, membre_sans_conflit, noter
from tests.factories import UtilisateurFactory
from tests.fiabilite.simultane import en_meme_temps

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ESSAIS = 30


def _compte_frais(utilisateur):
    """Chaque fil a son propre objet compte, comme chaque requête du serveur."""
    return get_user_model().objects.get(pk=utilisateur.pk)


def _agregats(appel, candidature):
    (ligne,) = [ligne for ligne in classement(appel) if ligne.candidature.pk == candidature.pk]
    return (
        ligne.moyenne,
        ligne.mediane,
        ligne.ecart_type,
        ligne.nombre_notes,
        ligne.nombre_recusations,
    )


def test_conflit_et_notes_du_meme_membre_en_meme_temps_la_note_ne_compte_jamais():
    """Grille : « Adéquation » poids 3 sur 5, « Partenariats » poids 1 sur 10. Un autre membre
    donne 12/20 ([3, 6]) ; le membre qui se découvre en conflit tente 17,5/20 ([5, 5]).

    Attendu à chaque essai : le conflit est enregistré ; la note passe avant (puis s'efface
    avec le conflit) ou est refusée après, avec un message clair ; le classement ne compte
    que le 12/20 de l'autre membre et une récusation."""
    jury = JuryFactory()
    ecarts = []
    for essai in range(ESSAIS):
        candidature = CandidatureFactory(
            appel=jury.appel, recevable=True, structure=StructureFactory(nom=f"CCAS {essai:02d}")
        )
        membre_note(jury, candidature, [3, 6])
        moi = membre_sans_conflit(jury, candidature)

        conflit, note = en_meme_temps(
            lambda moi=moi, candidature=candidature: services.declarer_conflit(
                candidature,
                par=_compte_frais(moi.utilisateur),
                en_conflit=True,
                type_conflit="famille",
                precision="Ma sœur préside l'association",
            ),
            lambda moi=moi, candidature=candidature: noter(
                candidature, _compte_frais(moi.utilisateur), [5, 5]
            ),
        )

        note_refusee = (
            isinstance(note, ActionImpossible)
            and note.message
            == f"Vous avez déclaré un conflit d'intérêts avec CCAS {essai:02d} : vous ne "
            "pouvez pas noter cette candidature, et aucune de vos notes n'y compte."
        )
        constate = (
            type(conflit).__name__,
            "refusée" if note_refusee else type(note).__name__,
            ConflitInterets.objects.filter(membre=moi, en_conflit=True).count(),
            Evaluation.objects.filter(affectation__membre=moi).count(),
            _agregats(jury.appel, candidature),
        )
        attendus = [
            # Le conflit d'abord : la note est refusée.
            ("ConflitInterets", "refusée", 1, 0, (12.0, 12.0, 0.0, 1, 1)),
            # La note d'abord : le conflit l'efface.
            ("ConflitInterets", "Evaluation", 1, 0, (12.0, 12.0, 0.0, 1, 1)),
        ]
        if constate not in attendus:
            ecarts.append((essai, constate, conflit, note))

    assert ecarts == [], f"{len(ecarts)} essais sur {ESSAIS} en écart"


def test_notes_et_ouverture_de_la_deliberation_en_meme_temps_rien_ne_change_apres():
    """Un membre a validé 12/20 ([3, 6]) et corrige en 17,5/20 ([5, 5]) pendant que le
    gestionnaire ouvre la délibération.

    Attendu à chaque essai : la délibération s'ouvre ; la correction passe avant elle
    (modifiée avant l'horodatage de la transition) ou est refusée avec un message clair, la
    note restant 12/20."""
    gestionnaire = UtilisateurFactory(gestionnaire=True)
    programme = ProgrammeFactory(gestionnaires=[gestionnaire])
    ecarts = []
    for essai in range(ESSAIS):
        jury = JuryFactory(appel__programme=programme)
        candidature = CandidatureFactory(appel=jury.appel, recevable=True)
        moi = membre_note(jury, candidature, [3, 6])

        note, ouverture = en_meme_temps(
            lambda moi=moi, candidature=candidature: noter(
                candidature, _compte_frais(moi.utilisateur), [5, 5]
            ),
            lambda jury=jury: services.ouvrir_deliberation(
                Appel.objects.get(pk=jury.appel_id), par=_compte_frais(gestionnaire)
            ),
        )

        evaluation = Evaluation.objects.get(affectation__membre=moi)
        ouverte_le = (
            Evenement.objects.changements_d_etat()
            .de(Appel.objects.get(pk=jury.appel_id))
            .get(transition="ouvrir_deliberation")
            .survenu_le
        )
        note_refusee = (
            isinstance(note, ActionImpossible)
            and note.message
            == "La notation est close : l'appel est « En délibération », "
            "les notes ne changent plus."
        )
        constate = (
            type(ouverture).__name__,
            "refusée" if note_refusee else type(note).__name__,
            evaluation.total_sur_20,
            evaluation.modifiee_le < ouverte_le,
        )
        attendus = [
            ("Appel", "Evaluation", 17.5, True),  # corrigée avant l'ouverture
            ("Appel", "refusée", 12.0, True),  # refusée après : rien n'a changé
        ]
        if constate not in attendus:
            ecarts.append((essai, constate, note, ouverture))

    assert ecarts == [], f"{len(ecarts)} essais sur {ESSAIS} en écart"

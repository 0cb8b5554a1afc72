"""Le gestionnaire écrit sur un appel à la même seconde qu'une autre écriture : il répartit
les candidatures pendant qu'un membre pose sa première note, change la grille pendant qu'un
membre note, réécrit les décisions pendant que les résultats se publient, avance la date
limite pendant qu'un membre note, enregistre la séance pendant la publication, retire une
candidature à un membre qui la note.

Ces écritures prennent d'abord le verrou de l'appel, comme les notes et les changements
d'étape, et relisent sous ce verrou ce qui fonde leur droit (le retrait d'une affectation,
lui, passe par le verrou de l'affectation, que la note prend aussi). Deux preuves pour la
plupart : des essais lâchés ensemble, l'ordre laissé au serveur ; et un entrelacement rejoué
à coup sûr, où l'autre écriture, réelle, a tout fait sauf valider sa transaction.

Grille des fabriques : « Adéquation » poids 3 sur 5, « Partenariats » poids 1 sur 10 ;
[5, 5] y vaut 17,5/20.
"""

import datetime
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from candidatures.models import Candidature
from evaluation import services
from evaluation.enums import ModeAffectation, SensDecision
from evaluation.forms import CritereFormSet
from evaluation.models import (
    Affectation,
    Critere,
    Decision,
    Deliberation,
    Evaluation,
    Grille,
    Jury,
)
from journal.models import Evenement
from noyau.erreurs import ActionImpossible, ActionNonPermise, DonneesRefusees
from programmes.models import Appel
from tests.candidatures.factories import CandidatureFactory, ProgrammeFactory, StructureFactory
from tests.evaluation.factories import (
    JuryFactory,
    donnees_de_la_grille,
    membre_note,
    membre_sans_conflit,
    noter,
    seance_au_quorum,
)
from tests.factories import UtilisateurFactory
from tests.fiabilite.simultane import (
    attendre_bloque_ou_fini,
    en_meme_temps,
    lancer,
    transaction_tenue,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ESSAIS = 20

GRILLE_FIGEE = "La grille ne se modifie plus : des membres du jury ont déjà saisi des notes."
NOTE_AU_DESSUS_DU_MAXIMUM = "« Partenariats » : la note doit être entre 0 et 4."
DELIBERATION_CLOSE = "La délibération n'est pas ouverte : l'appel est « Décidé »."


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
    n'a encore noté. Passer à un membre par candidature garde le premier (le plus ancien),
    sauf si le second a déjà noté : son affectation notée compte alors pour ce membre."""
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


def _notes_envoyees(candidature, valeurs):
    """Le formulaire de notes tel que le membre l'envoie pour les valider."""
    criteres = Critere.objects.filter(grille__appel_id=candidature.appel_id)
    return {f"note_{c.pk}": str(v) for c, v in zip(criteres, valeurs, strict=True)} | {
        "valider": ""
    }


def _totaux(membre):
    return tuple(
        Evaluation.objects.filter(affectation__membre=membre).values_list("total_sur_20", flat=True)
    )


def test_repartition_et_premiere_note_en_meme_temps_jamais_d_erreur(gestionnaire, programme):
    """Le gestionnaire passe à un membre par candidature pendant que le second pose sa
    première note, 17,5/20.

    Attendu à chaque essai : la note passe avant, et l'affectation notée du second reste et
    compte pour le membre voulu (celle du premier, sans note, est retirée) ; ou la
    répartition passe avant, garde le premier, et la note est refusée. Jamais d'erreur de la
    base."""
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
            isinstance(note, ActionImpossible) and note.message == services.PLUS_CONFIEE_NOTES
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
            # La note d'abord : l'affectation notée du second reste et suffit.
            ("Repartition", (), "Evaluation", ("second",), (17.5,)),
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
    l'affectation notée, qui suffit à la candidature, et retire celle du premier."""
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
    assert [str(message) for message in reponse.context["messages"]] == ["Candidatures affectées."]
    assert _membres_affectes(jury) == [second.pk]
    assert _totaux(second) == (17.5,)


# --- Changer la grille pendant qu'un membre note ---------------------------------------------


def _changer_la_grille(appel_id, gestionnaire):
    donnees = donnees_de_la_grille(appel_id, maximums={"Partenariats": 4})
    formset = CritereFormSet(donnees, instance=Grille.objects.get(appel_id=appel_id))
    assert formset.is_valid(), formset.errors
    return services.enregistrer_grille(
        Appel.objects.get(pk=appel_id), par=_compte_frais(gestionnaire), formset=formset
    )


def _maximum_partenariats(jury):
    return Critere.objects.get(grille__appel_id=jury.appel_id, libelle="Partenariats").maximum


def test_grille_et_premieres_notes_en_meme_temps_la_grille_ne_change_pas_sous_les_notes(
    gestionnaire, programme
):
    """Le gestionnaire passe « Partenariats » sur 4 pendant qu'un membre valide ses
    premières notes, [5, 5].

    Attendu à chaque essai : la grille change avant, et le 5 en « Partenariats » est refusé
    (au-dessus du nouveau maximum) ; ou les notes passent avant, et la grille est refusée,
    chacun avec un message clair. Jamais une note au-dessus du maximum de son critère."""
    ecarts = []
    for essai in range(ESSAIS):
        jury = JuryFactory(appel__programme=programme)
        candidature = CandidatureFactory(appel=jury.appel, recevable=True)
        membre = membre_sans_conflit(jury, candidature)

        grille, note = en_meme_temps(
            lambda jury=jury: _changer_la_grille(jury.appel_id, gestionnaire),
            lambda membre=membre, candidature=candidature: noter(
                candidature, _compte_frais(membre.utilisateur), [5, 5]
            ),
        )

        grille_refusee = isinstance(grille, ActionImpossible) and grille.message == GRILLE_FIGEE
        note_refusee = (
            isinstance(note, DonneesRefusees) and note.message == NOTE_AU_DESSUS_DU_MAXIMUM
        )
        constate = (
            "refusée" if grille_refusee else type(grille).__name__,
            "refusée" if note_refusee else type(note).__name__,
            _maximum_partenariats(jury),
            _totaux(membre),
        )
        attendus = [
            ("Grille", "refusée", 4, ()),  # la grille d'abord
            ("refusée", "Evaluation", 10, (17.5,)),  # les notes d'abord
        ]
        if constate not in attendus:
            ecarts.append((essai, constate))

    assert ecarts == [], _bilan(ecarts)


def test_grille_envoyee_pendant_des_premieres_notes_en_cours_refusee_en_409(
    programme, navigateur_du_gestionnaire
):
    """Les premières notes d'un membre sont écrites, leur transaction pas encore validée,
    quand le gestionnaire envoie la grille : elle attend les notes, les trouve, et refuse."""
    jury = JuryFactory(appel__programme=programme)
    candidature = CandidatureFactory(appel=jury.appel, recevable=True)
    membre = membre_sans_conflit(jury, candidature)
    donnees = donnees_de_la_grille(jury.appel_id, maximums={"Partenariats": 4})
    url = reverse("evaluation:gestion_grille", args=[jury.appel_id])

    with transaction_tenue(lambda: noter(candidature, membre.utilisateur, [5, 5])) as note:
        envoi = lancer(lambda: navigateur_du_gestionnaire.post(url, donnees))
        attendre_bloque_ou_fini(envoi)

    reponse = envoi.resultat()
    assert type(note.resultat()) is Evaluation
    assert not isinstance(reponse, Exception), reponse
    assert reponse.status_code == 409
    assert escape(GRILLE_FIGEE) in reponse.content.decode()
    assert _maximum_partenariats(jury) == 10
    assert _totaux(membre) == (17.5,)


# --- Réécrire les décisions pendant que les résultats se publient ----------------------------


def _deliberation_avec_une_decision(programme, gestionnaire, nom):
    """Un appel en délibération, une candidature notée 12/20, décidée « liste d'attente » ;
    la séance tenue au quorum."""
    jury = JuryFactory(appel__programme=programme)
    candidature = CandidatureFactory(
        appel=jury.appel, recevable=True, structure=StructureFactory(nom=nom)
    )
    membre_note(jury, candidature, [3, 6])
    services.ouvrir_deliberation(Appel.objects.get(pk=jury.appel_id), par=gestionnaire)
    seance_au_quorum(Appel.objects.get(pk=jury.appel_id), gestionnaire)
    services.enregistrer_decisions(
        Appel.objects.get(pk=jury.appel_id),
        par=gestionnaire,
        decisions={candidature.pk: (SensDecision.LISTE_ATTENTE, "")},
    )
    return jury, candidature


def _etat_et_decision(candidature):
    return (
        Candidature.objects.get(pk=candidature.pk).etat,
        Decision.objects.get(candidature=candidature).sens,
    )


def test_decisions_et_publication_en_meme_temps_rien_ne_change_apres(gestionnaire, programme):
    """Un gestionnaire publie les résultats pendant qu'un autre passe la candidature de
    « liste d'attente » à « non retenue ».

    Attendu à chaque essai : la réécriture passe avant, et la publication l'applique ; ou
    elle est refusée avec un message clair, et la décision publiée reste celle qui est
    appliquée."""
    ecarts = []
    for essai in range(ESSAIS):
        jury, candidature = _deliberation_avec_une_decision(
            programme, gestionnaire, f"CCAS {essai}"
        )

        publication, reecriture = en_meme_temps(
            lambda jury=jury: services.publier_resultats(
                Appel.objects.get(pk=jury.appel_id), par=_compte_frais(gestionnaire)
            ),
            lambda jury=jury, candidature=candidature: services.enregistrer_decisions(
                Appel.objects.get(pk=jury.appel_id),
                par=_compte_frais(gestionnaire),
                decisions={candidature.pk: (SensDecision.NON_RETENUE, "Projet trop flou")},
            ),
        )

        reecriture_refusee = (
            isinstance(reecriture, ActionImpossible) and reecriture.message == DELIBERATION_CLOSE
        )
        constate = (
            type(publication).__name__,
            "refusée" if reecriture_refusee else type(reecriture).__name__,
            *_etat_et_decision(candidature),
        )
        attendus = [
            # Réécrite avant la publication, qui l'applique.
            ("Deliberation", "Deliberation", "non_retenue", "non_retenue"),
            # Publiée d'abord : la réécriture est refusée.
            ("Deliberation", "refusée", "liste_attente", "liste_attente"),
        ]
        if constate not in attendus:
            ecarts.append((essai, constate))

    assert ecarts == [], _bilan(ecarts)


def test_decisions_envoyees_pendant_la_publication_refusees_en_409(
    gestionnaire, programme, navigateur_du_gestionnaire
):
    """La publication a tout appliqué, sa transaction pas encore validée, quand les
    décisions réécrites arrivent : elles attendent la publication, trouvent l'appel décidé, et
    sont refusées."""
    jury, candidature = _deliberation_avec_une_decision(programme, gestionnaire, "CCAS d'Anstaing")
    url = reverse("evaluation:gestion_decisions", args=[jury.appel_id])

    with transaction_tenue(
        lambda: services.publier_resultats(
            Appel.objects.get(pk=jury.appel_id), par=_compte_frais(gestionnaire)
        )
    ) as publication:
        envoi = lancer(
            lambda: navigateur_du_gestionnaire.post(
                url,
                {
                    f"sens_{candidature.pk}": "non_retenue",
                    f"motif_{candidature.pk}": "Projet trop flou",
                },
            )
        )
        attendre_bloque_ou_fini(envoi)

    reponse = envoi.resultat()
    assert type(publication.resultat()).__name__ == "Deliberation"
    assert not isinstance(reponse, Exception), reponse
    assert reponse.status_code == 409
    assert escape(DELIBERATION_CLOSE) in reponse.content.decode()
    assert _etat_et_decision(candidature) == ("liste_attente", "liste_attente")


# --- Avancer la date limite pendant qu'un membre note ----------------------------------------


def _avancer_la_date_limite(jury, gestionnaire):
    """La date limite passe à il y a une minute : la notation est close."""
    return services.regler_jury(
        Jury.objects.select_related("appel__programme").get(pk=jury.pk),
        par=_compte_frais(gestionnaire),
        champs={"date_limite_notation": timezone.now() - datetime.timedelta(minutes=1)},
    )


def _date_limite_avancee_le(jury):
    return Evenement.objects.get(type="jury_regle", cible_id=jury.appel_id).survenu_le


def test_date_limite_avancee_et_notes_en_meme_temps_aucune_note_apres(gestionnaire, programme):
    """Le gestionnaire avance la date limite à il y a une minute pendant qu'un membre qui a
    validé 12/20 ([3, 6]) corrige en 17,5/20 ([5, 5]).

    Attendu à chaque essai : la correction passe avant le changement de date (elle est
    écrite avant qu'il soit journalisé) ; ou elle est refusée après, la note restant 12/20.
    Jamais une note écrite après la date limite avancée."""
    ecarts = []
    for essai in range(ESSAIS):
        jury = JuryFactory(appel__programme=programme)
        candidature = CandidatureFactory(appel=jury.appel, recevable=True)
        membre = membre_note(jury, candidature, [3, 6])

        reglage, note = en_meme_temps(
            lambda jury=jury: _avancer_la_date_limite(jury, gestionnaire),
            lambda membre=membre, candidature=candidature: noter(
                candidature, _compte_frais(membre.utilisateur), [5, 5]
            ),
        )

        evaluation = Evaluation.objects.get(affectation__membre=membre)
        note_refusee = (
            isinstance(note, ActionNonPermise) and note.message == services.REFUS_NOTATION
        )
        constate = (
            type(reglage).__name__,
            "refusée" if note_refusee else type(note).__name__,
            evaluation.total_sur_20,
            evaluation.modifiee_le < _date_limite_avancee_le(jury),
        )
        attendus = [
            ("Jury", "Evaluation", 17.5, True),  # corrigée avant le changement de date
            ("Jury", "refusée", 12.0, True),  # refusée après : rien n'a changé
        ]
        if constate not in attendus:
            ecarts.append((essai, constate))

    assert ecarts == [], _bilan(ecarts)


def test_notes_envoyees_pendant_que_la_date_limite_avance_refusees(gestionnaire, programme):
    """Le changement de date limite est écrit, sa transaction pas encore validée, quand le
    membre envoie sa correction : elle attend le réglage, lit la nouvelle date limite, et
    est refusée ; la note reste 12/20."""
    jury = JuryFactory(appel__programme=programme)
    candidature = CandidatureFactory(appel=jury.appel, recevable=True)
    membre = membre_note(jury, candidature, [3, 6])
    navigateur_du_membre = Client()
    navigateur_du_membre.force_login(membre.utilisateur)
    url = reverse("evaluation:jury_noter", args=[candidature.pk])

    with transaction_tenue(lambda: _avancer_la_date_limite(jury, gestionnaire)) as reglage:
        envoi = lancer(lambda: navigateur_du_membre.post(url, _notes_envoyees(candidature, [5, 5])))
        attendre_bloque_ou_fini(envoi)

    reponse = envoi.resultat()
    assert type(reglage.resultat()) is Jury
    assert not isinstance(reponse, Exception), reponse
    assert reponse.status_code == 403
    assert escape(services.REFUS_NOTATION) in reponse.content.decode()
    assert _totaux(membre) == (12.0,)


# --- Enregistrer la séance pendant que les résultats se publient -----------------------------


def _seance(jury):
    deliberation = Deliberation.objects.get(appel_id=jury.appel_id)
    return (deliberation.quorum, deliberation.proces_verbal)


def test_seance_envoyee_pendant_la_publication_refusee_en_409(
    gestionnaire, programme, navigateur_du_gestionnaire
):
    """La publication a tout appliqué, sa transaction pas encore validée, quand la séance
    réécrite arrive : elle attend la publication, trouve l'appel décidé, et est refusée ; le
    procès-verbal publié ne change pas."""
    jury, candidature = _deliberation_avec_une_decision(programme, gestionnaire, "CCAS de Baisieux")
    services.enregistrer_seance(
        Appel.objects.get(pk=jury.appel_id),
        par=gestionnaire,
        date=timezone.now(),
        presents=list(jury.membres.all()),
        quorum=1,
        proces_verbal="Séance ouverte à 14 h.",
    )
    url = reverse("evaluation:gestion_seance", args=[jury.appel_id])

    with transaction_tenue(
        lambda: services.publier_resultats(
            Appel.objects.get(pk=jury.appel_id), par=_compte_frais(gestionnaire)
        )
    ) as publication:
        envoi = lancer(
            lambda: navigateur_du_gestionnaire.post(
                url,
                {
                    "date": "2026-03-12T14:00",
                    "quorum": "3",
                    "proces_verbal": "Procès-verbal réécrit pendant la publication.",
                },
            )
        )
        attendre_bloque_ou_fini(envoi)

    reponse = envoi.resultat()
    assert type(publication.resultat()).__name__ == "Deliberation"
    assert not isinstance(reponse, Exception), reponse
    assert reponse.status_code == 409
    assert escape(DELIBERATION_CLOSE) in reponse.content.decode()
    assert _seance(jury) == (1, "Séance ouverte à 14 h.")


# --- Retirer une candidature à un membre pendant qu'il la note -------------------------------


def test_notes_envoyees_pendant_le_retrait_de_l_affectation_refus_clair_en_409(
    gestionnaire, programme
):
    """Le retrait de l'affectation est écrit, sa transaction pas encore validée, quand le
    membre envoie ses premières notes : elles attendent le retrait, ne trouvent plus
    l'affectation, et le membre lit pourquoi, sur son espace, sans rien de la candidature."""
    jury = JuryFactory(appel__programme=programme)
    candidature = CandidatureFactory(
        appel=jury.appel, recevable=True, structure=StructureFactory(nom="CCAS de Sainghin")
    )
    membre = membre_sans_conflit(jury, candidature)
    affectation = Affectation.objects.get(membre=membre)
    navigateur_du_membre = Client()
    navigateur_du_membre.force_login(membre.utilisateur)
    url = reverse("evaluation:jury_noter", args=[candidature.pk])

    with transaction_tenue(
        lambda: services.retirer_affectation(affectation, par=_compte_frais(gestionnaire))
    ) as retrait:
        envoi = lancer(lambda: navigateur_du_membre.post(url, _notes_envoyees(candidature, [5, 5])))
        attendre_bloque_ou_fini(envoi)

    reponse = envoi.resultat()
    assert retrait.resultat() is None
    assert not isinstance(reponse, Exception), reponse
    assert reponse.status_code == 409
    page = reponse.content.decode()
    assert escape(services.PLUS_CONFIEE_NOTES) in page
    assert "Sainghin" not in page
    assert _totaux(membre) == ()


# --- Ajouter un membre pendant que la délibération s'ouvre -----------------------------------


def test_membre_ajoute_pendant_l_ouverture_de_la_deliberation_refuse_en_409(
    gestionnaire, programme, navigateur_du_gestionnaire
):
    """La délibération s'ouvre, sa transaction pas encore validée, quand le gestionnaire
    ajoute un membre au jury : l'ajout attend le verrou de l'appel, trouve la délibération
    ouverte, et est refusé ; aucune invitation ne part."""
    from comptes.models import Invitation
    from evaluation.models import MembreJury

    jury = JuryFactory(appel__programme=programme)
    candidature = CandidatureFactory(
        appel=jury.appel, recevable=True, structure=StructureFactory(nom="CCAS de Sainghin")
    )
    membre_note(jury, candidature, [3, 6])
    url = reverse("evaluation:gestion_membre", args=[jury.appel_id])

    with transaction_tenue(
        lambda: services.ouvrir_deliberation(
            Appel.objects.get(pk=jury.appel_id), par=_compte_frais(gestionnaire)
        )
    ) as ouverture:
        envoi = lancer(
            lambda: navigateur_du_gestionnaire.post(url, {"email": "tardive@exemple.test"})
        )
        attendre_bloque_ou_fini(envoi)

    reponse = envoi.resultat()
    assert type(ouverture.resultat()).__name__ == "Appel"
    assert not isinstance(reponse, Exception), reponse
    assert reponse.status_code == 409
    assert (
        escape(
            "Le jury ne s'agrandit plus : l'appel est « En délibération ». Un membre s'ajoute "
            "jusqu'à l'ouverture de la délibération."
        )
        in reponse.content.decode()
    )
    assert MembreJury.objects.filter(email="tardive@exemple.test").count() == 0
    assert Invitation.objects.filter(email="tardive@exemple.test").count() == 0

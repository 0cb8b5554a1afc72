"""Délibération : motifs obligatoires, nombre de places, publication et liste d'attente."""

import datetime

import pytest
from django.utils import timezone

from candidatures.enums import EtatCandidature
from candidatures.models import Candidature
from evaluation import services
from evaluation.enums import SensDecision
from evaluation.models import Decision, Deliberation, Jury
from journal.models import Evenement
from noyau.erreurs import ActionImpossible, DonneesRefusees
from programmes.enums import EtatAppel
from programmes.models import Appel
from tests.candidatures.factories import CandidatureFactory, StructureFactory, membre_de
from tests.evaluation.factories import membre_note, seance_au_quorum

pytestmark = pytest.mark.django_db


@pytest.fixture
def trois_candidatures(jury, gestionnaire):
    """A (20), B (11), C (13) ; une personne par structure ; appel en délibération, 2 places ;
    séance tenue au quorum."""
    candidatures = []
    for nom, valeurs in (("A", [5, 10]), ("B", [3, 4]), ("C", [4, 2])):
        structure = StructureFactory(nom=f"CCAS {nom}")
        membre_de(structure, email=f"ccas-{nom.lower()}@exemple.test")
        candidature = CandidatureFactory(appel=jury.appel, recevable=True, structure=structure)
        membre_note(jury, candidature, valeurs)
        candidatures.append(candidature)
    Appel.objects.filter(pk=jury.appel.pk).update(nombre_places=2)
    services.ouvrir_deliberation(Appel.objects.get(pk=jury.appel.pk), par=gestionnaire)
    seance_au_quorum(Appel.objects.get(pk=jury.appel.pk), gestionnaire)
    return candidatures


def _appel(jury):
    return Appel.objects.get(pk=jury.appel_id)


def test_motif_obligatoire_pour_une_decision_qui_s_ecarte_du_classement(
    jury, gestionnaire, trois_candidatures
):
    a, b, c = trois_candidatures
    decisions = {
        a.pk: (SensDecision.RETENUE, ""),
        b.pk: (SensDecision.RETENUE, ""),  # B (11) retenue devant C (13)
        c.pk: (SensDecision.NON_RETENUE, ""),
    }

    with pytest.raises(DonneesRefusees) as refus:
        services.enregistrer_decisions(_appel(jury), par=gestionnaire, decisions=decisions)

    assert refus.value.message == (
        "CCAS B : la décision s'écarte de l'ordre du classement, un motif est obligatoire. "
        "CCAS C : la décision s'écarte de l'ordre du classement, un motif est obligatoire."
    )
    assert Decision.objects.count() == 0

    decisions[b.pk] = (SensDecision.RETENUE, "Seule structure du nord du territoire")
    decisions[c.pk] = (SensDecision.NON_RETENUE, "Déjà accompagnée par un autre dispositif")
    services.enregistrer_decisions(_appel(jury), par=gestionnaire, decisions=decisions)
    assert Decision.objects.count() == 3


def test_nombre_de_places_depasse_exige_un_motif(jury, gestionnaire, trois_candidatures):
    a, b, c = trois_candidatures
    decisions = {pk: (SensDecision.RETENUE, "") for pk in (a.pk, b.pk, c.pk)}

    with pytest.raises(DonneesRefusees) as refus:
        services.enregistrer_decisions(_appel(jury), par=gestionnaire, decisions=decisions)
    assert refus.value.message == (
        "3 candidatures retenues pour 2 places : cochez « Dépasser le nombre de places de "
        "l'appel » et indiquez pourquoi."
    )
    # Un motif sans la case cochée ne suffit pas, la case sans motif non plus.
    with pytest.raises(DonneesRefusees):
        services.enregistrer_decisions(
            _appel(jury),
            par=gestionnaire,
            decisions=decisions,
            motif_depassement="Financement complémentaire de la métropole",
        )
    with pytest.raises(DonneesRefusees) as refus:
        services.enregistrer_decisions(
            _appel(jury), par=gestionnaire, decisions=decisions, depasser_places=True
        )
    assert refus.value.message == (
        "3 candidatures retenues pour 2 places : indiquez le motif du dépassement."
    )
    assert Decision.objects.count() == 0

    services.enregistrer_decisions(
        _appel(jury),
        par=gestionnaire,
        decisions=decisions,
        motif_depassement="Financement complémentaire de la métropole",
        depasser_places=True,
    )
    assert Decision.objects.filter(sens=SensDecision.RETENUE).count() == 3

    services.publier_resultats(_appel(jury), par=gestionnaire)

    depassement = Evenement.objects.get(type="nombre_de_places_depasse")
    assert (depassement.acteur_id, depassement.motif, depassement.donnees) == (
        gestionnaire.pk,
        "Financement complémentaire de la métropole",
        {"retenues": 3, "places": 2},
    )
    assert Candidature.objects.filter(etat=EtatCandidature.RETENUE).count() == 3


def test_publication_refusee_s_il_manque_une_decision(jury, gestionnaire, trois_candidatures):
    a, _, _ = trois_candidatures
    services.enregistrer_decisions(
        _appel(jury), par=gestionnaire, decisions={a.pk: (SensDecision.RETENUE, "")}
    )

    with pytest.raises(DonneesRefusees, match="Décision à prendre pour : CCAS B, CCAS C."):
        services.publier_resultats(_appel(jury), par=gestionnaire)

    assert _appel(jury).etat == EtatAppel.EN_DELIBERATION
    assert Candidature.objects.get(pk=a.pk).etat == EtatCandidature.RECEVABLE


def test_publication_applique_journalise_et_envoie_une_lettre_par_structure(
    jury, gestionnaire, trois_candidatures, mailoutbox, django_capture_on_commit_callbacks
):
    a, b, c = trois_candidatures
    Jury.objects.filter(pk=jury.pk).update(notes_dans_la_lettre=True)
    services.enregistrer_decisions(
        _appel(jury),
        par=gestionnaire,
        decisions={
            a.pk: (SensDecision.RETENUE, ""),
            c.pk: (SensDecision.LISTE_ATTENTE, ""),
            b.pk: (SensDecision.NON_RETENUE, "Projet encore trop peu défini"),
        },
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.publier_resultats(_appel(jury), par=gestionnaire)

    etats = dict(Candidature.objects.values_list("pk", "etat"))
    assert etats == {
        a.pk: EtatCandidature.RETENUE,
        b.pk: EtatCandidature.NON_RETENUE,
        c.pk: EtatCandidature.LISTE_ATTENTE,
    }
    assert _appel(jury).etat == EtatAppel.DECIDE
    journal = {
        log.cible_id: (log.vers, log.acteur_id, log.motif)
        for log in Evenement.objects.changements_d_etat()
        .filter(cible_id__in=[a.pk, b.pk, c.pk], depuis="recevable")
        .filter(cible_type__model="candidature")
    }
    assert journal == {
        a.pk: ("retenue", gestionnaire.pk, "Retenue"),
        b.pk: ("non_retenue", gestionnaire.pk, "Projet encore trop peu défini"),
        c.pk: ("liste_attente", gestionnaire.pk, "Liste d'attente"),
    }
    assert Evenement.objects.filter(type="resultats_publies").count() == 1
    courriels = sorted(mailoutbox, key=lambda courriel: courriel.to[0])
    assert [(c.to, len(c.attachments)) for c in courriels] == [
        (["ccas-a@exemple.test"], 1),
        (["ccas-b@exemple.test"], 1),
        (["ccas-c@exemple.test"], 1),
    ]
    nom, contenu, type_mime = courriels[1].attachments[0]
    assert (nom, type_mime, contenu[:5]) == (
        f"decision-{b.reference}.pdf",
        "application/pdf",
        b"%PDF-",
    )
    assert "Motif : Projet encore trop peu défini" in courriels[1].body
    assert Decision.objects.get(candidature=c).rang_liste_attente == 1

    with pytest.raises(ActionImpossible):
        services.publier_resultats(_appel(jury), par=gestionnaire)


def test_promotion_du_premier_de_la_liste_d_attente(
    jury, gestionnaire, trois_candidatures, mailoutbox, django_capture_on_commit_callbacks
):
    a, b, c = trois_candidatures
    services.enregistrer_decisions(
        _appel(jury),
        par=gestionnaire,
        decisions={
            a.pk: (SensDecision.RETENUE, ""),
            c.pk: (SensDecision.LISTE_ATTENTE, ""),
            b.pk: (SensDecision.LISTE_ATTENTE, ""),
        },
    )
    services.publier_resultats(_appel(jury), par=gestionnaire)
    mailoutbox.clear()

    with pytest.raises(DonneesRefusees):
        services.promouvoir_liste_attente(_appel(jury), par=gestionnaire, motif=" ")
    with django_capture_on_commit_callbacks(execute=True):
        promue = services.promouvoir_liste_attente(
            _appel(jury), par=gestionnaire, motif="Désistement du CCAS A"
        )

    assert promue.pk == c.pk  # C (13) devant B (11)
    assert Candidature.objects.get(pk=c.pk).etat == EtatCandidature.RETENUE
    assert (
        Evenement.objects.changements_d_etat()
        .filter(cible_id=c.pk, cible_type__model="candidature", vers="retenue")
        .get()
        .motif
        == "Désistement du CCAS A"
    )
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["ccas-c@exemple.test"], f"[Relais] Votre candidature est retenue : {a.appel.titre}")
    ]
    # Les 2 places sont prises (A et C) : la suivante n'entre qu'à la place d'un lauréat retiré.
    services.retirer_laureat(
        Candidature.objects.get(pk=a.pk), par=gestionnaire, motif="Le CCAS A renonce"
    )
    suivante = services.promouvoir_liste_attente(_appel(jury), par=gestionnaire, motif="Autre")
    assert suivante.pk == b.pk
    with pytest.raises(ActionImpossible, match="La liste d'attente est vide."):
        services.promouvoir_liste_attente(_appel(jury), par=gestionnaire, motif="Encore")


def test_decisions_sur_un_appel_lu_avant_la_publication_refusees(
    jury, gestionnaire, trois_candidatures
):
    """Le formulaire a lu l'appel en délibération ; les résultats sont publiés avant que ses
    décisions ne s'enregistrent : l'étape se relit sous le verrou, rien ne change."""
    a, b, c = trois_candidatures
    decisions = {
        a.pk: (SensDecision.RETENUE, ""),
        c.pk: (SensDecision.RETENUE, ""),
        b.pk: (SensDecision.LISTE_ATTENTE, ""),
    }
    services.enregistrer_decisions(_appel(jury), par=gestionnaire, decisions=decisions)
    appel_lu_avant = _appel(jury)
    services.publier_resultats(_appel(jury), par=gestionnaire)

    with pytest.raises(ActionImpossible) as refus:
        services.enregistrer_decisions(
            appel_lu_avant,
            par=gestionnaire,
            decisions={**decisions, b.pk: (SensDecision.NON_RETENUE, "")},
        )

    assert refus.value.message == "La délibération n'est pas ouverte : l'appel est « Décidé »."
    assert dict(Decision.objects.values_list("candidature_id", "sens")) == {
        a.pk: SensDecision.RETENUE,
        b.pk: SensDecision.LISTE_ATTENTE,
        c.pk: SensDecision.RETENUE,
    }
    assert Evenement.objects.filter(type="decisions_enregistrees").count() == 1


def _seance(deliberation):
    return (
        deliberation.date,
        deliberation.quorum,
        deliberation.proces_verbal,
        sorted(deliberation.membres_presents.values_list("pk", flat=True)),
    )


def test_seance_sur_un_appel_lu_avant_la_publication_refusee(
    jury, gestionnaire, trois_candidatures
):
    """Le formulaire de la séance a lu l'appel en délibération ; les résultats sont publiés
    avant qu'il ne s'enregistre : l'étape se relit sous le verrou, le procès-verbal publié ne
    change pas."""
    a, b, c = trois_candidatures
    presents = list(jury.membres.order_by("pk"))
    le_12_mars = timezone.make_aware(datetime.datetime(2026, 3, 12, 14, 0))
    services.enregistrer_seance(
        _appel(jury),
        par=gestionnaire,
        date=le_12_mars,
        presents=presents,
        quorum=2,
        proces_verbal="Séance ouverte à 14 h ; trois membres présents.",
    )
    services.enregistrer_decisions(
        _appel(jury),
        par=gestionnaire,
        decisions={
            a.pk: (SensDecision.RETENUE, ""),
            c.pk: (SensDecision.RETENUE, ""),
            b.pk: (SensDecision.LISTE_ATTENTE, ""),
        },
    )
    appel_lu_avant = _appel(jury)
    services.publier_resultats(_appel(jury), par=gestionnaire)

    with pytest.raises(ActionImpossible) as refus:
        services.enregistrer_seance(
            appel_lu_avant,
            par=gestionnaire,
            date=le_12_mars + datetime.timedelta(days=1),
            presents=presents[:1],
            quorum=1,
            proces_verbal="Procès-verbal réécrit après la publication.",
        )

    assert refus.value.message == "La délibération n'est pas ouverte : l'appel est « Décidé »."
    assert _seance(Deliberation.objects.get(appel_id=jury.appel_id)) == (
        le_12_mars,
        2,
        "Séance ouverte à 14 h ; trois membres présents.",
        [membre.pk for membre in presents],
    )
    # Celle de la fixture (tenue au quorum), puis celle du 12 mars ; pas la réécriture.
    assert Evenement.objects.filter(type="seance_enregistree").count() == 2

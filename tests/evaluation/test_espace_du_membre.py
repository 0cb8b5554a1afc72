"""L'espace du membre du jury tel qu'il le parcourt : avant le lancement de l'évaluation,
les pièces jointes des candidatures qu'il note, le total sur 20 et la candidature suivante
après validation, un brouillon qui reste un brouillon, et ses appels dans l'ordre où il les
traite."""

import datetime
from html.parser import HTMLParser

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from candidatures.models import PieceJointe
from evaluation import services
from evaluation.enums import EtatEvaluation
from evaluation.models import ConflitInterets, Evaluation
from evaluation.selectors import classement
from programmes.enums import EtatAppel
from programmes.models import Appel, PieceDemandee
from tests.candidatures.factories import CandidatureFactory, ProgrammeFactory, StructureFactory
from tests.candidatures.fichiers import PDF
from tests.evaluation.factories import (
    AffectationFactory,
    ConflitFactory,
    JuryFactory,
    MembreJuryFactory,
    membre_sans_conflit,
    noter,
)

pytestmark = pytest.mark.django_db

PAS_COMMENCEE = (
    "L'évaluation de cet appel n'a pas encore commencé : vous pourrez déclarer vos conflits "
    "d'intérêts puis noter dès que le gestionnaire l'aura lancée."
)


def test_avant_le_lancement_l_evaluation_se_dit_pas_commencee_sans_formulaire(
    client, jury, candidature
):
    Appel.objects.filter(pk=jury.appel_id).update(etat=EtatAppel.CLOS)
    affectation = AffectationFactory(membre__jury=jury, candidature=candidature)
    client.force_login(affectation.membre.utilisateur)

    espace = client.get(reverse("evaluation:jury_accueil")).content.decode()
    page = client.get(reverse("evaluation:jury_candidature", args=[candidature.pk]))

    assert "Évaluation pas encore lancée" in espace
    assert "Conflit d&#x27;intérêts à déclarer" not in espace
    assert page.status_code == 200
    assert escape(PAS_COMMENCEE) in page.content.decode()
    assert "Enregistrer ma déclaration" not in page.content.decode()
    assert "<form" not in page.content.decode().split("<main", 1)[-1]

    # Un envoi quand même (une page gardée d'avant) : un refus clair, pas un 403.
    envoi = client.post(
        reverse("evaluation:jury_declarer", args=[candidature.pk]), {"conflit": "non"}
    )
    assert envoi.status_code == 409
    assert escape(PAS_COMMENCEE) in envoi.content.decode()
    assert ConflitInterets.objects.count() == 0


def _piece(candidature, nom="statuts.pdf"):
    return PieceJointe.objects.create(
        candidature=candidature,
        piece_demandee=PieceDemandee.objects.create(appel=candidature.appel, libelle="Statuts"),
        fichier=ContentFile(PDF, name=nom),
        nom_original=nom,
        type_mime="application/pdf",
        taille=len(PDF),
    )


def test_le_membre_sans_conflit_telecharge_les_pieces_jointes(client, jury, candidature):
    piece = _piece(candidature)
    affectation = AffectationFactory(membre__jury=jury, candidature=candidature)
    client.force_login(affectation.membre.utilisateur)
    url = reverse("evaluation:jury_piece_jointe", args=[candidature.pk, piece.pk])

    # Avant sa déclaration, il ne lit rien de la candidature, pas même ses pièces.
    assert client.get(url).status_code == 404

    services.declarer_conflit(candidature, par=affectation.membre.utilisateur, en_conflit=False)
    page = client.get(reverse("evaluation:jury_candidature", args=[candidature.pk]))
    assert f'<a href="{url}">statuts.pdf</a>' in page.content.decode()
    reponse = client.get(url)

    assert reponse.status_code == 200
    assert reponse["Content-Disposition"] == 'attachment; filename="statuts.pdf"'
    assert b"".join(reponse.streaming_content) == PDF


def test_pieces_jointes_introuvables_pour_le_membre_en_conflit_ou_non_affecte(
    client, jury, candidature
):
    piece = _piece(candidature)
    en_conflit = AffectationFactory(membre__jury=jury, candidature=candidature).membre
    ConflitFactory(membre=en_conflit, candidature=candidature)
    autre_candidature = CandidatureFactory(appel=jury.appel, recevable=True)
    non_affecte = membre_sans_conflit(jury, autre_candidature)
    url = reverse("evaluation:jury_piece_jointe", args=[candidature.pk, piece.pk])

    for membre in (en_conflit, non_affecte):
        client.force_login(membre.utilisateur)
        assert client.get(url).status_code == 404
    # La pièce d'une autre candidature, sous l'adresse d'une candidature confiée : 404.
    client.force_login(non_affecte.utilisateur)
    assert (
        client.get(
            reverse("evaluation:jury_piece_jointe", args=[autre_candidature.pk, piece.pk])
        ).status_code
        == 404
    )


def _structures_houplines_leers(jury):
    return [
        CandidatureFactory(appel=jury.appel, recevable=True, structure=StructureFactory(nom=nom))
        for nom in ("CCAS de Houplines", "CCAS de Leers")
    ]


def test_apres_validation_le_total_sur_20_et_la_candidature_suivante(client, jury):
    houplines, leers = _structures_houplines_leers(jury)
    membre = membre_sans_conflit(jury, houplines)
    AffectationFactory(membre=membre, candidature=leers)
    client.force_login(membre.utilisateur)
    criteres = list(jury.appel.grille.criteres.all())

    reponse = client.post(
        reverse("evaluation:jury_noter", args=[houplines.pk]),
        {f"note_{criteres[0].pk}": "4", f"note_{criteres[1].pk}": "7", "valider": ""},
        follow=True,
    )

    page = reponse.content.decode()
    assert [str(m) for m in reponse.context["messages"]] == ["Notes validées : 15,50 / 20."]
    assert "Total de vos notes : <strong>15,50 / 20</strong>" in page
    lien = reverse("evaluation:jury_candidature", args=[leers.pk])
    assert f'<a href="{lien}">Candidature suivante : CCAS de Leers</a>' in page

    services.declarer_conflit(leers, par=membre.utilisateur, en_conflit=False)
    noter(leers, membre.utilisateur, [5, 10])
    derniere = client.get(lien).content.decode()
    assert "Total de vos notes : <strong>20,00 / 20</strong>" in derniere
    assert "Toutes les candidatures qui vous sont confiées sont notées." in derniere
    assert "Candidature suivante" not in derniere


def test_brouillon_enregistre_apres_validation_redevient_brouillon(client, jury, candidature):
    membre = membre_sans_conflit(jury, candidature)
    noter(candidature, membre.utilisateur, [4, 7])
    client.force_login(membre.utilisateur)
    criteres = list(jury.appel.grille.criteres.all())

    reponse = client.post(
        reverse("evaluation:jury_noter", args=[candidature.pk]),
        {f"note_{criteres[0].pk}": "2", f"note_{criteres[1].pk}": "7", "brouillon": ""},
        follow=True,
    )

    page = reponse.content.decode()
    assert [str(m) for m in reponse.context["messages"]] == [
        "Brouillon enregistré : pensez à valider."
    ]
    assert "Notes : brouillon" in page
    assert "Notes : validée" not in page
    evaluation = Evaluation.objects.get()
    assert (evaluation.etat, evaluation.validee_le) == (EtatEvaluation.BROUILLON, None)
    # Un brouillon ne compte pas au classement.
    assert classement(jury.appel)[0].nombre_notes == 0


class _TitresEtLignes(HTMLParser):
    def __init__(self):
        super().__init__()
        self.vus = []
        self._balise = None

    def handle_starttag(self, balise, attributs):
        if balise in ("h2", "a"):
            self._balise = balise

    def handle_endtag(self, balise):
        self._balise = None

    def handle_data(self, texte):
        if self._balise and texte.strip():
            self.vus.append((self._balise, texte.strip()))


def test_espace_groupe_par_appel_celui_en_evaluation_d_abord(client):
    programme = ProgrammeFactory()
    utilisateur = MembreJuryFactory().utilisateur
    appels = {}
    for titre, etat, jours in (
        ("AMI 2024", EtatAppel.DECIDE, -400),
        ("AMI 2025", EtatAppel.EN_EVALUATION, -20),
        ("AMI 2026", EtatAppel.CLOS, -2),
    ):
        jury = JuryFactory(appel__programme=programme, appel__titre=titre)
        date_limite = timezone.now() + datetime.timedelta(days=jours)
        Appel.objects.filter(pk=jury.appel_id).update(
            etat=etat,
            ouverture=date_limite - datetime.timedelta(days=30),
            date_limite=date_limite,
        )
        appels[titre] = MembreJuryFactory(
            jury=jury, utilisateur=utilisateur, email=utilisateur.email
        )
    for titre, nom in (
        ("AMI 2024", "CCAS d'Anstaing"),
        ("AMI 2025", "CCAS de Leers"),
        ("AMI 2025", "CCAS de Houplines"),
        ("AMI 2026", "CCAS de Comines"),
        ("AMI 2024", "CCAS de Wattrelos"),
    ):
        membre = appels[titre]
        AffectationFactory(
            membre=membre,
            candidature=CandidatureFactory(
                appel=membre.jury.appel, recevable=True, structure=StructureFactory(nom=nom)
            ),
        )
    client.force_login(utilisateur)

    lecteur = _TitresEtLignes()
    lecteur.feed(client.get(reverse("evaluation:jury_accueil")).content.decode())

    vus = [texte for balise, texte in lecteur.vus if balise == "h2" or texte.startswith("CCAS")]
    assert vus == [
        "AMI 2025",
        "CCAS de Houplines",
        "CCAS de Leers",
        "AMI 2026",
        "CCAS de Comines",
        "AMI 2024",
        "CCAS d'Anstaing",
        "CCAS de Wattrelos",
    ]

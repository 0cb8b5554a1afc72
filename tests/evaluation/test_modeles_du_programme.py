"""La lettre de décision et le courriel de la décision écrits par le programme : ce sont eux
qui partent à la publication des résultats, avec les valeurs de chaque candidature ; les
voies de recours restent celles du code.

L'appel publié est celui de `tests/evaluation/resultats.py` (E non retenue, avec un motif)."""

import io
import re

import pytest
from django.conf import settings
from pypdf import PdfReader

from evaluation.models import Decision
from messagerie import modeles
from tests.candidatures.factories import ProgrammeFactory
from tests.evaluation.resultats import appel_publie

pytestmark = pytest.mark.django_db

LETTRE = (
    "Bonjour {{ structure }},\n\n"
    "Pour l'appel « {{ appel }} », {% if sens == 'non_retenue' %}nous sommes au regret de vous "
    "dire : {{ decision }}{% else %}bonne nouvelle : {{ decision }}{% endif %}.\n\n"
    "{% if motif %}Pourquoi : {{ motif }}{% endif %}"
)


@pytest.fixture
def programme(gestionnaire):
    return ProgrammeFactory(gestionnaires=[gestionnaire], nom="Inclusion numérique MEL")


def _texte_pdf(contenu):
    texte = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(contenu)).pages)
    return re.sub(r"\s+", " ", texte)


def test_la_lettre_et_le_courriel_du_programme_partent_a_la_publication(
    programme, gestionnaire, mailoutbox, django_capture_on_commit_callbacks
):
    lettre = modeles.modele_du_programme(programme, modeles.DOCUMENT, "lettre_decision")
    modeles.enregistrer(programme, lettre, {"texte": LETTRE}, par=gestionnaire)
    courriel = modeles.modele_du_programme(programme, modeles.COURRIEL, "decision_jury")
    modeles.enregistrer(
        programme,
        courriel,
        {
            "sujet": "{{ programme }} : décision pour {{ reference }}",
            "corps": "{{ structure }} — {{ decision|capitalize }}.\n{{ lien }}\n",
        },
        par=gestionnaire,
    )

    with django_capture_on_commit_callbacks(execute=True):
        _jury, candidatures = appel_publie(programme, gestionnaire)

    e, a = candidatures["E"], candidatures["A"]
    texte_e = _texte_pdf(Decision.objects.get(candidature=e).lettre.read())
    assert (
        "Bonjour CCAS E, Pour l'appel « Inclusion numérique 2022 », nous sommes au regret de "
        "vous dire : candidature non retenue. Pourquoi : Le projet ne prévoit pas de temps pour "
        "les référents"
    ) in texte_e
    assert "Le jury de sélection a examiné" not in texte_e
    assert "Voies et délais de recours" in texte_e
    texte_a = _texte_pdf(Decision.objects.get(candidature=a).lettre.read())
    assert (
        "Bonjour CCAS A, Pour l'appel « Inclusion numérique 2022 », bonne nouvelle : "
        "candidature retenue."
    ) in texte_a
    envoye = next(m for m in mailoutbox if m.to == ["ccas-e@exemple.test"])
    assert envoye.subject == f"Inclusion numérique MEL : décision pour {e.reference}"
    assert envoye.body == (
        f"CCAS E — Candidature non retenue.\n{settings.SITE_URL}/candidatures/{e.pk}/\n"
    )
    assert [nom for nom, _contenu, _type in envoye.attachments] == [f"decision-{e.reference}.pdf"]
    # L'aperçu de la page des modèles se rend avec la dernière décision du programme.
    derniere = Decision.objects.order_by("-pk").first()
    apercu = modeles.apercu(lettre, {"texte": LETTRE}, programme.pk)
    assert apercu["texte"].startswith(
        f"Bonjour {derniere.candidature.structure.nom},\n\n"
        "Pour l'appel « Inclusion numérique 2022 », "
    )


def test_sans_texte_du_programme_la_lettre_garde_son_texte_par_defaut(
    programme, gestionnaire, django_capture_on_commit_callbacks
):
    autre = ProgrammeFactory(gestionnaires=[gestionnaire])
    lettre = modeles.modele_du_programme(autre, modeles.DOCUMENT, "lettre_decision")
    modeles.enregistrer(autre, lettre, {"texte": LETTRE}, par=gestionnaire)

    with django_capture_on_commit_callbacks(execute=True):
        _jury, candidatures = appel_publie(programme, gestionnaire)

    texte = _texte_pdf(Decision.objects.get(candidature=candidatures["E"]).lettre.read())
    assert (
        "Madame, Monsieur, Le jury de sélection a examiné votre candidature. Sa décision : "
        "candidature non retenue."
    ) in texte
    assert "Bonjour CCAS E" not in texte

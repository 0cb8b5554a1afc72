"""Le courriel d'un nouveau message écrit par le programme est celui qui part, avec ses
valeurs ; un autre programme garde le texte par défaut."""

import datetime

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from echanges import services
from messagerie import modeles
from messagerie.models import Message
from tests.candidatures.factories import CandidatureFactory, ProgrammeFactory, StructureFactory

pytestmark = pytest.mark.django_db


def test_le_courriel_d_un_message_du_programme_est_celui_qui_part(
    monde, taches_immediates, django_capture_on_commit_callbacks
):
    programme = monde.candidature.appel.programme
    programme.nom = "Numérique en Flandre"
    programme.save(update_fields=["nom"])
    modele = modeles.modele_du_programme(programme, modeles.COURRIEL, "message_fil")
    modeles.enregistrer(
        programme,
        modele,
        {
            "sujet": "{{ programme }} : {{ auteur }} vous écrit ({{ intitule }})",
            "corps": (
                "{% if date_reponse %}Réponse attendue avant le {{ date_reponse }}.{% endif %}\n"
                "{{ nombre_de_pieces }} pièce(s). {{ lien }}"
            ),
        },
        par=monde.gestionnaire,
    )
    autre_programme = ProgrammeFactory(gestionnaires=[monde.autre_gestionnaire])
    autre = CandidatureFactory(
        appel__programme=autre_programme,
        appel__titre="AMI Autre",
        structure=StructureFactory(nom="CCAS B2", membres=[monde.candidat_b]),
        deposee=True,
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.ecrire(
            monde.candidature, par=monde.gestionnaire, texte="Le budget ?", delai_reponse_jours=5
        )
        services.ecrire(autre, par=monde.autre_gestionnaire, texte="Le budget ?")

    jour = date_format(timezone.localdate() + datetime.timedelta(days=5), "j F Y")
    message = Message.objects.get(type="message_fil", destinataire="direction@ccas-a.test")
    assert (message.sujet, message.corps_texte, message.corps_html) == (
        "Numérique en Flandre : Gaëlle Gest vous écrit (CCAS A — AMI 2027)",
        f"Réponse attendue avant le {jour}.\n"
        f"0 pièce(s). http://testserver/candidatures/{monde.candidature.pk}/#fil-discussion",
        "",
    )
    par_defaut = Message.objects.get(type="message_fil", destinataire="direction@ccas-b.test")
    assert par_defaut.sujet == "[Relais] Nouveau message : CCAS B2 — AMI Autre"
    assert par_defaut.corps_texte.startswith(
        "Bonjour,\n\n"
        f"{monde.autre_gestionnaire.get_full_name()} a écrit un message dans le fil de "
        "discussion « CCAS B2 — AMI Autre »."
    )

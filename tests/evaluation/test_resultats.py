"""Après la publication, par les pages : la lettre de décision retrouvée par la structure et
par le gestionnaire, ses voies et délais de recours, le motif d'une candidature non retenue,
le retrait d'un lauréat et la liste d'attente qui ne dépasse jamais les places sans le dire.

L'appel publié est celui de `tests/evaluation/resultats.py` : 2 places, A et D retenues,
C (rang 1) et B (rang 2) en liste d'attente, E non retenue."""

import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from pypdf import PdfReader

from accompagnement.enums import EtatPlan
from accompagnement.models import PlanAccompagnement
from candidatures.enums import EtatCandidature
from candidatures.models import Candidature
from evaluation.models import Decision, Jury
from journal.models import Evenement
from programmes.models import Appel
from tests.candidatures.factories import ProgrammeFactory, membre_de
from tests.evaluation.resultats import appel_en_deliberation, appel_publie

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(gestionnaire):
    return ProgrammeFactory(gestionnaires=[gestionnaire], nom="Inclusion numérique MEL")


@pytest.fixture
def publie(programme, gestionnaire, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        jury, candidatures = appel_publie(programme, gestionnaire)
    return jury, candidatures


def _structure(candidature):
    return candidature.structure.membres.get()


def _etats(candidatures):
    return {
        lettre: Candidature.objects.get(pk=c.pk).etat for lettre, c in sorted(candidatures.items())
    }


def _retenues(jury):
    return Candidature.objects.filter(appel_id=jury.appel_id, etat=EtatCandidature.RETENUE).count()


def _texte_pdf(contenu):
    texte = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(contenu)).pages)
    return re.sub(r"\s+", " ", texte)


def _lien_lettre(candidature):
    return reverse("evaluation:lettre_decision", args=[candidature.pk])


# --- 17. La lettre de décision ---------------------------------------------------------------


def test_la_structure_retrouve_sa_lettre_sur_la_page_de_sa_candidature(client, publie, mailoutbox):
    _jury, candidatures = publie
    e = candidatures["E"]
    client.force_login(_structure(e))

    page = client.get(reverse("candidatures:candidature", args=[e.pk])).content.decode()
    assert (
        f'<a class="btn btn-outline-primary" href="{_lien_lettre(e)}">'
        "Télécharger la lettre de décision (PDF)</a>"
    ) in page
    reponse = client.get(_lien_lettre(e))

    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "application/pdf"
    assert reponse["Content-Disposition"] == f'attachment; filename="decision-{e.reference}.pdf"'
    contenu = b"".join(reponse.streaming_content)
    envoyee = next(m for m in mailoutbox if m.to == ["ccas-e@exemple.test"])
    # Le même document que celui joint au courriel, octet pour octet.
    assert [(nom, piece) for nom, piece, _type in envoyee.attachments] == [
        (f"decision-{e.reference}.pdf", contenu)
    ]


def test_le_gestionnaire_retrouve_la_lettre_sur_la_page_de_la_candidature(
    client, publie, gestionnaire
):
    _jury, candidatures = publie
    a = candidatures["A"]
    client.force_login(gestionnaire)

    page = client.get(reverse("candidatures:gestion_candidature", args=[a.pk])).content.decode()
    assert f'href="{_lien_lettre(a)}">Télécharger la lettre de décision (PDF)</a>' in page
    reponse = client.get(_lien_lettre(a))

    assert reponse.status_code == 200
    assert reponse["Content-Disposition"] == f'attachment; filename="decision-{a.reference}.pdf"'
    assert b"".join(reponse.streaming_content) == Decision.objects.get(candidature=a).lettre.read()


def test_la_lettre_d_une_autre_structure_est_introuvable(client, publie):
    _jury, candidatures = publie
    client.force_login(_structure(candidatures["B"]))

    assert client.get(_lien_lettre(candidatures["A"])).status_code == 404
    assert client.get(_lien_lettre(candidatures["B"])).status_code == 200


def test_pas_de_lien_ni_de_lettre_avant_la_publication(client, programme, gestionnaire):
    _jury, candidatures = appel_en_deliberation(programme, gestionnaire)
    a = candidatures["A"]
    client.force_login(_structure(a))

    page = client.get(reverse("candidatures:candidature", args=[a.pk])).content.decode()
    assert "Télécharger la lettre de décision" not in page
    assert client.get(_lien_lettre(a)).status_code == 404


def test_la_lettre_dit_les_voies_et_delais_de_recours(client, publie):
    _jury, candidatures = publie
    e = candidatures["E"]
    client.force_login(_structure(e))

    texte = _texte_pdf(b"".join(client.get(_lien_lettre(e)).streaming_content))

    assert "Sa décision : candidature non retenue." in texte
    assert "Le projet ne prévoit pas de temps pour les référents" in texte
    assert "Voies et délais de recours" in texte
    assert "vous disposez de deux mois à compter du jour où elle vous a été notifiée" in texte
    assert (
        "demander par écrit à son auteur, les gestionnaires du programme Inclusion numérique "
        "MEL, de la réexaminer (recours gracieux)" in texte
    )
    assert "saisir le tribunal administratif compétent (recours contentieux)" in texte


def _decisions_envoyees(candidatures, **changees):
    """Le formulaire des décisions tel que le gestionnaire l'envoie : chaque candidature dans
    l'ordre du classement, motifs vides sauf ceux donnés."""
    sens = {"A": "retenue", "D": "retenue", "C": "liste_attente", "B": "liste_attente"}
    sens |= {"E": "non_retenue"}
    donnees = {}
    for lettre, candidature in candidatures.items():
        donnees[f"sens_{candidature.pk}"] = sens[lettre]
        donnees[f"motif_{candidature.pk}"] = changees.get(lettre, "")
    donnees["motif_depassement"] = ""
    return donnees


def test_non_retenue_sans_motif_refusee_avec_le_message_sur_son_champ(
    client, programme, gestionnaire
):
    jury, candidatures = appel_en_deliberation(programme, gestionnaire)
    client.force_login(gestionnaire)
    e = candidatures["E"]

    reponse = client.post(
        reverse("evaluation:gestion_decisions", args=[jury.appel_id]),
        _decisions_envoyees(candidatures, A="Projet le plus abouti"),
    )

    assert reponse.status_code == 400
    page = reponse.content.decode()
    assert (
        f'<p id="erreur_motif_{e.pk}" class="invalid-feedback d-block mb-0">'
        + escape(
            "Indiquez pourquoi la candidature n'est pas retenue : le motif figure dans la "
            "lettre envoyée à la structure."
        )
        + "</p>"
    ) in page
    # Le résumé en tête du formulaire mène au champ (RGAA 11.10) ; le titre dit l'erreur.
    assert "<title>Erreur : " in page
    assert re.search(
        rf'<a href="#id_motif_{e.pk}" class="alert-link">[^<]*: Indiquez pourquoi', page
    )
    champ = re.search(rf'<input[^>]*name="motif_{e.pk}"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in champ
    assert f'aria-describedby="erreur_motif_{e.pk}"' in champ
    # Ce qui a été saisi reste : la décision choisie et le motif donné à A.
    assert re.search(
        rf'<input[^>]*name="motif_{candidatures["A"].pk}"[^>]*value="Projet le plus abouti"', page
    )
    assert (
        '<option value="non_retenue" selected>Non retenue</option>'
        in (page.split(f'name="sens_{e.pk}"')[1].split("</select>")[0])
    )
    assert Decision.objects.count() == 0
    assert Evenement.objects.filter(type="decisions_enregistrees").count() == 0


def test_non_retenue_avec_motif_enregistree(client, programme, gestionnaire):
    jury, candidatures = appel_en_deliberation(programme, gestionnaire)
    client.force_login(gestionnaire)

    reponse = client.post(
        reverse("evaluation:gestion_decisions", args=[jury.appel_id]),
        _decisions_envoyees(candidatures, E="Aucun référent disponible"),
    )

    assert reponse.status_code == 302
    assert Decision.objects.get(candidature=candidatures["E"]).motif == (
        "Aucun référent disponible"
    )
    assert Decision.objects.count() == 5


def test_sans_exigence_du_jury_non_retenue_sans_motif_enregistree(client, programme, gestionnaire):
    jury, candidatures = appel_en_deliberation(programme, gestionnaire)
    Jury.objects.filter(pk=jury.pk).update(motif_obligatoire_non_retenue=False)
    client.force_login(gestionnaire)

    reponse = client.post(
        reverse("evaluation:gestion_decisions", args=[jury.appel_id]),
        _decisions_envoyees(candidatures),
    )

    assert reponse.status_code == 302
    assert Decision.objects.get(candidature=candidatures["E"]).motif == ""


# --- 18. Retrait d'un lauréat et liste d'attente ---------------------------------------------


def test_la_structure_laureate_retire_sa_candidature_depuis_sa_page(
    client,
    publie,
    gestionnaire,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    jury, candidatures = publie
    a = candidatures["A"]
    structure = _structure(a)
    client.force_login(structure)
    url = reverse("evaluation:retirer_laureat", args=[a.pk])
    mailoutbox.clear()

    page = client.get(reverse("candidatures:candidature", args=[a.pk])).content.decode()
    assert f'href="{url}">Retirer la candidature retenue</a>' in page
    assert client.get(url).status_code == 200
    # Sans motif ni confirmation : refusé, rien ne change, les messages sont près des champs.
    refus = client.post(url, {"motif": "  "})
    assert refus.status_code == 400
    assert "Indiquez pourquoi la candidature retenue est retirée." in refus.content.decode()
    assert "Cochez la case pour confirmer le retrait." in refus.content.decode()
    assert Candidature.objects.get(pk=a.pk).etat == EtatCandidature.RETENUE

    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(url, {"motif": "Le référent a quitté le CCAS", "confirmation": "on"})

    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("candidatures:candidature", args=[a.pk])
    assert _etats(candidatures) == {
        "A": EtatCandidature.RETIREE,
        "B": EtatCandidature.LISTE_ATTENTE,
        "C": EtatCandidature.LISTE_ATTENTE,
        "D": EtatCandidature.RETENUE,
        "E": EtatCandidature.NON_RETENUE,
    }
    assert _retenues(jury) == 1
    journal = (
        Evenement.objects.changements_d_etat()
        .filter(cible_type__model="candidature", cible_id=a.pk)
        .latest("pk")
    )
    assert (journal.depuis, journal.vers, journal.acteur_id, journal.motif) == (
        "retenue",
        "retiree",
        structure.pk,
        "Le référent a quitté le CCAS",
    )
    plan = PlanAccompagnement.objects.get(candidature=a)
    assert (plan.etat, plan.motif_abandon) == (EtatPlan.ABANDONNE, "Le référent a quitté le CCAS")
    journal_plan = (
        Evenement.objects.changements_d_etat()
        .filter(cible_type__model="planaccompagnement", cible_id=plan.pk)
        .get()
    )
    assert (journal_plan.vers, journal_plan.acteur_id) == ("abandonne", structure.pk)
    # Le gestionnaire est prévenu et se voit proposer la suivante, par rang : C, pas B.
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (
            [gestionnaire.email],
            "[Relais] Une candidature retenue est retirée : CCAS A",
        )
    ]
    assert "Suivante sur la liste d'attente : CCAS C (rang 1)." in mailoutbox[0].body
    suivi = client.get(reverse("candidatures:candidature", args=[a.pk])).content.decode()
    assert "Le référent a quitté le CCAS" in suivi
    assert "Retirer la candidature retenue" not in suivi


def test_retirer_une_candidature_qui_n_est_pas_retenue_refuse_en_409(client, publie):
    _jury, candidatures = publie
    c = candidatures["C"]
    client.force_login(_structure(c))

    reponse = client.post(
        reverse("evaluation:retirer_laureat", args=[c.pk]),
        {"motif": "Nous renonçons", "confirmation": "on"},
    )

    assert reponse.status_code == 409
    assert (
        escape(
            "La candidature est « Sur liste d'attente » : seule une candidature retenue "
            "se retire ici."
        )
        in reponse.content.decode()
    )
    assert Candidature.objects.get(pk=c.pk).etat == EtatCandidature.LISTE_ATTENTE


def test_le_gestionnaire_retire_un_laureat_puis_retient_la_suivante_par_rang(
    client, publie, gestionnaire
):
    jury, candidatures = publie
    d = candidatures["D"]
    client.force_login(gestionnaire)
    url = reverse("evaluation:gestion_retirer_laureat", args=[d.pk])

    fiche = client.get(reverse("candidatures:gestion_candidature", args=[d.pk])).content.decode()
    assert f'href="{url}">Retirer la candidature retenue (pour la structure)</a>' in fiche
    assert client.get(url).status_code == 200
    reponse = client.post(
        url,
        {"motif": "Le CCAS D a écrit pour renoncer le 3 novembre", "confirmation": "on"},
        follow=True,
    )

    assert reponse.redirect_chain == [
        (reverse("evaluation:gestion_liste_attente", args=[jury.appel_id]), 302)
    ]
    page = reponse.content.decode()
    assert (
        escape(
            "La candidature de CCAS D est retirée ; sa place est libre. Suivante sur la liste "
            "d'attente : CCAS C (rang 1)."
        )
        in page
    )
    assert "1 candidature retenue pour 2 places." in page
    assert "Retenir CCAS C (rang 1)" in page
    assert _retenues(jury) == 1
    log = (
        Evenement.objects.changements_d_etat()
        .filter(cible_type__model="candidature", cible_id=d.pk)
        .latest("pk")
    )
    assert (log.vers, log.acteur_id, log.motif) == (
        "retiree",
        gestionnaire.pk,
        "Le CCAS D a écrit pour renoncer le 3 novembre",
    )
    assert PlanAccompagnement.objects.get(candidature=d).etat == EtatPlan.ABANDONNE

    promotion = client.post(
        reverse("evaluation:gestion_promouvoir", args=[jury.appel_id]),
        {"motif": "Désistement du CCAS D"},
        follow=True,
    )

    assert "CCAS C est retenue." in promotion.content.decode()
    assert "2 candidatures retenues pour 2 places." in promotion.content.decode()
    assert _etats(candidatures) == {
        "A": EtatCandidature.RETENUE,
        "B": EtatCandidature.LISTE_ATTENTE,
        "C": EtatCandidature.RETENUE,
        "D": EtatCandidature.RETIREE,
        "E": EtatCandidature.NON_RETENUE,
    }
    assert _retenues(jury) == 2
    assert PlanAccompagnement.objects.get(candidature=candidatures["C"]).etat == EtatPlan.CADRAGE


def test_promotion_refusee_quand_les_places_sont_prises(client, publie, gestionnaire):
    jury, candidatures = publie
    client.force_login(gestionnaire)
    url = reverse("evaluation:gestion_promouvoir", args=[jury.appel_id])

    reponse = client.post(url, {"motif": "Financement complémentaire"})

    assert reponse.status_code == 409
    assert (
        escape(
            "Les 2 places de l'appel sont prises (2 candidatures retenues). Retirez d'abord un "
            "lauréat qui renonce, ou cochez « Dépasser le nombre de places de l'appel » et "
            "indiquez pourquoi."
        )
        in reponse.content.decode()
    )
    assert _retenues(jury) == 2
    assert Candidature.objects.get(pk=candidatures["C"].pk).etat == EtatCandidature.LISTE_ATTENTE
    assert Evenement.objects.filter(type="liste_attente_promue").count() == 0


def test_depasser_les_places_demande_la_case_et_un_motif_journalise(client, publie, gestionnaire):
    jury, candidatures = publie
    client.force_login(gestionnaire)
    url = reverse("evaluation:gestion_promouvoir", args=[jury.appel_id])

    sans_motif = client.post(url, {"motif": "Financement complémentaire", "depasser_places": "on"})
    assert sans_motif.status_code == 400
    page = sans_motif.content.decode()
    assert "Indiquez pourquoi le nombre de places est dépassé." in page
    assert "Financement complémentaire</textarea>" in page
    assert _retenues(jury) == 2

    reponse = client.post(
        url,
        {
            "motif": "Financement complémentaire",
            "depasser_places": "on",
            "motif_depassement": "La métropole finance une troisième place",
        },
    )

    assert reponse.status_code == 302
    assert _retenues(jury) == 3
    assert Candidature.objects.get(pk=candidatures["C"].pk).etat == EtatCandidature.RETENUE
    depassement = Evenement.objects.get(type="nombre_de_places_depasse")
    assert (depassement.acteur_id, depassement.cible_id, depassement.motif) == (
        gestionnaire.pk,
        jury.appel_id,
        "La métropole finance une troisième place",
    )
    assert depassement.donnees == {
        "candidature": candidatures["C"].pk,
        "retenues": 3,
        "places": 2,
    }
    promotion = Evenement.objects.get(type="liste_attente_promue")
    assert promotion.donnees == {
        "rang": 1,
        "retenues": 3,
        "places": 2,
        "motif_depassement": "La métropole finance une troisième place",
    }


def test_la_page_de_deliberation_compte_les_candidatures_retenues_apres_un_retrait(
    client, publie, gestionnaire
):
    jury, candidatures = publie
    client.force_login(gestionnaire)
    client.post(
        reverse("evaluation:gestion_retirer_laureat", args=[candidatures["A"].pk]),
        {"motif": "Le CCAS A renonce", "confirmation": "on"},
    )

    page = client.get(reverse("evaluation:gestion_deliberation", args=[jury.appel_id]))

    assert "1 candidature retenue pour 2 places." in page.content.decode()


def test_le_proces_verbal_garde_le_laureat_retire_apres_la_seance(client, publie, gestionnaire):
    """Le procès-verbal rend compte de la séance : une décision prise reste écrite, même si la
    structure s'est retirée depuis."""
    jury, candidatures = publie
    retiree = candidatures["A"]
    nom = retiree.structure.nom
    client.force_login(gestionnaire)
    client.post(
        reverse("evaluation:gestion_retirer_laureat", args=[retiree.pk]),
        {"motif": "Le CCAS A renonce", "confirmation": "on"},
    )
    jour = date_format(timezone.localdate(), "j F Y")

    pdf = client.get(reverse("evaluation:gestion_proces_verbal", args=[jury.appel_id]))

    assert pdf.status_code == 200
    texte = _texte_pdf(pdf.content)
    assert Candidature.objects.get(pk=retiree.pk).etat == EtatCandidature.RETIREE
    assert f"{nom} " in texte
    assert f"Retenue (retirée depuis, le {jour})" in texte


def test_un_autre_membre_de_la_structure_et_le_gestionnaire_d_un_autre_programme(client, publie):
    _jury, candidatures = publie
    a = candidatures["A"]
    collegue = membre_de(a.structure, email="collegue@ccas-a.test")
    client.force_login(collegue)
    assert client.get(reverse("evaluation:retirer_laureat", args=[a.pk])).status_code == 200

    from tests.factories import UtilisateurFactory

    voisin = UtilisateurFactory(gestionnaire=True)
    ProgrammeFactory(gestionnaires=[voisin])
    client.force_login(voisin)
    assert (
        client.post(
            reverse("evaluation:gestion_retirer_laureat", args=[a.pk]),
            {"motif": "Essai", "confirmation": "on"},
        ).status_code
        == 404
    )
    assert Candidature.objects.get(pk=a.pk).etat == EtatCandidature.RETENUE
    assert Appel.objects.get(pk=a.appel_id).nombre_places == 2


def test_apres_sa_promotion_la_structure_retrouve_sa_nouvelle_lettre(
    client, publie, gestionnaire, mailoutbox, django_capture_on_commit_callbacks
):
    jury, candidatures = publie
    c = candidatures["C"]
    client.force_login(gestionnaire)
    client.post(
        reverse("evaluation:gestion_retirer_laureat", args=[candidatures["A"].pk]),
        {"motif": "Le CCAS A renonce", "confirmation": "on"},
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("evaluation:gestion_promouvoir", args=[jury.appel_id]),
            {"motif": "Désistement du CCAS A"},
        )
    client.force_login(_structure(c))

    reponse = client.get(_lien_lettre(c))

    contenu = b"".join(reponse.streaming_content)
    texte = _texte_pdf(contenu)
    assert (
        "Votre candidature figurait sur la liste d'attente (rang 1). Nouvelle décision : "
        "candidature retenue." in texte
    )
    assert "Motif Désistement du CCAS A" in texte
    assert "Voies et délais de recours" in texte
    assert [(m.to, [piece for _nom, piece, _type in m.attachments]) for m in mailoutbox] == [
        (["ccas-c@exemple.test"], [contenu])
    ]

import datetime

import pytest
from django.utils import timezone

from candidatures import services as services_candidatures
from echanges import notifications, registre, selectors, services
from echanges.models import Cote, MessageFil
from journal.enums import TypeEvenement
from journal.models import Evenement
from messagerie.models import Message
from noyau.erreurs import ActionNonPermise, DonneesRefusees
from relances import services as services_relances
from relances.models import Relance
from tests.candidatures.fichiers import PDF, fichier

pytestmark = pytest.mark.django_db


def _destinataires(mailoutbox):
    return sorted(adresse for courriel in mailoutbox for adresse in courriel.to)


def test_gestionnaire_et_structure_conversent_sur_une_candidature(
    monde, taches_immediates, django_capture_on_commit_callbacks, mailoutbox
):
    candidature = monde.candidature
    with django_capture_on_commit_callbacks(execute=True):
        question = services.ecrire(
            candidature,
            par=monde.gestionnaire,
            texte="Pouvez-vous préciser le budget ?",
            delai_reponse_jours=5,
        )
    assert question.cote == Cote.EQUIPE
    assert question.reponse_attendue_avant == timezone.localdate() + datetime.timedelta(days=5)
    assert _destinataires(mailoutbox) == ["accueil@ccas-a.test", "direction@ccas-a.test"]
    assert mailoutbox[0].subject == "[Relais] Nouveau message : CCAS A — AMI 2027"
    assert "Gaëlle Gest a écrit un message" in mailoutbox[0].body
    assert f"/candidatures/{candidature.pk}/#fil-discussion" in mailoutbox[0].body
    assert "préciser le budget" not in mailoutbox[0].body
    assert selectors.non_lus(monde.membre, [candidature]) == {candidature.pk: 1}
    assert selectors.non_lus(monde.gestionnaire, [candidature]) == {}
    assert selectors.non_lus(monde.collegue, [candidature]) == {candidature.pk: 1}

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reponse = services.ecrire(
            candidature,
            par=monde.membre,
            texte="Le budget est joint.",
            fichiers=[fichier("budget.pdf")],
        )
    assert reponse.cote == Cote.STRUCTURE
    assert [p.nom_original for p in reponse.pieces.all()] == ["budget.pdf"]
    assert _destinataires(mailoutbox) == ["collegue@programme.test", "gestion@programme.test"]
    assert f"/gestion/candidatures/{candidature.pk}/#fil-discussion" in mailoutbox[0].body
    assert "Il porte 1 pièce jointe." in mailoutbox[0].body
    question.refresh_from_db()
    assert question.repondu_le == reponse.cree_le
    assert selectors.non_lus(monde.gestionnaire, [candidature]) == {candidature.pk: 1}
    assert selectors.non_lus(monde.membre, [candidature]) == {}
    assert selectors.non_lus(monde.membre_bis, [candidature]) == {candidature.pk: 2}

    services.marquer_lu(services.fil_de(candidature), par=monde.membre_bis)
    assert selectors.non_lus(monde.membre_bis, [candidature]) == {}

    lignes = (
        Evenement.objects.de(candidature)
        .filter(type=TypeEvenement.MESSAGE_FIL_ECRIT)
        .order_by("pk")
    )
    assert [(e.acteur, e.donnees["cote"], e.donnees["pieces"], e.motif) for e in lignes] == [
        (monde.gestionnaire, "equipe", 0, ""),
        (monde.membre, "structure", 1, ""),
    ]


def test_un_courriel_par_personne_meme_rejoue(
    monde, taches_immediates, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        message = services.ecrire(monde.candidature, par=monde.membre, texte="Bonjour")
        type_de_fil = registre.du_modele(type(monde.candidature))
        notifications.message_ecrit(
            message,
            objet=monde.candidature,
            type_de_fil=type_de_fil,
            destinataires=type_de_fil.cote_equipe(monde.candidature),
            cote_destinataires="equipe",
        )
    assert _destinataires(mailoutbox) == ["collegue@programme.test", "gestion@programme.test"]
    assert Message.objects.filter(type="message_fil").count() == 2


def test_plan_la_structure_le_coach_et_les_gestionnaires(
    monde, taches_immediates, django_capture_on_commit_callbacks, mailoutbox
):
    plan = monde.plan
    with django_capture_on_commit_callbacks(execute=True):
        services.ecrire(plan, par=monde.coach, texte="Le cadrage est prêt.")
    assert _destinataires(mailoutbox) == ["accueil@ccas-a.test", "direction@ccas-a.test"]
    assert f"/accompagnement/plans/{plan.pk}/#fil-discussion" in mailoutbox[0].body

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.ecrire(plan, par=monde.membre, texte="Merci, nous le relisons.")
    assert _destinataires(mailoutbox) == [
        "coach@programme.test",
        "collegue@programme.test",
        "gestion@programme.test",
    ]
    assert selectors.non_lus(monde.coach, [plan]) == {plan.pk: 1}
    assert selectors.non_lus(monde.gestionnaire, [plan]) == {plan.pk: 2}
    assert selectors.total_non_lus(monde.gestionnaire) == 2
    assert selectors.total_non_lus(monde.membre) == 0
    assert selectors.total_non_lus(monde.membre_bis) == 2


@pytest.mark.parametrize("personne", ["candidat_b", "autre_coach", "autre_gestionnaire"])
def test_hors_du_fil_on_ne_peut_pas_ecrire(monde, personne):
    with pytest.raises(ActionNonPermise) as refus:
        services.ecrire(monde.plan, par=getattr(monde, personne), texte="Bonjour")
    assert refus.value.message == "Vous ne pouvez pas écrire dans ce fil de discussion."
    with pytest.raises(ActionNonPermise):
        services.ecrire(monde.candidature, par=getattr(monde, personne), texte="Bonjour")
    assert MessageFil.objects.count() == 0


def test_le_coach_n_ecrit_pas_sur_la_candidature(monde):
    with pytest.raises(ActionNonPermise):
        services.ecrire(monde.candidature, par=monde.coach, texte="Bonjour")


def test_fichier_refuse_en_francais_et_rien_n_est_ecrit(monde):
    with pytest.raises(DonneesRefusees) as refus:
        services.ecrire(
            monde.candidature,
            par=monde.membre,
            texte="Voici",
            fichiers=[fichier("budget.pdf", contenu=b"MZ\x90\x00 pas un pdf")],
        )
    assert refus.value.message == (
        "Le contenu du fichier « budget.pdf » n'est pas celui d'un fichier PDF : il a peut-être "
        "été renommé ou abîmé. Enregistrez-le de nouveau au bon format."
    )
    assert MessageFil.objects.count() == 0
    assert not Evenement.objects.filter(type=TypeEvenement.MESSAGE_FIL_ECRIT).exists()


def test_message_vide_ou_delai_demande_par_la_structure_refuses(monde):
    with pytest.raises(DonneesRefusees) as vide:
        services.ecrire(monde.candidature, par=monde.membre, texte="   ")
    assert vide.value.message == "Écrivez votre message."
    with pytest.raises(DonneesRefusees) as delai:
        services.ecrire(monde.candidature, par=monde.membre, texte="Oui", delai_reponse_jours=3)
    assert delai.value.message == (
        "Seule l'équipe du programme peut demander une réponse avant une date."
    )


def _balayer_le(jour):
    moment = timezone.make_aware(datetime.datetime.combine(jour, datetime.time(9)))
    return services_relances.balayer(moment, types=None)


def test_reponse_attendue_relance_une_fois_puis_plus(
    monde, taches_immediates, django_capture_on_commit_callbacks, mailoutbox
):
    question = services.ecrire(
        monde.candidature, par=monde.gestionnaire, texte="Budget ?", delai_reponse_jours=3
    )
    echeance = question.reponse_attendue_avant
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _balayer_le(echeance - datetime.timedelta(days=1))
    assert mailoutbox == []
    with django_capture_on_commit_callbacks(execute=True):
        _balayer_le(echeance)
        _balayer_le(echeance)
        _balayer_le(echeance + datetime.timedelta(days=1))
    assert _destinataires(mailoutbox) == ["accueil@ccas-a.test", "direction@ccas-a.test"]
    assert mailoutbox[0].subject == "[Relais] Une réponse est attendue : CCAS A — AMI 2027"
    assert list(
        Relance.objects.order_by("destinataire__email").values_list(
            "type_code", "decalage", "destinataire__email"
        )
    ) == [
        ("reponse_attendue", 0, "accueil@ccas-a.test"),
        ("reponse_attendue", 0, "direction@ccas-a.test"),
    ]


def test_une_reponse_arrete_la_relance(
    monde, taches_immediates, django_capture_on_commit_callbacks, mailoutbox
):
    question = services.ecrire(
        monde.plan, par=monde.coach, texte="Vos dates ?", delai_reponse_jours=2
    )
    services.ecrire(monde.plan, par=monde.membre_bis, texte="Le 12 mars.")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _balayer_le(question.reponse_attendue_avant)
    assert mailoutbox == []
    assert Relance.objects.count() == 0


def test_partage_avec_le_jury_journalise(monde):
    with pytest.raises(ActionNonPermise):
        services.partager_avec_le_jury(monde.candidature, par=monde.membre, partage=True)
    fil = services.partager_avec_le_jury(monde.candidature, par=monde.gestionnaire, partage=True)
    assert fil.partage_jury is True
    services.partager_avec_le_jury(monde.candidature, par=monde.gestionnaire, partage=True)
    services.partager_avec_le_jury(monde.candidature, par=monde.gestionnaire, partage=False)
    assert list(
        Evenement.objects.de(monde.candidature)
        .filter(type__startswith="fil_")
        .values_list("type", flat=True)
        .order_by("pk")
    ) == ["fil_partage_jury", "fil_retire_jury"]
    with pytest.raises(ActionNonPermise):
        services.partager_avec_le_jury(monde.plan, par=monde.gestionnaire, partage=True)


def test_la_demande_de_complement_entre_dans_le_fil_sans_second_courriel(
    monde, taches_immediates, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        services_candidatures.demander_complement(
            monde.candidature, par=monde.gestionnaire, message="Joignez les statuts signés."
        )
    fil = services.fil_de(monde.candidature)
    assert [(m.auteur, m.cote, m.texte) for m in fil.messages.all()] == [
        (monde.gestionnaire, "equipe", "Joignez les statuts signés.")
    ]
    assert sorted(Message.objects.values_list("type", "destinataire")) == [
        ("candidature_a_completer", "accueil@ccas-a.test"),
        ("candidature_a_completer", "direction@ccas-a.test"),
    ]
    assert len(mailoutbox) == 2
    assert selectors.non_lus(monde.membre, [monde.candidature]) == {monde.candidature.pk: 1}


def test_non_lus_en_une_requete(monde, django_assert_num_queries):
    services.ecrire(monde.candidature, par=monde.gestionnaire, texte="Un")
    services.ecrire(monde.candidature_b, par=monde.gestionnaire, texte="Deux")
    services.ecrire(monde.candidature_b, par=monde.gestionnaire, texte="Trois")
    candidatures = [monde.candidature, monde.candidature_b]
    with django_assert_num_queries(1):
        compteurs = selectors.non_lus(monde.collegue, candidatures)
    assert compteurs == {monde.candidature.pk: 1, monde.candidature_b.pk: 2}
    assert PDF


def test_l_export_des_donnees_personnelles_rend_ses_messages(monde):
    from comptes.donnees_personnelles import exporter_donnees

    services.ecrire(
        monde.candidature, par=monde.membre, texte="Mon message", fichiers=[fichier("a.pdf")]
    )
    services.ecrire(monde.candidature, par=monde.gestionnaire, texte="Pas le sien")
    donnees = exporter_donnees(monde.membre)
    assert [
        (m["objet"], m["cote"], m["texte"], m["pieces"]) for m in donnees["messages_des_fils"]
    ] == [(f"candidature {monde.candidature.pk}", "structure", "Mon message", ["a.pdf"])]


def test_le_total_des_non_lus_de_tous_les_fils_en_une_requete(monde, django_assert_max_num_queries):
    services.ecrire(monde.candidature, par=monde.membre, texte="Un")
    services.ecrire(monde.candidature, par=monde.membre, texte="Deux")
    services.ecrire(monde.plan, par=monde.membre, texte="Trois")
    with django_assert_max_num_queries(10) as requetes:
        total = selectors.total_non_lus(monde.gestionnaire)
    # Deux messages sur la candidature, un sur le plan : chaque type de fil compte, et tous
    # sont comptés par une seule requête (les autres lisent les rôles de la personne).
    assert total == 3
    messages = [q for q in requetes.captured_queries if "echanges_messagefil" in q["sql"]]
    assert len(messages) == 1
    assert selectors.total_non_lus(monde.membre) == 0

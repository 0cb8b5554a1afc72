import datetime
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from candidatures import services
from candidatures.enums import EtatCandidature
from candidatures.erreurs import (
    AppelNonPubliable,
    CandidatureIncomplete,
    DateLimiteDepassee,
)
from candidatures.models import Candidature, PieceJointe
from journal.enums import TypeEvenement
from journal.models import Evenement
from messagerie.models import Message
from noyau.erreurs import (
    ActionImpossible,
    ActionNonPermise,
    DonneesRefusees,
)
from programmes.enums import EtatAppel, TypeQuestion
from programmes.models import Appel
from territoires.models import Commune
from tests.candidatures.factories import (
    AppelFactory,
    CandidatureFactory,
    PieceDemandeeFactory,
    QuestionFactory,
    StructureFactory,
    commune,
    membre_de,
    siret_valide,
)
from tests.candidatures.fichiers import DOCX, JPEG, ODT, PNG, XLSX, fichier
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db


def _questions(candidature):
    return list(candidature.appel.questions.all())


def _remplir(candidature, par, *, piece=True):
    texte, oui_non = _questions(candidature)[:2]
    services.enregistrer_reponses(
        candidature,
        par=par,
        reponses={texte.pk: "Des seniors isolés et des demandeurs d'emploi.", oui_non.pk: False},
    )
    if piece:
        services.joindre_fichier(
            candidature,
            par=par,
            fichier=fichier("statuts.pdf"),
            piece_demandee=candidature.appel.pieces_demandees.get(),
        )


@pytest.fixture
def brouillon(structure, candidat):
    return CandidatureFactory(structure=structure, appel__titre="AMI inclusion numérique 2026")


# --- Brouillon ----------------------------------------------------------------------------


def test_enregistrer_reponses_fusionne_et_efface(brouillon, candidat):
    texte, oui_non, nombre = _questions(brouillon)
    services.enregistrer_reponses(brouillon, par=candidat, reponses={texte.pk: "Des seniors."})
    services.enregistrer_reponses(
        brouillon, par=candidat, reponses={oui_non.pk: False, nombre.pk: 120}
    )
    services.enregistrer_reponses(brouillon, par=candidat, reponses={nombre.pk: None})
    brouillon.refresh_from_db()
    assert brouillon.reponses == {str(texte.pk): "Des seniors.", str(oui_non.pk): False}
    assert brouillon.brouillon_enregistre_le is not None


def test_enregistrer_reponses_ignore_une_question_d_un_autre_appel(brouillon, candidat):
    etrangere = QuestionFactory()
    services.enregistrer_reponses(brouillon, par=candidat, reponses={etrangere.pk: "intrus"})
    brouillon.refresh_from_db()
    assert brouillon.reponses == {}


def test_enregistrer_reponses_refuse_a_une_autre_structure(brouillon):
    intrus = membre_de(StructureFactory())
    with pytest.raises(ActionNonPermise):
        services.enregistrer_reponses(brouillon, par=intrus, reponses={})


def test_enregistrer_reponses_refuse_une_candidature_deposee(candidat, structure):
    candidature = CandidatureFactory(deposee=True, structure=structure)
    with pytest.raises(ActionImpossible) as refus:
        services.enregistrer_reponses(candidature, par=candidat, reponses={})
    assert refus.value.message == ("Cette candidature est « Déposée » : elle ne se modifie plus.")


# --- Dépôt --------------------------------------------------------------------------------


def test_depot_fige_l_eligibilite_et_journalise(brouillon, candidat):
    _remplir(brouillon, candidat)
    services.deposer_candidature(brouillon, par=candidat)
    brouillon.refresh_from_db()
    assert brouillon.etat == EtatCandidature.DEPOSEE
    assert brouillon.resultat_eligibilite == "eligible"
    assert brouillon.eligibilite["result"] == "eligible"
    assert brouillon.eligibilite["population"] == 7921
    assert brouillon.eligibilite["population_year"] == 2023
    assert brouillon.eligibilite["qpv_list"] == "QPV2024"
    assert brouillon.eligibilite["qpv"] == []
    assert brouillon.eligibilite["reasons"] == [
        "Houplines (59317) : dans le périmètre de l'appel "
        "(Métropole Européenne de Lille, EPCI 200093201)",
        "Houplines (59317) : 7\u00a0921 habitants (INSEE 2023) < 21\u00a0000",
        "Houplines (59317) : aucun QPV (liste 2024)",
        "Houplines (59317) : structure de type CCAS, tous types acceptés",
    ]
    assert brouillon.premier_depot_le == brouillon.deposee_le
    log = Evenement.objects.changements_d_etat().de(brouillon).get()
    assert (log.transition, log.depuis, log.vers, log.acteur) == (
        "deposer",
        "brouillon",
        "deposee",
        candidat,
    )


def test_l_eligibilite_figee_ne_bouge_plus_quand_les_donnees_changent(brouillon, candidat):
    _remplir(brouillon, candidat)
    services.deposer_candidature(brouillon, par=candidat)
    Commune.objects.filter(code_insee="59317").update(population_municipale=30000)
    brouillon.refresh_from_db()
    assert brouillon.eligibilite["population"] == 7921
    assert brouillon.resultat_eligibilite == "eligible"


def test_depot_d_une_structure_de_faches_thumesnil_montre_le_qpv_intercommunal(candidat):
    structure = StructureFactory(commune=commune("59220"), membres=[candidat])
    candidature = CandidatureFactory(structure=structure)
    _remplir(candidature, candidat)
    services.deposer_candidature(candidature, par=candidat)
    candidature.refresh_from_db()
    assert candidature.resultat_eligibilite == "non_eligible"
    assert candidature.eligibilite["qpv"] == [
        {
            "code": "QN05972M",
            "name": "Secteur Sud",
            "communes": ["59220", "59346", "59350", "59360"],
            "commune_names": {
                "59220": "Faches-Thumesnil",
                "59346": "Lezennes",
                "59350": "Lille",
                "59360": "Loos",
            },
            "intercommunal": True,
        }
    ]


def test_depot_refuse_apres_la_date_limite_garde_les_reponses(candidat, structure):
    candidature = CandidatureFactory(structure=structure, appel__echu=True)
    _remplir(candidature, candidat)
    with pytest.raises(DateLimiteDepassee) as refus:
        services.deposer_candidature(candidature, par=candidat)
    limite = timezone.localtime(candidature.appel.date_limite)
    assert refus.value.message.startswith("La date limite de dépôt était le ")
    assert f"à {limite:%H:%M}" in refus.value.message
    assert refus.value.message.endswith("Vos réponses restent enregistrées.")
    candidature.refresh_from_db()
    assert candidature.etat == EtatCandidature.BROUILLON
    assert len(candidature.reponses) == 2
    assert candidature.pieces_jointes.count() == 1
    assert Evenement.objects.changements_d_etat().de(candidature).count() == 0


def test_depot_refuse_s_il_manque_des_elements(brouillon, candidat):
    texte, oui_non, _ = _questions(brouillon)
    services.enregistrer_reponses(brouillon, par=candidat, reponses={texte.pk: "Des seniors."})
    with pytest.raises(CandidatureIncomplete) as refus:
        services.deposer_candidature(brouillon, par=candidat)
    assert [(m.libelle, m.ancre) for m in refus.value.manques] == [
        ("Question 2 : Disposez-vous d'une salle équipée ?", f"div_id_q_{oui_non.pk}"),
        (
            "Pièce à joindre : Statuts ou délibération",
            f"id_piece_{brouillon.appel.pieces_demandees.get().pk}",
        ),
    ]
    assert refus.value.message == (
        "Votre candidature n'est pas complète : il manque 2 éléments, listés dans le panneau "
        "« Ce qui manque ». Vos réponses sont enregistrées."
    )
    brouillon.refresh_from_db()
    assert (brouillon.etat, brouillon.reponses) == ("brouillon", {str(texte.pk): "Des seniors."})


def test_une_question_fichier_obligatoire_compte_dans_la_completude(brouillon, candidat):
    question = QuestionFactory(
        appel=brouillon.appel, type=TypeQuestion.FICHIER, libelle="Budget prévisionnel", ordre=9
    )
    _remplir(brouillon, candidat)
    brouillon.refresh_from_db()
    assert [m.libelle for m in brouillon.manques()] == ["Question 4 : Budget prévisionnel"]
    services.joindre_fichier(
        brouillon, par=candidat, fichier=fichier("budget.odt", ODT), question=question
    )
    assert brouillon.manques() == []


def test_confirmation_de_depot_avec_le_recepisse_pdf(
    brouillon, candidat, django_capture_on_commit_callbacks, mailoutbox
):
    collegue = membre_de(brouillon.structure, email="collegue@houplines.test")
    _remplir(brouillon, candidat)
    with django_capture_on_commit_callbacks(execute=True):
        services.deposer_candidature(brouillon, par=candidat)
    brouillon.refresh_from_db()
    assert sorted(courriel.to[0] for courriel in mailoutbox) == [
        "ccas@houplines.test",
        "collegue@houplines.test",
    ]
    courriel = mailoutbox[0]
    assert courriel.subject == "[Relais] Candidature déposée : AMI inclusion numérique 2026"
    assert f"Référence : {brouillon.reference}" in courriel.body
    assert f"http://testserver/candidatures/{brouillon.pk}/" in courriel.body
    (nom, contenu, type_mime) = courriel.attachments[0]
    assert (nom, type_mime) == (f"recepisse-{brouillon.reference}.pdf", "application/pdf")
    assert contenu[:5] == b"%PDF-"
    assert Message.objects.filter(type="candidature_deposee", utilisateur=collegue).count() == 1


def test_le_recepisse_contient_l_appel_la_structure_les_reponses_et_les_pieces(brouillon, candidat):
    from candidatures import recepisse

    _remplir(brouillon, candidat)
    services.deposer_candidature(brouillon, par=candidat)
    brouillon.refresh_from_db()
    html = recepisse.html(brouillon)
    depot = timezone.localtime(brouillon.deposee_le)
    for attendu in [
        "AMI inclusion numérique 2026",
        "CCAS de Houplines",
        brouillon.structure.siret,
        "Houplines (59317)",
        f"{depot:%H:%M}",
        "1. Quels publics accueillez-vous ?",
        "Des seniors isolés et des demandeurs d&#x27;emploi.",
        "2. Disposez-vous d&#x27;une salle équipée ?</strong>\n  <p>Non</p>",
        "Statuts ou délibération</dt><dd>statuts.pdf</dd>",
    ]:
        assert attendu in html


def test_redepot_apres_complement(candidat, structure, django_capture_on_commit_callbacks):
    candidature = CandidatureFactory(a_completer=True, structure=structure, appel__echu=True)
    _remplir(candidature, candidat)
    with django_capture_on_commit_callbacks(execute=True):
        services.redeposer_candidature(candidature, par=candidat)
    candidature.refresh_from_db()
    assert candidature.etat == EtatCandidature.DEPOSEE
    assert candidature.eligibilite["population"] == 7921
    assert Message.objects.get(type="candidature_deposee").sujet == (
        f"[Relais] Candidature déposée à nouveau : {candidature.appel.titre}"
    )


# --- Instruction ----------------------------------------------------------------------------


@pytest.fixture
def deposee(structure, programme):
    return CandidatureFactory(
        deposee=True, structure=structure, appel__programme=programme, appel__titre="AMI 2026"
    )


def test_demande_de_complement_envoyee_a_la_structure(
    deposee, gestionnaire, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.demander_complement(
            deposee, par=gestionnaire, message="Joignez la délibération signée."
        )
    deposee.refresh_from_db()
    assert (deposee.etat, deposee.demande_complement) == (
        "a_completer",
        "Joignez la délibération signée.",
    )
    [courriel] = mailoutbox
    assert courriel.to == ["ccas@houplines.test"]
    assert courriel.subject == "[Relais] Votre candidature est à compléter : AMI 2026"
    assert "Joignez la délibération signée." in courriel.body


def test_demande_de_complement_sans_message_refusee(deposee, gestionnaire):
    with pytest.raises(DonneesRefusees) as refus:
        services.demander_complement(deposee, par=gestionnaire, message="   ")
    assert refus.value.message == "Le message à la structure est obligatoire."
    deposee.refresh_from_db()
    assert deposee.etat == "deposee"


def test_irrecevabilite_envoyee_avec_son_motif(
    deposee, gestionnaire, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.declarer_irrecevable(
            deposee, par=gestionnaire, motif="La structure n'est pas située dans la métropole."
        )
    deposee.refresh_from_db()
    assert deposee.etat == "irrecevable"
    [courriel] = mailoutbox
    assert courriel.subject == "[Relais] Votre candidature n'est pas recevable : AMI 2026"
    assert "La structure n'est pas située dans la métropole." in courriel.body


def test_irrecevabilite_sans_motif_refusee(deposee, gestionnaire, mailoutbox):
    with pytest.raises(DonneesRefusees) as refus:
        services.declarer_irrecevable(deposee, par=gestionnaire, motif="")
    assert refus.value.message == "Le motif d'irrecevabilité est obligatoire."
    assert mailoutbox == []


def test_recevables_en_masse_traite_chacune_a_part(programme, gestionnaire):
    deposees = CandidatureFactory.create_batch(2, deposee=True, appel__programme=programme)
    brouillon = CandidatureFactory(appel=deposees[0].appel)
    faites, refusees = services.declarer_recevables(
        [deposees[0], brouillon, deposees[1]], par=gestionnaire
    )
    assert [c.pk for c in faites] == [deposees[0].pk, deposees[1].pk]
    assert [(c.pk, raison) for c, raison in refusees] == [
        (
            brouillon.pk,
            "Impossible de déclarer la candidature recevable : la candidature est à l'état "
            "« Brouillon ». L'action a peut-être déjà été faite.",
        )
    ]


def test_forcer_l_eligibilite_garde_le_calcul_et_journalise(deposee, gestionnaire):
    deposee.eligibilite = {**deposee.eligibilite, "result": "non_eligible"}
    deposee.resultat_eligibilite = "non_eligible"
    deposee.save()
    services.forcer_eligibilite(
        deposee,
        par=gestionnaire,
        resultat="eligible",
        motif="La liste des QPV de 2015 était en vigueur en 2022.",
    )
    deposee.refresh_from_db()
    assert deposee.resultat_eligibilite == "eligible"
    assert deposee.resultat_eligibilite_calcule == "non_eligible"
    assert deposee.eligibilite_forcee_par == gestionnaire
    evenement = Evenement.objects.get(type=TypeEvenement.ELIGIBILITE_FORCEE)
    assert (evenement.acteur, evenement.motif, evenement.donnees) == (
        gestionnaire,
        "La liste des QPV de 2015 était en vigueur en 2022.",
        {"avant": "non_eligible", "apres": "eligible", "calcule": "non_eligible"},
    )
    assert evenement.cible == deposee


def test_forcer_l_eligibilite_sans_motif_refuse(deposee, gestionnaire):
    with pytest.raises(DonneesRefusees) as refus:
        services.forcer_eligibilite(deposee, par=gestionnaire, resultat="eligible", motif="")
    assert refus.value.message == "Le motif du forçage est obligatoire."
    assert Evenement.objects.filter(type=TypeEvenement.ELIGIBILITE_FORCEE).count() == 0


def test_un_depot_apres_forcage_garde_le_resultat_force(structure, candidat, programme):
    candidature = CandidatureFactory(
        a_completer=True, structure=structure, appel__programme=programme
    )
    gestionnaire = programme.gestionnaires.get()
    services.forcer_eligibilite(
        candidature, par=gestionnaire, resultat="a_examiner", motif="À revoir en comité."
    )
    _remplir(candidature, candidat)
    services.redeposer_candidature(candidature, par=candidat)
    candidature.refresh_from_db()
    assert (candidature.resultat_eligibilite, candidature.resultat_eligibilite_calcule) == (
        "a_examiner",
        "eligible",
    )


# --- Pièces jointes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "nom, contenu, type_mime",
    [
        ("statuts.pdf", fichier("x").read(), "application/pdf"),
        ("statuts.odt", ODT, "application/vnd.oasis.opendocument.text"),
        (
            "statuts.docx",
            DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("photo.JPG", JPEG, "image/jpeg"),
        ("photo.jpeg", JPEG, "image/jpeg"),
        ("plan.png", PNG, "image/png"),
    ],
)
def test_piece_jointe_acceptee_et_stockee(brouillon, candidat, nom, contenu, type_mime, settings):
    piece_demandee = brouillon.appel.pieces_demandees.get()
    piece = services.joindre_fichier(
        brouillon,
        par=candidat,
        fichier=fichier(nom, contenu, "application/octet-stream"),
        piece_demandee=piece_demandee,
    )
    assert (piece.nom_original, piece.type_mime, piece.taille) == (nom, type_mime, len(contenu))
    chemin = Path(settings.MEDIA_ROOT) / piece.fichier.name
    assert chemin.read_bytes() == contenu
    assert piece.fichier.name.startswith(
        f"candidatures/appel-{brouillon.appel_id}/candidature-{brouillon.pk}/"
    )
    assert nom not in piece.fichier.name
    evenement = Evenement.objects.get(type=TypeEvenement.PIECE_JOINTE_AJOUTEE)
    assert (evenement.acteur, evenement.motif) == (candidat, nom)


@pytest.mark.parametrize(
    "nom, contenu, message",
    [
        (
            "tableau.xlsx",
            XLSX,
            "Le fichier « tableau.xlsx » n'est pas d'un type accepté. Formats acceptés : PDF, "
            "ODT, DOCX, JPG ou PNG.",
        ),
        (
            "script.exe",
            b"MZ\x90\x00",
            "Le fichier « script.exe » n'est pas d'un type accepté. Formats acceptés : PDF, "
            "ODT, DOCX, JPG ou PNG.",
        ),
        (
            "faux.pdf",
            b"<html><script>alert(1)</script></html>",
            "Le contenu du fichier « faux.pdf » n'est pas celui d'un fichier PDF : il a "
            "peut-être été renommé ou abîmé. Enregistrez-le de nouveau au bon format.",
        ),
        (
            "tableur.docx",
            XLSX,
            "Le contenu du fichier « tableur.docx » n'est pas celui d'un fichier DOCX : il a "
            "peut-être été renommé ou abîmé. Enregistrez-le de nouveau au bon format.",
        ),
        ("vide.pdf", b"", "Le fichier « vide.pdf » est vide."),
    ],
)
def test_piece_jointe_refusee(brouillon, candidat, nom, contenu, message, settings):
    with pytest.raises(DonneesRefusees) as refus:
        services.joindre_fichier(
            brouillon,
            par=candidat,
            fichier=fichier(nom, contenu, "application/pdf"),
            piece_demandee=brouillon.appel.pieces_demandees.get(),
        )
    assert refus.value.message == message
    assert PieceJointe.objects.count() == 0
    assert not (Path(settings.MEDIA_ROOT) / "candidatures").exists()


def test_piece_jointe_trop_lourde_refusee(brouillon, candidat, settings):
    settings.CANDIDATURES_TAILLE_MAX_PIECE_JOINTE = 1024 * 1024
    gros = fichier("rapport.pdf", b"%PDF-1.7\n" + b"0" * (3 * 1024 * 1024))
    with pytest.raises(DonneesRefusees) as refus:
        services.joindre_fichier(
            brouillon,
            par=candidat,
            fichier=gros,
            piece_demandee=brouillon.appel.pieces_demandees.get(),
        )
    assert refus.value.message == (
        "Le fichier « rapport.pdf » pèse 3 Mo : la limite est de 1 Mo par fichier. Réduisez-le "
        "(export PDF compressé, photo moins grande) puis déposez-le à nouveau."
    )
    assert PieceJointe.objects.count() == 0


def test_la_limite_par_defaut_est_de_10_mo(brouillon, candidat):
    gros = fichier("rapport.pdf", b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024))
    with pytest.raises(DonneesRefusees) as refus:
        services.joindre_fichier(
            brouillon,
            par=candidat,
            fichier=gros,
            piece_demandee=brouillon.appel.pieces_demandees.get(),
        )
    assert "la limite est de 10 Mo par fichier" in refus.value.message


def test_un_nouveau_fichier_remplace_l_ancien_et_le_supprime_du_stockage(
    brouillon, candidat, settings, django_capture_on_commit_callbacks
):
    piece_demandee = brouillon.appel.pieces_demandees.get()
    premiere = services.joindre_fichier(
        brouillon, par=candidat, fichier=fichier("v1.pdf"), piece_demandee=piece_demandee
    )
    with django_capture_on_commit_callbacks(execute=True):
        seconde = services.joindre_fichier(
            brouillon, par=candidat, fichier=fichier("v2.pdf"), piece_demandee=piece_demandee
        )
    assert list(brouillon.pieces_jointes.values_list("nom_original", flat=True)) == ["v2.pdf"]
    assert not (Path(settings.MEDIA_ROOT) / premiere.fichier.name).exists()
    assert (Path(settings.MEDIA_ROOT) / seconde.fichier.name).exists()


def test_un_fichier_que_le_disque_refuse_d_effacer_ne_fait_pas_echouer_le_retrait(
    brouillon, candidat, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    """The row is gone and journaled even if the disk refuses to delete the file afterwards:
    an orphan file costs space, an error would tell the person their action failed."""
    from django.core.files.storage import FileSystemStorage

    piece = services.joindre_fichier(
        brouillon,
        par=candidat,
        fichier=fichier("statuts.pdf"),
        piece_demandee=brouillon.appel.pieces_demandees.get(),
    )

    def disque_en_panne(self, name):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(FileSystemStorage, "delete", disque_en_panne)
    with django_capture_on_commit_callbacks(execute=True):
        services.retirer_fichier(piece, par=candidat)
    assert PieceJointe.objects.count() == 0
    assert Evenement.objects.filter(type=TypeEvenement.PIECE_JOINTE_RETIREE).count() == 1
    assert "Read-only file system" in caplog.text


def test_retirer_un_fichier(brouillon, candidat, settings, django_capture_on_commit_callbacks):
    piece = services.joindre_fichier(
        brouillon,
        par=candidat,
        fichier=fichier("statuts.pdf"),
        piece_demandee=brouillon.appel.pieces_demandees.get(),
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.retirer_fichier(piece, par=candidat)
    assert PieceJointe.objects.count() == 0
    assert not (Path(settings.MEDIA_ROOT) / piece.fichier.name).exists()
    assert Evenement.objects.filter(type=TypeEvenement.PIECE_JOINTE_RETIREE).count() == 1


def test_un_fichier_pour_une_piece_d_un_autre_appel_est_refuse(brouillon, candidat):
    with pytest.raises(DonneesRefusees) as refus:
        services.joindre_fichier(
            brouillon, par=candidat, fichier=fichier("a.pdf"), piece_demandee=PieceDemandeeFactory()
        )
    assert refus.value.message == "Ce fichier ne correspond à aucune pièce de cet appel."


# --- Appels ---------------------------------------------------------------------------------


def test_publier_un_appel_incomplet_liste_ce_qui_manque(programme, gestionnaire):
    appel = AppelFactory(
        programme=programme, ouverture=None, date_limite=None, regles_verifiees_le=None
    )
    with pytest.raises(AppelNonPubliable) as refus:
        services.publier_appel(appel, par=gestionnaire)
    assert refus.value.manques == [
        "Les dates d'ouverture et de date limite sont à renseigner.",
        "L'appel n'a encore aucune question.",
        "Les règles d'éligibilité n'ont pas été vérifiées : ouvrez-les et enregistrez-les.",
    ]
    appel.refresh_from_db()
    assert appel.etat == EtatAppel.BROUILLON


def test_publier_un_appel_dont_la_date_limite_est_passee_est_refuse(programme, gestionnaire):
    appel = AppelFactory(programme=programme, avec_questions=True, date_limite=timezone.now())
    with pytest.raises(AppelNonPubliable) as refus:
        services.publier_appel(appel, par=gestionnaire)
    assert refus.value.manques == ["La date limite est déjà passée : choisissez une date à venir."]


def test_publier_un_appel_d_un_autre_programme_est_refuse(gestionnaire):
    appel = AppelFactory(avec_questions=True)
    with pytest.raises(ActionNonPermise):
        services.publier_appel(appel, par=gestionnaire)


def test_la_tache_clot_les_appels_echus_une_seule_fois():
    from candidatures.tasks import clore_appels_echus

    echu = AppelFactory(echu=True)
    ouvert = AppelFactory(ouvert=True)
    assert clore_appels_echus.delay().get() == 1
    assert clore_appels_echus.delay().get() == 0
    echu.refresh_from_db()
    ouvert.refresh_from_db()
    assert (echu.etat, ouvert.etat) == (EtatAppel.CLOS, EtatAppel.OUVERT)
    [log] = Evenement.objects.changements_d_etat().de(echu)
    assert (log.transition, log.acteur, log.motif) == (
        "clore",
        None,
        "Date limite atteinte : clôture automatique",
    )


def test_la_tache_clot_dans_la_minute_qui_suit_la_date_limite():
    appel = AppelFactory(ouvert=True, date_limite=timezone.now() + datetime.timedelta(seconds=30))
    assert services.clore_appels_echus() == 0
    assert services.clore_appels_echus(maintenant=timezone.now() + datetime.timedelta(minutes=1))
    appel.refresh_from_db()
    assert appel.etat == EtatAppel.CLOS


def test_la_tache_est_planifiee_chaque_minute():
    from aap.celery import app

    planification = app.conf.beat_schedule["candidatures-clore-appels-echus"]
    assert planification["task"] == "candidatures.clore_appels_echus"
    assert planification["schedule"].minute == set(range(60))


def test_dupliquer_un_appel_passe(programme, gestionnaire):
    ancien = AppelFactory(
        programme=programme,
        clos=True,
        avec_questions=True,
        titre="AMI 2022",
        slug="ami-2022",
        version_qpv="QPV2024",
        types_structure=["ccas", "esat"],
    )
    copie = services.dupliquer_appel(ancien, par=gestionnaire)
    assert (copie.etat, copie.titre, copie.slug, copie.copie_de) == (
        EtatAppel.BROUILLON,
        "AMI 2022 (copie)",
        "ami-2022-copie",
        ancien,
    )
    assert (copie.ouverture, copie.date_limite, copie.regles_verifiees_le) == (None, None, None)
    assert (copie.perimetre_epci, copie.version_qpv, copie.types_structure) == (
        ["200093201"],
        "QPV2024",
        ["ccas", "esat"],
    )
    assert list(copie.questions.values_list("ordre", "type", "libelle", "obligatoire")) == list(
        ancien.questions.values_list("ordre", "type", "libelle", "obligatoire")
    )
    assert list(copie.pieces_demandees.values_list("libelle", flat=True)) == [
        "Statuts ou délibération"
    ]
    assert copie.candidatures.count() == 0
    assert services.dupliquer_appel(ancien, par=gestionnaire).slug == "ami-2022-copie-2"
    assert Evenement.objects.filter(
        type=TypeEvenement.APPEL_DUPLIQUE,
        cible_type=ContentType.objects.get_for_model(Appel),
        cible_id=copie.pk,
    ).exists()


def test_les_questions_d_un_appel_publie_ne_changent_plus(programme, gestionnaire):
    appel = AppelFactory(programme=programme, ouvert=True)
    with pytest.raises(ActionNonPermise) as refus:
        services.enregistrer_regles(appel, par=gestionnaire, regles={"seuil_population": 5})
    assert refus.value.message == "Les règles d'un appel publié ne changent plus."


# --- Structures ----------------------------------------------------------------------------


def test_creer_une_structure_rend_son_auteur_responsable(candidat):
    structure = services.creer_structure(
        par=candidat,
        nom="CCAS de Leers",
        type="ccas",
        siret=siret_valide(4242),
        commune=commune("59339"),
        adresse="Place de la République",
        code_postal="59115",
        contact_nom="Claire Martin",
        contact_email="ccas@leers.test",
        contact_telephone="03 20 00 00 01",
    )
    assert structure.nom_recherche == "ccas de leers"
    adhesion = structure.adhesions.get()
    assert (adhesion.utilisateur, adhesion.est_responsable) == (candidat, True)
    assert candidat.has_perm("candidatures.inviter_dans_structure", structure)


def test_inviter_un_collegue_puis_creer_son_compte(
    structure, candidat, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _, jeton = services.inviter_dans_structure(
            structure, email="Collegue@Houplines.test", par=candidat
        )
    [courriel] = mailoutbox
    assert courriel.to == ["collegue@houplines.test"]
    assert f"http://testserver/structures/invitation/{jeton}/" in courriel.body
    utilisateur, rejointe = services.accepter_invitation_structure(
        jeton, prenom="Sam", nom="Collègue", mot_de_passe="Ateliers-numeriques-2026"
    )
    assert rejointe == structure
    assert utilisateur.roles == {"candidat"}
    assert utilisateur.emailaddress_set.get().verified is True
    assert utilisateur.has_perm("candidatures.modifier_structure", structure)
    assert not utilisateur.has_perm("candidatures.inviter_dans_structure", structure)
    with pytest.raises(ActionImpossible) as refus:
        services.accepter_invitation_structure(jeton, utilisateur=utilisateur)
    assert refus.value.message == (
        "Cette invitation a déjà servi. Connectez-vous avec le compte qui l'a acceptée."
    )


def test_seul_un_responsable_invite(structure):
    collegue = membre_de(structure)
    with pytest.raises(ActionNonPermise):
        services.inviter_dans_structure(structure, email="x@y.test", par=collegue)


def test_une_invitation_ne_sert_qu_au_compte_de_son_adresse(structure, candidat):
    _, jeton = services.inviter_dans_structure(
        structure, email="invitee@exemple.test", par=candidat
    )
    autre = UtilisateurFactory(email="autre@exemple.test")
    with pytest.raises(ActionNonPermise):
        services.accepter_invitation_structure(jeton, utilisateur=autre)
    assert not structure.membres.filter(pk=autre.pk).exists()


def test_commencer_une_candidature_deux_fois_renvoie_la_meme(structure, candidat):
    appel = AppelFactory(ouvert=True, avec_questions=True)
    premiere, creee = services.commencer_candidature(appel, structure, par=candidat)
    seconde, recree = services.commencer_candidature(appel, structure, par=candidat)
    assert (creee, recree, premiere.pk) == (True, False, seconde.pk)
    assert Candidature.objects.count() == 1


def test_commencer_une_candidature_apres_la_date_limite_est_refuse(structure, candidat):
    appel = AppelFactory(echu=True)
    with pytest.raises(ActionImpossible) as refus:
        services.commencer_candidature(appel, structure, par=candidat)
    assert refus.value.message.startswith("La date limite de dépôt était le ")


# --- Réouverture d'un appel : les structures qui ont un brouillon sont prévenues ---------------


@pytest.fixture
def appel_clos_avec_brouillons(programme, structure):
    """Un appel clos trop tôt : deux brouillons (Houplines, deux comptes ; Lomme, un compte) et
    une candidature déposée (Wattrelos)."""
    appel = AppelFactory(programme=programme, clos=True, titre="AMI 2026")
    membre_de(structure, email="collegue@houplines.test")
    lomme = StructureFactory(
        nom="Centre social de Lomme",
        membres=[UtilisateurFactory(candidat=True, email="accueil@lomme.test")],
    )
    wattrelos = StructureFactory(
        nom="CCAS de Wattrelos",
        membres=[UtilisateurFactory(candidat=True, email="ccas@wattrelos.test")],
    )
    CandidatureFactory(appel=appel, structure=structure)
    CandidatureFactory(appel=appel, structure=lomme)
    CandidatureFactory(appel=appel, structure=wattrelos, deposee=True)
    return appel


def _nouvelle_date_limite():
    """Le 15 décembre prochain à 18:00, heure de Paris."""
    annee = timezone.now().year + 1
    return timezone.make_aware(datetime.datetime(annee, 12, 15, 18, 0)), annee


def test_rouvrir_previent_les_seules_structures_en_brouillon(
    appel_clos_avec_brouillons, gestionnaire, mailoutbox, django_capture_on_commit_callbacks
):
    appel = appel_clos_avec_brouillons
    date_limite, annee = _nouvelle_date_limite()
    with django_capture_on_commit_callbacks(execute=True):
        appel = services.rouvrir_appel(
            appel, par=gestionnaire, date_limite=date_limite, motif="Clos par erreur"
        )
    assert appel.structures_prevenues == 2
    assert sorted(courriel.to[0] for courriel in mailoutbox) == [
        "accueil@lomme.test",
        "ccas@houplines.test",
        "collegue@houplines.test",
    ]
    houplines = Candidature.objects.get(appel=appel, structure__nom="CCAS de Houplines")
    lomme = Candidature.objects.get(appel=appel, structure__nom="Centre social de Lomme")
    for courriel in mailoutbox:
        candidature = lomme if courriel.to == ["accueil@lomme.test"] else houplines
        assert courriel.subject == "[Relais] L'appel est de nouveau ouvert : AMI 2026"
        assert (
            "L'appel « AMI 2026 » est de nouveau ouvert : les candidatures peuvent être "
            f"déposées jusqu'au 15 décembre {annee} à 18:00." in courriel.body
        )
        assert f"La candidature de {candidature.structure.nom} est encore en brouillon" in (
            courriel.body
        )
        assert f"http://testserver/candidatures/{candidature.pk}/" in courriel.body
        assert "Clos par erreur" not in courriel.body
    assert not Message.objects.filter(destinataire="ccas@wattrelos.test").exists()
    assert set(Message.objects.filter(type="appel_rouvert").values_list("etat", flat=True)) == {
        "envoye"
    }


def test_prevenir_deux_fois_de_la_meme_reouverture_n_envoie_qu_une_fois(
    appel_clos_avec_brouillons, gestionnaire, mailoutbox, django_capture_on_commit_callbacks
):
    from candidatures import notifications

    appel = appel_clos_avec_brouillons
    date_limite, _annee = _nouvelle_date_limite()
    with django_capture_on_commit_callbacks(execute=True):
        appel = services.rouvrir_appel(
            appel, par=gestionnaire, date_limite=date_limite, motif="Clos par erreur"
        )
    reouverture = Evenement.objects.changements_d_etat().de(appel).get(transition="rouvrir")
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.appel_rouvert(appel, reouverture=reouverture) == 2
    assert Message.objects.filter(type="appel_rouvert").count() == 3
    assert len(mailoutbox) == 3

    # Close de nouveau puis rouverte plus tard, même date limite : une nouvelle annonce.
    with django_capture_on_commit_callbacks(execute=True):
        services.clore_appel(appel, par=gestionnaire, motif="Clos par erreur, encore")
        services.rouvrir_appel(
            appel, par=gestionnaire, date_limite=date_limite, motif="Rouvert de nouveau"
        )
    assert Message.objects.filter(type="appel_rouvert").count() == 6
    assert len(mailoutbox) == 6


def test_le_membre_anglophone_est_prevenu_en_anglais(
    appel_clos_avec_brouillons,
    gestionnaire,
    structure,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    membre_de(structure, email="welcome@houplines.test", langue="en")
    date_limite, annee = _nouvelle_date_limite()
    with django_capture_on_commit_callbacks(execute=True):
        services.rouvrir_appel(
            appel_clos_avec_brouillons,
            par=gestionnaire,
            date_limite=date_limite,
            motif="Clos par erreur",
        )
    [courriel] = [c for c in mailoutbox if c.to == ["welcome@houplines.test"]]
    assert courriel.subject == "[Relais] The call for applications is open again: AMI 2026"
    assert f"until 15 December {annee}, 18:00." in courriel.body
    francais = next(c for c in mailoutbox if c.to == ["ccas@houplines.test"])
    assert francais.subject == "[Relais] L'appel est de nouveau ouvert : AMI 2026"

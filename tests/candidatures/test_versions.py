"""Les versions déposées : chaque dépôt garde ses réponses et ses fichiers tels qu'ils étaient,
le gestionnaire compare deux dépôts champ par champ, le récépissé de chaque dépôt reste
disponible."""

import hashlib
import importlib

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse
from django.utils import timezone

from candidatures import recepisse, services
from candidatures.comparaison import LigneComparee, comparer
from candidatures.models import FichierVersion, PieceJointe, VersionDeposee
from candidatures.selectors import chronologie
from comptes.donnees_personnelles import exporter_donnees, supprimer_compte
from programmes.models import Question
from tests.candidatures.factories import CandidatureFactory, StructureFactory
from tests.candidatures.fichiers import PDF, fichier
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db

PDF_SIGNE = PDF + b"% statuts signes\n"
ANCIENNE_REPONSE = "Des seniors isolés."
NOUVELLE_REPONSE = "Des seniors isolés et des familles."


def _questions(candidature):
    texte, oui_non, nombre = candidature.appel.questions.all()
    return texte, oui_non, nombre


def _premier_depot(candidature, candidat):
    texte, oui_non, _nombre = _questions(candidature)
    services.enregistrer_reponses(
        candidature, par=candidat, reponses={texte.pk: ANCIENNE_REPONSE, oui_non.pk: False}
    )
    services.joindre_fichier(
        candidature,
        par=candidat,
        fichier=fichier("statuts.pdf"),
        piece_demandee=candidature.appel.pieces_demandees.get(),
    )
    return services.deposer_candidature(candidature, par=candidat)


def _redepot(candidature, candidat, gestionnaire):
    services.demander_complement(
        candidature, par=gestionnaire, message="Joignez les statuts signés."
    )
    texte, _oui_non, _nombre = _questions(candidature)
    services.enregistrer_reponses(candidature, par=candidat, reponses={texte.pk: NOUVELLE_REPONSE})
    services.joindre_fichier(
        candidature,
        par=candidat,
        fichier=fichier("statuts-signes.pdf", PDF_SIGNE),
        piece_demandee=candidature.appel.pieces_demandees.get(),
    )
    return services.redeposer_candidature(candidature, par=candidat)


@pytest.fixture
def brouillon(structure):
    return CandidatureFactory(structure=structure, appel__programme__nom="Relais numérique")


@pytest.fixture
def redeposee(brouillon, candidat, gestionnaire, programme, django_capture_on_commit_callbacks):
    brouillon.appel.programme.gestionnaires.add(gestionnaire)
    with django_capture_on_commit_callbacks(execute=True):
        _premier_depot(brouillon, candidat)
    with django_capture_on_commit_callbacks(execute=True):
        candidature = _redepot(brouillon, candidat, gestionnaire)
    return candidature


# --- Au dépôt ------------------------------------------------------------------------------


def test_le_depot_garde_la_version_1_telle_qu_elle_est(brouillon, candidat):
    candidature = _premier_depot(brouillon, candidat)
    texte, oui_non, nombre = _questions(candidature)

    version = VersionDeposee.objects.get(candidature=candidature)
    assert version.numero == 1
    assert version.deposee_le == candidature.deposee_le
    assert version.deposee_par == candidat
    assert version.reponses == {str(texte.pk): ANCIENNE_REPONSE, str(oui_non.pk): False}
    assert version.questions == [
        {"id": texte.pk, "libelle": "Quels publics accueillez-vous ?", "type": "texte_long",
         "choix": [], "condition": None, "condition_valeur": ""},
        {"id": oui_non.pk, "libelle": "Disposez-vous d'une salle équipée ?", "type": "oui_non",
         "choix": [], "condition": None, "condition_valeur": ""},
        {"id": nombre.pk, "libelle": "Combien de personnes accompagnez-vous par an ?",
         "type": "nombre", "choix": [], "condition": None, "condition_valeur": ""},
    ]  # fmt: skip
    assert version.pieces_demandees == [
        {"id": candidature.appel.pieces_demandees.get().pk, "libelle": "Statuts ou délibération"}
    ]
    assert version.eligibilite == candidature.eligibilite
    assert version.structure["nom"] == "CCAS de Houplines"
    assert version.reconstituee is False
    piece = PieceJointe.objects.get(candidature=candidature)
    assert list(
        version.fichiers.values_list("nom_original", "taille", "type_mime", "sha256", "fichier")
    ) == [
        ("statuts.pdf", len(PDF), "application/pdf", hashlib.sha256(PDF).hexdigest(),
         piece.fichier.name)
    ]  # fmt: skip


def test_un_nouveau_depot_garde_la_version_2_sans_toucher_la_1(redeposee):
    v1, v2 = redeposee.versions.order_by("numero")
    texte, _oui_non, _nombre = _questions(redeposee)

    assert (v1.numero, v2.numero) == (1, 2)
    assert v1.reponses[str(texte.pk)] == ANCIENNE_REPONSE
    assert v2.reponses[str(texte.pk)] == NOUVELLE_REPONSE
    assert [f.nom_original for f in v1.fichiers.all()] == ["statuts.pdf"]
    assert [(f.nom_original, f.sha256) for f in v2.fichiers.all()] == [
        ("statuts-signes.pdf", hashlib.sha256(PDF_SIGNE).hexdigest())
    ]


def test_le_fichier_remplace_reste_stocke_tant_qu_une_version_le_designe(redeposee):
    ancien = FichierVersion.objects.get(version__numero=1, version__candidature=redeposee)

    assert ancien.fichier.storage.exists(ancien.fichier.name)
    with ancien.fichier.storage.open(ancien.fichier.name, "rb") as contenu:
        assert contenu.read() == PDF


def test_un_fichier_jamais_depose_est_efface_quand_on_le_remplace(
    brouillon, candidat, gestionnaire, programme, django_capture_on_commit_callbacks
):
    brouillon.appel.programme.gestionnaires.add(gestionnaire)
    with django_capture_on_commit_callbacks(execute=True):
        _premier_depot(brouillon, candidat)
        services.demander_complement(brouillon, par=gestionnaire, message="Les statuts signés.")
    piece_demandee = brouillon.appel.pieces_demandees.get()
    with django_capture_on_commit_callbacks(execute=True):
        brouillon_intermediaire = services.joindre_fichier(
            brouillon, par=candidat, fichier=fichier("essai.pdf"), piece_demandee=piece_demandee
        )
    stockage, nom = brouillon_intermediaire.fichier.storage, brouillon_intermediaire.fichier.name
    with django_capture_on_commit_callbacks(execute=True):
        services.retirer_fichier(brouillon_intermediaire, par=candidat)

    assert stockage.exists(nom) is False
    deposee = FichierVersion.objects.get(version__candidature=brouillon)
    assert stockage.exists(deposee.fichier.name) is True


def test_une_retouche_du_formulaire_ne_reecrit_pas_la_version(redeposee):
    texte, _oui_non, _nombre = _questions(redeposee)
    Question.objects.filter(pk=texte.pk).update(libelle="Quels publics visez-vous ?")
    v1 = redeposee.versions.get(numero=1)

    html = recepisse.html(redeposee, v1)

    assert "1. Quels publics accueillez-vous ?" in html
    assert "visez-vous" not in html


# --- La différence -------------------------------------------------------------------------


def test_la_difference_montre_la_question_changee_et_le_fichier_remplace(redeposee):
    v1, v2 = redeposee.versions.order_by("numero")

    comparaison = comparer(v1, v2)

    fichier_avant = v1.fichiers.get()
    fichier_apres = v2.fichiers.get()
    assert comparaison.changees == [
        LigneComparee(
            libelle="Quels publics accueillez-vous ?",
            avant=ANCIENNE_REPONSE,
            apres=NOUVELLE_REPONSE,
        ),
        LigneComparee(
            libelle="Statuts ou délibération",
            avant="statuts.pdf",
            apres="statuts-signes.pdf",
            fichier_avant=fichier_avant,
            fichier_apres=fichier_apres,
            est_fichier=True,
        ),
    ]
    assert [ligne.libelle for ligne in comparaison.inchangees] == [
        "Disposez-vous d'une salle équipée ?",
        "Combien de personnes accompagnez-vous par an ?",
        "Éligibilité au dépôt",
    ]


def test_un_fichier_de_meme_nom_mais_d_un_autre_contenu_est_change(redeposee):
    v1, v2 = redeposee.versions.order_by("numero")
    FichierVersion.objects.filter(version=v2).update(nom_original="statuts.pdf")

    comparaison = comparer(v1, v2)

    assert [ligne.libelle for ligne in comparaison.changees] == [
        "Quels publics accueillez-vous ?",
        "Statuts ou délibération",
    ]


# --- Les récépissés ------------------------------------------------------------------------


def test_le_recepisse_du_premier_depot_garde_l_ancienne_reponse(redeposee):
    v1, v2 = redeposee.versions.order_by("numero")

    premier, second, courant = (
        recepisse.html(redeposee, v1),
        recepisse.html(redeposee, v2),
        recepisse.html(redeposee),
    )

    assert ANCIENNE_REPONSE in premier
    assert NOUVELLE_REPONSE not in premier
    assert "Statuts ou délibération</dt><dd>statuts.pdf</dd>" in premier
    assert "dépôt n° 1" in premier
    assert f"{timezone.localtime(v1.deposee_le):%H:%M}" in premier
    assert NOUVELLE_REPONSE in second
    assert "Statuts ou délibération</dt><dd>statuts-signes.pdf</dd>" in second
    # Le récépissé de la candidature est celui de son dernier dépôt.
    assert "dépôt n° 2" in courant
    assert NOUVELLE_REPONSE in courant
    assert recepisse.nom_de_fichier(redeposee, v1) == f"recepisse-{redeposee.reference}-depot-1.pdf"


def test_la_structure_telecharge_le_recepisse_de_chaque_depot(client, candidat, redeposee):
    client.force_login(candidat)

    reponse = client.get(reverse("candidatures:recepisse_version", args=[redeposee.pk, 1]))

    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "application/pdf"
    assert reponse["Content-Disposition"] == (
        f'inline; filename="recepisse-{redeposee.reference}-depot-1.pdf"'
    )
    assert reponse.content[:5] == b"%PDF-"
    assert (
        client.get(reverse("candidatures:recepisse_version", args=[redeposee.pk, 3])).status_code
        == 404
    )


def test_la_page_de_la_structure_liste_ses_depots(client, candidat, redeposee):
    client.force_login(candidat)

    page = client.get(reverse("candidatures:candidature", args=[redeposee.pk])).content.decode()

    for numero in (1, 2):
        lien = reverse("candidatures:recepisse_version", args=[redeposee.pk, numero])
        assert f'href="{lien}"' in page
    assert reverse("candidatures:gestion_versions", args=[redeposee.pk]) not in page


# --- La page « Versions déposées » ---------------------------------------------------------


def test_le_gestionnaire_voit_la_difference_des_deux_derniers_depots(
    client, gestionnaire, redeposee
):
    client.force_login(gestionnaire)
    fiche = client.get(reverse("candidatures:gestion_candidature", args=[redeposee.pk]))
    assert reverse("candidatures:gestion_versions", args=[redeposee.pk]) in fiche.content.decode()

    reponse = client.get(reverse("candidatures:gestion_versions", args=[redeposee.pk]))

    assert reponse.status_code == 200
    comparaison = reponse.context["comparaison"]
    assert (comparaison.avant.numero, comparaison.apres.numero) == (1, 2)
    page = reponse.content.decode()
    assert "2 champs modifiés entre le dépôt n° 1 et le dépôt n° 2" in page
    assert '<th scope="row">Quels publics accueillez-vous ?</th>' in page
    assert f'<td class="texte-lignes">{ANCIENNE_REPONSE}</td>' in page
    assert f'<td class="texte-lignes">{NOUVELLE_REPONSE}</td>' in page
    ancien = FichierVersion.objects.get(version__candidature=redeposee, version__numero=1)
    lien = reverse("candidatures:fichier_version", args=[redeposee.pk, 1, ancien.pk])
    assert f'<a href="{lien}">statuts.pdf</a> ({len(PDF)}\xa0octets)' in page
    assert "3 champs inchangés" in page


def test_comparer_deux_fois_le_meme_depot_est_refuse(client, gestionnaire, redeposee):
    client.force_login(gestionnaire)

    reponse = client.get(
        reverse("candidatures:gestion_versions", args=[redeposee.pk]), {"de": 2, "a": 2}
    )

    assert reponse.status_code == 400
    assert "Choisissez deux dépôts différents." in reponse.content.decode()


def test_le_gestionnaire_telecharge_l_ancien_fichier_de_la_version_1(
    client, gestionnaire, redeposee
):
    client.force_login(gestionnaire)
    ancien = FichierVersion.objects.get(version__candidature=redeposee, version__numero=1)

    reponse = client.get(reverse("candidatures:fichier_version", args=[redeposee.pk, 1, ancien.pk]))

    assert reponse.status_code == 200
    assert b"".join(reponse.streaming_content) == PDF
    assert 'filename="statuts.pdf"' in reponse["Content-Disposition"]
    # Pas sous un autre numéro de dépôt.
    assert (
        client.get(
            reverse("candidatures:fichier_version", args=[redeposee.pk, 2, ancien.pk])
        ).status_code
        == 404
    )


def test_le_gestionnaire_d_un_autre_programme_ne_trouve_rien(client, redeposee):
    client.force_login(UtilisateurFactory(gestionnaire=True))
    ancien = FichierVersion.objects.get(version__candidature=redeposee, version__numero=1)

    for adresse in (
        reverse("candidatures:gestion_versions", args=[redeposee.pk]),
        reverse("candidatures:recepisse_version", args=[redeposee.pk, 1]),
        reverse("candidatures:fichier_version", args=[redeposee.pk, 1, ancien.pk]),
    ):
        assert client.get(adresse).status_code == 404


def test_la_structure_ne_voit_pas_la_page_des_differences(client, candidat, redeposee):
    client.force_login(candidat)

    reponse = client.get(reverse("candidatures:gestion_versions", args=[redeposee.pk]))

    assert reponse.status_code == 403


def test_un_seul_depot_rien_a_comparer(client, gestionnaire, brouillon, candidat):
    brouillon.appel.programme.gestionnaires.add(gestionnaire)
    _premier_depot(brouillon, candidat)
    client.force_login(gestionnaire)

    reponse = client.get(reverse("candidatures:gestion_versions", args=[brouillon.pk]))

    assert reponse.status_code == 200
    assert reponse.context["comparaison"] is None
    assert "Un seul dépôt pour l'instant : rien à comparer." in reponse.content.decode()


# --- Reprise des candidatures d'avant, données personnelles --------------------------------


def test_la_reprise_donne_sa_version_1_a_une_candidature_deja_deposee(structure):
    deposee = CandidatureFactory(deposee=True, structure=structure, reponses={"1": "x"})
    CandidatureFactory(structure=StructureFactory())  # un brouillon n'en reçoit pas
    nom = "0005_versions_deposees_reprise"
    reprise = importlib.import_module(f"candidatures.migrations.{nom}")
    # Les modèles tels que la migration les voit (état historique), pas ceux du code.
    apps = MigrationLoader(connection).project_state(("candidatures", nom)).apps

    reprise.creer_les_versions(apps, None)
    reprise.creer_les_versions(apps, None)  # sans doublon

    version = VersionDeposee.objects.get()
    assert (version.candidature_id, version.numero, version.reconstituee) == (deposee.pk, 1, True)
    assert version.deposee_le == deposee.deposee_le
    assert version.reponses == {"1": "x"}
    assert version.structure["nom"] == "CCAS de Houplines"
    reprise.supprimer_les_versions_reconstituees(apps, None)
    assert VersionDeposee.objects.count() == 0


def test_l_effacement_vide_le_contact_garde_dans_les_versions(redeposee, candidat):
    structure = redeposee.structure
    VersionDeposee.objects.filter(candidature=redeposee).update(
        structure=dict(redeposee.versions.first().structure, contact_email=candidat.email.upper())
    )

    export = exporter_donnees(candidat)
    supprimer_compte(candidat)

    assert [c["depots"] for c in export["candidatures"]] == [
        [
            {"numero": v.numero, "depose_le": v.deposee_le.isoformat(), "depose_par_moi": True}
            for v in redeposee.versions.order_by("numero")
        ]
    ]
    assert redeposee.versions.count() == 2
    for version in VersionDeposee.objects.filter(candidature=redeposee):
        assert version.structure["contact_nom"] == ""
        assert version.structure["contact_email"] == ""
        assert version.structure["contact_telephone"] == ""
        assert version.structure["nom"] == structure.nom
    assert "Dominique Exemple" not in recepisse.html(redeposee)


def test_chaque_ligne_de_depot_du_journal_mene_a_sa_version(client, gestionnaire, redeposee):
    lignes = chronologie(redeposee, pour_la_structure=False)
    assert [(ligne["etat"], ligne["version"]) for ligne in lignes if ligne["etat"]] == [
        ("deposee", 1),
        ("a_completer", None),
        ("deposee", 2),
    ]
    client.force_login(gestionnaire)
    page = client.get(reverse("candidatures:gestion_candidature", args=[redeposee.pk]))
    lien = reverse("candidatures:recepisse_version", args=[redeposee.pk, 2])
    assert f'<a href="{lien}">récépissé du dépôt n° 2 (PDF)</a>' in page.content.decode()

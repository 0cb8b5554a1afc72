"""Le bilan mis en cache : la seconde vue ne recalcule rien, et toute écriture qui compte
(action, participation, bénéficiaire, liste d'attente, émargement, import, cohorte) se voit à
la vue suivante. Chaque test affiche d'abord le bilan pour le ranger en cache, écrit, puis
relit : avec un cache qui ne suivrait pas l'écriture, le chiffre lu serait l'ancien."""

import datetime
import html
import io
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from accompagnement.models import Emargement, Inscription, Referent, SessionFormation
from accompagnement.services import enregistrer_emargement
from activite import services
from activite.bilan import cle_du_bilan
from activite.enums import Genre, StatutParticipation, TypeAction
from activite.importation import importer_activite, lire_televersements
from activite.models import Action, Beneficiaire, ListeAttente, Participation, VersionActivite
from activite.versions import ecritures_groupees, noter_activite_modifiee
from candidatures.enums import EtatCandidature
from candidatures.models import Candidature
from tests.activite.jeu_de_donnees import construire
from tests.candidatures.factories import AppelFactory, CandidatureFactory, membre_de
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db

# Les chiffres de la cohorte de `construire()`, tels que la page les affiche (test_bilan.py).
AVANT = {
    "Structures accompagnées": "3",
    "Référents formés": "3",
    "Actions menées": "7",
    "Ateliers et permanences": "3",
    "Parcours d'initiation": "4",
    "Durée moyenne d'un parcours ordinateur (h)": "12,2",
    "Durée moyenne d'un parcours tablette (h)": "15",
    "Personnes accompagnées": "6",
    "dont en parcours": "5",
    "Femmes (%)": "60",
    "Hommes (%)": "40",
    "Âge moyen": "55,4",
    "Parcours suivis jusqu'au bout (%)": "66,7",
    "Liste d'attente": "7",
}


@pytest.fixture
def cohorte(client):
    """Le jeu de données du bilan, vu une première fois par un gestionnaire du programme."""
    appel, structures = construire()
    gestionnaire = UtilisateurFactory(gestionnaire=True)
    appel.programme.gestionnaires.add(gestionnaire)
    client.force_login(gestionnaire)
    assert _chiffres(client, appel) == AVANT
    return appel, structures, gestionnaire


def _page(client, appel, **parametres):
    reponse = client.get(reverse("activite:bilan", args=[appel.slug]), parametres)
    assert reponse.status_code == 200
    return reponse.content.decode()


def _chiffres(client, appel):
    """{libellé: valeur affichée} des chiffres de la cohorte."""
    return {
        html.unescape(libelle): valeur
        for libelle, valeur in re.findall(
            r'<dt>([^<]+)</dt><dd class="fs-3">([^<]+)</dd>', _page(client, appel)
        )
    }


def _saisie_par(structure):
    """Qui saisit l'activité de la structure : une personne de la structure (le gestionnaire du
    programme lit le bilan mais ne saisit pas ; les services le refusent)."""
    return membre_de(structure)


def _apres(**changements):
    return {**AVANT, **changements}


def _action(structure, type_action):
    return Action.objects.get(structure=structure, type=type_action)


# --- La seconde vue ----------------------------------------------------------------------------


def test_la_seconde_vue_du_bilan_ne_recalcule_rien(client, django_assert_num_queries):
    appel, _structures = construire()
    gestionnaire = UtilisateurFactory(gestionnaire=True)
    appel.programme.gestionnaires.add(gestionnaire)
    client.force_login(gestionnaire)

    # Compte (la session est dans le cache, ses rôles sur sa ligne), appel, programmes gérés,
    # appel de la vue ; la clé du bilan ; les 7 requêtes du calcul ; la publication en données
    # ouvertes (bloc du gestionnaire).
    with django_assert_num_queries(13):
        premiere = _page(client, appel)
    # Les mêmes 4, puis la clé et la publication : rien du calcul.
    with django_assert_num_queries(6):
        seconde = _page(client, appel)
    with django_assert_num_queries(6):
        _page(client, appel, page=2)

    # Le contenu de la page, hors jeton CSRF de l'en-tête : le même, instant du calcul compris.
    assert seconde.split("<h1")[1] == premiere.split("<h1")[1]
    assert "chiffres calculés le " in seconde


def test_le_pdf_et_le_tableur_reprennent_le_calcul_de_la_page(
    client, cohorte, django_assert_num_queries
):
    appel, _structures, _gestionnaire = cohorte

    # Les 5, plus la taille de la cohorte (au-delà du seuil, le worker prépare le tableur).
    with django_assert_num_queries(6):
        xlsx = client.get(reverse("activite:bilan_xlsx", args=[appel.slug]))
    # Les 5 ; le PDF de cette version (absent), la taille de la cohorte, la réservation (3),
    # la clé relue par le rendu, puis le rendu complété (3) et relu.
    with django_assert_num_queries(16):
        pdf = client.get(reverse("activite:bilan_pdf", args=[appel.slug]))
    # Les 5, puis le PDF de cette version : servi depuis le stockage, rien n'est recalculé.
    with django_assert_num_queries(6):
        encore = client.get(reverse("activite:bilan_pdf", args=[appel.slug]))

    assert (pdf.status_code, encore.status_code) == (200, 200)
    assert encore.getvalue() == pdf.getvalue()
    cohorte_xlsx = load_workbook(io.BytesIO(xlsx.content))["Cohorte"]
    valeurs = {ligne[0]: ligne[1] for ligne in cohorte_xlsx.iter_rows(min_row=4, values_only=True)}
    assert valeurs["Personnes accompagnées"] == 6


def test_le_tableur_suit_une_saisie_faite_apres_la_vue_de_la_page(client, cohorte):
    appel, structures, _gestionnaire = cohorte
    services.enregistrer_liste_attente(
        structures["a"], par=None, date=datetime.date(2023, 9, 1), nombre=31
    )

    xlsx = client.get(reverse("activite:bilan_xlsx", args=[appel.slug]))

    cohorte_xlsx = load_workbook(io.BytesIO(xlsx.content))["Cohorte"]
    valeurs = {ligne[0]: ligne[1] for ligne in cohorte_xlsx.iter_rows(min_row=4, values_only=True)}
    assert valeurs["Liste d'attente"] == 31


# --- Actions -----------------------------------------------------------------------------------


def test_une_action_ajoutee_se_voit_a_la_vue_suivante(client, cohorte):
    appel, structures, gestionnaire = cohorte

    services.enregistrer_action(
        structures["d"],
        par=_saisie_par(structures["d"]),
        type=TypeAction.PERMANENCE,
        date_debut=datetime.date(2023, 4, 4),
        duree_heures=Decimal("1"),
    )

    assert _chiffres(client, appel) == _apres(
        **{"Actions menées": "8", "Ateliers et permanences": "4"}
    )


def test_une_action_modifiee_se_voit_a_la_vue_suivante(client, cohorte):
    appel, structures, gestionnaire = cohorte
    po1 = _action(structures["a"], TypeAction.PARCOURS_ORDINATEUR)

    services.enregistrer_action(
        structures["a"], par=_saisie_par(structures["a"]), action=po1, duree_heures=15
    )

    # (15 + 11,5 + 13) / 3 = 13,166…
    assert _chiffres(client, appel) == _apres(
        **{"Durée moyenne d'un parcours ordinateur (h)": "13,2"}
    )


def test_une_action_supprimee_et_ses_participations_se_voient_a_la_vue_suivante(client, cohorte):
    appel, structures, gestionnaire = cohorte
    at1 = _action(structures["a"], TypeAction.ATELIER)

    services.supprimer_action(at1, par=_saisie_par(structures["a"]))

    # a4 ne participait qu'à cet atelier : une personne de moins, genres et âges inchangés.
    assert _chiffres(client, appel) == _apres(
        **{
            "Actions menées": "6",
            "Ateliers et permanences": "2",
            "Personnes accompagnées": "5",
        }
    )


# --- Participations ----------------------------------------------------------------------------


def test_une_participation_ajoutee_se_voit_a_la_vue_suivante(client, cohorte):
    appel, structures, _gestionnaire = cohorte
    a5 = Beneficiaire.objects.get(code="a5")

    services.ajouter_participants(_action(structures["a"], TypeAction.ATELIER), [a5])

    # a5 (genre autre, 1990, 33 ans en 2023) : 7 personnes, genres dits 6, âges 62 72 42 78 23 33
    assert _chiffres(client, appel) == _apres(
        **{
            "Personnes accompagnées": "7",
            "Femmes (%)": "50",
            "Hommes (%)": "33,3",
            "Âge moyen": "51,7",
        }
    )


def test_un_statut_de_participation_change_se_voit_a_la_vue_suivante(client, cohorte):
    appel, structures, gestionnaire = cohorte
    po1 = _action(structures["a"], TypeAction.PARCOURS_ORDINATEUR)
    en_cours = po1.participations.get(statut=StatutParticipation.EN_COURS)

    services.changer_statuts(
        po1, {en_cours.pk: StatutParticipation.COMPLET}, par=_saisie_par(structures["a"])
    )

    # complets 5, terminés 7
    assert _chiffres(client, appel) == _apres(**{"Parcours suivis jusqu'au bout (%)": "71,4"})


def test_une_participation_retiree_se_voit_a_la_vue_suivante(client, cohorte):
    appel, structures, _gestionnaire = cohorte
    at1 = _action(structures["a"], TypeAction.ATELIER)

    services.retirer_participant(at1, at1.participations.get(beneficiaire__code="a4").pk)

    assert _chiffres(client, appel) == _apres(**{"Personnes accompagnées": "5"})


def test_une_participation_supprimee_a_la_main_se_voit_a_la_vue_suivante(client, cohorte):
    appel, _structures, _gestionnaire = cohorte

    Participation.objects.get(beneficiaire__code="a4").delete()

    assert _chiffres(client, appel) == _apres(**{"Personnes accompagnées": "5"})


# --- Bénéficiaires -----------------------------------------------------------------------------


def test_l_age_et_le_genre_d_un_beneficiaire_modifies_se_voient_a_la_vue_suivante(client, cohorte):
    appel, _structures, _gestionnaire = cohorte
    a3 = Beneficiaire.objects.get(code="a3")

    a3.genre = Genre.FEMME
    a3.save(update_fields=["genre"])
    assert _chiffres(client, appel) == _apres(**{"Femmes (%)": "80", "Hommes (%)": "20"})

    a3.annee_naissance = 1990  # 32 ans au lieu de 42
    a3.save()
    assert _chiffres(client, appel) == _apres(
        **{"Femmes (%)": "80", "Hommes (%)": "20", "Âge moyen": "53,4"}
    )


def test_un_beneficiaire_supprime_se_voit_a_la_vue_suivante(client, cohorte):
    appel, _structures, _gestionnaire = cohorte

    Beneficiaire.objects.filter(code="a4").delete()

    assert _chiffres(client, appel) == _apres(**{"Personnes accompagnées": "5"})


# --- Liste d'attente ---------------------------------------------------------------------------


def test_la_liste_d_attente_saisie_modifiee_puis_supprimee_se_voit_a_chaque_vue(client, cohorte):
    appel, structures, gestionnaire = cohorte
    a = structures["a"]
    septembre = datetime.date(2023, 9, 1)

    services.enregistrer_liste_attente(a, par=_saisie_par(a), date=septembre, nombre=12)
    assert _chiffres(client, appel) == _apres(**{"Liste d'attente": "12"})

    services.enregistrer_liste_attente(a, par=_saisie_par(a), date=septembre, nombre=15)
    assert _chiffres(client, appel) == _apres(**{"Liste d'attente": "15"})

    ListeAttente.objects.get(structure=a, date=septembre).delete()
    assert _chiffres(client, appel) == AVANT


# --- Émargements -------------------------------------------------------------------------------


def test_une_feuille_d_emargement_se_voit_a_la_vue_suivante(client, cohorte):
    appel, structures, gestionnaire = cohorte
    session = SessionFormation.objects.order_by("date").first()
    nouveaux = [
        Referent.objects.create(
            structure=structures["d"], prenom="Réf", nom=f"D{rang}", email=f"d{rang}@s.test"
        )
        for rang in range(2)
    ]
    for referent in nouveaux:
        Inscription.objects.create(session=session, referent=referent)
    assert _chiffres(client, appel) == AVANT

    enregistrer_emargement(session, par=gestionnaire, presents=[nouveaux[0].pk])

    assert _chiffres(client, appel) == _apres(**{"Référents formés": "4"})


def test_un_emargement_corrige_ou_supprime_se_voit_a_la_vue_suivante(client, cohorte):
    appel, structures, _gestionnaire = cohorte
    # A : r1 était absent à la première session.
    absent = Emargement.objects.get(referent__structure=structures["a"], present=False)

    absent.present = True
    absent.save()
    assert _chiffres(client, appel) == _apres(**{"Référents formés": "4"})

    absent.delete()
    assert _chiffres(client, appel) == AVANT


def test_un_referent_supprime_et_ses_emargements_se_voient_a_la_vue_suivante(client, cohorte):
    appel, structures, _gestionnaire = cohorte

    # B n'a qu'un référent formé.
    Referent.objects.filter(structure=structures["b"]).delete()

    assert _chiffres(client, appel) == _apres(**{"Référents formés": "2"})


# --- Import ------------------------------------------------------------------------------------

BENEFICIAIRES_CSV = b"code,genre,annee_naissance,commune_insee\nD1,H,1963,\nD2,H,1953,\n"
ACTIONS_CSV = (
    b"ref,type,theme,date_debut,date_fin,duree_heures\n"
    b"DA1,atelier,,01/03/2023,,2\n"
    b"DP1,parcours_tablette,,2023-03-01,2023-04-01,25\n"
)
PARTICIPATIONS_CSV = (
    b"action_ref,beneficiaire_code,statut\nDA1,D1,present\nDA1,D2,present\nDP1,D1,complet\n"
)
# Ce que l'import de D ajoute : 2 actions (1 atelier, 1 parcours tablette), 2 hommes de 60 et
# 70 ans (en 2023), dont 1 en parcours, complet. Genres dits 7 (3 F, 4 H), âges 62 72 42 78 23
# 60 70 ; complets 5 sur 7 ; tablette (15 + 25) / 2.
APRES_IMPORT = _apres(
    **{
        "Actions menées": "9",
        "Ateliers et permanences": "4",
        "Parcours d'initiation": "5",
        "Durée moyenne d'un parcours tablette (h)": "20",
        "Personnes accompagnées": "8",
        "dont en parcours": "6",
        "Femmes (%)": "42,9",
        "Hommes (%)": "57,1",
        "Âge moyen": "58,1",
        "Parcours suivis jusqu'au bout (%)": "71,4",
    }
)


def _feuilles(beneficiaires, actions, participations):
    """Les trois fichiers CSV d'un import, lus comme le formulaire les lit."""
    return lire_televersements(
        [
            SimpleUploadedFile("beneficiaires.csv", beneficiaires),
            SimpleUploadedFile("actions.csv", actions),
            SimpleUploadedFile("participations.csv", participations),
        ]
    )


def test_un_import_csv_se_voit_a_la_vue_suivante(client, cohorte):
    appel, structures, gestionnaire = cohorte
    feuilles = _feuilles(BENEFICIAIRES_CSV, ACTIONS_CSV, PARTICIPATIONS_CSV)

    rapport = importer_activite(structures["d"], feuilles, par=_saisie_par(structures["d"]))

    assert rapport.applique
    assert _chiffres(client, appel) == APRES_IMPORT


def test_un_import_xlsx_par_le_formulaire_se_voit_a_la_vue_suivante(client, cohorte):
    from tests.candidatures.factories import membre_de

    appel, structures, gestionnaire = cohorte
    classeur = Workbook()
    classeur.remove(classeur.active)
    for nom, contenu in (
        ("beneficiaires", BENEFICIAIRES_CSV),
        ("actions", ACTIONS_CSV),
        ("participations", PARTICIPATIONS_CSV),
    ):
        feuille = classeur.create_sheet(nom)
        for ligne in contenu.decode().splitlines():
            feuille.append(ligne.split(","))
    flux = io.BytesIO()
    classeur.save(flux)
    client.force_login(membre_de(structures["d"]))

    reponse = client.post(
        reverse("activite:importer", args=[structures["d"].pk]),
        {"fichiers": [SimpleUploadedFile("activite.xlsx", flux.getvalue())]},
    )

    assert reponse.status_code == 200
    client.force_login(gestionnaire)
    assert _chiffres(client, appel) == APRES_IMPORT


def test_un_import_qui_remplace_l_activite_se_voit_a_la_vue_suivante(client, cohorte):
    appel, structures, gestionnaire = cohorte
    feuilles = _feuilles(
        b"code,genre,annee_naissance,commune_insee\n",
        b"ref,type,theme,date_debut,date_fin,duree_heures\n",
        b"action_ref,beneficiaire_code,statut\n",
    )

    # B vidée : il reste A (et ses référents) et les référents de B.
    rapport = importer_activite(
        structures["b"], feuilles, remplacer=True, par=_saisie_par(structures["b"])
    )

    assert rapport.applique
    assert _chiffres(client, appel) == _apres(
        **{
            "Actions menées": "4",
            "Ateliers et permanences": "2",
            "Parcours d'initiation": "2",
            "Durée moyenne d'un parcours ordinateur (h)": "12",
            "Personnes accompagnées": "4",
            "dont en parcours": "3",
            "Femmes (%)": "66,7",
            "Hommes (%)": "33,3",
            "Âge moyen": "58,7",
        }
    )


def test_un_import_refuse_ne_change_ni_les_chiffres_ni_le_jeton(client, cohorte):
    appel, structures, gestionnaire = cohorte
    feuilles = _feuilles(
        BENEFICIAIRES_CSV, ACTIONS_CSV, PARTICIPATIONS_CSV + b"DA1,INCONNU,present\n"
    )
    cle = cle_du_bilan(appel)

    rapport = importer_activite(structures["d"], feuilles, par=_saisie_par(structures["d"]))

    assert not rapport.applique
    assert cle_du_bilan(appel) == cle
    assert _chiffres(client, appel) == AVANT


# --- La cohorte elle-même ----------------------------------------------------------------------


def test_une_laureate_de_plus_se_voit_a_la_vue_suivante(client, cohorte):
    appel, structures, _gestionnaire = cohorte

    # Sans signal : la cohorte se lit dans la clé.
    Candidature.objects.filter(appel=appel, structure=structures["c"]).update(
        etat=EtatCandidature.RETENUE
    )

    # C : 1 référent formé, un parcours tablette de 40 h abandonné par un homme de 93 ans, 500
    # en attente.
    assert _chiffres(client, appel) == _apres(
        **{
            "Structures accompagnées": "4",
            "Référents formés": "4",
            "Actions menées": "8",
            "Parcours d'initiation": "5",
            "Durée moyenne d'un parcours tablette (h)": "27,5",
            "Personnes accompagnées": "7",
            "dont en parcours": "6",
            "Femmes (%)": "50",
            "Hommes (%)": "50",
            "Âge moyen": "61,7",
            "Parcours suivis jusqu'au bout (%)": "57,1",
            "Liste d'attente": "507",
        }
    )


def test_une_structure_renommee_se_voit_a_la_vue_suivante(client, cohorte):
    appel, structures, _gestionnaire = cohorte

    type(structures["d"]).objects.filter(pk=structures["d"].pk).update(nom="D — renommée")

    assert "D — renommée" in _page(client, appel)


# --- La clé ------------------------------------------------------------------------------------


def test_la_cle_du_bilan_differe_d_un_appel_a_l_autre_meme_a_cohorte_egale():
    appel, structures = construire()
    autre = AppelFactory(clos=True, programme=appel.programme)
    for lettre in ("a", "b", "d"):
        CandidatureFactory(appel=autre, structure=structures[lettre], retenue=True)

    assert cle_du_bilan(autre) != cle_du_bilan(appel)


def test_deux_appels_ont_chacun_leur_bilan(client, cohorte):
    appel, structures, _gestionnaire = cohorte
    autre = AppelFactory(clos=True, programme=appel.programme)
    CandidatureFactory(appel=autre, structure=structures["b"], retenue=True)

    chiffres = _chiffres(client, autre)

    assert (chiffres["Structures accompagnées"], chiffres["Personnes accompagnées"]) == ("1", "2")
    assert _chiffres(client, appel) == AVANT


def test_chaque_ecriture_donne_une_nouvelle_cle_meme_coup_sur_coup(cohorte):
    appel, _structures, _gestionnaire = cohorte
    a3 = Beneficiaire.objects.get(code="a3")
    cles = [cle_du_bilan(appel)]

    for annee in (1981, 1982, 1983):
        a3.annee_naissance = annee
        a3.save()
        cles.append(cle_du_bilan(appel))

    assert len(set(cles)) == 4


def test_un_bloc_d_ecritures_interrompu_renouvelle_quand_meme_le_jeton(cohorte):
    appel, structures, _gestionnaire = cohorte
    cle = cle_du_bilan(appel)

    with pytest.raises(RuntimeError), ecritures_groupees():
        # Une écriture sans signal, puis une erreur que l'appelant rattrape : l'écriture reste.
        Action.objects.filter(structure=structures["a"]).update(duree_heures=3)
        noter_activite_modifiee(structures=[structures["a"].pk])
        raise RuntimeError("panne")

    assert cle_du_bilan(appel) != cle
    assert VersionActivite.objects.filter(structure=structures["a"]).count() == 1


def test_un_bloc_d_ecritures_en_echec_laisse_passer_l_erreur_d_origine(cohorte):
    _appel, structures, _gestionnaire = cohorte

    # En SQL brut, rien ne marque la transaction à annuler avant la sortie du bloc ; sous
    # PostgreSQL elle est pourtant en échec. C'est l'IntegrityError qui doit remonter, pas
    # l'erreur « transaction annulée » du renouvellement tenté ensuite.
    with pytest.raises(IntegrityError), transaction.atomic(), ecritures_groupees():
        noter_activite_modifiee(structures=[structures["a"].pk])
        with connection.cursor() as curseur:
            curseur.execute("UPDATE activite_beneficiaire SET code = 'a1' WHERE code = 'a2'")

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from activite.models import Action, Beneficiaire, Participation
from tests.activite.factories import (
    ActionFactory,
    BeneficiaireFactory,
    ParticipationFactory,
    ThemeFactory,
)
from tests.activite.jeu_de_donnees import construire
from tests.candidatures.factories import CandidatureFactory, StructureFactory, membre_de
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def membre(structure):
    return membre_de(structure, email="agent@houplines.test")


def _page_action_nouvelle(structure):
    return reverse("activite:action_nouvelle", args=[structure.pk])


def _donnees_action(**autres):
    donnees = {
        "type": "atelier",
        "theme": ThemeFactory(libelle="Accès aux droits").pk,
        "date_debut": "2023-03-14",
        "date_fin": "",
        "duree_heures": "1,5",
        "codes": "",
        "nouveaux-TOTAL_FORMS": "3",
        "nouveaux-INITIAL_FORMS": "0",
        "nouveaux-MIN_NUM_FORMS": "0",
        "nouveaux-MAX_NUM_FORMS": "30",
    }
    donnees.update(autres)
    return donnees


def test_saisie_d_un_atelier_avec_participants_connus_et_nouveaux(client, structure, membre):
    BeneficiaireFactory(structure=structure, code="P0001")
    BeneficiaireFactory(structure=structure, code="P0002")
    client.force_login(membre)

    reponse = client.post(
        _page_action_nouvelle(structure),
        _donnees_action(
            codes="P0001, P0002",
            **{
                "nouveaux-0-code": "",
                "nouveaux-0-genre": "H",
                "nouveaux-0-annee_naissance": "1950",
                "nouveaux-1-code": "MAISON-7",
                "nouveaux-1-genre": "F",
            },
        ),
    )

    action = Action.objects.get(structure=structure)
    assert reponse.status_code == 302
    assert reponse.url == reverse("activite:action", args=[action.pk])
    assert (action.type, action.duree_heures, action.date_debut) == (
        "atelier",
        1.5,
        datetime.date(2023, 3, 14),
    )
    assert sorted(action.participations.values_list("beneficiaire__code", "statut")) == [
        ("MAISON-7", "present"),
        ("P0001", "present"),
        ("P0002", "present"),
        ("P0003", "present"),
    ]
    assert Beneficiaire.objects.get(code="P0003").annee_naissance == 1950


def test_saisie_refusee_garde_ce_qui_est_tape_et_n_ecrit_rien(client, structure, membre):
    client.force_login(membre)

    reponse = client.post(
        _page_action_nouvelle(structure),
        _donnees_action(
            type="parcours_tablette",
            codes="INCONNU",
            duree_heures="-3",
            **{"nouveaux-0-code": "NOUVEAU1", "nouveaux-0-genre": "F"},
        ),
    )

    assert reponse.status_code == 400
    contenu = reponse.content.decode()
    assert "Codes inconnus dans cette structure : INCONNU." in contenu
    assert "La durée doit être positive." in contenu
    assert "Indiquez la date de la dernière séance du parcours." in contenu
    assert 'value="NOUVEAU1"' in contenu
    assert Action.objects.count() == 0
    assert Beneficiaire.objects.count() == 0


def test_saisie_refusee_resume_ses_erreurs_en_tete_avec_un_lien_par_champ(
    client, structure, membre
):
    client.force_login(membre)

    reponse = client.post(
        _page_action_nouvelle(structure),
        _donnees_action(type="parcours_tablette", duree_heures="-3"),
    )

    contenu = reponse.content.decode()
    assert "<title>Erreur : " in contenu
    assert "Le formulaire contient 2 erreurs" in contenu
    assert (
        '<a href="#id_date_fin" class="alert-link">Fin du parcours : '
        "Indiquez la date de la dernière séance du parcours.</a>"
    ) in contenu
    assert (
        '<a href="#id_duree_heures" class="alert-link">Durée (heures) : '
        "La durée doit être positive.</a>"
    ) in contenu


def test_statuts_d_un_parcours(client, structure, membre):
    parcours = ActionFactory(structure=structure, parcours_ordinateur=True)
    participation = ParticipationFactory(action=parcours, en_cours=True)
    client.force_login(membre)

    client.post(
        reverse("activite:action_statuts", args=[parcours.pk]),
        {f"statut-{participation.pk}": "complet"},
    )

    assert Participation.objects.get(pk=participation.pk).statut == "complet"


def test_statut_de_parcours_refuse_sur_un_atelier(client, structure, membre):
    atelier = ActionFactory(structure=structure)
    participation = ParticipationFactory(action=atelier)
    client.force_login(membre)

    reponse = client.post(
        reverse("activite:action_statuts", args=[atelier.pk]),
        {f"statut-{participation.pk}": "complet"},
        follow=True,
    )

    assert "Le statut « complet » ne convient pas à : atelier thématique." in (
        reponse.content.decode()
    )
    assert Participation.objects.get(pk=participation.pk).statut == "present"


def test_qui_voit_et_qui_saisit_l_activite(client, structure):
    from accompagnement.models import PlanAccompagnement

    candidature = CandidatureFactory(structure=structure, retenue=True)
    coach = UtilisateurFactory(coach=True)
    PlanAccompagnement.objects.create(
        candidature=candidature,
        programme=candidature.appel.programme,
        structure=structure,
        coach=coach,
        date_debut=datetime.date(2022, 10, 1),
    )
    gestionnaire = UtilisateurFactory(gestionnaire=True)
    candidature.appel.programme.gestionnaires.add(gestionnaire)
    autre_gestionnaire = UtilisateurFactory(gestionnaire=True)
    observateur = UtilisateurFactory(observateur=True)
    autre_structure = membre_de(StructureFactory())
    page = reverse("activite:activite", args=[structure.pk])
    saisie = _page_action_nouvelle(structure)

    attendus = {
        membre_de(structure): (200, 200),
        coach: (200, 200),
        gestionnaire: (200, 403),
        autre_gestionnaire: (403, 403),
        observateur: (403, 403),
        autre_structure: (403, 403),
    }
    for personne, (voir, saisir) in attendus.items():
        client.force_login(personne)
        assert (client.get(page).status_code, client.get(saisie).status_code) == (voir, saisir)


def test_import_televerse_avec_erreurs_n_importe_rien(client, structure, membre):
    client.force_login(membre)
    fichiers = [
        SimpleUploadedFile(
            "beneficiaires.csv", b"code,genre,annee_naissance,commune_insee\nP1,F,1950,\n"
        ),
        SimpleUploadedFile(
            "actions.csv",
            b"ref,type,theme,date_debut,date_fin,duree_heures\nA1,atelier,,2023-13-01,,2\n",
        ),
        SimpleUploadedFile("participations.csv", b"action_ref,beneficiaire_code,statut\nA1,P9,x\n"),
    ]

    reponse = client.post(reverse("activite:importer", args=[structure.pk]), {"fichiers": fichiers})

    assert reponse.status_code == 400
    contenu = reponse.content.decode()
    assert "3 erreurs : rien n'a été importé" in contenu
    assert "<td>actions.csv</td><td>2</td><td>date_debut</td>" in contenu
    assert "<td>participations.csv</td><td>2</td><td>beneficiaire_code</td>" in contenu
    assert Beneficiaire.objects.count() == 0


def test_import_televerse_reussi(client, structure, membre):
    client.force_login(membre)
    fichiers = [
        SimpleUploadedFile(
            "beneficiaires.csv", b"code,genre,annee_naissance,commune_insee\nP1,F,1950,\n"
        ),
        SimpleUploadedFile(
            "actions.csv",
            b"ref,type,theme,date_debut,date_fin,duree_heures\nA1,atelier,,01/03/2023,,2\n",
        ),
        SimpleUploadedFile(
            "participations.csv", b"action_ref,beneficiaire_code,statut\nA1,P1,present\n"
        ),
    ]

    reponse = client.post(reverse("activite:importer", args=[structure.pk]), {"fichiers": fichiers})

    assert reponse.status_code == 200
    assert "Import terminé." in reponse.content.decode()
    assert Participation.objects.filter(action__structure=structure).count() == 1


# --- Le bilan : gestionnaire et observateur --------------------------------------------------


@pytest.fixture
def bilan_et_personnes():
    appel, structures = construire()
    gestionnaire = UtilisateurFactory(gestionnaire=True)
    appel.programme.gestionnaires.add(gestionnaire)
    observateur = UtilisateurFactory(observateur=True)
    return appel, structures, gestionnaire, observateur


def _cellules_de_1_a_4(texte):
    """Les nombres entiers de 1 à 4 des cellules d'un tableau HTML."""
    return re.findall(r"<td>([1-4])</td>", texte)


def test_page_du_bilan_pour_le_gestionnaire(client, bilan_et_personnes):
    appel, _structures, gestionnaire, _observateur = bilan_et_personnes
    client.force_login(gestionnaire)

    reponse = client.get(reverse("activite:bilan", args=[appel.slug]))

    contenu = reponse.content.decode()
    assert reponse.status_code == 200
    assert '<dt>Personnes accompagnées</dt><dd class="fs-3">6</dd>' in contenu
    assert '<dt>Femmes (%)</dt><dd class="fs-3">60</dd>' in contenu
    assert '<dt>Âge moyen</dt><dd class="fs-3">55,4</dd>' in contenu
    assert "B — CCAS de Bêta" in contenu
    assert "&lt; 5" not in contenu
    assert '<svg role="img"' in contenu


def test_l_observateur_ne_recoit_ni_code_ni_cellule_sous_5(client, bilan_et_personnes):
    appel, _structures, _gestionnaire, observateur = bilan_et_personnes
    client.force_login(observateur)

    page = client.get(reverse("activite:bilan", args=[appel.slug])).content.decode()
    xlsx = client.get(reverse("activite:bilan_xlsx", args=[appel.slug]))
    pdf = client.get(reverse("activite:bilan_pdf", args=[appel.slug]))

    codes = list(Beneficiaire.objects.values_list("code", flat=True))
    assert "&lt; 5" in page
    assert _cellules_de_1_a_4(page.split("Par structure")[1]) == [
        # les seules cellules de 1 à 4 qui restent comptent des actions, pas des personnes
        "4",
        "2",
        "2",
        "3",
        "1",
        "2",
    ]
    assert not any(re.search(rf"\b{code}\b", page) for code in codes)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"

    classeur = load_workbook(io.BytesIO(xlsx.content))
    valeurs = {
        (feuille.title, cellule.coordinate): cellule.value
        for feuille in classeur
        for ligne in feuille.iter_rows()
        for cellule in ligne
        if cellule.value is not None
    }
    par_structure = classeur["Par structure"]
    entetes = [c.value for c in par_structure[1]]
    colonnes_personnes = [
        entetes.index(n) for n in ("Référents formés", "Personnes accompagnées", "dont en parcours")
    ]
    # A et B comptent de 1 à 4 personnes, D aucune : un vrai zéro s'affiche 0.
    assert [
        [ligne[index] for index in colonnes_personnes]
        for ligne in par_structure.iter_rows(min_row=2, values_only=True)
    ] == [["< 5", "< 5", "< 5"], ["< 5", "< 5", "< 5"], [0, 0, 0]]
    assert not any(str(v) in codes for v in valeurs.values())
    cohorte = {
        ligne[0]: ligne[1] for ligne in classeur["Cohorte"].iter_rows(min_row=4, values_only=True)
    }
    # 6 personnes, dont 5 d'âge connu (la moyenne d'âge s'affiche) réparties en quatre
    # tranches « < 5 » : avec 6 affiché, la personne sans âge se retrouvait (6 - 5).
    assert cohorte["Personnes accompagnées"] == "masqué"
    assert cohorte["Référents formés"] == "< 5"
    # 60 % de 5 genres connus : 3 femmes, qui s'affichent « < 5 » dans le graphique.
    assert cohorte["Femmes (%)"] == "masqué"


def test_le_gestionnaire_d_un_autre_programme_n_a_pas_le_bilan(client, bilan_et_personnes):
    appel, *_ = bilan_et_personnes
    client.force_login(UtilisateurFactory(gestionnaire=True))

    assert client.get(reverse("activite:bilan", args=[appel.slug])).status_code == 403


def test_export_xlsx_du_gestionnaire(client, bilan_et_personnes):
    appel, _structures, gestionnaire, _observateur = bilan_et_personnes
    client.force_login(gestionnaire)

    reponse = client.get(reverse("activite:bilan_xlsx", args=[appel.slug]))

    classeur = load_workbook(io.BytesIO(reponse.content))
    lignes = list(classeur["Par structure"].iter_rows(min_row=2, max_col=4, values_only=True))
    assert [ligne[0] for ligne in lignes] == [
        "A — CCAS d'Alpha",
        "B — CCAS de Bêta",
        "D — sans activité",
    ]
    assert [ligne[2:4] for ligne in lignes] == [(2, 4), (1, 3), (0, 0)]


@pytest.mark.parametrize("nombre", [1, 12])
def test_nombre_de_requetes_du_bilan_ne_depend_pas_de_la_cohorte(
    client, django_assert_max_num_queries, nombre
):
    from tests.candidatures.factories import AppelFactory

    appel = AppelFactory(clos=True)
    for _ in range(nombre):
        candidature = CandidatureFactory(appel=appel, retenue=True)
        ParticipationFactory(action=ActionFactory(structure=candidature.structure))
    gestionnaire = UtilisateurFactory(gestionnaire=True)
    appel.programme.gestionnaires.add(gestionnaire)
    client.force_login(gestionnaire)

    with django_assert_max_num_queries(16):
        assert client.get(reverse("activite:bilan", args=[appel.slug])).status_code == 200
    with django_assert_max_num_queries(16):
        reponse = client.get(reverse("activite:bilan", args=[appel.slug]), {"page": 2})
        assert reponse.status_code == 200


def _cohorte_de(nombre):
    from tests.candidatures.factories import AppelFactory

    appel = AppelFactory(clos=True)
    for numero in range(nombre):
        candidature = CandidatureFactory(
            appel=appel, retenue=True, structure=StructureFactory(nom=f"S{numero:02d}")
        )
        ParticipationFactory(action=ActionFactory(structure=candidature.structure))
    return appel


def _noms_du_tableau(contenu):
    tableau = contenu.split('id="titre-structures"')[1]
    return re.findall(r'<th scope="row">(?:<a [^>]*>)?([^<]+)<', tableau)


@pytest.mark.parametrize("qui", ["gestionnaire", "observateur"])
def test_le_tableau_par_structure_a_50_lignes_par_page_et_le_tableur_toutes(client, qui, settings):
    appel = _cohorte_de(53)
    personne = UtilisateurFactory(**{qui: True})
    if qui == "gestionnaire":
        appel.programme.gestionnaires.add(personne)
    client.force_login(personne)
    url = reverse("activite:bilan", args=[appel.slug])

    premiere = client.get(url).content.decode()
    seconde = client.get(url, {"page": 2}).content.decode()

    assert _noms_du_tableau(premiere) == [f"S{numero:02d}" for numero in range(50)]
    assert _noms_du_tableau(seconde) == ["S50", "S51", "S52"]
    assert '<nav aria-label="Pagination">' in seconde and "Page 2 sur 2" in seconde
    assert "53 structures — lignes 51 à 53 ci-dessous" in seconde
    # Une personne par structure : l'observateur lit « < 5 » en page 2 comme en page 1.
    tableau = seconde.split('id="titre-structures"')[1]
    lignes = [
        re.findall(r"<td>(.*?)</td>", ligne)
        for ligne in re.findall(r'<tr><th scope="row">.*?</tr>', tableau)
    ]
    personnes = [(ligne[0], ligne[6], ligne[7]) for ligne in lignes]  # référents, personnes…
    if qui == "observateur":
        # Aucun référent, aucune personne en parcours : 0, pas « < 5 ».
        assert personnes == [("0", "&lt; 5", "0")] * 3
    else:
        assert [cellules[1] for cellules in personnes] == ["1", "1", "1"]
    # Au seuil (53 structures), le tableur se fait encore dans la requête ; au-delà, le worker
    # le prépare (tests/telechargements).
    settings.RELAIS_BILAN_PDF_SEUIL_STRUCTURES = 53
    xlsx = client.get(reverse("activite:bilan_xlsx", args=[appel.slug]))
    classeur = load_workbook(io.BytesIO(xlsx.content))
    assert classeur["Par structure"].max_row == 1 + 53

import csv
import datetime
import io
import re

import pytest
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from candidatures import services
from candidatures.enums import EtatCandidature
from messagerie.models import Message
from programmes.enums import EtatAppel, TypeQuestion
from programmes.models import Appel
from tests.candidatures.factories import (
    AppelFactory,
    CandidatureFactory,
    ProgrammeFactory,
    QuestionFactory,
    StructureFactory,
    commune,
)
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def connecte(client, gestionnaire):
    client.force_login(gestionnaire)
    return client


@pytest.fixture
def appel(programme):
    return AppelFactory(programme=programme, ouvert=True, avec_questions=True, titre="AMI 2026")


# --- Un gestionnaire ne voit que ses programmes ----------------------------------------------


def test_la_liste_des_appels_ne_montre_que_mes_programmes(connecte, appel):
    autre = AppelFactory(programme=ProgrammeFactory(nom="Programme voisin"), titre="Voisin")
    reponse = connecte.get("/gestion/appels/")
    assert [a.titre for a in reponse.context["appels"]] == ["AMI 2026"]
    assert "Programme voisin" not in reponse.text
    assert connecte.get(f"/gestion/appels/{autre.pk}/").status_code == 404


def test_les_candidatures_d_un_autre_programme_sont_introuvables(connecte):
    candidature = CandidatureFactory(deposee=True)
    adresses = [
        f"/gestion/appels/{candidature.appel_id}/candidatures/",
        f"/gestion/appels/{candidature.appel_id}/candidatures/export.csv",
        f"/gestion/candidatures/{candidature.pk}/",
        f"/candidatures/{candidature.pk}/",
        f"/candidatures/{candidature.pk}/recepisse.pdf",
    ]
    assert [connecte.get(a).status_code for a in adresses] == [404] * len(adresses)
    envois = [
        f"/gestion/candidatures/{candidature.pk}/recevable/",
        f"/gestion/candidatures/{candidature.pk}/irrecevable/",
        f"/gestion/appels/{candidature.appel_id}/publier/",
    ]
    assert [connecte.post(a, {"motif": "x"}).status_code for a in envois] == [404] * len(envois)
    candidature.refresh_from_db()
    assert candidature.etat == EtatCandidature.DEPOSEE


def test_une_structure_ne_voit_pas_le_back_office(client, candidat, structure):
    candidature = CandidatureFactory(deposee=True, structure=structure)
    client.force_login(candidat)
    assert client.get("/gestion/appels/").status_code == 403
    assert client.get(f"/gestion/candidatures/{candidature.pk}/").status_code == 403


def test_le_gestionnaire_qui_ouvre_le_suivi_va_a_la_page_d_instruction(connecte, appel):
    candidature = CandidatureFactory(deposee=True, appel=appel)
    reponse = connecte.get(f"/candidatures/{candidature.pk}/")
    assert reponse["Location"] == f"/gestion/candidatures/{candidature.pk}/"


# --- Édition d'un appel --------------------------------------------------------------------


def test_creer_modifier_et_publier_un_appel(connecte, programme):
    reponse = connecte.post(
        f"/gestion/programmes/{programme.pk}/appels/nouveau/",
        {
            "titre": "AMI inclusion numérique 2027",
            "slug": "",
            "description": "Pour les **petites communes**.",
            "ouverture": "2027-01-05T09:00",
            "date_limite": "2027-03-31T12:00",
            "nombre_places": "5",
        },
    )
    appel = Appel.objects.get()
    assert reponse["Location"] == f"/gestion/appels/{appel.pk}/"
    assert appel.slug == "ami-inclusion-numerique-2027"
    assert timezone.localtime(appel.date_limite).strftime("%d/%m/%Y %H:%M %Z") == (
        "31/03/2027 12:00 CEST"
    )
    page = connecte.get(f"/gestion/appels/{appel.pk}/")
    assert page.context["manques"] == [
        "L'appel n'a encore aucune question.",
        "Les règles d'éligibilité n'ont pas été vérifiées : ouvrez-les et enregistrez-les.",
    ]
    refus = connecte.post(f"/gestion/appels/{appel.pk}/publier/")
    assert refus.status_code == 409
    assert (
        "L&#x27;appel ne peut pas être publié : L&#x27;appel n&#x27;a encore aucune question."
        in (refus.text)
    )

    questions = {
        "questions-TOTAL_FORMS": "2",
        "questions-INITIAL_FORMS": "0",
        "questions-0-libelle": "Votre projet",
        "questions-0-type": "texte_long",
        "questions-0-limite_caracteres": "2000",
        "questions-0-obligatoire": "on",
        "questions-1-libelle": "Vos publics",
        "questions-1-type": "choix_multiple",
        "questions-1-choix": "Seniors\nJeunes\nFamilles",
        "questions-1-obligatoire": "on",
        "pieces-TOTAL_FORMS": "1",
        "pieces-INITIAL_FORMS": "0",
        "pieces-0-libelle": "Statuts",
        "pieces-0-obligatoire": "on",
    }
    assert connecte.post(f"/gestion/appels/{appel.pk}/questions/", questions).status_code == 302
    assert list(appel.questions.values_list("ordre", "libelle", "type", "choix")) == [
        (1, "Votre projet", "texte_long", []),
        (2, "Vos publics", "choix_multiple", ["Seniors", "Jeunes", "Familles"]),
    ]

    regles = {
        "perimetre_epci": "200093201",
        "seuil_population": "21000",
        "type_population": "municipale",
        "version_qpv": "QPV2024",
        "qpv_intercommunal": "ineligible",
        "types_structure": ["ccas", "cias", "esat"],
    }
    assert connecte.post(f"/gestion/appels/{appel.pk}/regles/", regles).status_code == 302
    appel.refresh_from_db()
    assert (appel.perimetre_epci, appel.types_structure, appel.version_qpv) == (
        ["200093201"],
        ["ccas", "cias", "esat"],
        "QPV2024",
    )
    assert appel.regles_verifiees_le is not None

    assert connecte.post(f"/gestion/appels/{appel.pk}/publier/").status_code == 302
    appel.refresh_from_db()
    assert appel.etat == EtatAppel.OUVERT
    assert connecte.get(f"/gestion/appels/{appel.pk}/questions/").status_code == 403
    assert connecte.post(f"/gestion/appels/{appel.pk}/publier/").status_code == 409


# Une question à choix unique qui ne propose qu'un choix, sans pièce : refusée.
QUESTION_A_UN_SEUL_CHOIX = {
    "questions-TOTAL_FORMS": "1",
    "questions-INITIAL_FORMS": "0",
    "questions-0-libelle": "Vos publics",
    "questions-0-type": "choix_unique",
    "questions-0-choix": "Seniors",
    "pieces-TOTAL_FORMS": "0",
    "pieces-INITIAL_FORMS": "0",
}


def test_une_question_a_choix_sans_choix_est_refusee(connecte, programme):
    appel = AppelFactory(programme=programme)
    reponse = connecte.post(f"/gestion/appels/{appel.pk}/questions/", QUESTION_A_UN_SEUL_CHOIX)
    assert reponse.status_code == 400
    assert "Proposez au moins deux choix, un par ligne." in reponse.text
    assert appel.questions.count() == 0


def test_des_regles_avec_un_epci_inconnu_sont_refusees(connecte, programme):
    appel = AppelFactory(programme=programme, regles_verifiees_le=None)
    reponse = connecte.post(
        f"/gestion/appels/{appel.pk}/regles/",
        {
            "perimetre_epci": ["123456789"],
            "seuil_population": "21000",
            "type_population": "municipale",
            "qpv_intercommunal": "ineligible",
        },
    )
    assert reponse.status_code == 400
    assert reponse.context["form"].errors["perimetre_epci"] == [
        "Choisissez les EPCI dans la liste : « 123456789 » n'en fait pas partie."
    ]
    appel.refresh_from_db()
    assert appel.regles_verifiees_le is None


def test_la_date_limite_avant_l_ouverture_est_refusee(connecte, programme):
    reponse = connecte.post(
        f"/gestion/programmes/{programme.pk}/appels/nouveau/",
        {"titre": "AMI", "ouverture": "2027-03-31T12:00", "date_limite": "2027-01-05T09:00"},
    )
    assert reponse.status_code == 400
    assert reponse.context["form"].errors["date_limite"] == [
        "La date limite doit venir après l'ouverture."
    ]
    assert Appel.objects.count() == 0


def test_dupliquer_un_appel_passe_depuis_sa_page(connecte, programme):
    ancien = AppelFactory(programme=programme, clos=True, avec_questions=True, slug="ami-2022")
    reponse = connecte.post(f"/gestion/appels/{ancien.pk}/dupliquer/")
    copie = Appel.objects.get(copie_de=ancien)
    assert reponse["Location"] == f"/gestion/appels/{copie.pk}/"
    assert copie.questions.count() == 3


def test_clore_un_appel_a_la_main(connecte, appel):
    assert connecte.post(f"/gestion/appels/{appel.pk}/clore/").status_code == 302
    appel.refresh_from_db()
    assert appel.etat == EtatAppel.CLOS


# --- Liste des candidatures ----------------------------------------------------------------


def _structure(nom, code_insee, type_="ccas"):
    return StructureFactory(nom=nom, commune=commune(code_insee), type=type_)


@pytest.fixture
def liste(appel):
    maintenant = timezone.now()
    return [
        CandidatureFactory(
            appel=appel,
            deposee=True,
            structure=_structure("CCAS de Houplines", "59317"),
            deposee_le=maintenant - datetime.timedelta(days=3),
        ),
        CandidatureFactory(
            appel=appel,
            recevable=True,
            structure=_structure("CCAS de Haubourdin", "59286"),
            resultat_eligibilite="non_eligible",
            deposee_le=maintenant - datetime.timedelta(days=2),
        ),
        CandidatureFactory(
            appel=appel,
            deposee=True,
            structure=_structure("Les Ateliers de la Lys", "59317", "esat"),
            deposee_le=maintenant - datetime.timedelta(days=1),
        ),
        CandidatureFactory(appel=appel, structure=_structure("Centre social fictif", "59339")),
    ]


def _noms(reponse):
    return [c.structure.nom for c in reponse.context["page"]]


LYS, HAUBOURDIN, HOUPLINES, CENTRE = (
    "Les Ateliers de la Lys",
    "CCAS de Haubourdin",
    "CCAS de Houplines",
    "Centre social fictif",
)


@pytest.mark.parametrize(
    "filtres, attendus",
    [
        ({}, [LYS, HAUBOURDIN, HOUPLINES, CENTRE]),
        ({"etat": "deposee"}, [LYS, HOUPLINES]),
        ({"eligibilite": "non_eligible"}, [HAUBOURDIN]),
        ({"commune": "59317"}, [LYS, HOUPLINES]),
        ({"type_structure": "esat"}, [LYS]),
        ({"q": "ccas haubourdin"}, [HAUBOURDIN]),
        ({"q": "HOUPLINES"}, [LYS, HOUPLINES]),
        ({"q": "leers"}, [CENTRE]),
        ({"tri": "structure"}, [HAUBOURDIN, HOUPLINES, CENTRE, LYS]),
        ({"tri": "depot"}, [HOUPLINES, HAUBOURDIN, LYS, CENTRE]),
        ({"tri": "inconnu", "etat": "n_importe_quoi"}, [LYS, HAUBOURDIN, HOUPLINES, CENTRE]),
    ],
)
def test_filtrer_chercher_et_trier(connecte, appel, liste, filtres, attendus):
    reponse = connecte.get(f"/gestion/appels/{appel.pk}/candidatures/", filtres)
    assert reponse.status_code == 200
    assert _noms(reponse) == attendus


def test_la_liste_est_paginee(connecte, appel):
    CandidatureFactory.create_batch(30, appel=appel, deposee=True)
    premiere = connecte.get(f"/gestion/appels/{appel.pk}/candidatures/")
    seconde = connecte.get(f"/gestion/appels/{appel.pk}/candidatures/", {"page": 2})
    assert (len(premiere.context["page"]), len(seconde.context["page"])) == (25, 5)
    assert "Page 1 sur 2" in premiere.text


def _requetes_de_la_liste(client, appel):
    with CaptureQueriesContext(connection) as requetes:
        reponse = client.get(f"/gestion/appels/{appel.pk}/candidatures/", {"tri": "structure"})
    assert reponse.status_code == 200
    return len(requetes)


def test_la_liste_fait_autant_de_requetes_avec_1_et_50_candidatures(connecte, appel):
    CandidatureFactory(appel=appel, deposee=True)
    avec_une = _requetes_de_la_liste(connecte, appel)
    CandidatureFactory.create_batch(49, appel=appel, deposee=True)
    avec_cinquante = _requetes_de_la_liste(connecte, appel)
    assert avec_une == avec_cinquante


def test_declarer_recevables_en_masse(connecte, appel, liste, mailoutbox):
    houplines, haubourdin, esat, brouillon = liste
    reponse = connecte.post(
        f"/gestion/appels/{appel.pk}/candidatures/recevables/",
        {"candidatures": [houplines.pk, esat.pk, haubourdin.pk], "filtres": "etat=deposee"},
        follow=True,
    )
    assert reponse.redirect_chain == [
        (f"/gestion/appels/{appel.pk}/candidatures/?etat=deposee", 302)
    ]
    assert "2 candidatures déclarées recevables." in reponse.text
    assert "CCAS de Haubourdin : Impossible de déclarer la candidature recevable" in reponse.text
    assert sorted(appel.candidatures.values_list("etat", flat=True)) == [
        "brouillon",
        "recevable",
        "recevable",
        "recevable",
    ]


def test_la_recevabilite_en_masse_ignore_les_candidatures_d_un_autre_appel(connecte, appel):
    ailleurs = CandidatureFactory(deposee=True)
    connecte.post(
        f"/gestion/appels/{appel.pk}/candidatures/recevables/", {"candidatures": [ailleurs.pk]}
    )
    ailleurs.refresh_from_db()
    assert ailleurs.etat == EtatCandidature.DEPOSEE


# --- Exports -------------------------------------------------------------------------------


@pytest.fixture
def appel_a_exporter(programme):
    appel = AppelFactory(programme=programme, ouvert=True, slug="ami-export")
    questions = [
        QuestionFactory(appel=appel, ordre=1, type=TypeQuestion.TEXTE_LONG, libelle="Projet"),
        QuestionFactory(appel=appel, ordre=2, type=TypeQuestion.NOMBRE, libelle="Personnes"),
        QuestionFactory(appel=appel, ordre=3, type=TypeQuestion.DATE, libelle="Démarrage"),
        QuestionFactory(appel=appel, ordre=4, type=TypeQuestion.OUI_NON, libelle="Salle"),
        QuestionFactory(
            appel=appel,
            ordre=5,
            type=TypeQuestion.CHOIX_MULTIPLE,
            libelle="Publics",
            choix=["Seniors", "Jeunes"],
        ),
    ]
    texte, nombre, date, oui_non, choix = (str(q.pk) for q in questions)
    CandidatureFactory(
        appel=appel,
        deposee=True,
        structure=_structure("CCAS de Houplines", "59317"),
        reponses={
            texte: '=HYPERLINK("http://pirate")',
            nombre: 120.5,
            date: "2026-10-01",
            oui_non: True,
            choix: ["Seniors", "Jeunes"],
        },
    )
    CandidatureFactory(
        appel=appel,
        structure=_structure("Centre social fictif", "59339", "centre_social"),
        reponses={nombre: 40},
    )
    return appel


def test_export_xlsx_une_colonne_par_question(connecte, appel_a_exporter):
    reponse = connecte.get(
        f"/gestion/appels/{appel_a_exporter.pk}/candidatures/export.xlsx", {"tri": "structure"}
    )
    assert reponse["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    feuille = load_workbook(io.BytesIO(reponse.content)).active
    lignes = list(feuille.iter_rows(values_only=True))
    assert lignes[0][6:9] == ("État", "Éligibilité retenue", "Éligibilité calculée au dépôt")
    assert lignes[0][-1] == "Étiquettes"
    assert lignes[0][13:-1] == (
        "Q1. Projet",
        "Q2. Personnes",
        "Q3. Démarrage",
        "Q4. Salle",
        "Q5. Publics",
    )
    houplines, centre = lignes[1], lignes[2]
    assert houplines[1:7] == (
        "CCAS de Houplines",
        "CCAS",
        houplines[3],
        "Houplines",
        "59317",
        "Déposée",
    )
    assert houplines[7:9] == ("Éligible", "Éligible")
    assert isinstance(houplines[12], datetime.datetime)
    assert houplines[13:-1] == (
        '\'=HYPERLINK("http://pirate")',
        120.5,
        datetime.datetime(2026, 10, 1),
        "Oui",
        "Seniors; Jeunes",
    )
    assert feuille.cell(row=2, column=14).data_type == "s"
    assert centre[1] == "Centre social fictif"
    assert centre[6] == "Brouillon"
    assert centre[13:-1] == (None, 40, None, None, None)


def test_export_csv_suit_les_filtres(connecte, appel_a_exporter):
    reponse = connecte.get(
        f"/gestion/appels/{appel_a_exporter.pk}/candidatures/export.csv", {"etat": "deposee"}
    )
    assert reponse["Content-Type"] == "text/csv; charset=utf-8"
    assert reponse["Content-Disposition"].startswith(
        'attachment; filename="candidatures-ami-export-'
    )
    texte = b"".join(reponse.streaming_content).decode("utf-8")
    assert texte.startswith("\ufeff")
    lignes = list(csv.reader(io.StringIO(texte.lstrip("\ufeff")), delimiter=";"))
    assert len(lignes) == 2
    assert lignes[0][13:-1] == [
        "Q1. Projet",
        "Q2. Personnes",
        "Q3. Démarrage",
        "Q4. Salle",
        "Q5. Publics",
    ]
    assert lignes[1][13:-1] == [
        '\'=HYPERLINK("http://pirate")',
        "120,5",
        "01/10/2026",
        "Oui",
        "Seniors; Jeunes",
    ]


# --- Instruction d'une candidature ---------------------------------------------------------


@pytest.fixture
def deposee(appel, structure):
    return CandidatureFactory(appel=appel, deposee=True, structure=structure)


def test_la_page_d_instruction(connecte, deposee, gestionnaire):
    services.forcer_eligibilite(
        deposee, par=gestionnaire, resultat="a_examiner", motif="Adresse à vérifier."
    )
    reponse = connecte.get(f"/gestion/candidatures/{deposee.pk}/")
    assert reponse.status_code == 200
    assert sorted(reponse.context["transitions"]) == [
        "declarer_irrecevable",
        "declarer_recevable",
        "demander_complement",
    ]
    assert "Houplines (59317) : éligible (valeur de fabrique)" in reponse.text
    assert "Motif : Adresse à vérifier." in reponse.text
    assert [ligne["libelle"] for ligne in reponse.context["chronologie"]] == [
        "Éligibilité forcée par un gestionnaire"
    ]


def test_demander_un_complement_exige_un_message(connecte, deposee):
    reponse = connecte.post(f"/gestion/candidatures/{deposee.pk}/demander-complement/", {})
    assert reponse.status_code == 400
    assert reponse.context["form_complement"].errors == {"message": ["Ce champ est obligatoire."]}
    deposee.refresh_from_db()
    assert deposee.etat == EtatCandidature.DEPOSEE


def test_les_formulaires_vides_de_l_instruction_sont_dessines_une_fois(connecte, deposee):
    """Le complément, l'irrecevabilité et le forçage vides : leur rendu est gardé en cache
    sous la clé de ce qu'ils montrent ; renvoyés avec leurs erreurs, ils sont dessinés sans le
    cache, et la page suivante retrouve le formulaire vide."""
    adresse = f"/gestion/candidatures/{deposee.pk}/"
    cache.clear()
    vide = connecte.get(adresse)
    noms = ["complement", "irrecevable", "forcage"]
    cles = [vide.context[f"cle_form_{nom}"] for nom in noms]
    fragments = [
        cache.get(make_template_fragment_key(f"candidatures_form_{nom}", [cle]))
        for nom, cle in zip(noms, cles, strict=True)
    ]
    assert all(fragments) and len(set(cles)) == 3
    assert [vide.text.count(fragment) for fragment in fragments] == [1, 1, 1]
    assert 'id="id_message"' in fragments[0] and 'id="id_motif"' in fragments[1]
    assert '<option value="eligible" selected>' in fragments[2]
    assert _sans_jeton(connecte.get(adresse).text) == _sans_jeton(vide.text)

    refus = connecte.post(f"{adresse}demander-complement/", {"message": ""})
    assert refus.status_code == 400
    assert refus.context["cle_form_complement"] is None
    assert refus.text.count(fragments[0]) == 0
    # le résumé des erreurs en haut de page et le champ
    assert refus.text.count("Ce champ est obligatoire.") == 2
    assert refus.text.count(fragments[1]) == 1
    assert refus.text.count(fragments[2]) == 1
    assert _sans_jeton(connecte.get(adresse).text) == _sans_jeton(vide.text)


def _sans_jeton(page):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)


def test_demander_un_complement(connecte, deposee, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        reponse = connecte.post(
            f"/gestion/candidatures/{deposee.pk}/demander-complement/",
            {"message": "Ajoutez la délibération."},
        )
    assert reponse.status_code == 302
    deposee.refresh_from_db()
    assert deposee.etat == EtatCandidature.A_COMPLETER
    assert [m.subject for m in mailoutbox] == [
        "[Relais] Votre candidature est à compléter : AMI 2026"
    ]
    encore = connecte.post(
        f"/gestion/candidatures/{deposee.pk}/demander-complement/", {"message": "Encore ?"}
    )
    assert encore.status_code == 409
    assert "L&#x27;action a peut-être déjà été faite." in encore.text


def test_declarer_irrecevable_exige_un_motif_puis_informe(connecte, deposee):
    assert connecte.post(f"/gestion/candidatures/{deposee.pk}/irrecevable/", {}).status_code == 400
    reponse = connecte.post(
        f"/gestion/candidatures/{deposee.pk}/irrecevable/", {"motif": "Hors périmètre."}
    )
    assert reponse.status_code == 302
    deposee.refresh_from_db()
    assert (deposee.etat, deposee.motif_irrecevabilite) == ("irrecevable", "Hors périmètre.")
    assert Message.objects.get().type == "candidature_irrecevable"


def test_declarer_recevable_deux_fois_donne_409(connecte, deposee):
    assert connecte.post(f"/gestion/candidatures/{deposee.pk}/recevable/").status_code == 302
    assert connecte.post(f"/gestion/candidatures/{deposee.pk}/recevable/").status_code == 409


def test_forcer_l_eligibilite_exige_un_motif(connecte, deposee):
    reponse = connecte.post(
        f"/gestion/candidatures/{deposee.pk}/eligibilite/", {"resultat": "non_eligible"}
    )
    assert reponse.status_code == 400
    reponse = connecte.post(
        f"/gestion/candidatures/{deposee.pk}/eligibilite/",
        {"resultat": "non_eligible", "motif": "Siège hors métropole."},
    )
    assert reponse.status_code == 302
    deposee.refresh_from_db()
    assert deposee.resultat_eligibilite == "non_eligible"


def test_un_autre_gestionnaire_du_programme_voit_tout(client, programme, deposee):
    collegue = UtilisateurFactory(gestionnaire=True)
    programme.gestionnaires.add(collegue)
    client.force_login(collegue)
    assert client.get(f"/gestion/candidatures/{deposee.pk}/").status_code == 200


def test_des_identifiants_trafiques_sont_ignores(connecte, appel):
    reponse = connecte.post(
        f"/gestion/appels/{appel.pk}/candidatures/recevables/", {"candidatures": ["x", "1;"]}
    )
    assert reponse.status_code == 302


def test_au_dela_du_seuil_la_commune_se_filtre_par_son_code(connecte, appel, liste, monkeypatch):
    from candidatures import forms

    monkeypatch.setattr(forms, "LIMITE_LISTE_COMMUNES", 2)
    reponse = connecte.get(f"/gestion/appels/{appel.pk}/candidatures/", {"commune": "59286"})
    assert _noms(reponse) == [HAUBOURDIN]
    assert (
        '<input type="text" class="form-control" name="commune" id="id_commune" value="59286"'
        in (reponse.text)
    )
    assert "Ou cherchez son nom dans « Structure ou commune »." in reponse.text


def test_enregistrer_les_questions_avec_les_lignes_vides_telles_que_le_navigateur_les_envoie(
    connecte, programme
):
    """Une ligne vide laissée vide (le navigateur envoie ses cases vides et la case
    « obligatoire » cochée par défaut) ne rend pas l'enregistrement impossible."""
    appel = AppelFactory(programme=programme)
    ligne_vide = {"libelle": "", "type": "", "aide": "", "obligatoire": "on", "choix": ""}
    donnees = {"questions-TOTAL_FORMS": "1", "questions-INITIAL_FORMS": "0"}
    donnees |= {f"questions-0-{nom}": valeur for nom, valeur in ligne_vide.items()}
    donnees |= {"pieces-TOTAL_FORMS": "1", "pieces-INITIAL_FORMS": "0"}
    donnees |= {"pieces-0-libelle": "", "pieces-0-aide": "", "pieces-0-obligatoire": "on"}

    reponse = connecte.post(f"/gestion/appels/{appel.pk}/questions/", donnees)

    assert reponse.status_code == 302
    assert (appel.questions.count(), appel.pieces_demandees.count()) == (0, 0)


def test_les_questions_et_pieces_refusees_se_resument_en_tete_avec_un_lien_par_champ(
    connecte, programme
):
    appel = AppelFactory(programme=programme)
    reponse = connecte.post(
        f"/gestion/appels/{appel.pk}/questions/",
        QUESTION_A_UN_SEUL_CHOIX
        | {"pieces-TOTAL_FORMS": "1", "pieces-0-aide": "Le dernier bilan approuvé"},
    )

    assert reponse.status_code == 400
    assert "<title>Erreur : " in reponse.text
    assert "Le formulaire contient 2 erreurs" in reponse.text
    assert (
        '<a href="#id_questions-0-choix" class="alert-link">'
        "Ligne 1, Choix proposés : Proposez au moins deux choix, un par ligne.</a>"
    ) in reponse.text
    assert (
        '<a href="#id_pieces-0-libelle" class="alert-link">'
        "Ligne 1, Intitulé : Ce champ est obligatoire.</a>"
    ) in reponse.text
    assert appel.questions.count() == 0


def test_le_filtre_des_communes_n_en_lit_qu_une_de_plus_que_la_limite(
    connecte, appel, liste, monkeypatch
):
    from candidatures import forms
    from candidatures.selectors import communes_des_candidatures

    toutes = [("59286", "Haubourdin"), ("59317", "Houplines"), ("59339", "Leers")]
    assert communes_des_candidatures(appel) == toutes
    adresse = f"/gestion/appels/{appel.pk}/candidatures/"

    # À la limite : la liste entière, en liste déroulante.
    monkeypatch.setattr(forms, "LIMITE_LISTE_COMMUNES", 3)
    assert forms.communes_du_filtre(appel) == toutes
    page = connecte.get(adresse).text
    assert '<option value="59339">Leers (59339)</option>' in page
    assert 'name="commune" id="id_commune" value=""' not in page

    # Au-delà : deux communes lues (la limite plus une) suffisent à choisir le champ du code.
    monkeypatch.setattr(forms, "LIMITE_LISTE_COMMUNES", 1)
    assert len(forms.communes_du_filtre(appel)) == 2
    page = connecte.get(adresse).text
    assert '<input type="text" class="form-control" name="commune" id="id_commune" value=""' in page
    assert '<option value="59339">' not in page


def _requetes_de_la_fiche(client, candidature):
    client.get(f"/gestion/candidatures/{candidature.pk}/")  # ce qu'une première visite remplit
    with CaptureQueriesContext(connection) as requetes:
        reponse = client.get(f"/gestion/candidatures/{candidature.pk}/")
    assert reponse.status_code == 200
    return [q["sql"] for q in requetes.captured_queries]


def test_la_fiche_fait_autant_de_requetes_avec_1_et_6_pieces_lues_une_fois(
    connecte, appel, deposee
):
    from candidatures.models import PieceJointe
    from tests.candidatures.factories import PieceDemandeeFactory

    def joindre():
        PieceJointe.objects.create(
            candidature=deposee,
            piece_demandee=PieceDemandeeFactory(appel=appel),
            fichier="pieces/statuts.pdf",
            nom_original="statuts.pdf",
            type_mime="application/pdf",
            taille=1000,
        )

    joindre()
    avec_une = _requetes_de_la_fiche(connecte, deposee)
    for _ in range(5):
        joindre()
        QuestionFactory(appel=appel)
    avec_six = _requetes_de_la_fiche(connecte, deposee)
    assert len(avec_six) == len(avec_une)
    # Les réponses (questions « fichier ») et la liste des pièces lisent les mêmes fichiers.
    assert sum('FROM "candidatures_piecejointe"' in sql for sql in avec_six) == 1

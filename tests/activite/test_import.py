import csv
import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from activite.models import Action, Beneficiaire, ListeAttente, Participation
from journal.models import Evenement
from tests.activite.factories import ActionFactory, BeneficiaireFactory, ThemeFactory
from tests.candidatures.factories import StructureFactory

pytestmark = pytest.mark.django_db

BENEFICIAIRES = [
    ["code", "genre", "annee_naissance", "commune_insee"],
    ["P001", "F", "1958", "59317"],
    ["P002", "H", "", ""],
    ["P003", "NR", "1941", "59339"],
]
ACTIONS = [
    ["ref", "type", "theme", "date_debut", "date_fin", "duree_heures"],
    ["AT1", "atelier", "Accès aux droits", "2023-02-07", "", "2"],
    ["PE1", "permanence", "réglages du téléphone", "14/02/2023", "", "1,5"],
    ["PO1", "parcours_ordinateur", "", "2023-03-01", "12/04/2023", "12"],
]
PARTICIPATIONS = [
    ["action_ref", "beneficiaire_code", "statut"],
    ["AT1", "P001", "present"],
    ["AT1", "P002", "present"],
    ["PE1", "P003", "present"],
    ["PO1", "P001", "complet"],
    ["PO1", "P003", "abandon"],
]
LISTE_ATTENTE = [["date", "nombre"], ["2023-01-15", "12"], ["2023-06-01", "20"]]


def _ecrire_csv(dossier, nom, lignes, separateur=","):
    with (dossier / f"{nom}.csv").open("w", encoding="utf-8", newline="") as fichier:
        csv.writer(fichier, delimiter=separateur).writerows(lignes)


def _dossier(tmp_path, **remplacements):
    feuilles = {
        "beneficiaires": BENEFICIAIRES,
        "actions": ACTIONS,
        "participations": PARTICIPATIONS,
        "liste_attente": LISTE_ATTENTE,
        **remplacements,
    }
    for nom, lignes in feuilles.items():
        if lignes is not None:
            _ecrire_csv(tmp_path, nom, lignes)
    return tmp_path


@pytest.fixture
def structure():
    for libelle in ("Accès aux droits", "Réglages du téléphone"):
        ThemeFactory(libelle=libelle)
    return StructureFactory()


def _activite(structure):
    return (
        sorted(Beneficiaire.objects.filter(structure=structure).values_list("code", flat=True)),
        sorted(Action.objects.filter(structure=structure).values_list("ref", flat=True)),
        Participation.objects.filter(action__structure=structure).count(),
        sorted(ListeAttente.objects.filter(structure=structure).values_list("nombre", flat=True)),
    )


def _importer(structure, chemin, *options):
    call_command("import_activite", "--structure", structure.siret, str(chemin), *options)


def test_import_d_un_dossier_csv(structure, tmp_path, capsys):
    _importer(structure, _dossier(tmp_path))

    assert _activite(structure) == (["P001", "P002", "P003"], ["AT1", "PE1", "PO1"], 5, [12, 20])
    p1 = Beneficiaire.objects.get(structure=structure, code="P001")
    assert (p1.genre, p1.annee_naissance, p1.commune.code_insee) == ("F", 1958, "59317")
    pe1 = Action.objects.get(structure=structure, ref="PE1")
    assert (pe1.type, pe1.theme.libelle, pe1.date_debut, pe1.duree_heures) == (
        "permanence",
        "Réglages du téléphone",
        datetime.date(2023, 2, 14),
        Decimal("1.50"),
    )
    po1 = Action.objects.get(structure=structure, ref="PO1")
    assert (po1.date_fin, po1.theme) == (datetime.date(2023, 4, 12), None)
    assert (
        "3 bénéficiaire(s), 3 action(s), 5 participation(s), 2 liste(s)" in capsys.readouterr().out
    )
    evenement = Evenement.objects.get(type="activite_importee")
    assert evenement.donnees == {
        "beneficiaires": 3,
        "actions": 3,
        "participations": 5,
        "listes_attente": 2,
        "remplacement": False,
    }


def test_import_csv_au_point_virgule_d_un_tableur_francais(structure, tmp_path):
    for nom, lignes in (
        ("beneficiaires", BENEFICIAIRES),
        ("actions", ACTIONS),
        ("participations", PARTICIPATIONS),
    ):
        _ecrire_csv(tmp_path, nom, lignes, separateur=";")

    _importer(structure, tmp_path)

    assert _activite(structure) == (["P001", "P002", "P003"], ["AT1", "PE1", "PO1"], 5, [])


def test_import_d_un_classeur_xlsx(structure, tmp_path):
    classeur = Workbook()
    classeur.remove(classeur.active)
    for nom, lignes in (
        ("beneficiaires", BENEFICIAIRES),
        ("actions", ACTIONS),
        ("participations", PARTICIPATIONS),
        ("liste_attente", LISTE_ATTENTE),
    ):
        feuille = classeur.create_sheet(nom)
        for ligne in lignes:
            feuille.append(ligne)
    # Ce qu'un tableur fait des cellules : des nombres et des dates, pas du texte.
    classeur["beneficiaires"]["C2"] = 1958
    classeur["actions"]["D2"] = datetime.datetime(2023, 2, 7)
    classeur["actions"]["F4"] = 12.0
    chemin = tmp_path / "activite.xlsx"
    classeur.save(chemin)

    _importer(structure, chemin)

    assert _activite(structure) == (["P001", "P002", "P003"], ["AT1", "PE1", "PO1"], 5, [12, 20])
    assert Beneficiaire.objects.get(code="P001").annee_naissance == 1958


ERREURS = [
    (
        "actions",
        ["AT9", "visio", "", "2023-02-07", "", "2"],
        "actions.csv, ligne 5, colonne « type » : type « visio » inconnu : atelier, permanence, "
        "parcours_ordinateur, parcours_tablette.",
    ),
    (
        "actions",
        ["AT9", "atelier", "", "2023-02-30", "", "2"],
        "actions.csv, ligne 5, colonne « date_debut » : date « 2023-02-30 » invalide : "
        "AAAA-MM-JJ ou JJ/MM/AAAA.",
    ),
    (
        "actions",
        ["AT9", "atelier", "", "2023-02-07", "", "-2"],
        "actions.csv, ligne 5, colonne « duree_heures » : durée « -2 » invalide : elle doit "
        "être positive.",
    ),
    (
        "participations",
        ["AT1", "P999", "present"],
        "participations.csv, ligne 7, colonne « beneficiaire_code » : bénéficiaire « P999 » "
        "inconnu : ajoutez-le à la feuille des bénéficiaires.",
    ),
    (
        "beneficiaires",
        ["P002", "F", "1970", ""],
        "beneficiaires.csv, ligne 5, colonne « code » : code « P002 » en double (déjà à la "
        "ligne 3).",
    ),
    (
        "participations",
        ["AT1", "P003", "complet"],
        "participations.csv, ligne 7, colonne « statut » : statut « complet » réservé aux "
        "parcours : pour un atelier ou une permanence, indiquez present.",
    ),
]


@pytest.mark.parametrize(("feuille", "ligne", "message"), ERREURS)
def test_import_refuse_une_ligne_fausse_et_n_importe_rien(
    structure, tmp_path, capsys, feuille, ligne, message
):
    lignes = {
        "beneficiaires": BENEFICIAIRES,
        "actions": ACTIONS,
        "participations": PARTICIPATIONS,
    }[feuille]

    with pytest.raises(CommandError) as erreur:
        _importer(structure, _dossier(tmp_path, **{feuille: [*lignes, ligne]}))

    assert erreur.value.returncode == 1
    assert str(erreur.value) == f"1 erreur(s) : rien n'a été importé pour {structure.nom}."
    assert capsys.readouterr().err.splitlines() == [message]
    assert _activite(structure) == ([], [], 0, [])
    assert not Evenement.objects.filter(type="activite_importee").exists()


def test_import_liste_toutes_les_erreurs_d_un_coup(structure, tmp_path, capsys):
    actions = [
        *ACTIONS,
        ["AT8", "atelier", "Cuisine", "2023-02-07", "2023-02-08", "2"],
        ["PO2", "parcours_tablette", "", "2023-02-07", "", "1e3"],
    ]
    beneficiaires = [*BENEFICIAIRES, ["Jean Dupont", "Z", "1850", "00000"]]

    with pytest.raises(CommandError):
        _importer(structure, _dossier(tmp_path, actions=actions, beneficiaires=beneficiaires))

    assert capsys.readouterr().err.splitlines() == [
        "beneficiaires.csv, ligne 5, colonne « code » : code « Jean Dupont » invalide : 30 "
        "caractères au plus, lettres sans accent, chiffres, tiret, point ou souligné, sans espace "
        "(et jamais un nom).",
        "beneficiaires.csv, ligne 5, colonne « genre » : genre « Z » inconnu : F, H, X ou NR "
        "(non renseigné).",
        "beneficiaires.csv, ligne 5, colonne « annee_naissance » : année de naissance « 1850 » "
        f"invalide : une année sur quatre chiffres entre 1900 et {datetime.date.today().year}, "
        "ou vide.",
        "beneficiaires.csv, ligne 5, colonne « commune_insee » : code INSEE « 00000 » inconnu, "
        "ou vide.",
        "actions.csv, ligne 5, colonne « theme » : thème « Cuisine » absent du catalogue ; "
        "choisissez l'un de : "
        "Accès aux droits, Sécurité et arnaques en ligne, Réseaux sociaux et cyberharcèlement, "
        "Réglages du téléphone, Démarches administratives en ligne, Usage d'une application.",
        "actions.csv, ligne 5, colonne « date_fin » : un atelier ou une permanence tient en un "
        "jour : laissez la date de fin vide.",
        "actions.csv, ligne 6, colonne « date_fin » : un parcours a une date de fin : "
        "renseignez-la (AAAA-MM-JJ ou JJ/MM/AAAA).",
        "actions.csv, ligne 6, colonne « duree_heures » : durée trop longue (999 heures au plus).",
    ]
    assert _activite(structure) == ([], [], 0, [])


def test_import_signale_une_feuille_ou_une_colonne_manquante(structure, tmp_path, capsys):
    _dossier(
        tmp_path,
        participations=None,
        actions=[["ref", "type", "date_debut", "duree_heures"], ["AT1", "atelier", "", "2"]],
    )

    with pytest.raises(CommandError):
        _importer(structure, tmp_path)

    assert capsys.readouterr().err.splitlines() == [
        "participations.csv : la feuille « participations » manque (un fichier "
        "participations.csv dans le dossier, ou une feuille de ce nom dans le classeur).",
        "actions.csv, ligne 1, colonne « theme » : colonne absente de la ligne d'en-tête.",
        "actions.csv, ligne 1, colonne « date_fin » : colonne absente de la ligne d'en-tête.",
    ]
    assert _activite(structure) == ([], [], 0, [])


def test_import_colonne_manquante(structure, tmp_path, capsys):
    _dossier(tmp_path, actions=[["ref", "type", "date_debut", "duree_heures"]])

    with pytest.raises(CommandError):
        _importer(structure, tmp_path)

    assert capsys.readouterr().err.splitlines() == [
        "actions.csv, ligne 1, colonne « theme » : colonne absente de la ligne d'en-tête.",
        "actions.csv, ligne 1, colonne « date_fin » : colonne absente de la ligne d'en-tête.",
    ]


def test_import_sans_remplacer_refuse_un_code_deja_enregistre(structure, tmp_path, capsys):
    BeneficiaireFactory(structure=structure, code="P001")

    with pytest.raises(CommandError):
        _importer(structure, _dossier(tmp_path))

    assert capsys.readouterr().err.splitlines() == [
        "beneficiaires.csv, ligne 2, colonne « code » : le code « P001 » est déjà enregistré "
        "pour cette structure ; pour recharger tout le tableur, choisissez de remplacer "
        "l'activité."
    ]


def test_import_complete_une_activite_existante(structure, tmp_path):
    BeneficiaireFactory(structure=structure, code="ANCIEN")
    participations = [*PARTICIPATIONS, ["AT1", "ANCIEN", "present"]]

    _importer(structure, _dossier(tmp_path, participations=participations))

    assert _activite(structure) == (
        ["ANCIEN", "P001", "P002", "P003"],
        ["AT1", "PE1", "PO1"],
        6,
        [12, 20],
    )


def test_remplacer_remplace_toute_l_activite_de_la_structure_seulement(structure, tmp_path):
    ancienne = ActionFactory(structure=structure, ref="VIEUX")
    BeneficiaireFactory(structure=structure, code="P001")
    autre = ActionFactory(ref="AT1")

    _importer(structure, _dossier(tmp_path), "--remplacer")

    assert _activite(structure) == (["P001", "P002", "P003"], ["AT1", "PE1", "PO1"], 5, [12, 20])
    assert not Action.objects.filter(pk=ancienne.pk).exists()
    assert Action.objects.filter(pk=autre.pk).exists()


def test_remplacer_est_atomique(structure, tmp_path, capsys):
    ActionFactory(structure=structure, ref="VIEUX")
    BeneficiaireFactory(structure=structure, code="GARDE")
    participations = [*PARTICIPATIONS, ["PO1", "P002", "present"]]

    with pytest.raises(CommandError):
        _importer(structure, _dossier(tmp_path, participations=participations), "--remplacer")

    assert capsys.readouterr().err.splitlines() == [
        "participations.csv, ligne 7, colonne « statut » : statut « present » impossible pour "
        "un parcours : en_cours, complet ou abandon."
    ]
    assert _activite(structure) == (["GARDE"], ["VIEUX"], 0, [])


def test_remplacer_defait_tout_si_l_ecriture_echoue(structure, tmp_path, monkeypatch):
    """Une panne au milieu de l'écriture (la base refuse une ligne) : l'ancienne activité
    reste entière."""
    from django.db import IntegrityError

    from activite.models import ListeAttente as Modele

    ActionFactory(structure=structure, ref="VIEUX")

    def panne(*args, **kwargs):
        raise IntegrityError("panne simulée de la base")

    # La base est hors de notre code : on simule son refus au dernier lot écrit.
    monkeypatch.setattr(Modele.objects, "bulk_create", panne)
    with pytest.raises(IntegrityError):
        _importer(structure, _dossier(tmp_path), "--remplacer")

    assert _activite(structure) == ([], ["VIEUX"], 0, [])


def test_dry_run_ne_change_rien(structure, tmp_path, capsys):
    ActionFactory(structure=structure, ref="VIEUX")

    _importer(structure, _dossier(tmp_path), "--remplacer", "--dry-run")

    assert "Essai sans erreur" in capsys.readouterr().out
    assert _activite(structure) == ([], ["VIEUX"], 0, [])
    assert not Evenement.objects.filter(type="activite_importee").exists()


def test_import_structure_inconnue(tmp_path):
    with pytest.raises(CommandError, match="Aucune structure de SIRET 12345678900000"):
        call_command("import_activite", "--structure", "12345678900000", str(tmp_path))


def test_import_chemin_illisible(structure, tmp_path):
    fichier = tmp_path / "activite.ods"
    fichier.write_text("x")
    with pytest.raises(CommandError, match="indiquez un dossier de fichiers CSV ou un classeur"):
        _importer(structure, fichier)

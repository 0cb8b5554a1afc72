import io

import pytest
from django.core.management import CommandError, call_command

from territoires import services
from territoires.eligibilite import ReglesEligibilite, evaluer_eligibilite
from territoires.enums import ResultatEligibilite, TypeImport
from territoires.exceptions import FichierInvalide
from territoires.models import (
    Commune,
    CommuneRattachee,
    CorrespondanceCode,
    Epci,
    ImportReferentiel,
    ListeQpv,
    PopulationLegale,
    Qpv,
)

pytestmark = pytest.mark.django_db

# Extrait au format du fichier INSEE des populations légales (donnees_communes.csv).
ENTETE_INSEE = "REG;Région;DEP;CODARR;CODCAN;CODCOM;COM;Commune;PMUN;PCAP;PTOT\n"
# En-tête du CSV officiel de l'ANCT ; les codes commune y sont écrits pour un tableur.
ENTETE_ANCT = (
    "code_qp;lib_qp;insee_reg;lib_reg;insee_dep;lib_dep;insee_com;lib_com;siren_epci;lib_epci\n"
)


def comptes():
    return {
        "communes": Commune.objects.count(),
        "epci": Epci.objects.count(),
        "populations": PopulationLegale.objects.count(),
        "correspondances": CorrespondanceCode.objects.count(),
        "listes_qpv": ListeQpv.objects.count(),
        "qpv": Qpv.objects.count(),
        "rattachements_qpv": Qpv.communes.through.objects.count(),
        "communes_rattachees": CommuneRattachee.objects.count(),
    }


COMPTES_LIVRES = {
    "communes": 34969,
    "epci": 1255,
    "populations": 34879,
    "correspondances": 46,
    "listes_qpv": 1,
    "qpv": 1584,
    # 1 776 paires dans qpv.csv ; QN09342M touchait 93059 et 93066, devenues une commune.
    "rattachements_qpv": 1775,
    # 2 105 communes déléguées, 471 associées, 45 arrondissements municipaux.
    "communes_rattachees": 2621,
}


def test_les_donnees_livrees_sont_chargees():
    assert comptes() == COMPTES_LIVRES
    lille = Commune.objects.get(code_insee="59350")
    assert (
        lille.nom,
        lille.nom_recherche,
        lille.departement,
        lille.epci.siren,
        lille.population_municipale,
        lille.population_totale,
        lille.annee_population,
    ) == ("Lille", "lille", "59", "200093201", 238246, 240109, 2023)
    assert ListeQpv.objects.values_list("version", "annee", "libelle").get() == (
        "QPV2024",
        2024,
        "Quartiers prioritaires 2024",
    )


def test_reimporter_les_donnees_livrees_ne_change_rien():
    bilans = services.importer_donnees_livrees()

    assert [(b.type, b.crees, b.modifies, b.inchanges, b.supprimes) for b in bilans] == [
        (TypeImport.EPCI, 0, 0, 1255, 0),
        (TypeImport.COMMUNES, 0, 0, 34969, 0),
        (TypeImport.CORRESPONDANCES, 0, 0, 46, 0),
        (TypeImport.RATTACHEES, 0, 0, 2621, 0),
        (TypeImport.QPV, 0, 0, 1584, 0),
    ]
    assert comptes() == COMPTES_LIVRES
    assert [b.phrase() for b in bilans] == [
        "EPCI, epci.csv : 0 créé(s), 0 modifié(s), 1255 inchangé(s).",
        "Communes (populations 2017, 2023), communes.csv : "
        "0 créé(s), 0 modifié(s), 34969 inchangé(s).",
        "Correspondances de codes, correspondances.csv : 0 créé(s), 0 modifié(s), 46 inchangé(s).",
        "Communes déléguées, associées et arrondissements, communes_rattachees.csv : "
        "0 créé(s), 0 modifié(s), 2621 inchangé(s).",
        "QPV QPV2024, qpv.csv : 0 créé(s), 0 modifié(s), 1584 inchangé(s).",
    ]
    assert bilans[4].details == [
        "1584 QPV dont 148 intercommunaux, 834 communes touchées.",
        "Codes rapportés à leur commune actuelle : 93059 → 93066.",
    ]


def test_un_import_est_trace_avec_l_empreinte_du_fichier():
    contenu = b"ancien_code,code_insee,motif,depuis\n59355,59350,fusion,2000-02-27\n"
    services.importer_fichier(TypeImport.CORRESPONDANCES, contenu, nom_fichier="lomme.csv")

    trace = ImportReferentiel.objects.get(fichier="lomme.csv")
    assert (trace.type, trace.empreinte_sha256, trace.bilan["crees"]) == (
        TypeImport.CORRESPONDANCES,
        "58e997e24892ad3543327fd310110288fa48ab0aa107496d28a163f9ee302cfa",
        1,
    )
    assert evaluer_eligibilite("59355").faits["insee_code"] == "59350"


def populations_2024():
    return (
        ENTETE_INSEE
        + "32;Hauts-de-France;59;3;10;317;59317;Houplines;8004;100;8104\n"
        + "11;Île-de-France;75;1;NA;101;75101;Paris 1er Arrondissement;15000;100;15100\n"
        + "11;Île-de-France;75;1;NA;102;75102;Paris 2e Arrondissement;20000;200;20200\n"
        + "06;Mayotte;976;1;01;601;;Acoua;5300;10;5310\n"
        + "32;Hauts-de-France;59;3;10;999;59999;Commune inconnue;10;0;10\n"
    ).encode()


def test_un_nouveau_millesime_insee_s_ajoute_et_devient_la_population_courante():
    bilan = services.importer_fichier(
        TypeImport.POPULATIONS, populations_2024(), nom_fichier="pop2024.csv", millesime="2024"
    )

    assert (bilan.crees, bilan.modifies, bilan.inchanges) == (3, 0, 0)
    assert bilan.details == [
        "1 ligne(s) d'arrondissements ou d'anciennes communes additionnée(s) sur leur commune."
    ]
    assert bilan.avertissements[0] == (
        "1 code(s) inconnu(s), ignoré(s) : 59999 Commune inconnue. "
        "Importez d'abord les communes ou leurs correspondances."
    )
    houplines = Commune.objects.get(code_insee="59317")
    assert list(houplines.populations.values_list("annee", "municipale", "totale")) == [
        (2024, 8004, 8104),
        (2023, 7921, 8030),
    ]
    assert (houplines.population_municipale, houplines.annee_population) == (8004, 2024)
    # Les arrondissements s'additionnent sur Paris ; Mayotte se lit par DEP et CODCOM.
    assert PopulationLegale.objects.get(commune__code_insee="75056", annee=2024).municipale == (
        35000
    )
    assert PopulationLegale.objects.get(commune__code_insee="97601", annee=2024).totale == 5310
    reponse = evaluer_eligibilite("59317")
    assert (reponse.faits["population"], reponse.faits["population_year"]) == (8004, 2024)
    assert (
        reponse.raisons[0] == "Houplines (59317) : 8\u00a0004 habitants (INSEE 2024) < 21\u00a0000"
    )


def test_reimporter_un_millesime_ne_change_rien():
    services.importer_fichier(TypeImport.POPULATIONS, populations_2024(), millesime="2024")
    avant = comptes()

    bilan = services.importer_fichier(TypeImport.POPULATIONS, populations_2024(), millesime="2024")

    assert (bilan.crees, bilan.modifies, bilan.inchanges) == (0, 0, 3)
    assert comptes() == avant


def test_un_millesime_plus_ancien_ne_remplace_pas_la_population_courante():
    contenu = ENTETE_INSEE + "32;Hauts-de-France;59;3;10;317;59317;Houplines;7800;90;7890\n"
    services.importer_fichier(TypeImport.POPULATIONS, contenu.encode(), millesime="2022")

    houplines = Commune.objects.get(code_insee="59317")
    assert (houplines.population_municipale, houplines.annee_population) == (7921, 2023)
    assert houplines.populations.get(annee=2022).municipale == 7800


def test_un_import_de_populations_exige_son_millesime():
    with pytest.raises(FichierInvalide) as erreur:
        services.importer_fichier(TypeImport.POPULATIONS, populations_2024(), millesime="")
    assert str(erreur.value).startswith("Précisez le millésime des populations légales")


def liste_qpv_2015():
    # Extrait fictif au format officiel, pour vérifier que deux listes coexistent.
    return (
        ENTETE_ANCT
        + 'QP059001;Quartier de test A;32;Hauts-de-France;59;Nord;"=""59350""";Lille;'
        + "200093201;MEL\n"
        + 'QP059002;Quartier de test B;32;Hauts-de-France;59;Nord;"=""59220; 59350""";'
        + '"Faches-Thumesnil; Lille";200093201;MEL\n'
    ).encode("utf-8-sig")


def test_la_liste_2015_au_format_anct_s_ajoute_a_celle_de_2024():
    bilan = services.importer_fichier(TypeImport.QPV, liste_qpv_2015(), nom_fichier="qp2015.csv")

    assert (bilan.millesime, bilan.crees) == ("QPV2015", 2)
    assert list(ListeQpv.objects.values_list("version", flat=True)) == ["QPV2024", "QPV2015"]
    qpv = Qpv.objects.get(liste__version="QPV2015", code="QP059002")
    assert sorted(qpv.communes.values_list("code_insee", flat=True)) == ["59220", "59350"]
    # La liste d'un appel compte : Haubourdin n'a de QPV que dans la liste 2024.
    regles_2015 = ReglesEligibilite(version_qpv="QPV2015")
    haubourdin_2015 = evaluer_eligibilite("59286", regles_2015)
    assert (haubourdin_2015.resultat, haubourdin_2015.raisons[1]) == (
        ResultatEligibilite.ELIGIBLE,
        "Haubourdin (59286) : aucun QPV (liste 2015)",
    )
    assert evaluer_eligibilite("59286").faits["qpv_list"] == "QPV2024"


def test_une_liste_reimportee_met_a_jour_noms_communes_et_retraits():
    services.importer_fichier(TypeImport.QPV, liste_qpv_2015())
    corrigee = (
        ENTETE_ANCT
        + 'QP059002;Quartier B renommé;32;Hauts-de-France;59;Nord;"=""59220""";Faches;1;MEL\n'
    ).encode()

    bilan = services.importer_fichier(TypeImport.QPV, corrigee)

    assert (bilan.crees, bilan.modifies, bilan.inchanges, bilan.supprimes) == (0, 1, 0, 1)
    qpv = Qpv.objects.get(liste__version="QPV2015")
    assert (qpv.code, qpv.nom, list(qpv.communes.values_list("code_insee", flat=True))) == (
        "QP059002",
        "Quartier B renommé",
        ["59220"],
    )
    assert bilan.avertissements == [
        "1 QPV absent(s) du fichier, retiré(s) de la liste QPV2015 : QP059001."
    ]


@pytest.mark.parametrize(
    "type_import, contenu, message",
    [
        (
            TypeImport.QPV,
            b"",
            "Le fichier est vide.",
        ),
        (
            TypeImport.QPV,
            b"code;nom\nQN1;x\n",
            "Colonnes introuvables : code (« qpv_code », « code_qp », « code_qpv », « codeqp »)",
        ),
        (
            TypeImport.QPV,
            ENTETE_ANCT.encode() + b"QP059001;Test;32;HdF;59;Nord;99999;X;1;Y\n",
            "1 code(s) commune de la liste QPV2015 inconnu(s) : 99999. Rien n'a été importé.",
        ),
        (
            TypeImport.QPV,
            ENTETE_ANCT.encode() + b"XX1;Test;32;HdF;59;Nord;59350;Lille;1;MEL\n",
            "Le fichier contient 1 erreur(s), rien n'a été importé :\n"
            "ligne 2 : code QPV « XX1 » invalide",
        ),
        (
            TypeImport.POPULATIONS,
            (ENTETE_INSEE + "32;HdF;59;3;10;317;59A17;Houplines;huit mille;0;8104\n").encode(),
            "Le fichier contient 2 erreur(s), rien n'a été importé :\n"
            "ligne 2 : code INSEE « 59A17 » invalide\n"
            "ligne 2 : la population municipale « huit mille » n'est pas un nombre entier positif",
        ),
        (
            TypeImport.CORRESPONDANCES,
            b"ancien_code,code_insee,motif\n59350,59317,fusion\n",
            "Correspondances impossibles, rien n'a été importé : "
            "59350 est une commune en vigueur, pas un ancien code.",
        ),
    ],
)
def test_un_fichier_fautif_est_refuse_en_francais_et_rien_n_est_ecrit(
    type_import, contenu, message
):
    avant = comptes()
    traces = ImportReferentiel.objects.count()

    with pytest.raises(FichierInvalide) as erreur:
        services.importer_fichier(
            type_import, contenu, millesime="2024" if type_import == TypeImport.POPULATIONS else ""
        )

    assert str(erreur.value).startswith(message)
    assert comptes() == avant
    assert ImportReferentiel.objects.count() == traces


def test_une_erreur_en_fin_de_fichier_n_ecrit_pas_le_debut():
    contenu = populations_2024() + b"32;HdF;59;3;10;320;59320;Commune;-5;0;1\n"
    with pytest.raises(FichierInvalide):
        services.importer_fichier(TypeImport.POPULATIONS, contenu, millesime="2024")
    assert not PopulationLegale.objects.filter(annee=2024).exists()


def test_la_commande_rend_compte_en_francais(tmp_path):
    fichier = tmp_path / "qp2015.csv"
    fichier.write_bytes(liste_qpv_2015())
    sortie = io.StringIO()

    call_command("import_territoires", "--qpv", str(fichier), stdout=sortie)

    lignes = sortie.getvalue().splitlines()
    assert lignes[:4] == [
        "Lecture de qp2015.csv…",
        "2 QPV lus (liste QPV2015) ; enregistrement…",
        "Bilan :",
        "- QPV QPV2015, qp2015.csv : 2 créé(s), 0 modifié(s), 0 inchangé(s).",
    ]
    assert lignes[4] == "  2 QPV dont 1 intercommunaux, 2 communes touchées."
    assert lignes[5].startswith("Données de référence à jour (")


def test_la_commande_refuse_un_fichier_fautif(tmp_path):
    fichier = tmp_path / "faux.csv"
    fichier.write_text("a;b\n1;2\n")
    with pytest.raises(CommandError) as erreur:
        call_command("import_territoires", "--populations", str(fichier), "--annee", "2024")
    assert str(erreur.value).startswith("Colonnes introuvables : municipale")


def test_la_commande_signale_un_fichier_absent(tmp_path):
    with pytest.raises(CommandError) as erreur:
        call_command("import_territoires", "--qpv", str(tmp_path / "absent.csv"))
    assert str(erreur.value) == (
        f"Impossible de lire {tmp_path / 'absent.csv'} : No such file or directory."
    )

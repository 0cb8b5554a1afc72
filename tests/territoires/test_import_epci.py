"""Les noms des EPCI, livrés avec Relais (territoires/donnees/epci.csv) : le périmètre d'un
appel se choisit et se lit par le nom, pas par le SIREN."""

import io

import pytest
from django.core.management import call_command

from territoires import services
from territoires.enums import TypeImport
from territoires.exceptions import FichierInvalide
from territoires.models import Epci, ImportReferentiel

pytestmark = pytest.mark.django_db


def test_chaque_epci_livre_porte_son_nom():
    assert Epci.objects.count() == 1255
    assert Epci.objects.filter(nom="").count() == 0
    assert Epci.objects.get(siren="200093201").nom == "Métropole Européenne de Lille"
    assert str(Epci.objects.get(siren="200093201")) == "Métropole Européenne de Lille"


def test_reimporter_les_epci_livres_ne_change_rien():
    bilan = services.importer_fichier(
        TypeImport.EPCI, services.DOSSIER_DONNEES / "epci.csv", source=services.SOURCE_LIVREE
    )
    assert (bilan.crees, bilan.modifies, bilan.inchanges) == (0, 0, 1255)
    assert bilan.phrase() == "EPCI, epci.csv : 0 créé(s), 0 modifié(s), 1255 inchangé(s)."


def test_la_commande_importe_un_fichier_d_epci(tmp_path):
    fichier = tmp_path / "epci2027.csv"
    fichier.write_text(
        "epci_siren,name,type,financing_mode,population,members\n"
        "200093201,Métropole européenne de Lille (MEL),METRO,FPU,1194040,95\n"
        "999999999,CC de test,CC,FPU,1000,3\n",
        encoding="utf-8",
    )
    sortie = io.StringIO()
    call_command("import_territoires", "--epci", str(fichier), stdout=sortie)
    assert "- EPCI, epci2027.csv : 1 créé(s), 1 modifié(s), 0 inchangé(s)." in (
        sortie.getvalue().splitlines()
    )
    assert Epci.objects.get(siren="200093201").nom == "Métropole européenne de Lille (MEL)"
    assert Epci.objects.get(siren="999999999").nom == "CC de test"
    assert ImportReferentiel.objects.filter(type=TypeImport.EPCI, fichier="epci2027.csv").exists()


def test_un_fichier_d_epci_fautif_n_ecrit_rien():
    contenu = b"epci_siren,name\n200093201,Nouveau nom\n12345,CC sans SIREN\n"
    with pytest.raises(FichierInvalide) as erreur:
        services.importer_fichier(TypeImport.EPCI, contenu, nom_fichier="faux.csv")
    assert str(erreur.value) == (
        "Le fichier contient 1 erreur(s), rien n'a été importé :\n"
        "ligne 3 : SIREN d'EPCI « 12345 » invalide (9 chiffres attendus)"
    )
    assert Epci.objects.get(siren="200093201").nom == "Métropole Européenne de Lille"

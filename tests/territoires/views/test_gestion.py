import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from territoires.models import ImportReferentiel, ListeQpv, PopulationLegale
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db

URL = "/gestion/territoires/"
LISTE_2015 = (
    b"code_qp;lib_qp;insee_com\n"
    b'QP059001;Quartier de test;"=""59350"""\n'  # extrait fictif au format de l'ANCT
)


def test_anonyme_renvoye_vers_la_connexion(client):
    reponse = client.get(URL)
    assert (reponse.status_code, reponse["Location"]) == (
        302,
        "/comptes/login/?next=/gestion/territoires/",
    )


def test_un_candidat_n_importe_pas(client):
    client.force_login(UtilisateurFactory(candidat=True))
    assert client.get(URL).status_code == 403


def test_le_gestionnaire_voit_les_millesimes_et_les_listes(client):
    client.force_login(UtilisateurFactory(gestionnaire=True))
    reponse = client.get(URL)
    assert reponse.status_code == 200
    assert [(m["annee"], m["nombre_communes"]) for m in reponse.context["millesimes"]] == [
        (2023, 34862),
        (2017, 17),
    ]
    assert [(liste.version, liste.nombre_qpv) for liste in reponse.context["listes_qpv"]] == [
        ("QPV2024", 1584)
    ]


def test_le_gestionnaire_ajoute_la_liste_2015_sans_developpeur(client):
    gestionnaire = UtilisateurFactory(gestionnaire=True)
    client.force_login(gestionnaire)
    fichier = SimpleUploadedFile("qp2015.csv", LISTE_2015, content_type="text/csv")

    reponse = client.post(URL, {"type": "qpv", "fichier": fichier, "millesime": ""}, follow=True)

    assert reponse.redirect_chain == [(URL, 302)]
    assert [str(m) for m in reponse.context["messages"]] == [
        "QPV QPV2015, qp2015.csv : 1 créé(s), 0 modifié(s), 0 inchangé(s)."
    ]
    assert list(ListeQpv.objects.values_list("version", flat=True)) == ["QPV2024", "QPV2015"]
    trace = ImportReferentiel.objects.get(fichier="qp2015.csv")
    assert (trace.par, trace.millesime) == (gestionnaire, "QPV2015")


def test_un_fichier_fautif_est_explique_sous_le_champ(client):
    client.force_login(UtilisateurFactory(gestionnaire=True))
    fichier = SimpleUploadedFile("pop.csv", b"COM;PMUN\n59317;abc\n", content_type="text/csv")

    reponse = client.post(URL, {"type": "populations", "fichier": fichier, "millesime": "2024"})

    assert reponse.status_code == 200
    assert reponse.context["form"].errors["fichier"] == [
        "Le fichier contient 1 erreur(s), rien n'a été importé :\n"
        "ligne 2 : la population municipale « abc » n'est pas un nombre entier positif"
    ]
    assert not PopulationLegale.objects.filter(annee=2024).exists()


def test_des_populations_sans_millesime_sont_refusees(client):
    client.force_login(UtilisateurFactory(gestionnaire=True))
    fichier = SimpleUploadedFile("pop.csv", b"COM;PMUN\n59317;8000\n", content_type="text/csv")
    reponse = client.post(URL, {"type": "populations", "fichier": fichier, "millesime": ""})
    assert reponse.context["form"].errors["millesime"] == [
        "Indiquez l'année des populations légales du fichier."
    ]


@pytest.mark.parametrize(
    "modele",
    [
        "epci",
        "commune",
        "correspondancecode",
        "communerattachee",
        "listeqpv",
        "qpv",
        "importreferentiel",
    ],
)
def test_l_administration_des_donnees_de_reference_s_affiche(admin_client, modele):
    assert admin_client.get(f"/admin/territoires/{modele}/").status_code == 200

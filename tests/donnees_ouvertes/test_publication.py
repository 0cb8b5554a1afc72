"""Les indicateurs d'une cohorte publiés en données ouvertes : le paquet téléchargé passe
`frictionless validate` (bibliothèque et ligne de commande), le CSV montre exactement les
cellules que lit un observateur, les adresses publiques répondent sans connexion, retirées
(410) ou inconnues (404), et seuls les gestionnaires du programme publient.

La cohorte est celle de `tests/activite/test_bilan_observateur.py` : Armentières (136
personnes en parcours) et Houplines (6 personnes en ateliers, 2 référents formés), dont le
secret statistique masque plusieurs cellules."""

import csv
import io
import json
import subprocess  # nosec B404 - lance l'outil de validation installé, sans shell
import sys
from pathlib import Path

import frictionless
import pytest
from django.urls import reverse
from django.utils import timezone

from activite.bilan import bilan_a_jour
from activite.enums import Genre, StatutParticipation, TypeAction
from activite.presentation import COLONNES_TABLEAU, presenter
from donnees_ouvertes import services
from donnees_ouvertes.models import Publication
from journal.enums import TypeEvenement
from journal.models import Evenement
from noyau.erreurs import ActionNonPermise
from tests.activite.factories import ActionFactory, BeneficiaireFactory, ParticipationFactory
from tests.activite.test_bilan_observateur import construire_cohorte
from tests.candidatures.factories import AppelFactory, CandidatureFactory, ProgrammeFactory
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db

ENTETE = [
    "niveau",
    "structure",
    "siret",
    "structures_accompagnees",
    "referents_formes",
    "actions",
    "ateliers_permanences",
    "parcours",
    "heures_ordinateur",
    "heures_tablette",
    "beneficiaires",
    "beneficiaires_en_parcours",
    "femmes_pct",
    "hommes_pct",
    "age_moyen",
    "parcours_complets_pct",
    "liste_attente",
]


@pytest.fixture
def cohorte():
    return construire_cohorte()


@pytest.fixture
def gestionnaire(cohorte):
    personne = UtilisateurFactory(gestionnaire=True)
    cohorte.programme.gestionnaires.add(personne)
    return personne


def _publier(client, appel, personne):
    client.force_login(personne)
    return client.post(reverse("donnees_ouvertes:publier", args=[appel.slug]))


@pytest.fixture
def publiee(client, cohorte, gestionnaire):
    reponse = _publier(client, cohorte, gestionnaire)
    assert reponse.status_code == 302
    client.logout()
    return cohorte


def _telecharger(client, appel, dossier):
    """Les deux fichiers lus aux adresses publiques, posés côte à côte comme un réutilisateur
    les enregistre."""
    for nom, fichier in (("descripteur", "datapackage.json"), ("indicateurs", "indicateurs.csv")):
        reponse = client.get(reverse(f"donnees_ouvertes:{nom}", args=[appel.slug]))
        assert reponse.status_code == 200
        (dossier / fichier).write_bytes(reponse.content)
    return dossier / "datapackage.json"


def _lignes_csv(contenu):
    return list(csv.reader(io.StringIO(contenu.decode("utf-8"))))


def _structures(appel):
    lignes = presenter(bilan_a_jour(appel), masquer=True)["lignes"]
    return {ligne["structure"]: ligne["siret"] for ligne in lignes}


# --- Le paquet passe la validation Frictionless ---------------------------------------------


def test_le_paquet_telecharge_passe_la_validation_frictionless(client, publiee, tmp_path):
    descripteur = _telecharger(client, publiee, tmp_path)

    rapport = frictionless.validate(str(descripteur))

    assert rapport.valid, rapport.flatten(["rowNumber", "fieldName", "type", "note"])
    assert [tache.stats["rows"] for tache in rapport.tasks] == [3]
    assert [tache.name for tache in rapport.tasks] == ["indicateurs"]


def test_le_paquet_telecharge_passe_frictionless_validate_en_ligne_de_commande(
    client, publiee, tmp_path
):
    descripteur = _telecharger(client, publiee, tmp_path)
    script = Path(sys.executable).with_name("frictionless")

    resultat = subprocess.run(  # nosec B603 - arguments fixes, sans shell
        [str(script), "validate", str(descripteur)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert resultat.returncode == 0, resultat.stdout + resultat.stderr
    assert "VALID" in resultat.stdout and "INVALID" not in resultat.stdout


def test_un_csv_qui_trahit_son_schema_echoue_a_la_validation(client, publiee, tmp_path):
    """Le test ci-dessus peut échouer : le même paquet, une cellule de compte changée en
    texte qui n'est pas une marque du secret, est refusé."""
    descripteur = _telecharger(client, publiee, tmp_path)
    fichier = tmp_path / "indicateurs.csv"
    fichier.write_text(fichier.read_text().replace(",< 5,", ",trois,"))

    rapport = frictionless.validate(str(descripteur))

    assert not rapport.valid
    assert rapport.flatten(["rowNumber", "fieldName", "type"]) == [
        [4, "referents_formes", "type-error"]
    ]


# --- Le CSV : exactement les cellules de l'observateur --------------------------------------


def test_le_csv_de_la_petite_cohorte_cellule_par_cellule(client, publiee):
    siret = _structures(publiee)

    reponse = client.get(reverse("donnees_ouvertes:indicateurs", args=[publiee.slug]))

    assert _lignes_csv(reponse.content) == [
        ENTETE,
        ["cohorte", "", "", "2", "8", "5", "2", "3", "12", "14.5", "142", "136"]
        + ["59.9", "40.1", "63", "masqué", "80"],
        ["structure", "CCAS d'Armentières", siret["CCAS d'Armentières"], "1", "masqué", "3"]
        + ["0", "3", "12", "14.5", "136", "136", "masqué", "masqué", "63", "masqué", "80"],
        ["structure", "CCAS de Houplines", siret["CCAS de Houplines"], "1", "< 5", "2", "2"]
        + ["0", "", "", "6", "0", "masqué", "masqué", "63", "", "0"],
    ]
    assert reponse.content.startswith(b"niveau,structure,siret,")
    assert reponse.content.count(b"\r\n") == 4


def _cellule(valeur):
    if valeur is None:
        return ""
    if isinstance(valeur, float) and valeur.is_integer():
        return str(int(valeur))
    return str(valeur)


def test_chaque_cellule_est_celle_de_la_vue_masquee_de_l_observateur(client, publiee):
    vue = presenter(bilan_a_jour(publiee), masquer=True)
    attendu = [[_cellule(vue["valeurs"][cle]) for cle in COLONNES_TABLEAU]] + [
        [_cellule(ligne["valeurs"][cle]) for cle in COLONNES_TABLEAU] for ligne in vue["lignes"]
    ]

    reponse = client.get(reverse("donnees_ouvertes:indicateurs", args=[publiee.slug]))

    lues = _lignes_csv(reponse.content)[1:]
    assert [ligne[4:] for ligne in lues] == attendu
    exactes = presenter(bilan_a_jour(publiee), masquer=False)
    assert exactes["lignes"][1]["valeurs"]["referents_formes"] == 2  # ce que « < 5 » cache
    assert "2" != lues[2][ENTETE.index("referents_formes")]


def test_le_descripteur_decrit_licence_sources_colonnes_et_valeurs_masquees(client, publiee):
    reponse = client.get(reverse("donnees_ouvertes:descripteur", args=[publiee.slug]))

    paquet = json.loads(reponse.content)
    assert paquet["name"] == "relais-appel-masque"
    assert paquet["title"] == "Indicateurs de la cohorte — Appel 2022"
    assert paquet["licenses"] == [
        {
            "name": "etalab-2.0",
            "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
            "title": "Licence Ouverte 2.0",
        }
    ]
    assert paquet["contributors"] == [{"title": publiee.programme.nom, "role": "publisher"}]
    assert [source["title"] for source in paquet["sources"]] == [
        "Relais",
        f"{publiee.programme.nom} — Appel 2022",
    ]
    assert paquet["sources"][1]["path"].endswith("/appels/appel-masque/")
    assert paquet["homepage"].endswith("/donnees/appel-masque/")
    assert paquet["created"] == Publication.objects.get().publiee_le.isoformat(timespec="seconds")
    (ressource,) = paquet["resources"]
    assert {cle: ressource[cle] for cle in ("name", "path", "format", "mediatype", "encoding")} == {
        "name": "indicateurs",
        "path": "indicateurs.csv",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
    }
    schema = ressource["schema"]
    assert schema["missingValues"] == ["", "< 5", "masqué", "non diffusé"]
    assert [champ["name"] for champ in schema["fields"]] == ENTETE
    champs = {champ["name"]: champ for champ in schema["fields"]}
    assert {nom: (champs[nom]["type"], champs[nom].get("unit")) for nom in ENTETE} == {
        "niveau": ("string", None),
        "structure": ("string", None),
        "siret": ("string", None),
        "structures_accompagnees": ("integer", "structures"),
        "referents_formes": ("integer", "personnes"),
        "actions": ("integer", "actions"),
        "ateliers_permanences": ("integer", "actions"),
        "parcours": ("integer", "parcours"),
        "heures_ordinateur": ("number", "heures"),
        "heures_tablette": ("number", "heures"),
        "beneficiaires": ("integer", "personnes"),
        "beneficiaires_en_parcours": ("integer", "personnes"),
        "femmes_pct": ("number", "%"),
        "hommes_pct": ("number", "%"),
        "age_moyen": ("number", "ans"),
        "parcours_complets_pct": ("number", "%"),
        "liste_attente": ("integer", "personnes"),
    }
    assert champs["femmes_pct"]["title"] == "Femmes (%)"
    assert all(champ["description"] for champ in schema["fields"])
    assert "« < 5 » remplace un compte de 1 à 4 personnes" in ressource["description"]


def test_publie_en_anglais_le_jeu_reste_en_francais(client, cohorte, gestionnaire):
    client.force_login(gestionnaire)
    client.cookies["django_language"] = "en"

    reponse = client.post(reverse("donnees_ouvertes:publier", args=[cohorte.slug]))

    assert reponse.status_code == 302
    assert (
        '<html lang="en"'
        in client.get(reverse("activite:bilan", args=[cohorte.slug])).content.decode()
    )

    publication = Publication.objects.get()
    champs = {c["name"]: c for c in publication.descripteur["resources"][0]["schema"]["fields"]}
    assert champs["beneficiaires"]["title"] == "Personnes accompagnées"
    assert ",masqué," in publication.csv


# --- Les adresses publiques -----------------------------------------------------------------


def test_sans_connexion_les_adresses_publiques_repondent(client, publiee):
    slug = publiee.slug
    for nom in ("jeux", "jeu", "indicateurs", "descripteur"):
        arguments = [] if nom == "jeux" else [slug]
        assert client.get(reverse(f"donnees_ouvertes:{nom}", args=arguments)).status_code == 200
    liste = client.get(reverse("donnees_ouvertes:jeux")).content.decode()
    assert '<a href="/donnees/appel-masque/">Indicateurs de la cohorte — Appel 2022</a>' in liste


def test_en_tetes_des_fichiers_type_cors_et_revalidation(client, publiee):
    publication = Publication.objects.get()
    csv_ = client.get(reverse("donnees_ouvertes:indicateurs", args=[publiee.slug]))
    json_ = client.get(reverse("donnees_ouvertes:descripteur", args=[publiee.slug]))

    assert csv_["Content-Type"] == "text/csv; charset=utf-8"
    assert json_["Content-Type"] == "application/json; charset=utf-8"
    assert json_["Content-Disposition"] == 'inline; filename="datapackage.json"'
    assert csv_["Content-Disposition"] == 'inline; filename="indicateurs.csv"'
    for reponse in (csv_, json_):
        assert reponse["Access-Control-Allow-Origin"] == "*"
        assert reponse["Cache-Control"] == "public, max-age=300"
        assert reponse["ETag"].startswith('"')
    assert csv_["ETag"] != json_["ETag"]
    assert csv_["Last-Modified"] == publication.publiee_le.strftime("%a, %d %b %Y %H:%M:%S GMT")

    revalidation = client.get(
        reverse("donnees_ouvertes:indicateurs", args=[publiee.slug]),
        HTTP_IF_NONE_MATCH=csv_["ETag"],
    )
    assert revalidation.status_code == 304
    assert revalidation["Access-Control-Allow-Origin"] == "*"


def test_la_page_du_jeu_dit_licence_colonnes_unites_et_masquage(client, publiee):
    reponse = client.get(reverse("donnees_ouvertes:jeu", args=[publiee.slug]))

    contenu = reponse.content.decode()
    assert "<h1" in contenu and "Indicateurs de la cohorte — Appel 2022" in contenu
    assert (
        'href="https://www.etalab.gouv.fr/licence-ouverte-open-licence/">Licence Ouverte 2.0'
        in (contenu)
    )
    assert 'href="/donnees/appel-masque/indicateurs.csv"' in contenu
    assert 'href="/donnees/appel-masque/datapackage.json"' in contenu
    assert "<code>femmes_pct</code>" in contenu
    assert "« &lt; 5 » remplace un compte de 1 à 4 personnes" in contenu
    publiee_le = timezone.localtime(Publication.objects.get().publiee_le)
    assert publiee_le.strftime("%d/%m/%Y %H:%M") in contenu


def test_un_appel_jamais_publie_n_a_pas_d_adresse(client, cohorte):
    for nom in ("jeu", "indicateurs", "descripteur"):
        assert client.get(reverse(f"donnees_ouvertes:{nom}", args=[cohorte.slug])).status_code == (
            404
        )
        assert client.get(reverse(f"donnees_ouvertes:{nom}", args=["inconnu"])).status_code == 404


def test_retiree_les_adresses_repondent_410_avec_une_page_en_francais(
    client, publiee, gestionnaire
):
    client.force_login(gestionnaire)
    reponse = client.post(reverse("donnees_ouvertes:retirer", args=[publiee.slug]))
    assert reponse.status_code == 302
    client.logout()

    for nom in ("jeu", "indicateurs", "descripteur"):
        reponse = client.get(reverse(f"donnees_ouvertes:{nom}", args=[publiee.slug]))
        assert reponse.status_code == 410
        assert "Jeu de données retiré" in reponse.content.decode()
        assert "ne sont plus publiés" in reponse.content.decode()
    assert "Appel 2022" not in client.get(reverse("donnees_ouvertes:jeux")).content.decode()


def test_retirer_ce_qui_n_est_pas_publie_est_refuse_en_409(client, cohorte, gestionnaire):
    client.force_login(gestionnaire)

    reponse = client.post(reverse("donnees_ouvertes:retirer", args=[cohorte.slug]))

    assert reponse.status_code == 409
    assert "ne sont pas publiés" in reponse.content.decode()
    assert not Evenement.objects.filter(type=TypeEvenement.DONNEES_OUVERTES_RETIREES).exists()


# --- Publier, mettre à jour, retirer : qui, quoi, le journal --------------------------------


def _ajouter_une_participante(appel):
    structure = appel.candidatures.get(structure__nom="CCAS de Houplines").structure
    action = ActionFactory(structure=structure, type=TypeAction.ATELIER, theme=None)
    ParticipationFactory(
        action=action,
        beneficiaire=BeneficiaireFactory(
            structure=structure, genre=Genre.FEMME, annee_naissance=1960
        ),
        statut=StatutParticipation.PRESENT,
    )


def test_publier_de_nouveau_remplace_l_instantane_et_tout_est_journalise(
    client, publiee, gestionnaire
):
    premiere = Publication.objects.get()
    _ajouter_une_participante(publiee)
    # L'instantané ne suit pas les saisies : il ne change qu'à la publication suivante.
    reponse = client.get(reverse("donnees_ouvertes:indicateurs", args=[publiee.slug]))
    assert reponse.content.decode() == premiere.csv

    client.force_login(gestionnaire)
    assert client.post(reverse("donnees_ouvertes:publier", args=[publiee.slug])).status_code == 302
    assert client.post(reverse("donnees_ouvertes:retirer", args=[publiee.slug])).status_code == 302
    assert client.post(reverse("donnees_ouvertes:publier", args=[publiee.slug])).status_code == 302

    publication = Publication.objects.get()
    assert publication.pk == premiere.pk and publication.retiree_le is None
    assert publication.publiee_le > premiere.publiee_le
    assert publication.csv != premiere.csv
    assert publication.csv.splitlines()[1].split(",")[10] == "143"  # personnes accompagnées
    evenements = Evenement.objects.de(publiee).order_by("pk")
    assert [(e.type, e.acteur, e.donnees["publication"]) for e in evenements] == [
        (TypeEvenement.DONNEES_OUVERTES_PUBLIEES, gestionnaire, publication.pk),
        (TypeEvenement.DONNEES_OUVERTES_MISES_A_JOUR, gestionnaire, publication.pk),
        (TypeEvenement.DONNEES_OUVERTES_RETIREES, gestionnaire, publication.pk),
        (TypeEvenement.DONNEES_OUVERTES_PUBLIEES, gestionnaire, publication.pk),
    ]
    assert evenements[0].donnees["structures"] == 2


def test_le_gestionnaire_d_un_autre_programme_ne_trouve_pas_l_appel(client, cohorte):
    autre = UtilisateurFactory(gestionnaire=True)
    ProgrammeFactory(gestionnaires=[autre])
    client.force_login(autre)

    for nom in ("publier", "retirer"):
        adresse = reverse(f"donnees_ouvertes:{nom}", args=[cohorte.slug])
        assert client.get(adresse).status_code == 404
        assert client.post(adresse).status_code == 404
    assert not Publication.objects.exists()


@pytest.mark.parametrize("role", ["candidat", "observateur", "coach"])
def test_les_autres_roles_sont_refuses_en_403(client, cohorte, role):
    client.force_login(UtilisateurFactory(**{role: True}))

    for nom in ("publier", "retirer"):
        adresse = reverse(f"donnees_ouvertes:{nom}", args=[cohorte.slug])
        assert client.get(adresse).status_code == 403
        assert client.post(adresse).status_code == 403
    assert not Publication.objects.exists()


def test_sans_connexion_publier_renvoie_a_la_connexion(client, cohorte):
    reponse = client.post(reverse("donnees_ouvertes:publier", args=[cohorte.slug]))

    assert reponse.status_code == 302
    assert reponse["Location"].startswith(reverse("account_login"))
    assert not Publication.objects.exists()


def test_un_appel_sans_laureate_ne_se_publie_pas(client):
    gestionnaire = UtilisateurFactory(gestionnaire=True)
    appel = AppelFactory(clos=True, programme=ProgrammeFactory(gestionnaires=[gestionnaire]))
    CandidatureFactory(appel=appel, non_retenue=True)
    client.force_login(gestionnaire)

    page = client.get(reverse("donnees_ouvertes:publier", args=[appel.slug]))
    reponse = client.post(reverse("donnees_ouvertes:publier", args=[appel.slug]))

    assert page.status_code == 200
    assert '<form method="post">' not in page.content.decode()
    assert reponse.status_code == 409
    assert "n'a pas encore de structure lauréate" in reponse.content.decode()
    assert not Publication.objects.exists()
    assert not Evenement.objects.de(appel).exists()


def test_la_page_de_confirmation_montre_l_apercu_masque(client, cohorte, gestionnaire):
    client.force_login(gestionnaire)

    reponse = client.get(reverse("donnees_ouvertes:publier", args=[cohorte.slug]))

    contenu = reponse.content.decode()
    assert '<th scope="col">referents_formes</th>' in contenu
    assert "<td>&lt; 5</td>" in contenu
    assert "<td>masqué</td>" in contenu
    assert not Publication.objects.exists()


def test_le_bilan_du_gestionnaire_propose_de_publier_puis_montre_la_publication(
    client, cohorte, gestionnaire
):
    client.force_login(gestionnaire)
    bilan = reverse("activite:bilan", args=[cohorte.slug])

    avant = client.get(bilan).content.decode()
    client.post(reverse("donnees_ouvertes:publier", args=[cohorte.slug]))
    apres = client.get(bilan).content.decode()

    assert "Publier en données ouvertes" in avant
    assert "les petits nombres restent cachés par le secret statistique" in avant
    assert "Publier en données ouvertes" not in apres
    assert "Mettre à jour la publication" in apres and "Retirer la publication" in apres
    assert "http://testserver/donnees/appel-masque/" in apres


def test_l_observateur_ne_voit_pas_le_bloc_de_publication(client, cohorte):
    client.force_login(UtilisateurFactory(observateur=True))

    contenu = client.get(reverse("activite:bilan", args=[cohorte.slug])).content.decode()

    assert "Données ouvertes" not in contenu


@pytest.mark.django_db(transaction=True)
def test_le_paquet_en_ligne_passe_la_validation_a_son_adresse_publique(live_server, client):
    """Comme un réutilisateur qui ne télécharge rien : Frictionless lit le descripteur à son
    adresse, puis le CSV à l'adresse relative qu'il donne."""
    appel = construire_cohorte()
    gestionnaire = UtilisateurFactory(gestionnaire=True)
    appel.programme.gestionnaires.add(gestionnaire)
    assert _publier(client, appel, gestionnaire).status_code == 302

    adresse = live_server.url + reverse("donnees_ouvertes:descripteur", args=[appel.slug])
    rapport = frictionless.validate(adresse)

    assert rapport.valid, rapport.flatten(["rowNumber", "fieldName", "type", "note"])
    assert [tache.stats["rows"] for tache in rapport.tasks] == [3]
    assert rapport.tasks[0].place == "indicateurs.csv"


def test_head_et_revalidation_par_date(client, publiee):
    adresse = reverse("donnees_ouvertes:descripteur", args=[publiee.slug])
    premiere = client.get(adresse)

    tete = client.head(adresse)
    revalidation = client.get(adresse, HTTP_IF_MODIFIED_SINCE=premiere["Last-Modified"])

    assert tete.status_code == 200 and tete["ETag"] == premiere["ETag"]
    assert revalidation.status_code == 304


def test_le_service_verifie_la_regle_sur_l_appel(cohorte, gestionnaire):
    """Hors des vues aussi : le gestionnaire d'un autre programme ne publie ni ne retire."""
    autre = UtilisateurFactory(gestionnaire=True)
    ProgrammeFactory(gestionnaires=[autre])
    services.publier(cohorte, par=gestionnaire)

    with pytest.raises(ActionNonPermise):
        services.publier(cohorte, par=autre)
    with pytest.raises(ActionNonPermise):
        services.retirer(cohorte, par=autre)
    assert Publication.objects.get().en_ligne


def test_un_nom_de_structure_en_formule_est_neutralise_dans_le_csv(client, cohorte, gestionnaire):
    """Comme les autres exports : un tableur qui ouvre le CSV n'exécute pas le nom."""
    structure = cohorte.candidatures.get(structure__nom="CCAS de Houplines").structure
    structure.nom = '=HYPERLINK("http://x.test")'
    structure.save(update_fields=["nom"])

    _publier(client, cohorte, gestionnaire)

    lignes = _lignes_csv(Publication.objects.get().csv.encode())
    assert [ligne[1] for ligne in lignes[2:]] == [
        '\'=HYPERLINK("http://x.test")',
        "CCAS d'Armentières",
    ]

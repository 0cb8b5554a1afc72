import datetime

import pytest
from django.utils import timezone

from candidatures import services
from candidatures.enums import EtatCandidature
from candidatures.models import Candidature, PieceJointe
from noyau.rendu_pdf import un_rendu_a_la_fois
from tests.candidatures.factories import (
    AppelFactory,
    CandidatureFactory,
    StructureFactory,
    commune,
    siret_valide,
)
from tests.candidatures.fichiers import PDF, XLSX, fichier
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def appel():
    return AppelFactory(
        ouvert=True,
        avec_questions=True,
        titre="AMI inclusion numérique 2026",
        slug="ami-2026",
        description="## Objectifs\n\nFormer **vos équipes**.<script>alert(1)</script>",
    )


@pytest.fixture
def brouillon(appel, structure):
    return CandidatureFactory(appel=appel, structure=structure)


@pytest.fixture
def connecte(client, candidat):
    client.force_login(candidat)
    return client


def _champs(candidature):
    texte, oui_non, nombre = candidature.appel.questions.all()
    piece = candidature.appel.pieces_demandees.get()
    return texte, oui_non, nombre, piece


# --- Appels publics ------------------------------------------------------------------------


def test_la_liste_publique_ne_montre_que_les_appels_ouverts(client, appel):
    AppelFactory(titre="Appel en préparation")
    AppelFactory(clos=True, titre="Appel clos")
    reponse = client.get("/appels/")
    assert reponse.status_code == 200
    assert [a.titre for a in reponse.context["appels"]] == ["AMI inclusion numérique 2026"]


def test_la_page_d_un_appel_rend_le_markdown_sans_script(client, appel):
    reponse = client.get("/appels/ami-2026/")
    assert reponse.status_code == 200
    assert "<h3>Objectifs</h3>" in reponse.text
    assert "<strong>vos équipes</strong>" in reponse.text
    assert "<script>alert(1)</script>" not in reponse.text
    assert "Commune de moins de 21\u202f000 habitants (population municipale, INSEE)." in (
        reponse.text
    )


def test_un_appel_en_brouillon_est_introuvable_sauf_pour_ses_gestionnaires(client, programme):
    appel = AppelFactory(programme=programme, slug="en-preparation")
    assert client.get("/appels/en-preparation/").status_code == 404
    client.force_login(programme.gestionnaires.get())
    assert client.get("/appels/en-preparation/").status_code == 200
    client.force_login(UtilisateurFactory(gestionnaire=True))
    assert client.get(f"/appels/{appel.slug}/").status_code == 404


def test_la_page_d_un_appel_verifie_l_eligibilite_de_ma_structure(connecte, appel, structure):
    reponse = connecte.get("/appels/ami-2026/")
    [ligne] = reponse.context["structures"]
    assert ligne["eligibilite"].resultat == "eligible"
    assert "Houplines (59317) : 7\u00a0921 habitants (INSEE 2023) &lt; 21\u00a0000" in reponse.text
    assert "Candidater pour CCAS de Houplines" in reponse.text


def test_candidater_ouvre_un_brouillon(connecte, appel, structure):
    reponse = connecte.post("/appels/ami-2026/candidater/", {"structure": structure.pk})
    candidature = Candidature.objects.get()
    assert reponse["Location"] == f"/candidatures/{candidature.pk}/formulaire/"
    assert (candidature.structure, candidature.etat) == (structure, "brouillon")


def test_candidater_sans_structure_mene_au_profil(client, appel):
    client.force_login(UtilisateurFactory(candidat=True))
    reponse = client.post("/appels/ami-2026/candidater/", {"structure": ""})
    assert reponse["Location"] == "/structures/nouvelle/?appel=ami-2026"


def test_candidater_pour_la_structure_d_un_autre_est_introuvable(connecte, appel, structure):
    autre = StructureFactory()
    assert connecte.post("/appels/ami-2026/candidater/", {"structure": autre.pk}).status_code == 404
    assert Candidature.objects.count() == 0


# --- Formulaire ----------------------------------------------------------------------------


def test_le_formulaire_montre_les_questions_et_ce_qui_manque(connecte, brouillon):
    texte, oui_non, nombre, piece = _champs(brouillon)
    reponse = connecte.get(f"/candidatures/{brouillon.pk}/formulaire/")
    assert reponse.status_code == 200
    assert [(m.libelle, m.ancre) for m in reponse.context["manques"]] == [
        ("Question 1 : Quels publics accueillez-vous ?", f"id_q_{texte.pk}"),
        ("Question 2 : Disposez-vous d'une salle équipée ?", f"div_id_q_{oui_non.pk}"),
        ("Pièce à joindre : Statuts ou délibération", f"id_piece_{piece.pk}"),
    ]
    assert f'<a href="#id_q_{texte.pk}">Question 1 : Quels publics accueillez-vous ?</a>' in (
        reponse.text
    )
    assert f'id="div_id_q_{oui_non.pk}"' in reponse.text
    assert f'id="id_piece_{piece.pk}"' in reponse.text
    assert 'maxlength="500"' in reponse.text


def test_enregistrer_le_brouillon_puis_le_reprendre(connecte, brouillon):
    texte, oui_non, nombre, piece = _champs(brouillon)
    reponse = connecte.post(
        f"/candidatures/{brouillon.pk}/formulaire/",
        {
            f"q_{texte.pk}": "Des seniors isolés.",
            f"q_{nombre.pk}": "1 250,5",
            "action": "enregistrer",
        },
    )
    assert reponse.status_code == 302
    brouillon.refresh_from_db()
    assert brouillon.reponses == {str(texte.pk): "Des seniors isolés.", str(nombre.pk): 1250.5}
    reprise = connecte.get(f"/candidatures/{brouillon.pk}/formulaire/")
    assert "Des seniors isolés.</textarea>" in reprise.text
    assert 'value="1250,5"' in reprise.text


def test_un_champ_mal_rempli_n_empeche_pas_d_enregistrer_les_autres(connecte, brouillon):
    texte, oui_non, nombre, piece = _champs(brouillon)
    reponse = connecte.post(
        f"/candidatures/{brouillon.pk}/formulaire/",
        {f"q_{texte.pk}": "Des seniors.", f"q_{nombre.pk}": "beaucoup", "action": "enregistrer"},
    )
    assert reponse.status_code == 400
    assert "Saisissez un nombre." in reponse.text
    assert 'value="beaucoup"' in reponse.text
    brouillon.refresh_from_db()
    assert brouillon.reponses == {str(texte.pk): "Des seniors."}


def test_enregistrement_automatique(connecte, brouillon):
    texte, oui_non, nombre, piece = _champs(brouillon)
    reponse = connecte.post(
        f"/candidatures/{brouillon.pk}/enregistrement-automatique/",
        {f"q_{texte.pk}": "Des familles.", f"q_{oui_non.pk}": "oui"},
    )
    assert reponse.status_code == 200
    corps = reponse.json()
    heure = timezone.localtime().strftime("%H:%M")
    assert corps["message"] in {
        f"Brouillon enregistré automatiquement à {heure}.",
        # la minute a pu tourner entre la requête et l'assertion
        "Brouillon enregistré automatiquement à "
        f"{(timezone.localtime() - datetime.timedelta(minutes=1)):%H:%M}.",
    }
    assert corps["erreurs"] == {}
    assert "Ce qui manque (1)" in corps["panneau"]
    assert "Pièce à joindre : Statuts ou délibération" in corps["panneau"]
    brouillon.refresh_from_db()
    assert brouillon.reponses == {str(texte.pk): "Des familles.", str(oui_non.pk): True}


def test_joindre_une_piece_par_le_formulaire(connecte, brouillon):
    *_, piece = _champs(brouillon)
    reponse = connecte.post(
        f"/candidatures/{brouillon.pk}/formulaire/",
        {f"piece_{piece.pk}": fichier("statuts signés.pdf"), "action": "enregistrer"},
    )
    assert reponse.status_code == 302
    jointe = PieceJointe.objects.get()
    assert (jointe.nom_original, jointe.piece_demandee) == ("statuts signés.pdf", piece)
    page = connecte.get(f"/candidatures/{brouillon.pk}/formulaire/")
    assert "statuts signés.pdf" in page.text
    assert "Choisir un autre fichier le remplace." in page.text


def test_une_piece_d_un_type_refuse_est_signalee_sur_son_champ(connecte, brouillon):
    texte, _, _, piece = _champs(brouillon)
    reponse = connecte.post(
        f"/candidatures/{brouillon.pk}/formulaire/",
        {
            f"q_{texte.pk}": "Des seniors.",
            f"piece_{piece.pk}": fichier("budget.xlsx", XLSX),
            "action": "enregistrer",
        },
    )
    assert reponse.status_code == 400
    assert reponse.context["form"].errors == {
        f"piece_{piece.pk}": [
            "Le fichier « budget.xlsx » n'est pas d'un type accepté. Formats acceptés : PDF, "
            "ODT, DOCX, JPG ou PNG."
        ]
    }
    assert "Des seniors.</textarea>" in reponse.text
    assert PieceJointe.objects.count() == 0


def test_une_piece_trop_lourde_est_signalee(connecte, brouillon, settings):
    settings.CANDIDATURES_TAILLE_MAX_PIECE_JOINTE = 100
    *_, piece = _champs(brouillon)
    reponse = connecte.post(
        f"/candidatures/{brouillon.pk}/formulaire/",
        {f"piece_{piece.pk}": fichier("statuts.pdf", PDF + b"0" * 200), "action": "enregistrer"},
    )
    assert reponse.status_code == 400
    assert "la limite est de " in reponse.context["form"].errors[f"piece_{piece.pk}"][0]


def test_retirer_une_piece_depuis_le_formulaire(connecte, brouillon, candidat):
    *_, piece_demandee = _champs(brouillon)
    piece = services.joindre_fichier(
        brouillon, par=candidat, fichier=fichier("a.pdf"), piece_demandee=piece_demandee
    )
    reponse = connecte.post(
        f"/candidatures/{brouillon.pk}/formulaire/", {"retirer_piece": piece.pk}
    )
    assert reponse.status_code == 302
    assert PieceJointe.objects.count() == 0


def _tout_remplir(client, candidature, action):
    texte, oui_non, nombre, piece = _champs(candidature)
    return client.post(
        f"/candidatures/{candidature.pk}/formulaire/",
        {
            f"q_{texte.pk}": "Des seniors isolés.",
            f"q_{oui_non.pk}": "non",
            f"piece_{piece.pk}": fichier("statuts.pdf"),
            "action": action,
        },
    )


def test_deposer_incomplet_refuse_et_garde_la_saisie(connecte, brouillon):
    texte, *_ = _champs(brouillon)
    reponse = connecte.post(
        f"/candidatures/{brouillon.pk}/formulaire/",
        {f"q_{texte.pk}": "Des seniors isolés.", "action": "deposer"},
    )
    assert reponse.status_code == 409
    assert "Votre candidature n&#x27;est pas complète : il manque 2 éléments" in reponse.text
    assert "Des seniors isolés.</textarea>" in reponse.text
    assert "Ce qui manque (2)" in reponse.text
    brouillon.refresh_from_db()
    assert (brouillon.etat, brouillon.reponses) == (
        "brouillon",
        {str(texte.pk): "Des seniors isolés."},
    )


def test_deposer_apres_la_date_limite_refuse_et_garde_la_saisie(connecte, structure):
    candidature = CandidatureFactory(structure=structure, appel__echu=True)
    reponse = _tout_remplir(connecte, candidature, "deposer")
    assert reponse.status_code == 409
    assert "La date limite de dépôt était le " in reponse.text
    assert "Vos réponses restent enregistrées." in reponse.text
    assert "Des seniors isolés.</textarea>" in reponse.text
    candidature.refresh_from_db()
    assert candidature.etat == "brouillon"
    assert len(candidature.reponses) == 2
    assert candidature.pieces_jointes.count() == 1


def test_deposer_puis_voir_deposee_et_le_recepisse(connecte, brouillon, mailoutbox):
    reponse = _tout_remplir(connecte, brouillon, "deposer")
    assert reponse["Location"] == f"/candidatures/{brouillon.pk}/"
    suivi = connecte.get(reponse["Location"])
    assert "Votre candidature est déposée." in suivi.text
    assert '<span class="badge text-bg-primary">Déposée</span>' in suivi.text
    assert [etape["libelle"] for etape in suivi.context["chronologie"]] == ["Déposée"]
    recepisse = connecte.get(f"/candidatures/{brouillon.pk}/recepisse.pdf")
    assert recepisse.status_code == 200
    assert recepisse["Content-Type"] == "application/pdf"
    assert recepisse.content[:5] == b"%PDF-"
    assert connecte.get(f"/candidatures/{brouillon.pk}/formulaire/")["Location"] == (
        f"/candidatures/{brouillon.pk}/"
    )


def test_un_seul_recepisse_en_rendu_a_la_fois_par_personne(connecte, candidat, brouillon):
    _tout_remplir(connecte, brouillon, "deposer")

    # Pendant qu'un autre rendu de cette personne est en cours (une autre requête) :
    with un_rendu_a_la_fois(candidat):
        pendant = connecte.get(f"/candidatures/{brouillon.pk}/recepisse.pdf")
    apres = connecte.get(f"/candidatures/{brouillon.pk}/recepisse.pdf")

    assert (pendant.status_code, pendant["Retry-After"]) == (429, "10")
    assert "Un autre PDF est déjà en préparation pour vous." in pendant.text
    assert f'href="/candidatures/{brouillon.pk}/"' in pendant.text
    assert (apres.status_code, apres.content[:5]) == (200, b"%PDF-")


def test_pas_de_recepisse_avant_le_depot(connecte, brouillon):
    assert connecte.get(f"/candidatures/{brouillon.pk}/recepisse.pdf").status_code == 404


def test_redeposer_une_candidature_a_completer(connecte, structure):
    candidature = CandidatureFactory(a_completer=True, structure=structure)
    suivi = connecte.get(f"/candidatures/{candidature.pk}/")
    assert "Joignez les statuts signés." in suivi.text
    assert "Compléter et déposer à nouveau" in suivi.text
    formulaire = connecte.get(f"/candidatures/{candidature.pk}/formulaire/")
    assert "Déposer à nouveau la candidature" in formulaire.text
    reponse = _tout_remplir(connecte, candidature, "deposer")
    assert reponse.status_code == 302
    candidature.refresh_from_db()
    assert candidature.etat == EtatCandidature.DEPOSEE


def test_retirer_avec_confirmation(connecte, structure):
    candidature = CandidatureFactory(deposee=True, structure=structure)
    confirmation = connecte.get(f"/candidatures/{candidature.pk}/retirer/")
    assert "Oui, retirer la candidature" in confirmation.text
    candidature.refresh_from_db()
    assert candidature.etat == "deposee"
    reponse = connecte.post(f"/candidatures/{candidature.pk}/retirer/", {"motif": "Reporté"})
    assert reponse.status_code == 302
    candidature.refresh_from_db()
    assert (candidature.etat, candidature.motif_retrait) == ("retiree", "Reporté")


def test_retirer_apres_une_decision_est_refuse_en_409(connecte, structure):
    candidature = CandidatureFactory(retenue=True, structure=structure)
    reponse = connecte.post(f"/candidatures/{candidature.pk}/retirer/", {"motif": ""})
    assert reponse.status_code == 409
    assert (
        "Impossible de retirer la candidature : la candidature est à l&#x27;état « Retenue »"
        in (reponse.text)
    )


def test_le_suivi_montre_les_messages_recus(connecte, structure, programme):
    candidature = CandidatureFactory(deposee=True, structure=structure, appel__programme=programme)
    services.demander_complement(
        candidature, par=programme.gestionnaires.get(), message="Ajoutez le budget."
    )
    suivi = connecte.get(f"/candidatures/{candidature.pk}/")
    [message] = suivi.context["messages_recus"]
    assert message.sujet.startswith("[Relais] Votre candidature est à compléter")
    etapes = [(e["libelle"], e["par"], e["motif"]) for e in suivi.context["chronologie"]]
    assert etapes == [("À compléter", "L'équipe du programme", "Ajoutez le budget.")]


# --- Une structure ne voit rien d'une autre ------------------------------------------------


def test_une_autre_structure_recoit_404_partout(client, structure, candidat):
    candidature = CandidatureFactory(deposee=True, structure=structure)
    piece_demandee = candidature.appel.pieces_demandees.get()
    piece = PieceJointe.objects.create(
        candidature=candidature,
        piece_demandee=piece_demandee,
        fichier="candidatures/x.pdf",
        nom_original="statuts.pdf",
        type_mime="application/pdf",
        taille=10,
    )
    intrus = UtilisateurFactory(candidat=True)
    StructureFactory(membres=[intrus])
    client.force_login(intrus)
    adresses = [
        f"/candidatures/{candidature.pk}/",
        f"/candidatures/{candidature.pk}/formulaire/",
        f"/candidatures/{candidature.pk}/retirer/",
        f"/candidatures/{candidature.pk}/recepisse.pdf",
        f"/candidatures/{candidature.pk}/pieces/{piece.pk}/",
        f"/structures/{structure.pk}/",
        f"/structures/{structure.pk}/modifier/",
    ]
    assert [client.get(adresse).status_code for adresse in adresses] == [404] * len(adresses)
    envois = [
        f"/candidatures/{candidature.pk}/formulaire/",
        f"/candidatures/{candidature.pk}/enregistrement-automatique/",
        f"/candidatures/{candidature.pk}/retirer/",
        f"/structures/{structure.pk}/inviter/",
    ]
    assert [client.post(adresse, {}).status_code for adresse in envois] == [404] * len(envois)


def test_la_piece_jointe_est_servie_a_la_structure_en_telechargement(connecte, brouillon, candidat):
    *_, piece_demandee = _champs(brouillon)
    piece = services.joindre_fichier(
        brouillon, par=candidat, fichier=fichier("statuts.pdf"), piece_demandee=piece_demandee
    )
    reponse = connecte.get(f"/candidatures/{brouillon.pk}/pieces/{piece.pk}/")
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "application/pdf"
    assert reponse["Content-Disposition"] == 'attachment; filename="statuts.pdf"'
    assert b"".join(reponse.streaming_content) == PDF


def test_la_piece_d_une_candidature_n_est_pas_servie_sous_une_autre(
    connecte, brouillon, candidat, structure
):
    *_, piece_demandee = _champs(brouillon)
    piece = services.joindre_fichier(
        brouillon, par=candidat, fichier=fichier("statuts.pdf"), piece_demandee=piece_demandee
    )
    autre = CandidatureFactory(structure=structure)
    assert connecte.get(f"/candidatures/{autre.pk}/pieces/{piece.pk}/").status_code == 404


def test_anonyme_renvoye_vers_la_connexion(client, brouillon):
    reponse = client.get(f"/candidatures/{brouillon.pk}/")
    assert reponse["Location"] == f"/comptes/login/?next=/candidatures/{brouillon.pk}/"


# --- Mon espace ----------------------------------------------------------------------------


def test_mon_espace_mene_d_abord_au_profil_de_la_structure(client, appel):
    client.force_login(UtilisateurFactory(candidat=True))
    reponse = client.get("/tableau-de-bord/")
    assert "Créer le profil de ma structure" in reponse.text
    assert "/structures/nouvelle/" in reponse.text
    assert "AMI inclusion numérique 2026" in reponse.text


def test_mon_espace_liste_mes_candidatures_et_les_appels_ouverts(connecte, structure, appel):
    CandidatureFactory(structure=structure, appel=appel)
    autre_appel = AppelFactory(ouvert=True, titre="Deuxième appel")
    reponse = connecte.get("/tableau-de-bord/")
    assert "CCAS de Houplines" in reponse.text
    assert [c.appel.titre for c in reponse.context["candidatures"]] == [
        "AMI inclusion numérique 2026"
    ]
    assert [a.titre for a in reponse.context["appels_ouverts"]] == [autre_appel.titre]


# --- Profil de la structure ----------------------------------------------------------------


def _profil(**changements):
    return {
        "nom": "CCAS de Leers",
        "type": "ccas",
        "siret": "",
        "commune": "Leers",
        "commune_code": "",
        "adresse": "Place de la République",
        "code_postal": "59115",
        "contact_nom": "Claire Martin",
        "contact_email": "ccas@leers.test",
        "contact_telephone": "03 20 00 00 01",
        **changements,
    }


def test_creer_le_profil_avec_un_siret_faux_garde_la_saisie(client):
    client.force_login(UtilisateurFactory(candidat=True))
    reponse = client.post("/structures/nouvelle/", _profil(siret="123 456 789 00012"))
    assert reponse.status_code == 400
    assert reponse.context["form"].errors == {
        "siret": [
            "Ce SIRET n'existe pas : son dernier chiffre (la clé de contrôle) ne correspond pas "
            "aux autres. Vérifiez-le sur un avis de situation INSEE ou sur "
            "annuaire-entreprises.data.gouv.fr."
        ]
    }
    assert 'value="CCAS de Leers"' in reponse.text


def test_creer_le_profil_avec_un_siret_trop_court(client):
    client.force_login(UtilisateurFactory(candidat=True))
    reponse = client.post("/structures/nouvelle/", _profil(siret="1234"))
    assert reponse.context["form"].errors["siret"] == [
        "Le SIRET compte exactement 14 chiffres (9 pour le SIREN, 5 pour l'établissement)."
    ]


@pytest.mark.parametrize(
    ("siret", "message"),
    [
        ("000 000 000 00000", "Ce SIRET n'existe pas : il n'est fait que de zéros."),
        (
            "000 000 000 00018",
            "Ce SIRET n'existe pas : son SIREN (ses 9 premiers chiffres) n'est fait que de zéros.",
        ),
    ],
)
def test_creer_le_profil_avec_un_siret_de_zeros_est_refuse(client, siret, message):
    client.force_login(UtilisateurFactory(candidat=True))
    reponse = client.post("/structures/nouvelle/", _profil(siret=siret))
    assert reponse.status_code == 400
    assert reponse.context["form"].errors == {"siret": [message]}
    assert f'value="{siret}"' in reponse.text


def test_creer_le_profil_avec_le_code_postal_00000_est_refuse(client):
    client.force_login(UtilisateurFactory(candidat=True))
    reponse = client.post(
        "/structures/nouvelle/", _profil(siret=siret_valide(780), code_postal="00000")
    )
    assert reponse.context["form"].errors == {
        "code_postal": ["Ce code postal n'existe pas : il ne commence pas par 00."]
    }


@pytest.mark.parametrize(
    "telephone", ["03 20 00 00 0", "03 20 00 00 001", "00 00 00 00 00", "téléphone"]
)
def test_creer_le_profil_avec_un_telephone_invalide_garde_la_saisie(client, telephone):
    client.force_login(UtilisateurFactory(candidat=True))
    reponse = client.post(
        "/structures/nouvelle/", _profil(siret=siret_valide(778), contact_telephone=telephone)
    )
    assert reponse.status_code == 400
    assert reponse.context["form"].errors == {
        "contact_telephone": [
            "Ce numéro de téléphone n'est pas valide : tapez ses 10 chiffres (03 20 12 34 56), "
            "ou l'indicatif du pays pour un numéro étranger (+32 2 555 12 12)."
        ]
    }
    assert f'value="{telephone}"' in reponse.text


@pytest.mark.parametrize(
    ("saisie", "enregistre"),
    [
        ("0320000001", "03 20 00 00 01"),
        ("+33 3 20 00 00 01", "03 20 00 00 01"),
        ("06.12.34.56.78", "06 12 34 56 78"),
        ("+32 2 555 12 12", "+32 2 555 12 12"),
    ],
)
def test_le_telephone_est_enregistre_tel_qu_on_le_lit(client, saisie, enregistre):
    utilisateur = UtilisateurFactory(candidat=True)
    client.force_login(utilisateur)
    reponse = client.post(
        "/structures/nouvelle/", _profil(siret=siret_valide(779), contact_telephone=saisie)
    )
    assert reponse.status_code == 302
    assert utilisateur.structures.get().contact_telephone == enregistre


def test_creer_le_profil_puis_revenir_a_l_appel(client, appel):
    from tests.candidatures.factories import siret_valide

    utilisateur = UtilisateurFactory(candidat=True)
    client.force_login(utilisateur)
    siret = siret_valide(777)
    espace = f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"
    reponse = client.post("/structures/nouvelle/?appel=ami-2026", _profil(siret=espace))
    assert reponse["Location"] == "/appels/ami-2026/"
    structure = utilisateur.structures.get()
    assert (structure.siret, structure.commune) == (siret, commune("59339"))


def test_un_siret_deja_pris_renvoie_vers_l_invitation(client, structure):
    client.force_login(UtilisateurFactory(candidat=True))
    reponse = client.post("/structures/nouvelle/", _profil(siret=structure.siret))
    assert reponse.context["form"].errors["siret"] == [
        "Une structure avec ce SIRET existe déjà sur Relais : demandez à une personne de cette "
        "structure de vous inviter."
    ]


def test_un_gestionnaire_ne_cree_pas_de_structure(client, gestionnaire):
    client.force_login(gestionnaire)
    assert client.get("/structures/nouvelle/").status_code == 403


def test_inviter_un_collegue_et_accepter_sans_compte(client, structure, candidat):
    client.force_login(candidat)
    client.post(f"/structures/{structure.pk}/inviter/", {"email": "sam@houplines.test"})
    _, jeton = services.inviter_dans_structure(structure, email="alex@houplines.test", par=candidat)
    client.logout()
    page = client.get(f"/structures/invitation/{jeton}/")
    assert "Créez votre compte (alex@houplines.test)" in page.text
    reponse = client.post(
        f"/structures/invitation/{jeton}/",
        {
            "prenom": "Alex",
            "nom": "Collègue",
            "mot_de_passe": "Ateliers-numeriques-2026",
            "confirmation": "Ateliers-numeriques-2026",
        },
    )
    assert reponse.status_code == 302
    assert reponse["Location"] == f"/structures/{structure.pk}/"
    assert sorted(structure.membres.values_list("email", flat=True)) == [
        "alex@houplines.test",
        "ccas@houplines.test",
    ]
    assert client.get(f"/structures/invitation/{jeton}/").status_code == 410


def test_un_lien_d_invitation_inconnu(client):
    reponse = client.get("/structures/invitation/inconnu/")
    assert reponse.status_code == 410
    assert "Ce lien d&#x27;invitation n&#x27;est pas valable." in reponse.text


def test_des_identifiants_trafiques_donnent_404_et_pas_500(connecte, appel, structure, brouillon):
    assert connecte.post("/appels/ami-2026/candidater/", {"structure": "x"}).status_code == 404
    reponse = connecte.post(
        f"/candidatures/{brouillon.pk}/formulaire/", {"retirer_piece": "1 OR 1=1"}
    )
    assert reponse.status_code == 404


def test_un_fichier_disparu_du_stockage_donne_404(connecte, brouillon):
    *_, piece_demandee = _champs(brouillon)
    piece = PieceJointe.objects.create(
        candidature=brouillon,
        piece_demandee=piece_demandee,
        fichier="candidatures/disparu.pdf",
        nom_original="statuts.pdf",
        type_mime="application/pdf",
        taille=10,
    )
    assert connecte.get(f"/candidatures/{brouillon.pk}/pieces/{piece.pk}/").status_code == 404


def test_une_invitation_refusee_garde_l_adresse_tapee_et_dit_pourquoi(client, structure, candidat):
    client.force_login(candidat)
    adresse = f"/structures/{structure.pk}/inviter/"

    reponse = client.post(adresse, {"email": "sam@houplines"})

    assert reponse.status_code == 400
    assert 'value="sam@houplines"' in reponse.text
    assert "Saisissez une adresse e-mail valide." in reponse.text
    assert structure.invitations.count() == 0

    # Déjà membre : le refus du service vient sous le champ, l'adresse reste.
    reponse = client.post(adresse, {"email": "ccas@houplines.test"})
    assert reponse.status_code == 400
    assert 'value="ccas@houplines.test"' in reponse.text
    assert structure.invitations.count() == 0

"""Le gestionnaire et son appel, comme il les rencontre : dupliquer puis modifier et publier,
clore avec confirmation puis rouvrir, réordonner les questions par boutons."""

import datetime

import pytest
from django.utils import timezone

from candidatures.models import Candidature
from journal.enums import TypeEvenement
from journal.models import Evenement
from programmes.enums import EtatAppel
from programmes.models import Appel
from tests.candidatures.factories import (
    AppelFactory,
    CandidatureFactory,
    PieceDemandeeFactory,
    StructureFactory,
)
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def connecte(client, gestionnaire):
    client.force_login(gestionnaire)
    return client


def _entree_date_heure(moment):
    """Ce qu'envoie un champ `<input type="datetime-local">` : heure locale, sans secondes."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


# --- Modifier un appel, y compris sa copie -------------------------------------------------


def test_dupliquer_puis_dater_et_publier_la_copie(connecte, programme, gestionnaire):
    ancien = AppelFactory(
        programme=programme, clos=True, avec_questions=True, titre="AMI 2022", slug="ami-2022"
    )
    reponse = connecte.post(f"/gestion/appels/{ancien.pk}/dupliquer/")
    copie = Appel.objects.get(copie_de=ancien)
    assert reponse["Location"] == f"/gestion/appels/{copie.pk}/"
    assert (copie.ouverture, copie.date_limite) == (None, None)

    formulaire = connecte.get(f"/gestion/appels/{copie.pk}/modifier/")
    assert formulaire.status_code == 200
    ouverture = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=1)
    date_limite = ouverture + datetime.timedelta(days=60)
    reponse = connecte.post(
        f"/gestion/appels/{copie.pk}/modifier/",
        {
            "titre": "AMI 2027",
            "description": "Pour les **petites communes**.",
            "ouverture": _entree_date_heure(ouverture),
            "date_limite": _entree_date_heure(date_limite),
            "nombre_places": "6",
        },
    )
    assert reponse.status_code == 302
    assert reponse["Location"] == f"/gestion/appels/{copie.pk}/"
    copie.refresh_from_db()
    # Brouillon : l'adresse publique suit le nouveau titre, sans qu'on la demande.
    assert (copie.titre, copie.slug, copie.ouverture, copie.date_limite, copie.nombre_places) == (
        "AMI 2027",
        "ami-2027",
        ouverture,
        date_limite,
        6,
    )
    assert copie.etat == EtatAppel.BROUILLON
    modification = Evenement.objects.get(type=TypeEvenement.APPEL_MODIFIE)
    assert modification.donnees == {
        "champs": ["date_limite", "description", "nombre_places", "ouverture", "slug", "titre"]
    }

    regles = {
        "perimetre_epci": "200093201",
        "seuil_population": "21000",
        "type_population": "municipale",
        "version_qpv": "",
        "qpv_intercommunal": "ineligible",
    }
    assert connecte.post(f"/gestion/appels/{copie.pk}/regles/", regles).status_code == 302
    assert connecte.post(f"/gestion/appels/{copie.pk}/publier/").status_code == 302
    copie.refresh_from_db()
    assert copie.etat == EtatAppel.OUVERT


def test_modifier_un_appel_ouvert_garde_son_etat(connecte, programme):
    appel = AppelFactory(programme=programme, ouvert=True, titre="AMI 2026", slug="ami-2026")
    reponse = connecte.post(
        f"/gestion/appels/{appel.pk}/modifier/",
        {
            "titre": "AMI 2026 — inclusion numérique",
            "description": appel.description,
            "ouverture": _entree_date_heure(appel.ouverture),
            "date_limite": _entree_date_heure(appel.date_limite + datetime.timedelta(days=7)),
            "nombre_places": "5",
        },
    )
    assert reponse.status_code == 302
    appel.refresh_from_db()
    # Publié : son adresse publique, déjà diffusée, ne change pas avec le titre.
    assert (appel.titre, appel.slug, appel.etat) == (
        "AMI 2026 — inclusion numérique",
        "ami-2026",
        EtatAppel.OUVERT,
    )


# --- Clore avant la date limite, avec confirmation ; rouvrir ------------------------------


def test_clore_maintenant_demande_confirmation_en_comptant_les_brouillons(connecte, programme):
    appel = AppelFactory(programme=programme, ouvert=True, titre="AMI 2026")
    CandidatureFactory.create_batch(2, appel=appel)  # brouillons
    CandidatureFactory(appel=appel, deposee=True)

    page = connecte.get(f"/gestion/appels/{appel.pk}/")
    assert f'href="/gestion/appels/{appel.pk}/clore/"' in page.text
    confirmation = connecte.get(f"/gestion/appels/{appel.pk}/clore/")
    assert confirmation.status_code == 200
    assert "2 candidatures sont encore en brouillon" in confirmation.text
    appel.refresh_from_db()
    assert appel.etat == EtatAppel.OUVERT

    reponse = connecte.post(f"/gestion/appels/{appel.pk}/clore/", {"motif": "Places pourvues"})
    assert reponse["Location"] == f"/gestion/appels/{appel.pk}/"
    appel.refresh_from_db()
    assert appel.etat == EtatAppel.CLOS
    journal = Evenement.objects.changements_d_etat().de(appel).get(transition="clore")
    assert (journal.depuis, journal.vers, journal.motif) == (
        "ouvert",
        "clos",
        "Places pourvues",
    )


def test_la_confirmation_dit_quand_aucun_brouillon_n_est_ouvert(connecte, programme):
    appel = AppelFactory(programme=programme, ouvert=True)
    confirmation = connecte.get(f"/gestion/appels/{appel.pk}/clore/")
    assert "Aucune candidature n'est en brouillon." in confirmation.text


def test_rouvrir_un_appel_clos_trop_tot(connecte, programme, gestionnaire):
    appel = AppelFactory(programme=programme, ouvert=True, titre="AMI 2026")
    connecte.post(f"/gestion/appels/{appel.pk}/clore/")
    page = connecte.get(f"/gestion/appels/{appel.pk}/")
    assert f'href="/gestion/appels/{appel.pk}/rouvrir/"' in page.text

    nouvelle = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=14)
    formulaire = connecte.get(f"/gestion/appels/{appel.pk}/rouvrir/")
    assert formulaire.status_code == 200
    reponse = connecte.post(
        f"/gestion/appels/{appel.pk}/rouvrir/",
        {"date_limite": _entree_date_heure(nouvelle), "motif": "Clos par erreur"},
    )
    assert reponse["Location"] == f"/gestion/appels/{appel.pk}/"
    appel.refresh_from_db()
    assert (appel.etat, appel.date_limite, appel.clos_le) == (EtatAppel.OUVERT, nouvelle, None)
    assert appel.accepte_les_depots()
    journal = Evenement.objects.changements_d_etat().de(appel).get(transition="rouvrir")
    assert (journal.depuis, journal.vers, journal.acteur, journal.motif) == (
        "clos",
        "ouvert",
        gestionnaire,
        "Clos par erreur",
    )


def test_la_reouverture_annonce_puis_dit_combien_de_structures_sont_prevenues(connecte, programme):
    appel = AppelFactory(programme=programme, clos=True, titre="AMI 2026")
    for numero in (1, 2):
        structure = StructureFactory(
            membres=[UtilisateurFactory(candidat=True, email=f"brouillon{numero}@structure.test")]
        )
        CandidatureFactory(appel=appel, structure=structure)
    CandidatureFactory(
        appel=appel,
        deposee=True,
        structure=StructureFactory(
            membres=[UtilisateurFactory(candidat=True, email="depot@structure.test")]
        ),
    )

    formulaire = connecte.get(f"/gestion/appels/{appel.pk}/rouvrir/")
    assert (
        "2 structures ont un brouillon : elles recevront un courriel annonçant la réouverture "
        "et la nouvelle date limite." in formulaire.text
    )

    nouvelle = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=14)
    reponse = connecte.post(
        f"/gestion/appels/{appel.pk}/rouvrir/",
        {"date_limite": _entree_date_heure(nouvelle), "motif": "Clos par erreur"},
        follow=True,
    )
    assert reponse.redirect_chain == [(f"/gestion/appels/{appel.pk}/", 302)]
    assert (
        "L&#x27;appel est rouvert : les structures peuvent déposer. 2 structures qui ont un "
        "brouillon sont prévenues par courriel." in reponse.text
    )


def test_la_reouverture_d_un_appel_sans_brouillon_le_dit(connecte, programme):
    appel = AppelFactory(programme=programme, clos=True)
    formulaire = connecte.get(f"/gestion/appels/{appel.pk}/rouvrir/")
    assert (
        "Aucune structure n'a de brouillon sur cet appel : personne ne sera prévenu par "
        "courriel." in formulaire.text
    )


@pytest.mark.parametrize(
    ("saisie", "champ", "erreur"),
    [
        ({"motif": ""}, "motif", "Ce champ est obligatoire."),
        ({"date_limite": "passee"}, "date_limite", "La nouvelle date limite doit être à venir."),
        (
            {"date_limite": "2027-13-45T25:00"},
            "date_limite",
            "Saisissez une date et une heure valides.",
        ),
    ],
)
def test_rouvrir_exige_un_motif_et_une_date_a_venir(connecte, programme, saisie, champ, erreur):
    appel = AppelFactory(programme=programme, clos=True)
    donnees = {
        "date_limite": _entree_date_heure(timezone.now() + datetime.timedelta(days=7)),
        "motif": "Clos par erreur",
    }
    donnees |= saisie
    if donnees["date_limite"] == "passee":
        donnees["date_limite"] = _entree_date_heure(timezone.now() - datetime.timedelta(hours=2))
    reponse = connecte.post(f"/gestion/appels/{appel.pk}/rouvrir/", donnees)
    assert reponse.status_code == 400
    assert reponse.context["form"].errors[champ] == [erreur]
    assert reponse.context["form"]["motif"].value() == donnees["motif"]
    appel.refresh_from_db()
    assert appel.etat == EtatAppel.CLOS


@pytest.mark.parametrize("etat", ["ouvert", "en_evaluation", "decide"])
def test_seul_un_appel_clos_avant_l_evaluation_se_rouvre(connecte, programme, etat):
    appel = AppelFactory(programme=programme, etat=etat)
    reponse = connecte.post(
        f"/gestion/appels/{appel.pk}/rouvrir/",
        {
            "date_limite": _entree_date_heure(timezone.now() + datetime.timedelta(days=7)),
            "motif": "Encore une semaine",
        },
    )
    assert reponse.status_code == 409
    appel.refresh_from_db()
    assert appel.etat == etat
    assert (
        not Evenement.objects.changements_d_etat().de(appel).filter(transition="rouvrir").exists()
    )


# --- Réordonner les questions par boutons -------------------------------------------------


def _libelles(appel):
    return list(appel.questions.order_by("ordre", "pk").values_list("ordre", "libelle"))


def test_monter_et_descendre_une_question(connecte, programme, gestionnaire):
    appel = AppelFactory(programme=programme, avec_questions=True)
    premiere, deuxieme, troisieme = appel.questions.order_by("ordre")

    page = connecte.get(f"/gestion/appels/{appel.pk}/questions/")
    assert (
        '<button class="btn btn-sm btn-outline-secondary" type="submit" name="sens" '
        'value="descendre">Descendre<span class="visually-hidden"> la question '
        "« Quels publics accueillez-vous ? »</span></button>"
    ) in page.text
    # Pas de « Monter » pour la première, ni de « Descendre » pour la dernière.
    assert 'Monter<span class="visually-hidden"> la question « Quels publics' not in page.text
    assert 'Descendre<span class="visually-hidden"> la question « Combien' not in page.text
    assert 'name="questions-0-ordre"' not in page.text

    reponse = connecte.post(
        f"/gestion/appels/{appel.pk}/questions/{troisieme.pk}/deplacer/", {"sens": "monter"}
    )
    assert reponse["Location"] == f"/gestion/appels/{appel.pk}/questions/#ordre-questions"
    assert _libelles(appel) == [
        (1, "Quels publics accueillez-vous ?"),
        (2, "Combien de personnes accompagnez-vous par an ?"),
        (3, "Disposez-vous d'une salle équipée ?"),
    ]
    connecte.post(
        f"/gestion/appels/{appel.pk}/questions/{premiere.pk}/deplacer/", {"sens": "descendre"}
    )
    assert _libelles(appel) == [
        (1, "Combien de personnes accompagnez-vous par an ?"),
        (2, "Quels publics accueillez-vous ?"),
        (3, "Disposez-vous d'une salle équipée ?"),
    ]
    evenements = Evenement.objects.filter(type=TypeEvenement.FORMULAIRE_APPEL_MODIFIE)
    assert [(e.acteur, e.donnees) for e in evenements.order_by("pk")] == [
        (
            gestionnaire,
            {
                "question": "Combien de personnes accompagnez-vous par an ?",
                "deplacement": "monter",
                "rang": 2,
            },
        ),
        (
            gestionnaire,
            {"question": "Quels publics accueillez-vous ?", "deplacement": "descendre", "rang": 2},
        ),
    ]
    assert deuxieme.pk  # inchangée, seulement décalée


def test_la_premiere_question_ne_monte_pas(connecte, programme):
    appel = AppelFactory(programme=programme, avec_questions=True)
    premiere = appel.questions.order_by("ordre").first()
    reponse = connecte.post(
        f"/gestion/appels/{appel.pk}/questions/{premiere.pk}/deplacer/", {"sens": "monter"}
    )
    assert reponse.status_code == 409
    assert "« Quels publics accueillez-vous ? » est déjà la première question." in (
        reponse.text.replace("&#x27;", "'")
    )
    assert _libelles(appel)[0] == (1, "Quels publics accueillez-vous ?")


def test_on_ne_deplace_pas_la_question_d_un_appel_publie_ni_d_un_autre_appel(connecte, programme):
    publie = AppelFactory(programme=programme, ouvert=True, avec_questions=True)
    question = publie.questions.order_by("ordre").last()
    reponse = connecte.post(
        f"/gestion/appels/{publie.pk}/questions/{question.pk}/deplacer/", {"sens": "monter"}
    )
    assert reponse.status_code == 403
    brouillon = AppelFactory(programme=programme)
    reponse = connecte.post(
        f"/gestion/appels/{brouillon.pk}/questions/{question.pk}/deplacer/", {"sens": "monter"}
    )
    assert reponse.status_code == 404
    assert _libelles(publie)[2] == (3, "Combien de personnes accompagnez-vous par an ?")


def test_une_nouvelle_question_s_ajoute_a_la_fin(connecte, programme):
    appel = AppelFactory(programme=programme, avec_questions=True)
    questions = list(appel.questions.order_by("ordre"))
    donnees = {
        "questions-TOTAL_FORMS": "4",
        "questions-INITIAL_FORMS": "3",
        "pieces-TOTAL_FORMS": "1",
        "pieces-INITIAL_FORMS": "1",
        "pieces-0-id": str(appel.pieces_demandees.get().pk),
        "pieces-0-libelle": "Statuts ou délibération",
        "pieces-0-obligatoire": "on",
        "questions-3-libelle": "Votre territoire",
        "questions-3-type": "texte_court",
    }
    for rang, question in enumerate(questions):
        donnees |= {
            f"questions-{rang}-id": str(question.pk),
            f"questions-{rang}-libelle": question.libelle,
            f"questions-{rang}-type": question.type,
            f"questions-{rang}-obligatoire": "on" if question.obligatoire else "",
            f"questions-{rang}-limite_caracteres": question.limite_caracteres or "",
        }
    reponse = connecte.post(f"/gestion/appels/{appel.pk}/questions/", donnees)
    assert reponse.status_code == 302
    assert [libelle for _, libelle in _libelles(appel)] == [
        "Quels publics accueillez-vous ?",
        "Disposez-vous d'une salle équipée ?",
        "Combien de personnes accompagnez-vous par an ?",
        "Votre territoire",
    ]


# --- Territoires par leur nom ; adresse publique tirée du titre ----------------------------


def test_le_formulaire_d_appel_ne_demande_pas_d_adresse(connecte, programme):
    page = connecte.get(f"/gestion/programmes/{programme.pk}/appels/nouveau/")
    assert "Slug" not in page.text
    assert 'name="slug"' not in page.text
    reponse = connecte.post(
        f"/gestion/programmes/{programme.pk}/appels/nouveau/",
        {"titre": "AMI inclusion numérique", "description": ""},
    )
    deuxieme = connecte.post(
        f"/gestion/programmes/{programme.pk}/appels/nouveau/",
        {"titre": "AMI inclusion numérique", "description": ""},
    )
    assert (reponse.status_code, deuxieme.status_code) == (302, 302)
    assert list(Appel.objects.order_by("pk").values_list("slug", flat=True)) == [
        "ami-inclusion-numerique",
        "ami-inclusion-numerique-2",
    ]


def _regles(**perimetre):
    """Les règles d'un appel telles que le formulaire les envoie, avec ce périmètre."""
    return {
        **perimetre,
        "seuil_population": "21000",
        "type_population": "municipale",
        "qpv_intercommunal": "ineligible",
    }


def test_le_perimetre_se_choisit_par_le_nom_des_epci(connecte, programme):
    appel = AppelFactory(programme=programme, regles_verifiees_le=None)
    page = connecte.get(f"/gestion/appels/{appel.pk}/regles/")
    assert (
        '<select name="perimetre_epci" size="12" class="selectmultiple form-select" '
        'aria-describedby="id_perimetre_epci_helptext" id="id_perimetre_epci" multiple>'
    ) in page.text
    assert '<option value="200093201" selected>Métropole Européenne de Lille</option>' in (
        page.text
    )
    assert '<option value="200000172">CC Faucigny - Glières</option>' in page.text
    assert "SIREN" not in page.text

    reponse = connecte.post(
        f"/gestion/appels/{appel.pk}/regles/", _regles(perimetre_epci=["200093201", "200000172"])
    )
    assert reponse.status_code == 302
    appel.refresh_from_db()
    assert appel.perimetre_epci == ["200093201", "200000172"]
    fiche = connecte.get(f"/gestion/appels/{appel.pk}/")
    assert (
        "Structure située dans : Métropole Européenne de Lille, CC Faucigny - Glières."
        in fiche.text
    )
    publique = connecte.get(f"/appels/{appel.slug}/")
    assert "Structure située dans : Métropole Européenne de Lille, CC Faucigny - Glières." in (
        publique.text
    )
    assert "SIREN" not in fiche.text + publique.text


def test_un_epci_inconnu_est_refuse_a_cote_du_champ(connecte, programme):
    appel = AppelFactory(programme=programme, regles_verifiees_le=None)
    reponse = connecte.post(
        f"/gestion/appels/{appel.pk}/regles/", _regles(perimetre_epci=["200093201", "123456789"])
    )
    assert reponse.status_code == 400
    assert reponse.context["form"].errors["perimetre_epci"] == [
        "Choisissez les EPCI dans la liste : « 123456789 » n'en fait pas partie."
    ]
    appel.refresh_from_db()
    assert appel.regles_verifiees_le is None


def test_un_instantane_sans_nom_d_epci_montre_le_nom_actuel(connecte, programme):
    appel = AppelFactory(programme=programme, ouvert=True)
    candidature = CandidatureFactory(appel=appel, deposee=True)
    eligibilite = dict(candidature.eligibilite)
    eligibilite["epci"] = {"siren": "200093201", "name": ""}
    Candidature.objects.filter(pk=candidature.pk).update(eligibilite=eligibilite)
    page = connecte.get(f"/gestion/candidatures/{candidature.pk}/")
    assert "Métropole Européenne de Lille (200093201)" in page.text


def test_monter_une_piece_demandee(connecte, programme):
    appel = AppelFactory(programme=programme, avec_questions=True)
    budget = PieceDemandeeFactory(appel=appel, ordre=2, libelle="Budget prévisionnel")
    page = connecte.get(f"/gestion/appels/{appel.pk}/questions/")
    assert 'Monter<span class="visually-hidden"> la pièce « Budget prévisionnel »' in page.text
    reponse = connecte.post(
        f"/gestion/appels/{appel.pk}/pieces/{budget.pk}/deplacer/", {"sens": "monter"}
    )
    assert reponse["Location"] == f"/gestion/appels/{appel.pk}/questions/#ordre-pieces"
    assert list(appel.pieces_demandees.values_list("ordre", "libelle")) == [
        (1, "Budget prévisionnel"),
        (2, "Statuts ou délibération"),
    ]
    refus = connecte.post(
        f"/gestion/appels/{appel.pk}/pieces/{budget.pk}/deplacer/", {"sens": "en-haut"}
    )
    assert refus.status_code == 400


def test_les_departements_du_perimetre_se_choisissent_par_leur_nom(connecte, programme):
    appel = AppelFactory(programme=programme, perimetre_epci=[], regles_verifiees_le=None)
    page = connecte.get(f"/gestion/appels/{appel.pk}/regles/")
    assert '<option value="59">Nord (59)</option>' in page.text
    assert "Codes séparés par des virgules" not in page.text

    reponse = connecte.post(
        f"/gestion/appels/{appel.pk}/regles/", _regles(perimetre_departements=["59", "62"])
    )

    assert reponse.status_code == 302
    appel.refresh_from_db()
    assert appel.perimetre_departements == ["59", "62"]
    publique = connecte.get(f"/appels/{appel.slug}/")
    assert (
        "Structure située dans : département Nord (59), département Pas-de-Calais (62)."
        in publique.text
    )
    page = connecte.get(f"/gestion/appels/{appel.pk}/regles/")
    assert '<option value="59" selected>Nord (59)</option>' in page.text
    assert "Choisis : Nord (59) ; Pas-de-Calais (62)." in page.text


def test_un_departement_hors_liste_est_refuse_a_cote_du_champ(connecte, programme):
    appel = AppelFactory(programme=programme, regles_verifiees_le=None)
    reponse = connecte.post(
        f"/gestion/appels/{appel.pk}/regles/", _regles(perimetre_departements=["99"])
    )

    assert reponse.status_code == 400
    assert reponse.context["form"].errors["perimetre_departements"] == [
        "Choisissez les départements dans la liste : « 99 » n'en fait pas partie."
    ]
    appel.refresh_from_db()
    assert appel.perimetre_departements == []

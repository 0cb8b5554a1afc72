"""Les modèles d'un programme pour l'accompagnement : la convocation écrite par le programme
est celle qui part (un autre programme garde le texte par défaut), ses rappels aussi,
l'attestation porte son texte ; un texte cassé ou dangereux est refusé sans rien écrire, et un
texte enregistré qui ne se rend plus laisse partir le texte par défaut."""

import datetime
import io
import logging
import re
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from accompagnement import attestations, services
from accompagnement.enums import EtatJalon, TypeJalon
from accompagnement.models import Emargement, Jalon
from accompagnement.relances import JALON_ECHEANCE_PROCHE as JALON
from accompagnement.relances import RAPPEL_CONVOCATION_REFERENT
from journal.enums import TypeEvenement
from journal.models import Evenement
from messagerie import modeles
from messagerie.models import Message, ModeleCourriel, ModeleDocument
from noyau.erreurs import ActionNonPermise
from relances.services import balayer
from tests.accompagnement.factories import ReferentFactory, SessionFactory, formation_de, plan_pour
from tests.candidatures.factories import ProgrammeFactory
from tests.factories import UtilisateurFactory

pytestmark = pytest.mark.django_db

SUJET = "{{ programme }} vous convoque : {{ formation }}, le {{ date }}"
CORPS = (
    "Bonjour {{ prenom }} {{ nom|upper }},\n"
    "{% if fonction %}En tant que {{ fonction|lower }}, vous{% else %}Vous{% endif %} êtes "
    "attendu·e à {{ lieu }} de {{ heure_debut }} à {{ heure_fin }} avec {{ formateur }}.\n"
)


@pytest.fixture
def programme(gestionnaire):
    return ProgrammeFactory(gestionnaires=[gestionnaire], nom="Numérique en Flandre")


@pytest.fixture
def session(plan, coach):
    formation = formation_de(plan, TypeJalon.FORMATION_1)
    formation.titre = "Accueillir les publics éloignés"
    formation.save(update_fields=["titre"])
    coach.last_name = "Lemaire"
    coach.save(update_fields=["last_name"])
    return SessionFactory(
        plans=[plan],
        formation=formation,
        formateur=coach,
        date=datetime.date(2030, 1, 15),
        lieu="Médiathèque de Houplines",
    )


@pytest.fixture
def referent(plan):
    return ReferentFactory(
        structure=plan.structure,
        prenom="Amina",
        nom="Diallo",
        fonction="Conseillère numérique",
        email="amina@houplines.test",
    )


def _convocation(programme):
    return modeles.modele_du_programme(programme, modeles.COURRIEL, "accompagnement_convocation")


def _inscrire(session, referent, membre, capture):
    with capture(execute=True):
        services.inscrire_referent(session, referent, par=membre)


def test_la_convocation_du_programme_est_celle_qui_part(
    programme,
    gestionnaire,
    session,
    referent,
    membre,
    mailoutbox,
    taches_immediates,
    django_capture_on_commit_callbacks,
):
    modeles.enregistrer(
        programme, _convocation(programme), {"sujet": SUJET, "corps": CORPS}, par=gestionnaire
    )

    _inscrire(session, referent, membre, django_capture_on_commit_callbacks)

    [courriel] = mailoutbox
    assert courriel.to == ["amina@houplines.test"]
    assert courriel.subject == (
        "Numérique en Flandre vous convoque : Accueillir les publics éloignés, "
        "le mardi 15 janvier 2030"
    )
    assert courriel.body == (
        "Bonjour Amina DIALLO,\n"
        "En tant que conseillère numérique, vous êtes attendu·e à Médiathèque de Houplines "
        "de 09:00 à 17:00 avec Chloé Lemaire.\n"
    )
    assert courriel.alternatives == []
    assert [nom for nom, _contenu, _type in courriel.attachments] == ["formation-2030-01-15.ics"]


def test_un_autre_programme_garde_la_convocation_par_defaut(
    programme,
    gestionnaire,
    membre,
    coach,
    mailoutbox,
    taches_immediates,
    django_capture_on_commit_callbacks,
):
    modeles.enregistrer(
        programme, _convocation(programme), {"sujet": SUJET, "corps": CORPS}, par=gestionnaire
    )
    autre_plan = plan_pour(
        coach=coach,
        appel__programme=ProgrammeFactory(nom="Autre programme"),
        structure__membres=[membre],
    )
    session = SessionFactory(
        plans=[autre_plan],
        formation=formation_de(autre_plan, TypeJalon.FORMATION_1),
        formateur=coach,
        date=datetime.date(2030, 1, 15),
    )
    referent = ReferentFactory(structure=autre_plan.structure, prenom="Léo", nom="Martin")

    _inscrire(session, referent, membre, django_capture_on_commit_callbacks)

    [courriel] = mailoutbox
    assert courriel.subject == (
        f"[Relais] Convocation : {session.formation.titre}, le mardi 15 janvier 2030"
    )
    assert courriel.body.startswith("Bonjour Léo Martin,\n\nVous êtes inscrit·e à la formation")


def test_le_rappel_j_moins_1_du_programme_est_celui_qui_part(
    programme, gestionnaire, session, referent
):
    rappel = modeles.modele_du_programme(
        programme, modeles.COURRIEL, "accompagnement_rappel_convocation"
    )
    modeles.enregistrer(
        programme,
        rappel,
        {
            "sujet": (
                "{% if jours_restants == 1 %}Demain{% else %}Bientôt{% endif %} : {{ formation }}"
            ),
            "corps": "{{ prenom }}, à {{ heure_debut }} à {{ lieu }}.",
        },
        par=gestionnaire,
    )
    inscription = session.inscriptions.create(
        referent=referent, inscrit_le=datetime.datetime(2029, 12, 1, tzinfo=ZoneInfo("UTC"))
    )

    balayer(
        datetime.datetime(2030, 1, 14, 9, tzinfo=ZoneInfo("Europe/Paris")),
        types=[RAPPEL_CONVOCATION_REFERENT],
    )

    message = Message.objects.get(cle=f"convocation:{inscription.pk}:J-1")
    assert (message.sujet, message.corps_texte, message.corps_html) == (
        "Demain : Accueillir les publics éloignés",
        "Amina, à 09:00 à Médiathèque de Houplines.",
        "",
    )


def test_un_texte_qui_ne_se_rend_plus_laisse_partir_le_texte_par_defaut(
    programme,
    session,
    referent,
    membre,
    mailoutbox,
    caplog,
    taches_immediates,
    django_capture_on_commit_callbacks,
):
    # Enregistré quand le champ existait encore (il a disparu depuis du catalogue).
    ModeleCourriel.objects.create(
        programme=programme,
        code="accompagnement_convocation",
        sujet="Convocation de {{ ancien_champ }}",
        corps="Bonjour",
    )

    with caplog.at_level(logging.ERROR, logger="messagerie.modeles"):
        _inscrire(session, referent, membre, django_capture_on_commit_callbacks)

    [courriel] = mailoutbox
    assert courriel.subject == (
        "[Relais] Convocation : Accueillir les publics éloignés, le mardi 15 janvier 2030"
    )
    [enregistrement] = [r for r in caplog.records if r.name == "messagerie.modeles"]
    assert enregistrement.getMessage() == (
        "Le modèle courriel « accompagnement_convocation » du programme "
        f"{programme.pk} ne se rend plus (Le champ {{{{ ancien_champ }}}} n'existe pas ; "
        "champs possibles : date, fonction, formateur, formation, heure_debut, heure_fin, lieu, "
        "nom, prenom, programme, structure.) : texte par défaut."
    )


def _texte_pdf(contenu):
    texte = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(contenu)).pages)
    return re.sub(r"\s+", " ", texte)


def test_l_attestation_porte_le_texte_du_programme(programme, gestionnaire, session, referent):
    session.inscriptions.create(referent=referent)
    emargement = session.emargements.create(referent=referent, present=True)
    attestation = modeles.modele_du_programme(programme, modeles.DOCUMENT, "attestation_presence")
    modeles.enregistrer(
        programme,
        attestation,
        {"texte": "Nous certifions que {{ prenom }} {{ nom }} était à {{ lieu }}."},
        par=gestionnaire,
    )

    texte = _texte_pdf(attestations.generer_pdf(Emargement.objects.get(pk=emargement.pk)))

    assert "Nous certifions que Amina Diallo était à Médiathèque de Houplines." in texte
    assert "atteste que" not in texte
    assert "Présence relevée sur la feuille d'émargement." in texte


# --- Les pages --------------------------------------------------------------------------------


def _adresse(programme, code="accompagnement_convocation", genre="courriel"):
    return reverse("messagerie:modele", args=[programme.pk, genre, code])


def test_la_liste_dit_pour_chaque_modele_s_il_est_par_defaut_ou_du_programme(
    client, programme, gestionnaire
):
    modeles.enregistrer(
        programme, _convocation(programme), {"sujet": SUJET, "corps": CORPS}, par=gestionnaire
    )
    client.force_login(gestionnaire)

    reponse = client.get(reverse("messagerie:modeles", args=[programme.pk]))

    assert reponse.status_code == 200
    etats = {m.code: m.version is not None for m in reponse.context["modeles"]}
    assert etats["accompagnement_convocation"] is True
    assert etats["lettre_decision"] is False
    assert etats["attestation_presence"] is False
    assert f'href="{_adresse(programme)}">Convocation à une formation</a>' in reponse.text


def test_l_apercu_rend_le_texte_saisi_avec_la_derniere_inscription_sans_l_enregistrer(
    client, programme, gestionnaire, session, referent
):
    session.inscriptions.create(referent=referent)
    client.force_login(gestionnaire)

    reponse = client.post(
        _adresse(programme), {"sujet": SUJET, "corps": "Bonjour {{ prenom }}.", "apercu": "1"}
    )

    assert reponse.status_code == 200
    assert reponse.context["apercu"] == {
        "sujet": (
            "Numérique en Flandre vous convoque : Accueillir les publics éloignés, "
            "le mardi 15 janvier 2030"
        ),
        "corps": "Bonjour Amina.",
    }
    assert ModeleCourriel.objects.count() == 0


@pytest.mark.parametrize(
    ("champ", "texte", "message"),
    [
        (
            "corps",
            "Bonjour {{ prenom.__class__ }}",
            "Le modèle ne peut lire que les champs proposés, sans « . » ni « [ ] ».",
        ),
        (
            "sujet",
            "Convocation de {{ maire }}",
            "Le champ {{ maire }} n'existe pas ; champs possibles : date, fonction, formateur, "
            "formation, heure_debut, heure_fin, lieu, nom, prenom, programme, structure.",
        ),
        (
            "corps",
            "Bonjour {{ prenom }",
            "Le modèle ne peut pas être lu (ligne 1) : vérifiez les {{ }} et les {% %}.",
        ),
        ("corps", "{% include 'base.html' %}", "Le modèle ne peut pas inclure un autre fichier."),
        (
            "corps",
            "{{ lipsum.__globals__ }}",
            "Le modèle ne peut lire que les champs proposés, sans « . » ni « [ ] ».",
        ),
        ("corps", "{{ cycler() }}", "Le modèle ne peut pas appeler de fonction."),
        (
            "corps",
            "{{ prenom|attr('x') }}",
            "Le filtre « attr » n'est pas permis ; filtres possibles : upper, lower, capitalize, "
            "title, trim, default.",
        ),
    ],
)
def test_un_texte_casse_ou_dangereux_est_refuse_a_cote_du_champ_sans_rien_ecrire(
    client, programme, gestionnaire, champ, texte, message
):
    client.force_login(gestionnaire)
    donnees = {"sujet": "Convocation", "corps": "Bonjour", "enregistrer": "1", champ: texte}

    reponse = client.post(_adresse(programme), donnees)

    assert reponse.status_code == 400
    assert reponse.context["form"].errors == {champ: [message]}
    assert reponse.context["form"][champ].value() == texte
    assert ModeleCourriel.objects.count() == 0
    assert not Evenement.objects.filter(type=TypeEvenement.MODELE_TEXTE_MODIFIE).exists()


def test_enregistrer_puis_revenir_au_texte_par_defaut_est_journalise(
    client, programme, gestionnaire
):
    client.force_login(gestionnaire)

    reponse = client.post(
        _adresse(programme), {"sujet": " Convocation  {{ formation }} ", "corps": "Bonjour"}
    )

    assert reponse.status_code == 302
    version = ModeleCourriel.objects.get(programme=programme)
    assert (version.code, version.sujet, version.corps, version.modifie_par) == (
        "accompagnement_convocation",
        "Convocation {{ formation }}",
        "Bonjour",
        gestionnaire,
    )
    reponse = client.post(
        reverse(
            "messagerie:modele_retablir",
            args=[programme.pk, "courriel", "accompagnement_convocation"],
        )
    )
    assert reponse.status_code == 302
    assert ModeleCourriel.objects.count() == 0
    evenements = Evenement.objects.filter(cible_id=programme.pk).order_by("pk")
    assert [(e.type, e.acteur, e.donnees.get("code")) for e in evenements] == [
        (TypeEvenement.MODELE_TEXTE_MODIFIE, gestionnaire, "accompagnement_convocation"),
        (TypeEvenement.MODELE_TEXTE_RETABLI, gestionnaire, "accompagnement_convocation"),
    ]


def test_le_gestionnaire_d_un_autre_programme_ne_trouve_rien(client, programme):
    autre = UtilisateurFactory(gestionnaire=True)
    ProgrammeFactory(gestionnaires=[autre])
    client.force_login(autre)

    assert client.get(_adresse(programme)).status_code == 404
    assert client.post(_adresse(programme), {"sujet": "x", "corps": "y"}).status_code == 404
    assert ModeleCourriel.objects.count() == 0


def test_le_service_refuse_qui_ne_gere_pas_le_programme(programme):
    autre = UtilisateurFactory(gestionnaire=True)

    with pytest.raises(ActionNonPermise):
        modeles.enregistrer(
            programme, _convocation(programme), {"sujet": "a", "corps": "b"}, par=autre
        )
    assert ModeleDocument.objects.count() == 0


def test_la_relance_d_une_etape_du_programme_garde_le_pied_des_relances(
    programme, gestionnaire, plan
):
    kits = plan.jalons.get(type=TypeJalon.KITS)  # échéance le 3 février 2023
    Jalon.objects.filter(plan=plan).exclude(pk=kits.pk).update(etat=EtatJalon.FAIT)
    relance = modeles.modele_du_programme(programme, modeles.COURRIEL, "jalon_echeance_proche")
    modeles.enregistrer(
        programme,
        relance,
        {
            "sujet": "{{ etape }} avant le {{ echeance }}",
            "corps": "{{ structure }} : plus que {{ jours_restants }} jours.",
        },
        par=gestionnaire,
    )

    balayer(datetime.datetime(2023, 1, 27, 9, tzinfo=ZoneInfo("Europe/Paris")), types=[JALON])

    message = Message.objects.get(destinataire="ccas@houplines.test")
    assert message.sujet == "Remise des kits d'ateliers avant le vendredi 3 février 2023"
    premiere, pied = message.corps_texte.split("\n", 1)
    assert premiere == "CCAS de Houplines : plus que 7 jours."
    assert pied.startswith(f"--\nNe plus recevoir cette relance : {settings.SITE_URL}/relances/")
    assert pied.endswith(f"\nRégler toutes vos relances : {settings.SITE_URL}/compte/relances/\n")


def test_chaque_modele_s_ouvre_avec_son_apercu_quand_le_programme_a_un_objet(
    client, programme, gestionnaire, session, referent
):
    session.inscriptions.create(referent=referent)
    session.emargements.create(referent=referent, present=True)
    client.force_login(gestionnaire)
    apercus = {}

    for modele in modeles.modeles_du_programme(programme):
        reponse = client.get(_adresse(programme, modele.code, modele.genre))
        assert reponse.status_code == 200, modele.code
        apercus[modele.code] = reponse.context["apercu"] is not None

    # Le plan a sa candidature, ses étapes, une inscription et une présence ; aucune décision
    # du jury, aucun membre du jury, aucun appel clos, aucun comité, aucun message dans un fil.
    assert apercus == {
        "accompagnement_coach_affecte": True,
        "accompagnement_convocation": True,
        "accompagnement_desinscription": True,
        "accompagnement_rappel_convocation": True,
        "appel_rouvert": True,
        "brouillon_date_limite": True,
        "candidature_a_completer": True,
        "candidature_deposee": True,
        "candidature_irrecevable": True,
        "candidature_recevable": True,
        "candidatures_a_instruire": False,
        "complement_sans_reponse": True,
        "convocation_formation": True,
        "decision_jury": False,
        "invitation_comite_cloture": False,
        "jalon_echeance_proche": True,
        "jalon_en_retard": True,
        "jury_affectation": False,
        "jury_date_limite_notation": False,
        "laureat_retire": False,
        "message_fil": False,
        "promotion_liste_attente": False,
        "reponse_attendue": False,
        "saisie_activite": True,
        "attestation_presence": True,
        "lettre_decision": False,
    }


def test_un_modele_inconnu_est_introuvable(client, programme, gestionnaire):
    client.force_login(gestionnaire)

    assert client.get(_adresse(programme, "coach_inexistant")).status_code == 404
    assert client.get(_adresse(programme, "relance_resume_quotidien")).status_code == 404
    assert client.get(_adresse(programme, "lettre_decision", genre="autre")).status_code == 404

"""« Supprimer mon compte » ne laisse l'adresse de la personne nulle part : on la fait
apparaître partout où les services l'écrivent (invitations, journal, historique des états,
boîte d'envoi, réponses, jury, référents, connexions, administration), on supprime le compte
par sa page, puis on parcourt chaque colonne de texte de chaque table de la base."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q
from django.test import Client

from accompagnement import services as services_accompagnement
from accompagnement.models import Referent
from candidatures import services as services_candidatures
from comptes import services as services_comptes
from evaluation import services as services_evaluation
from journal.enums import TypeEvenement
from journal.models import Evenement
from messagerie import services as services_messagerie
from messagerie.enums import EtatMessage
from messagerie.models import Message
from structures.models import InvitationStructure, Structure
from tests.accompagnement.factories import plan_pour
from tests.candidatures.factories import (
    AppelFactory,
    CandidatureFactory,
    ProgrammeFactory,
    StructureFactory,
    siret_valide,
)
from tests.evaluation.factories import JuryFactory
from tests.factories import MOT_DE_PASSE, UtilisateurFactory

pytestmark = pytest.mark.django_db

ADRESSE = "Claire.Martin-Zephyrine@CCAS-Houplines.test"
ADRESSE_SECONDAIRE = "zephyrine.perso@exemple.test"
NOM_COMPLET = "Claire Zéphyrine"


def _colonnes_qui_citent(texte):
    """Chaque (table, colonne, ligne) de la base dont la valeur contient `texte`, sans tenir
    compte de la casse : toutes les colonnes de texte (CharField, TextField, JSONField et
    dérivés) de tous les modèles installés."""
    trouvees = []
    for modele in apps.get_models():
        if modele._meta.proxy or not modele._meta.managed:
            continue
        for champ in modele._meta.concrete_fields:
            if not isinstance(champ, (models.CharField, models.TextField, models.JSONField)):
                continue
            for cle in modele._base_manager.filter(
                **{f"{champ.attname}__icontains": texte}
            ).values_list("pk", flat=True):
                trouvees.append((modele._meta.db_table, champ.column, cle))
    return sorted(trouvees)


@pytest.fixture
def monde(client):
    """Claire, d'une structure candidate, dont l'adresse a été écrite partout par les services
    et les pages de Relais."""
    gestionnaire = UtilisateurFactory(gestionnaire=True, email="gestion@mel.test")
    programme = ProgrammeFactory(nom="Inclusion numérique MEL", gestionnaires=[gestionnaire])

    # Avant d'avoir un compte, Claire est ajoutée à un jury (invitation, siège, journal).
    jury = JuryFactory(appel__programme=programme)
    services_evaluation.ajouter_membre(jury, par=gestionnaire, email=ADRESSE)

    # L'inscription range l'adresse en minuscules ; ailleurs, elle reste telle que tapée.
    claire = UtilisateurFactory(
        email=ADRESSE.lower(), first_name="Claire", last_name="Zéphyrine", candidat=True
    )
    EmailAddress.objects.create(user=claire, email=ADRESSE_SECONDAIRE, verified=True)
    services_evaluation.rattacher_au_compte(claire)

    # Sa structure, dont elle est la personne à contacter.
    structure = services_candidatures.creer_structure(
        par=claire,
        nom="CCAS de Houplines",
        type="ccas",
        siret=siret_valide(900),
        commune=StructureFactory.build().commune,
        adresse="1 rue de la Mairie",
        code_postal="59116",
        contact_nom=NOM_COMPLET,
        contact_email=ADRESSE,
        contact_telephone="03 20 00 00 00",
    )

    # Une autre structure l'invite (acceptée), une troisième aussi (encore ouverte).
    voisine = StructureFactory(nom="CCAS de Frelinghien", membres=[UtilisateurFactory()])
    _, jeton = services_candidatures.inviter_dans_structure(
        voisine, email=ADRESSE, par=voisine.membres.get()
    )
    services_candidatures.accepter_invitation_structure(jeton, utilisateur=claire)
    troisieme = StructureFactory(nom="CIAS de la Lys", membres=[UtilisateurFactory()])
    _, jeton_ouvert = services_candidatures.inviter_dans_structure(
        troisieme, email=ADRESSE_SECONDAIRE, par=troisieme.membres.get()
    )
    # Elle invite un collègue : le courriel du collègue porte son nom.
    services_candidatures.inviter_dans_structure(
        structure, email="collegue@ccas-houplines.test", par=claire
    )
    # Une invitation de compte à son adresse, restée sans réponse.
    _, jeton_compte = services_comptes.inviter(
        email=ADRESSE, role="coach", programme=programme, par=gestionnaire
    )

    # Un brouillon dont une réponse cite son adresse, une candidature déclarée irrecevable
    # avec un motif qui la cite (journal, historique des états, courriel à la structure).
    appel = AppelFactory(programme=programme, ouvert=True, avec_questions=True)
    brouillon, _ = services_candidatures.commencer_candidature(appel, structure, par=claire)
    question = appel.questions.get(ordre=1)
    services_candidatures.enregistrer_reponses(
        brouillon, par=claire, reponses={question.pk: f"Écrire à {ADRESSE.upper()}"}
    )
    deposee = CandidatureFactory(structure=structure, appel__programme=programme, deposee=True)
    services_candidatures.declarer_irrecevable(
        deposee, par=gestionnaire, motif=f"Statuts illisibles : contacter {ADRESSE}"
    )

    # Référente formée de sa structure lauréate.
    plan = plan_pour(structure=structure, appel__programme=programme)
    services_accompagnement.ajouter_referent(
        plan, par=claire, prenom="Claire", nom="Zéphyrine", email=ADRESSE
    )

    # Un courriel parti, les autres restent à envoyer.
    parti = Message.objects.filter(destinataire__iexact=ADRESSE).order_by("pk").first()
    services_messagerie.envoyer(parti.pk)

    # L'administration a modifié son compte.
    LogEntry.objects.log_actions(
        user_id=UtilisateurFactory(is_superuser=True, is_staff=True).pk,
        queryset=[claire],
        action_flag=CHANGE,
        change_message=f"Adresse vérifiée : {ADRESSE}",
        single_object=True,
    )

    # Connexions, avec l'adresse tapée : une réussite, puis un échec depuis un autre poste.
    client.post("/comptes/login/", {"login": ADRESSE, "password": MOT_DE_PASSE})
    assert client.session["_auth_user_id"] == str(claire.pk)
    Client().post("/comptes/login/", {"login": ADRESSE, "password": "pas-le-bon"})

    return {
        "claire": claire,
        "structure": structure,
        "parti": parti,
        "jeton_ouvert": jeton_ouvert,
        "jeton_compte": jeton_compte,
    }


def test_l_adresse_est_bien_ecrite_partout_avant_la_suppression(monde):
    """Le monde du test ci-dessous couvre bien les tables qui gardent une adresse."""
    tables = {table for table, _colonne, _ligne in _colonnes_qui_citent(ADRESSE)}
    assert tables >= {
        "comptes_utilisateur",
        "account_emailaddress",
        "comptes_invitation",
        "candidatures_invitationstructure",
        "candidatures_structure",
        "candidatures_candidature",
        "journal_evenement",
        "messagerie_message",
        "evaluation_membrejury",
        "accompagnement_referent",
        "axes_accessattempt",
        "axes_accesslog",
        "django_admin_log",
    }


def test_supprimer_mon_compte_ne_laisse_l_adresse_dans_aucune_table(client, monde):
    claire = monde["claire"]
    reponse = client.post(
        "/mon-compte/supprimer/", {"mot_de_passe": MOT_DE_PASSE, "confirmation": "on"}
    )
    assert reponse.status_code == 302

    assert _colonnes_qui_citent(ADRESSE) == []
    assert _colonnes_qui_citent(ADRESSE_SECONDAIRE) == []
    # Le nom complet non plus (la fiche de référente garde prénom et nom, voir plus bas).
    assert _colonnes_qui_citent(NOM_COMPLET) == []

    anonyme = f"supprime-{claire.pk}@invalid"
    assert get_user_model().objects.get(pk=claire.pk).email == anonyme
    # Le journal garde ses lignes, qui désignent le compte anonyme.
    assert (
        Evenement.objects.filter(acteur_id=claire.pk, type=TypeEvenement.MEMBRE_STRUCTURE_AJOUTE)
        .get()
        .motif
        == anonyme
    )
    assert Evenement.objects.changements_d_etat().filter(motif__contains=anonyme).count() == 1
    # Les invitations gardent leur ligne ; celles encore ouvertes ne servent plus.
    assert set(InvitationStructure.objects.values_list("email", flat=True)) >= {anonyme}
    assert client.get(f"/invitation/{monde['jeton_compte']}/").status_code == 410
    assert client.get(f"/structures/invitation/{monde['jeton_ouvert']}/").status_code == 410
    # Boîte d'envoi : le courriel parti reste, vidé ; ceux qui n'étaient pas partis sont
    # supprimés ; le courriel du collègue ne la nomme plus.
    recus = Message.objects.filter(Q(utilisateur=claire) | Q(destinataire=anonyme))
    assert list(recus.values_list("pk", "destinataire", "etat")) == [
        (monde["parti"].pk, anonyme, EtatMessage.ENVOYE)
    ]
    parti = Message.objects.get(pk=monde["parti"].pk)
    assert (parti.corps_texte, parti.corps_html, parti.pieces_jointes.count()) == (
        "Contenu effacé : le compte destinataire a été supprimé à sa demande.",
        "",
        0,
    )
    collegue = Message.objects.get(destinataire="collegue@ccas-houplines.test")
    assert "un compte supprimé vous invite à agir pour CCAS de Houplines" in collegue.corps_texte
    # Le contact de sa structure est vidé ; sa fiche de référente n'a plus son adresse.
    structure = Structure.objects.get(pk=monde["structure"].pk)
    assert (structure.contact_nom, structure.contact_email) == ("", "")
    assert Referent.objects.values_list("prenom", "nom", "email").get() == (
        "Claire",
        "Zéphyrine",
        anonyme,
    )


def test_l_export_couvre_chaque_table_qui_garde_ses_donnees(client, monde):
    reponse = client.post("/mon-compte/mes-donnees/")
    donnees = json.loads(reponse.content)
    assert [a["adresse"] for a in donnees["compte"]["adresses"]] == sorted(
        [ADRESSE.lower(), ADRESSE_SECONDAIRE]
    )
    assert [c["adresse_electronique"] for c in donnees["contact_de_structures"]] == [ADRESSE]
    assert [
        (i.get("role"), i.get("structure"), i["etat"]) for i in donnees["invitations_recues"]
    ] == [
        ("Membre du jury", None, "en attente"),
        ("Coach", None, "en attente"),
        (None, "CCAS de Frelinghien", "acceptée"),
        (None, "CIAS de la Lys", "en attente"),
    ]
    assert [i["adresse"] for i in donnees["invitations_envoyees"]] == [
        "collegue@ccas-houplines.test"
    ]
    assert [m["adresse"] for m in donnees["sieges_de_jury"]] == [ADRESSE.lower()]
    assert [(r["prenom"], r["adresse"]) for r in donnees["referent_de_structures"]] == [
        ("Claire", ADRESSE.lower())
    ]
    assert sorted({m["type"] for m in donnees["messages_recus"]}) == [
        "candidature_irrecevable",
        "invitation",
        "invitation_structure",
    ]
    assert [e["evenement"] for e in donnees["journal_me_concernant"]] == [
        "Membre du jury ajouté",
        "Collègue invité dans la structure",
        "Collègue invité dans la structure",
    ]
    assert [(s["transition"], s["motif"]) for s in donnees["historique_des_etats"]] == [
        ("declarer_irrecevable", f"Statuts illisibles : contacter {ADRESSE}")
    ]
    assert [c["adresse_ip"] for c in donnees["connexions"]] == ["127.0.0.1"]
    assert [(c["adresse_ip"], c["echecs"]) for c in donnees["connexions_refusees"]] == [
        ("127.0.0.1", 1)
    ]
    # Ce que d'autres ont écrit (réponses, motifs, journal de l'administration) est signalé,
    # pas recopié.
    journal_admin = LogEntry.objects.get().pk
    candidatures = monde["structure"].candidatures
    assert donnees["autres_mentions"] == [
        {"table": "admin.logentry", "colonne": "object_repr", "ligne": journal_admin},
        {"table": "admin.logentry", "colonne": "change_message", "ligne": journal_admin},
        {
            "table": "candidatures.candidature",
            "colonne": "reponses",
            "ligne": candidatures.get(etat="brouillon").pk,
        },
        {
            "table": "candidatures.candidature",
            "colonne": "motif_irrecevabilite",
            "ligne": candidatures.get(etat="irrecevable").pk,
        },
    ]

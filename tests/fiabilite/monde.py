"""Un monde cohérent pour la matrice des permissions : un programme avec ses appels, deux
structures candidates, un jury, un plan d'accompagnement et l'activité d'une structure ; un
second programme, avec son gestionnaire et son coach, sert de voisin à ne jamais voir."""

import datetime
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.utils import timezone

from accompagnement import calendrier
from accompagnement import services as services_accompagnement
from accompagnement.enums import TypeJalon
from accompagnement.models import Emargement, Inscription
from annotations import services as services_annotations
from candidatures import services as services_candidatures
from candidatures.models import PieceJointe
from candidatures.services.versions import figer_version
from comptes import services as services_comptes
from crochets.models import Abonnement, Livraison
from donnees_ouvertes import services as services_donnees_ouvertes
from echanges import services as services_echanges
from evaluation import services as services_evaluation
from evaluation.enums import SensDecision
from evaluation.models import Decision, Deliberation
from messagerie.models import EnvoiGroupe, Message
from programmes.models import PieceDemandee
from relances import services as services_relances
from telechargements import preparation
from tests.accompagnement.factories import (
    ReferentFactory,
    SessionFactory,
    formation_de,
    plan_pour,
)
from tests.activite.factories import ActionFactory, ParticipationFactory
from tests.candidatures.factories import (
    AppelFactory,
    CandidatureFactory,
    ProgrammeFactory,
    StructureFactory,
)
from tests.candidatures.fichiers import PDF, fichier
from tests.evaluation.factories import AffectationFactory, JuryFactory, MembreJuryFactory
from tests.factories import UtilisateurFactory
from tests.telechargements.factories import TelechargementFactory

ROLES = (
    "anonyme",
    "candidat_a",
    "candidat_b",
    "jury",
    "jury_en_conflit",
    "coach",
    "autre_coach",
    "observateur",
    "gestionnaire",
    "autre_gestionnaire",
)


@dataclass
class Monde:
    comptes: dict = field(default_factory=dict)
    objets: dict = field(default_factory=dict)

    def __getattr__(self, nom):
        try:
            return self.__dict__["objets"][nom]
        except KeyError as absent:
            raise AttributeError(nom) from absent


def construire_monde():
    gestionnaire = UtilisateurFactory(gestionnaire=True)
    autre_gestionnaire = UtilisateurFactory(gestionnaire=True)
    coach = UtilisateurFactory(coach=True)
    autre_coach = UtilisateurFactory(coach=True)
    observateur = UtilisateurFactory(observateur=True)

    programme = ProgrammeFactory(gestionnaires=[gestionnaire])
    autre_programme = ProgrammeFactory(gestionnaires=[autre_gestionnaire])

    # Le premier membre d'une structure en est le responsable.
    candidat_a = UtilisateurFactory(candidat=True)
    candidat_b = UtilisateurFactory(candidat=True)
    structure_a = StructureFactory(nom="CCAS A", membres=[candidat_a])
    structure_b = StructureFactory(nom="CCAS B", membres=[candidat_b])

    # L'appel ouvert : les deux structures y ont déposé.
    appel_ouvert = AppelFactory(programme=programme, ouvert=True, avec_questions=True)
    candidature = CandidatureFactory(appel=appel_ouvert, structure=structure_a, deposee=True)
    CandidatureFactory(appel=appel_ouvert, structure=structure_b, deposee=True)
    piece = PieceJointe.objects.create(
        candidature=candidature,
        piece_demandee=appel_ouvert.pieces_demandees.first(),
        fichier=ContentFile(PDF, name="statuts.pdf"),
        nom_original="statuts.pdf",
        type_mime="application/pdf",
        taille=len(PDF),
        ajoutee_par=candidat_a,
    )

    # L'appel en évaluation : la candidature de A y est notée par deux membres.
    jury = JuryFactory(appel__programme=programme)
    candidature_jury = CandidatureFactory(appel=jury.appel, structure=structure_a, recevable=True)
    membre = MembreJuryFactory(jury=jury)
    membre_en_conflit = MembreJuryFactory(jury=jury)
    affectation = AffectationFactory(membre=membre, candidature=candidature_jury)
    AffectationFactory(membre=membre_en_conflit, candidature=candidature_jury)
    services_evaluation.declarer_conflit(candidature_jury, par=membre.utilisateur, en_conflit=False)
    services_evaluation.declarer_conflit(
        candidature_jury,
        par=membre_en_conflit.utilisateur,
        en_conflit=True,
        type_conflit="salarie",
    )
    piece_jury = PieceJointe.objects.create(
        candidature=candidature_jury,
        piece_demandee=PieceDemandee.objects.create(appel=jury.appel, libelle="Statuts"),
        fichier=ContentFile(PDF, name="statuts-jury.pdf"),
        nom_original="statuts.pdf",
        type_mime="application/pdf",
        taille=len(PDF),
        ajoutee_par=candidat_a,
    )

    # La cohorte : A est lauréate d'un appel passé, suivie par son coach.
    plan = plan_pour(coach=coach, appel__programme=programme, structure=structure_a)
    plan_voisin = plan_pour(coach=autre_coach, appel__programme=autre_programme)
    # Ses résultats publiés, A a reçu sa lettre de décision (gardée sur la décision).
    deliberation = Deliberation.objects.create(
        appel=plan.candidature.appel, publiee_le=timezone.now(), publiee_par=gestionnaire
    )
    decision = Decision.objects.create(
        deliberation=deliberation, candidature=plan.candidature, sens=SensDecision.RETENUE
    )
    decision.lettre.save("decision.pdf", ContentFile(PDF), save=True)
    jalon = plan.jalons.order_by("pk").first()
    services_accompagnement.ajouter_preuve(
        jalon, par=coach, note="Compte rendu", fichiers=[fichier("compte-rendu.pdf")]
    )
    preuve = jalon.preuves.get()
    session = SessionFactory(
        plans=[plan],
        formation=formation_de(plan, TypeJalon.FORMATION_1),
        formateur=coach,
    )
    referent = ReferentFactory(structure=structure_a)
    Inscription.objects.create(session=session, referent=referent, inscrit_par=candidat_a)
    Emargement.objects.create(session=session, referent=referent, present=True, saisi_par=coach)
    comite = services_accompagnement.planifier_comite(
        programme, par=gestionnaire, plans=[plan], date=datetime.date(2023, 12, 14), lieu="Lille"
    )

    action = ActionFactory(structure=structure_a)
    participation = ParticipationFactory(action=action)

    message = Message.objects.create(
        type="essai",
        destinataire=candidat_a.email,
        utilisateur=candidat_a,
        sujet="Votre candidature",
        corps_texte="Bonjour",
        objet=candidature,
        programme=programme,
    )
    _invitation, jeton_invitation = services_comptes.inviter(
        email="nouveau-coach@exemple.test", role="coach", programme=programme, par=gestionnaire
    )
    _invitation, jeton_structure = services_candidatures.inviter_dans_structure(
        structure_a, email="collegue@ccas-a.test", par=candidat_a
    )
    adresse_calendrier = calendrier.adresse_du_flux(coach, absolue=False)
    lien_relance = services_relances.lien_desabonnement(candidat_a, "invitation_sans_reponse")

    # Fils de discussion : un message du gestionnaire, avec sa pièce, sur la candidature de A.
    message_fil = services_echanges.ecrire(
        candidature, par=gestionnaire, texte="Budget ?", fichiers=[fichier("question.pdf")]
    )

    monde = Monde()
    monde.comptes = {
        "anonyme": None,
        "candidat_a": candidat_a,
        "candidat_b": candidat_b,
        "jury": membre.utilisateur,
        "jury_en_conflit": membre_en_conflit.utilisateur,
        "coach": coach,
        "autre_coach": autre_coach,
        "observateur": observateur,
        "gestionnaire": gestionnaire,
        "autre_gestionnaire": autre_gestionnaire,
    }
    monde.objets = {
        "programme": programme,
        "appel_ouvert": appel_ouvert,
        "candidature": candidature,
        "piece": piece,
        "structure_a": structure_a,
        "jury": jury,
        "candidature_jury": candidature_jury,
        "piece_jury": piece_jury,
        "affectation": affectation,
        "plan": plan,
        "plan_voisin": plan_voisin,
        "jalon": jalon,
        "preuve": preuve,
        "session": session,
        "referent": referent,
        "comite": comite,
        "action": action,
        "participation": participation,
        "message": message,
        "jeton_invitation": jeton_invitation,
        "jeton_structure": jeton_structure,
        "signe_calendrier": adresse_calendrier.rsplit("/", 1)[1].removesuffix(".ics"),
        "jeton_relance": lien_relance.rstrip("/").rsplit("/", 1)[1],
        "piece_fil": message_fil.pieces.get(),
    }

    # Versions déposées : le dépôt de A garde sa version n° 1, avec ses statuts.
    version = figer_version(candidature, par=candidat_a, quand=candidature.deposee_le)
    monde.objets["version"] = version
    monde.objets["fichier_version"] = version.fichiers.get()
    # Notes privées et étiquettes : une étiquette du programme, une note du coach sur son plan.
    monde.objets["etiquette"] = services_annotations.creer_etiquette(
        programme, par=gestionnaire, nom="À rappeler"
    )
    monde.objets["note"] = services_annotations.ecrire_note(
        plan, par=coach, texte="Appeler la directrice avant le comité."
    )
    # Envois groupés : un envoi du programme, écrit à la liste des candidatures de l'appel.
    monde.objets["envoi_groupe"] = EnvoiGroupe.objects.create(
        programme=programme,
        audience="candidatures",
        description="2 candidatures de l'appel",
        sujet="Information",
        corps="Bonjour",
        cree_par=gestionnaire,
    )
    # L'API : le programme voisin, que les jetons du programme ne lisent jamais.
    monde.objets["autre_programme"] = autre_programme
    # Données ouvertes : les indicateurs de la cohorte (l'appel du plan) publiés.
    monde.objets["publication_ouverte"] = services_donnees_ouvertes.publier(
        plan.candidature.appel, par=gestionnaire
    )
    # Webhooks : un webhook du programme (désactivé, rien ne part) et une livraison échouée.
    webhook = Abonnement.objects.create(
        programme=programme,
        url="https://partenaire.exemple.test/relais",
        evenements=["candidature.deposee"],
        actif=False,
        cree_par=gestionnaire,
    )
    monde.objets["webhook"] = webhook
    monde.objets["livraison"] = Livraison.objects.create(
        abonnement=webhook, evenement="ping", charge_utile={}, etat="echouee", tentatives=6
    )
    # Un export préparé par le worker, prêt, demandé par le gestionnaire du programme.
    telechargement = TelechargementFactory(
        demandeur=gestionnaire,
        appel=appel_ouvert,
        lignes_total=1,
    )
    preparation.preparer(telechargement.pk)
    monde.objets["telechargement"] = telechargement
    return monde

"""Données de démonstration de l'accompagnement : les cinq plans du premier cas, d'octobre 2022
au comité de clôture du 14 décembre 2023, suivis par le coach de démo.

Ce qui vient des sources : les cinq lauréates, les deux formations d'une journée, 13 référents
formés dans les cinq structures, les kits, la sensibilisation à l'écosystème, le comité du
14 décembre 2023. Ce qui est illustratif : les noms des référents, les dates et lieux des
sessions, le contenu des diagnostics.

Idempotent : chaque objet a une clé stable (structure, adresse, formation et date…) et un état
n'est changé que s'il n'est pas déjà atteint ; deux passages donnent les mêmes données.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from accompagnement import services
from accompagnement.enums import ETATS_JALON_A_FAIRE, EtatPlan, TypeJalon
from accompagnement.models import (
    ActionPrevue,
    Cadrage,
    ComiteCloture,
    Emargement,
    Formation,
    Inscription,
    Jalon,
    PlanAccompagnement,
    Referent,
    RemiseKit,
    SensibilisationEcosysteme,
    SessionFormation,
)
from candidatures.models import Appel, Candidature

SLUG_APPEL_2022 = "ami-inclusion-numerique-2022"
COACH_DEMO = "coach@demo.relais.test"
GESTIONNAIRE_DEMO = "gestionnaire@demo.relais.test"
DEBUT = datetime.date(2022, 10, 3)
DATE_COMITE = datetime.date(2023, 12, 14)

# Structure → référents (prénom, nom, fonction) : 13 personnes en tout.
REFERENTS = {
    "CCAS de Houplines": [
        ("Sandrine", "Lefebvre", "Conseillère en économie sociale et familiale"),
        ("Karim", "Benali", "Agent d'accueil"),
        ("Julie", "Vandenbroucke", "Travailleuse sociale"),
    ],
    "CCAS de Leers": [
        ("Nathalie", "Dubois", "Responsable du CCAS"),
        ("Mehdi", "Haddad", "Agent d'accueil"),
        ("Claire", "Delattre", "Assistante sociale"),
    ],
    "CCAS de Haubourdin": [
        ("Sophie", "Martin", "Conseillère numérique"),
        ("Patrick", "Deschamps", "Travailleur social"),
        ("Fatima", "Ouali", "Agent d'accueil"),
    ],
    "CCAS de Faches-Thumesnil": [
        ("Isabelle", "Moreau", "Responsable de l'action sociale"),
        ("Thomas", "Leroy", "Agent d'accueil"),
    ],
    "ESAT « Les Ateliers de la Lys »": [
        ("Laurence", "Carpentier", "Monitrice d'atelier"),
        ("David", "Wattez", "Chargé d'insertion"),
    ],
}

LIEU = "Maison de l'inclusion numérique, Lille"
# (type de jalon de la formation, date) ; chaque structure va à une session de chaque module.
SESSIONS = [
    (TypeJalon.FORMATION_1, datetime.date(2022, 12, 6)),
    (TypeJalon.FORMATION_1, datetime.date(2022, 12, 13)),
    (TypeJalon.FORMATION_2, datetime.date(2023, 1, 24)),
    (TypeJalon.FORMATION_2, datetime.date(2023, 2, 7)),
]
# Structure → rang de sa session dans chaque module (0 ou 1).
SESSION_DE = {
    "CCAS de Houplines": 0,
    "CCAS de Leers": 0,
    "CCAS de Haubourdin": 1,
    "CCAS de Faches-Thumesnil": 1,
    "ESAT « Les Ateliers de la Lys »": 1,
}

DIAGNOSTIC = {
    "publics": "Personnes âgées et allocataires de minima sociaux, souvent sans équipement, "
    "qui viennent pour leurs démarches en ligne.",
    "equipe": "Une équipe d'accueil et de travailleurs sociaux à l'aise avec les outils de "
    "bureau, peu formée à l'accompagnement des débutants.",
    "equipement": "Deux postes en libre accès, une connexion fibre, pas de tablettes.",
    "partenaires": "Médiathèque municipale, centre social, conseiller numérique de l'EPCI.",
    "offre_existante": "Aide ponctuelle aux démarches à l'accueil, sans atelier collectif.",
    "objectifs": "Former les référents, ouvrir des ateliers thématiques et des parcours "
    "d'initiation pour les débutants.",
}


def _plan(candidature, coach):
    plan = PlanAccompagnement.objects.filter(candidature=candidature).first()
    if plan is None:
        plan = services._creer_plan(candidature, par=None, date_debut=DEBUT)
    elif plan.date_debut != DEBUT and not plan.jalons.exclude(etat="prevu").exists():
        # Créé à la publication des résultats avec la date du jour : la cohorte démarre en 2022.
        services._redater(plan, DEBUT, par=None)
        plan = PlanAccompagnement.objects.get(pk=plan.pk)
    if plan.coach_id != coach.pk:
        plan.coach = coach
        plan.save(update_fields=["coach"])
    return plan


def _terminer(jalon, par, description):
    if jalon.etat in ETATS_JALON_A_FAIRE:
        jalon.terminer(by=par, description=description)
        jalon.fait_le = timezone.make_aware(
            datetime.datetime.combine(min(jalon.echeance, DATE_COMITE), datetime.time(17))
        )
        jalon.save(update_fields=["etat", "fait_le"])


def _cadrage(plan, coach, membre):
    cadrage, _ = Cadrage.objects.update_or_create(plan=plan, defaults=DIAGNOSTIC)
    if not cadrage.actions.exists():
        ActionPrevue.objects.bulk_create(
            [
                ActionPrevue(
                    cadrage=cadrage,
                    libelle="Inscrire les référents aux deux formations",
                    echeance=datetime.date(2022, 11, 30),
                    responsable="Direction",
                ),
                ActionPrevue(
                    cadrage=cadrage,
                    libelle="Premier atelier thématique pour le public",
                    echeance=datetime.date(2023, 3, 15),
                    responsable="Référents",
                ),
            ]
        )
    valide_le = timezone.make_aware(datetime.datetime(2022, 11, 28, 11))
    if cadrage.valide_par_coach_le is None:
        cadrage.valide_par_coach, cadrage.valide_par_coach_le = coach, valide_le
        cadrage.valide_par_structure, cadrage.valide_par_structure_le = membre, valide_le
        cadrage.save()
    for type_jalon in (TypeJalon.LANCEMENT, TypeJalon.DIAGNOSTIC, TypeJalon.PLAN_ACCOMPAGNEMENT):
        for jalon in plan.jalons.filter(type=type_jalon):
            _terminer(jalon, coach, "Diagnostic et plan d'accompagnement validés")
    if plan.etat == EtatPlan.CADRAGE:
        plan.activer(by=coach, description="Plan d'accompagnement validé")
        plan.save(update_fields=["etat"])


def _referents(plan):
    referents = []
    domaine = plan.structure.nom.lower().split()[-1].strip("»« ").replace("-", "")
    for prenom, nom, fonction in REFERENTS[plan.structure.nom]:
        email = f"{prenom.lower()}.{nom.lower()}@{domaine}.demo.relais.test"
        referent, _ = Referent.objects.update_or_create(
            structure=plan.structure,
            email=email,
            defaults={"prenom": prenom, "nom": nom, "fonction": fonction},
        )
        referents.append(referent)
    return referents


def charger_accompagnement(stdout):
    Utilisateur = get_user_model()
    appel = Appel.objects.filter(slug=SLUG_APPEL_2022).select_related("programme").first()
    coach = Utilisateur.objects.filter(email=COACH_DEMO).first()
    if appel is None or coach is None:
        stdout.write("Accompagnement : appel 2022 ou coach de démo absent, rien à charger.")
        return
    gestionnaire = Utilisateur.objects.filter(email=GESTIONNAIRE_DEMO).first()
    programme = appel.programme
    services.modele_du_programme(programme)
    services.catalogue_du_programme(programme)
    candidatures = {
        c.structure.nom: c
        for c in Candidature.objects.filter(
            appel=appel, structure__nom__in=list(REFERENTS)
        ).select_related("structure", "appel__programme")
    }
    plans = {}
    for nom in REFERENTS:
        if nom not in candidatures:
            stdout.write(f"Accompagnement : « {nom} » introuvable dans l'appel 2022.")
            continue
        plan = _plan(candidatures[nom], coach)
        membre = plan.structure.membres.order_by("pk").first()
        _cadrage(plan, coach, membre)
        plans[nom] = plan

    referents = {nom: _referents(plan) for nom, plan in plans.items()}

    sessions = []
    for type_jalon, jour in SESSIONS:
        formation = Formation.objects.get(programme=programme, type_jalon=type_jalon)
        session, _ = SessionFormation.objects.get_or_create(
            formation=formation,
            date=jour,
            defaults={"lieu": LIEU, "formateur": coach, "capacite": 12},
        )
        sessions.append(session)
    for nom, plan in plans.items():
        rang = SESSION_DE[nom]
        for session in (sessions[rang], sessions[2 + rang]):
            session.plans.add(plan)
            for referent in referents[nom]:
                Inscription.objects.get_or_create(
                    session=session, referent=referent, defaults={"inscrit_par": coach}
                )
                Emargement.objects.update_or_create(
                    session=session,
                    referent=referent,
                    defaults={"present": True, "saisi_par": coach},
                )
            type_jalon = session.formation.type_jalon
            for jalon in plan.jalons.filter(type=type_jalon):
                _terminer(jalon, coach, f"Présence des référents le {session.date:%d/%m/%Y}")

    remise_le = datetime.date(2023, 2, 2)
    for plan in plans.values():
        for kit in programme.kits.all():
            RemiseKit.objects.get_or_create(
                kit=kit, plan=plan, defaults={"date": remise_le, "remis_par": coach}
            )
        for jalon in plan.jalons.filter(type=TypeJalon.KITS):
            _terminer(jalon, coach, "Kits remis")

    sensibilisation, _ = SensibilisationEcosysteme.objects.get_or_create(
        programme=programme,
        date=datetime.date(2023, 3, 9),
        defaults={
            "lieu": LIEU,
            "partenaires_presents": "Médiathèques du territoire\nConseillers numériques\n"
            "Espaces France services",
            "creee_par": gestionnaire,
        },
    )
    sensibilisation.plans.add(*plans.values())

    comite, _ = ComiteCloture.objects.get_or_create(
        programme=programme,
        date=DATE_COMITE,
        defaults={
            "lieu": "Hôtel de la Métropole, Lille",
            "participants": "Métropole européenne de Lille (financeur)\nAssociation partenaire\n"
            "Les cinq structures accompagnées",
            "ordre_du_jour": "Bilan des 16 mois : référents formés, ateliers et parcours "
            "animés, personnes accompagnées ; suites à donner.",
            "compte_rendu": "Les cinq structures ont présenté leurs ateliers et parcours ; "
            "le financeur et les partenaires ont examiné le bilan et clos l'accompagnement.",
            "compte_rendu_le": timezone.make_aware(datetime.datetime(2023, 12, 14, 17)),
        },
    )
    for plan in plans.values():
        for jalon in plan.jalons.filter(type=TypeJalon.COMITE_CLOTURE):
            comite.jalons.add(jalon)
            if jalon.echeance != DATE_COMITE:
                Jalon.objects.filter(pk=jalon.pk).update(echeance=DATE_COMITE, debut=DATE_COMITE)
                jalon.echeance = jalon.debut = DATE_COMITE
        for jalon in plan.jalons.all():
            _terminer(jalon, coach, "Étape faite")
        plan = PlanAccompagnement.objects.get(pk=plan.pk)
        if plan.etat == EtatPlan.ACTIF:
            plan.engager_cloture(by=gestionnaire, description="Comité de clôture fixé")
            plan.save(update_fields=["etat"])
        if plan.etat == EtatPlan.CLOTURE_EN_COURS:
            plan.clore(by=gestionnaire, description="Comité de clôture du 14 décembre 2023")
            plan.save(update_fields=["etat"])

    formes = (
        Emargement.objects.filter(present=True, session__formation__programme=programme)
        .values("referent")
        .distinct()
        .count()
    )
    stdout.write(
        f"Accompagnement : {len(plans)} plans suivis par {coach.email}, {formes} référents "
        f"formés en {len(sessions)} sessions, comité du {DATE_COMITE:%d/%m/%Y}."
    )

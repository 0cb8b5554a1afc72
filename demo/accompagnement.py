"""Données de démonstration de l'accompagnement : les cinq plans du premier cas, d'octobre 2022
au comité de clôture du 14 décembre 2023, suivis par le coach de démo.

Ce qui vient des sources : les cinq lauréates, les deux formations d'une journée, 13 référents
formés dans les cinq structures, les kits, la sensibilisation à l'écosystème, le comité du
14 décembre 2023. Ce qui est illustratif : les noms des référents, les dates et lieux des
sessions, le contenu des diagnostics.

Joué par les services de l'accompagnement, chaque geste par la personne de la démo qui l'aurait
fait, à sa date (`demo.horloge`) : la gestionnaire fixe le démarrage de la cohorte, confie les
plans à la coach, crée les sessions, note la sensibilisation, fixe le comité et en écrit le
compte rendu ; chaque structure ajoute ses référents, les inscrit et valide son plan ; la coach
remplit et valide le cadrage, émarge, remet les kits et fait avancer les étapes.

Idempotent : l'histoire n'est jouée que sur des plans que rien n'a encore fait avancer (tout
juste créés par la publication des résultats) ; deux passages donnent les mêmes données.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils.text import slugify

from accompagnement import services
from accompagnement.enums import ETATS_JALON_A_FAIRE, EtatJalon, EtatPlan, TypeJalon
from accompagnement.models import Emargement, Formation, PlanAccompagnement
from demo.horloge import a_la_date
from demo.horloge import le as _a
from programmes.models import Appel

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


ACTIONS = [
    {
        "libelle": "Inscrire les référents aux deux formations",
        "echeance": datetime.date(2022, 11, 30),
        "responsable": "Direction",
    },
    {
        "libelle": "Premier atelier thématique pour le public",
        "echeance": datetime.date(2023, 3, 15),
        "responsable": "Référents",
    },
]


def _a_jouer(plans):
    """Des plans que rien n'a fait avancer : en cadrage, chaque étape encore prévue."""
    return all(
        plan.etat == EtatPlan.CADRAGE and not plan.jalons.exclude(etat=EtatJalon.PREVU).exists()
        for plan in plans
    )


def _le_soir(jour, heure=17):
    return _a(jour.year, jour.month, jour.day, heure)


def _demarrer(appel, plans, gestionnaire, coach):
    with a_la_date(_a(2022, 9, 30, 10)):
        services.creer_plans_cohorte(appel, par=gestionnaire, date_debut=DEBUT)
    with a_la_date(_a(2022, 9, 30, 10, 30)):
        for plan in plans.values():
            services.affecter_coach(plan, par=gestionnaire, coach=coach)


def _cadrer(plan, coach, membre):
    lancement = plan.jalons.filter(type=TypeJalon.LANCEMENT).first()
    if lancement is not None:
        with a_la_date(_le_soir(DEBUT + datetime.timedelta(days=7))):
            services.terminer_jalon(lancement, par=coach, motif="Réunion de lancement tenue")
    with a_la_date(_a(2022, 11, 21, 14)):
        services.enregistrer_cadrage(plan, par=coach, champs=DIAGNOSTIC, actions=ACTIONS)
    with a_la_date(_a(2022, 11, 28, 11)):
        services.valider_cadrage(plan, par=coach)
    with a_la_date(_a(2022, 11, 28, 11, 30)):
        services.valider_cadrage(plan, par=membre)


def _referents(plan, membre):
    referents = []
    # Le dernier mot du nom (« houplines », « fachesthumesnil ») ; pour l'ESAT « Les Ateliers
    # de la Lys », « lys » et non le guillemet fermant.
    domaine = slugify(plan.structure.nom.replace("»", " ").split()[-1]).replace("-", "")
    with a_la_date(_a(2022, 11, 14, 15)):
        for prenom, nom, fonction in REFERENTS[plan.structure.nom]:
            referents.append(
                services.ajouter_referent(
                    plan,
                    par=membre,
                    prenom=prenom,
                    nom=nom,
                    email=f"{prenom.lower()}.{nom.lower()}@{domaine}.demo.relais.test",
                    fonction=fonction,
                )
            )
    return referents


def charger_accompagnement(stdout):
    Utilisateur = get_user_model()
    appel = Appel.objects.filter(slug=SLUG_APPEL_2022).select_related("programme").first()
    coach = Utilisateur.objects.filter(email=COACH_DEMO).first()
    if appel is None or coach is None:
        stdout.write("Accompagnement : appel 2022 ou coach de démo absent, rien à charger.")
        return
    gestionnaire = Utilisateur.objects.get(email=GESTIONNAIRE_DEMO)
    programme = appel.programme
    plans = {
        plan.structure.nom: plan
        for plan in PlanAccompagnement.objects.filter(
            candidature__appel=appel, structure__nom__in=list(REFERENTS)
        ).select_related("structure", "programme")
    }
    if len(plans) != len(REFERENTS) or not _a_jouer(plans.values()):
        stdout.write("Accompagnement : déjà raconté, laissé tel quel.")
        return
    plans = {nom: plans[nom] for nom in REFERENTS}
    _demarrer(appel, plans, gestionnaire, coach)
    plans = {nom: PlanAccompagnement.objects.get(pk=plan.pk) for nom, plan in plans.items()}
    # Le compte qui agit pour chaque structure : celui qui a déposé sa candidature.
    membres = {
        nom: plan.structure.membres.order_by("adhesions__pk").first() for nom, plan in plans.items()
    }
    referents = {nom: _referents(plan, membres[nom]) for nom, plan in plans.items()}
    for nom, plan in plans.items():
        _cadrer(plan, coach, membres[nom])

    sessions = []
    with a_la_date(_a(2022, 11, 7, 10)):
        for rang, (type_jalon, jour) in enumerate(SESSIONS):
            invites = [plan for nom, plan in plans.items() if SESSION_DE[nom] == rang % 2]
            sessions.append(
                services.creer_session(
                    Formation.objects.get(programme=programme, type_jalon=type_jalon),
                    par=gestionnaire,
                    plans=invites,
                    date=jour,
                    lieu=LIEU,
                    formateur=coach,
                    capacite=12,
                )
            )
    for nom in plans:
        rang = SESSION_DE[nom]
        with a_la_date(_a(2022, 11, 30, 10)):
            for session in (sessions[rang], sessions[2 + rang]):
                for referent in referents[nom]:
                    services.inscrire_referent(session, referent, par=membres[nom])
    for session in sessions:
        with a_la_date(_le_soir(session.date)):
            services.enregistrer_emargement(
                session,
                par=coach,
                presents=list(session.inscriptions.values_list("referent_id", flat=True)),
            )

    remise_le = datetime.date(2023, 2, 2)
    with a_la_date(_le_soir(remise_le, 15)):
        for plan in plans.values():
            for kit in programme.kits.order_by("pk"):
                services.remettre_kit(plan, par=coach, kit=kit, date=remise_le)

    sensibilisation = datetime.date(2023, 3, 9)
    with a_la_date(_le_soir(sensibilisation, 18)):
        services.enregistrer_sensibilisation(
            programme,
            par=gestionnaire,
            plans=list(plans.values()),
            date=sensibilisation,
            lieu=LIEU,
            partenaires_presents="Médiathèques du territoire\nConseillers numériques\n"
            "Espaces France services",
        )

    # Les autres étapes (ateliers, bilan à mi-parcours…), faites à leur échéance.
    fin = DATE_COMITE - datetime.timedelta(days=14)
    for plan in plans.values():
        for jalon in plan.jalons.filter(etat__in=ETATS_JALON_A_FAIRE).exclude(
            type=TypeJalon.COMITE_CLOTURE
        ):
            with a_la_date(_le_soir(min(jalon.echeance, fin))):
                services.terminer_jalon(jalon, par=coach, motif="Étape faite")

    with a_la_date(_a(2023, 11, 15, 10)):
        comite = services.planifier_comite(
            programme,
            par=gestionnaire,
            plans=list(plans.values()),
            date=DATE_COMITE,
            lieu="Hôtel de la Métropole, Lille",
            participants="Métropole européenne de Lille (financeur)\nAssociation partenaire\n"
            "Les cinq structures accompagnées",
            ordre_du_jour="Bilan des 16 mois : référents formés, ateliers et parcours "
            "animés, personnes accompagnées ; suites à donner.",
        )
    with a_la_date(_le_soir(DATE_COMITE)):
        services.enregistrer_compte_rendu(
            comite,
            par=gestionnaire,
            compte_rendu="Les cinq structures ont présenté leurs ateliers et parcours ; "
            "le financeur et les partenaires ont examiné le bilan et clos l'accompagnement.",
        )

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

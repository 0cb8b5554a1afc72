"""Le modèle d'accompagnement du premier cas (16 mois), ses deux formations et ses kits : ce
qu'un programme reçoit tant que ses gestionnaires n'ont rien réglé eux-mêmes."""

from accompagnement.enums import TypeJalon

# (type, intitulé, description, début en mois, durée en mois)
JALONS = [
    (
        TypeJalon.LANCEMENT,
        "Réunion de lancement",
        "Rencontre de l'équipe de la structure, du coach et des partenaires du programme.",
        0,
        0,
    ),
    (
        TypeJalon.DIAGNOSTIC,
        "Diagnostic des besoins",
        "Publics accueillis, équipe et compétences, équipement, partenaires, offre existante.",
        0,
        1,
    ),
    (
        TypeJalon.PLAN_ACCOMPAGNEMENT,
        "Plan d'accompagnement validé",
        "Objectifs, actions et dates, validés par le coach et par la structure.",
        1,
        1,
    ),
    (
        TypeJalon.FORMATION_1,
        "Formation « Découvrir l'inclusion numérique : enjeux, diagnostic et acteurs »",
        "Une journée en présentiel pour les référents de la structure.",
        2,
        2,
    ),
    (
        TypeJalon.FORMATION_2,
        "Formation « Former aux compétences numériques de base »",
        "Une journée en présentiel pour les référents de la structure.",
        3,
        2,
    ),
    (
        TypeJalon.KITS,
        "Remise des kits d'ateliers",
        "Des supports prêts à l'emploi pour animer les premiers ateliers.",
        4,
        0,
    ),
    (
        TypeJalon.ECOSYSTEME,
        "Sensibilisation à l'écosystème partenaire",
        "Connaître les acteurs vers qui orienter les publics.",
        5,
        0,
    ),
    (
        TypeJalon.ATELIERS,
        "Ateliers et parcours animés par la structure",
        "La structure anime ses ateliers et parcours ; son activité est déclarée chaque mois.",
        5,
        10,
    ),
    (
        TypeJalon.BILAN_MI_PARCOURS,
        "Bilan à mi-parcours",
        "Ce qui marche, ce qui bloque, les ajustements du plan.",
        8,
        0,
    ),
    (
        TypeJalon.COMITE_CLOTURE,
        "Comité de clôture",
        "Le financeur et les partenaires examinent ce qui a été accompli.",
        16,
        0,
    ),
]

FORMATIONS = [
    (
        TypeJalon.FORMATION_1,
        "Découvrir l'inclusion numérique : enjeux, diagnostic et acteurs",
        "Les enjeux de l'inclusion numérique, repérer les besoins d'une personne, les acteurs "
        "du territoire.",
    ),
    (
        TypeJalon.FORMATION_2,
        "Former aux compétences numériques de base",
        "Construire et animer un atelier ou un parcours d'initiation pour les débutants.",
    ),
]

KITS = [
    ("Kit « Premiers pas sur ordinateur »", "Déroulés, fiches pratiques et exercices."),
    ("Kit « Tablette et smartphone »", "Réglages, applications utiles, sécurité."),
    ("Kit « Démarches en ligne »", "Accès aux droits, comptes en ligne, France Connect."),
    ("Kit « Arnaques et sécurité en ligne »", "Repérer les arnaques, protéger ses comptes."),
]

from django.db import models


class TypeEvenement(models.TextChoices):
    """Catalogue des événements hors transitions ; il alimente le journal et les notifications.

    Les changements d'état sont journalisés par django-fsm-log (StateLog), ceux-ci complètent.
    """

    INVITATION_ENVOYEE = "invitation_envoyee", "Invitation envoyée"
    INVITATION_ACCEPTEE = "invitation_acceptee", "Invitation acceptée"
    COMPTE_CREE = "compte_cree", "Compte créé"
    DONNEES_EXPORTEES = "donnees_exportees", "Données personnelles exportées par la personne"
    COMPTE_ANONYMISE = "compte_anonymise", "Compte supprimé à la demande (données anonymisées)"
    MESSAGE_RENVOYE = "message_renvoye", "Message renvoyé"

    # Appels, structures et candidatures (candidatures/)
    APPEL_CREE = "appel_cree", "Appel créé"
    APPEL_MODIFIE = "appel_modifie", "Appel modifié"
    FORMULAIRE_APPEL_MODIFIE = "formulaire_appel_modifie", "Questions et pièces modifiées"
    REGLES_APPEL_VERIFIEES = "regles_appel_verifiees", "Règles d'éligibilité enregistrées"
    APPEL_DUPLIQUE = "appel_duplique", "Appel dupliqué"
    STRUCTURE_CREEE = "structure_creee", "Structure créée"
    STRUCTURE_MODIFIEE = "structure_modifiee", "Profil de la structure modifié"
    MEMBRE_STRUCTURE_INVITE = "membre_structure_invite", "Collègue invité dans la structure"
    MEMBRE_STRUCTURE_AJOUTE = "membre_structure_ajoute", "Collègue ajouté à la structure"
    CANDIDATURE_COMMENCEE = "candidature_commencee", "Candidature commencée"
    PIECE_JOINTE_AJOUTEE = "piece_jointe_ajoutee", "Pièce jointe ajoutée"
    PIECE_JOINTE_RETIREE = "piece_jointe_retiree", "Pièce jointe retirée"
    ELIGIBILITE_FORCEE = "eligibilite_forcee", "Éligibilité forcée par un gestionnaire"

    # Accompagnement (accompagnement/)
    PLAN_ACCOMPAGNEMENT_CREE = "plan_accompagnement_cree", "Plan d'accompagnement créé"
    PLAN_ACCOMPAGNEMENT_REDATE = "plan_accompagnement_redate", "Démarrage du plan déplacé"
    MODELE_JALONS_MODIFIE = "modele_jalons_modifie", "Modèle de jalons modifié"
    COACH_AFFECTE = "coach_affecte", "Coach affecté au plan"
    ECHEANCE_JALON_MODIFIEE = "echeance_jalon_modifiee", "Échéance d'un jalon modifiée"
    PREUVE_JALON_AJOUTEE = "preuve_jalon_ajoutee", "Note ou pièce ajoutée à un jalon"
    CADRAGE_ENREGISTRE = "cadrage_enregistre", "Diagnostic et plan d'actions enregistrés"
    PLAN_ACTIONS_VALIDE = "plan_actions_valide", "Plan d'accompagnement validé"
    SESSION_FORMATION_CREEE = "session_formation_creee", "Session de formation créée"
    REFERENT_AJOUTE = "referent_ajoute", "Référent ajouté"
    REFERENT_INSCRIT = "referent_inscrit", "Référent inscrit à une session"
    REFERENT_DESINSCRIT = "referent_desinscrit", "Référent désinscrit d'une session"
    EMARGEMENT_ENREGISTRE = "emargement_enregistre", "Feuille d'émargement enregistrée"
    KIT_REMIS = "kit_remis", "Kit remis"
    SENSIBILISATION_ENREGISTREE = "sensibilisation_enregistree", "Sensibilisation enregistrée"
    COMITE_PLANIFIE = "comite_planifie", "Comité de clôture planifié"
    COMPTE_RENDU_COMITE = "compte_rendu_comite", "Compte rendu du comité enregistré"

    # Activité des structures et bilan (activite/)
    ACTIVITE_IMPORTEE = "activite_importee", "Activité importée depuis un tableur"
    ACTION_ENREGISTREE = "action_enregistree", "Atelier, permanence ou parcours enregistré"
    ACTION_SUPPRIMEE = "action_supprimee", "Atelier, permanence ou parcours supprimé"
    BENEFICIAIRE_AJOUTE = "beneficiaire_ajoute", "Bénéficiaire ajouté"
    LISTE_ATTENTE_SAISIE = "liste_attente_saisie", "Liste d'attente saisie"
    THEMES_MODIFIES = "themes_modifies", "Catalogue des thèmes d'atelier modifié"

    # Jury et délibération (evaluation/)
    JURY_PREPARE = "jury_prepare", "Jury et grille préparés"
    JURY_REGLE = "jury_regle", "Réglages du jury modifiés"
    GRILLE_MODIFIEE = "grille_modifiee", "Grille de notation modifiée"
    MEMBRE_JURY_AJOUTE = "membre_jury_ajoute", "Membre du jury ajouté"
    AFFECTATIONS_REPARTIES = "affectations_reparties", "Candidatures affectées au jury"
    AFFECTATION_AJOUTEE = "affectation_ajoutee", "Candidature affectée à un membre du jury"
    AFFECTATION_RETIREE = "affectation_retiree", "Affectation à un membre du jury retirée"
    CONFLIT_DECLARE = "conflit_declare", "Conflit d'intérêts déclaré"
    ABSENCE_CONFLIT_DECLAREE = "absence_conflit_declaree", "Absence de conflit d'intérêts déclarée"
    NOTES_ENREGISTREES = "notes_enregistrees", "Notes du jury enregistrées"
    SEANCE_ENREGISTREE = "seance_enregistree", "Séance de délibération enregistrée"
    DECISIONS_ENREGISTREES = "decisions_enregistrees", "Décisions de la délibération enregistrées"
    RESULTATS_PUBLIES = "resultats_publies", "Résultats publiés"
    LISTE_ATTENTE_PROMUE = "liste_attente_promue", "Candidature promue depuis la liste d'attente"
    NOMBRE_DE_PLACES_DEPASSE = (
        "nombre_de_places_depasse",
        "Nombre de places de l'appel dépassé (motif donné)",
    )

from django.db import models
from django.utils.translation import gettext_lazy as _


class TypeEvenement(models.TextChoices):
    """Catalogue des événements du journal ; il alimente aussi les notifications.

    Chaque transition d'état y entre sous CHANGEMENT_ETAT (avec la transition, l'état de départ
    et celui d'arrivée) ; les autres types décrivent les faits hors transitions.
    """

    CHANGEMENT_ETAT = "changement_etat", _("Changement d'état")
    INVITATION_ENVOYEE = "invitation_envoyee", _("Invitation envoyée")
    INVITATION_ACCEPTEE = "invitation_acceptee", _("Invitation acceptée")
    COMPTE_CREE = "compte_cree", _("Compte créé")
    DONNEES_EXPORTEES = "donnees_exportees", _("Données personnelles exportées par la personne")
    COMPTE_ANONYMISE = "compte_anonymise", _("Compte supprimé à la demande (données anonymisées)")
    MESSAGE_RENVOYE = "message_renvoye", _("Message renvoyé")
    RELANCES_REGLEES = "relances_reglees", _("Les relances sont réglées.")
    # Modèles de courriels et de documents d'un programme (messagerie/modeles.py)
    MODELE_TEXTE_MODIFIE = "modele_texte_modifie", _("Modèle de courriel ou de document modifié")
    MODELE_TEXTE_RETABLI = "modele_texte_retabli", _("Texte par défaut rétabli")

    # Appels, structures et candidatures (candidatures/)
    APPEL_CREE = "appel_cree", _("Appel créé")
    APPEL_MODIFIE = "appel_modifie", _("Appel modifié")
    FORMULAIRE_APPEL_MODIFIE = "formulaire_appel_modifie", _("Questions et pièces modifiées")
    REGLES_APPEL_VERIFIEES = "regles_appel_verifiees", _("Règles d'éligibilité enregistrées")
    APPEL_DUPLIQUE = "appel_duplique", _("Appel dupliqué")
    STRUCTURE_CREEE = "structure_creee", _("Structure créée")
    STRUCTURE_MODIFIEE = "structure_modifiee", _("Profil de la structure modifié")
    MEMBRE_STRUCTURE_INVITE = "membre_structure_invite", _("Collègue invité dans la structure")
    MEMBRE_STRUCTURE_AJOUTE = "membre_structure_ajoute", _("Collègue ajouté à la structure")
    CANDIDATURE_COMMENCEE = "candidature_commencee", _("Candidature commencée")
    PIECE_JOINTE_AJOUTEE = "piece_jointe_ajoutee", _("Pièce jointe ajoutée")
    PIECE_JOINTE_RETIREE = "piece_jointe_retiree", _("Pièce jointe retirée")
    ELIGIBILITE_FORCEE = "eligibilite_forcee", _("Éligibilité forcée par un gestionnaire")

    # Accompagnement (accompagnement/)
    PLAN_ACCOMPAGNEMENT_CREE = "plan_accompagnement_cree", _("Plan d'accompagnement créé")
    PLAN_ACCOMPAGNEMENT_REDATE = "plan_accompagnement_redate", _("Démarrage du plan déplacé")
    MODELE_JALONS_MODIFIE = "modele_jalons_modifie", _("Modèle de jalons modifié")
    COACH_AFFECTE = "coach_affecte", _("Coach affecté au plan")
    ECHEANCE_JALON_MODIFIEE = "echeance_jalon_modifiee", _("Échéance d'un jalon modifiée")
    PREUVE_JALON_AJOUTEE = "preuve_jalon_ajoutee", _("Note ou pièce ajoutée à un jalon")
    CADRAGE_ENREGISTRE = "cadrage_enregistre", _("Diagnostic et plan d'actions enregistrés")
    PLAN_ACTIONS_VALIDE = "plan_actions_valide", _("Plan d'accompagnement validé")
    SESSION_FORMATION_CREEE = "session_formation_creee", _("Session de formation créée")
    REFERENT_AJOUTE = "referent_ajoute", _("Référent ajouté")
    REFERENT_INSCRIT = "referent_inscrit", _("Référent inscrit à une session")
    REFERENT_DESINSCRIT = "referent_desinscrit", _("Référent désinscrit d'une session")
    EMARGEMENT_ENREGISTRE = "emargement_enregistre", _("Feuille d'émargement enregistrée")
    KIT_REMIS = "kit_remis", _("Kit remis")
    SENSIBILISATION_ENREGISTREE = "sensibilisation_enregistree", _("Sensibilisation enregistrée")
    COMITE_PLANIFIE = "comite_planifie", _("Comité de clôture planifié")
    COMPTE_RENDU_COMITE = "compte_rendu_comite", _("Compte rendu du comité enregistré")

    # Activité des structures et bilan (activite/)
    ACTIVITE_IMPORTEE = "activite_importee", _("Activité importée depuis un tableur")
    ACTION_ENREGISTREE = "action_enregistree", _("Atelier, permanence ou parcours enregistré")
    ACTION_SUPPRIMEE = "action_supprimee", _("Atelier, permanence ou parcours supprimé")
    BENEFICIAIRE_AJOUTE = "beneficiaire_ajoute", _("Bénéficiaire ajouté")
    LISTE_ATTENTE_SAISIE = "liste_attente_saisie", _("Liste d'attente saisie")
    THEMES_MODIFIES = "themes_modifies", _("Catalogue des thèmes d'atelier modifié")

    # Notes privées et étiquettes (annotations/)
    NOTE_PRIVEE_SUPPRIMEE = "note_privee_supprimee", _("Note privée effacée par son auteur")
    ETIQUETTE_CREEE = "etiquette_creee", _("Étiquette créée")
    ETIQUETTE_RENOMMEE = "etiquette_renommee", _("Étiquette renommée")
    ETIQUETTE_SUPPRIMEE = "etiquette_supprimee", _("Étiquette supprimée")
    ETIQUETTE_AJOUTEE = "etiquette_ajoutee", _("Étiquette ajoutée à des dossiers")
    ETIQUETTE_RETIREE = "etiquette_retiree", _("Étiquette retirée de dossiers")

    # Jury et délibération (evaluation/)
    JURY_PREPARE = "jury_prepare", _("Jury et grille préparés")
    JURY_REGLE = "jury_regle", _("Réglages du jury modifiés")
    GRILLE_MODIFIEE = "grille_modifiee", _("Grille de notation modifiée")
    MEMBRE_JURY_AJOUTE = "membre_jury_ajoute", _("Membre du jury ajouté")
    AFFECTATIONS_REPARTIES = "affectations_reparties", _("Candidatures affectées au jury")
    AFFECTATION_AJOUTEE = "affectation_ajoutee", _("Candidature affectée à un membre du jury")
    AFFECTATION_RETIREE = "affectation_retiree", _("Affectation à un membre du jury retirée")
    CONFLIT_DECLARE = "conflit_declare", _("Conflit d'intérêts déclaré")
    ABSENCE_CONFLIT_DECLAREE = (
        "absence_conflit_declaree",
        _("Absence de conflit d'intérêts déclarée"),
    )
    NOTES_ENREGISTREES = "notes_enregistrees", _("Notes du jury enregistrées")
    SEANCE_ENREGISTREE = "seance_enregistree", _("Séance de délibération enregistrée")
    DECISIONS_ENREGISTREES = (
        "decisions_enregistrees",
        _("Décisions de la délibération enregistrées"),
    )
    RESULTATS_PUBLIES = "resultats_publies", _("Résultats publiés")
    LISTE_ATTENTE_PROMUE = "liste_attente_promue", _("Candidature promue depuis la liste d'attente")
    NOMBRE_DE_PLACES_DEPASSE = (
        "nombre_de_places_depasse",
        _("Nombre de places de l'appel dépassé (motif donné)"),
    )
    ENVOI_GROUPE_CREE = "envoi_groupe_cree", _("Envoi groupé confirmé")

    # Fils de discussion (echanges/)
    MESSAGE_FIL_ECRIT = "message_fil_ecrit", _("Message écrit dans le fil de discussion")
    FIL_PARTAGE_JURY = "fil_partage_jury", _("Fil de discussion montré au jury")
    FIL_RETIRE_JURY = "fil_retire_jury", _("Fil de discussion retiré au jury")

    # Jetons personnels de l'API (api/)
    JETON_API_CREE = "jeton_api_cree", _("Jeton d'accès à l'API créé")
    JETON_API_REVOQUE = "jeton_api_revoque", _("Jeton d'accès à l'API révoqué")
    # Données ouvertes (donnees_ouvertes/)
    DONNEES_OUVERTES_PUBLIEES = (
        "donnees_ouvertes_publiees",
        _("Indicateurs de la cohorte publiés en données ouvertes"),
    )
    DONNEES_OUVERTES_MISES_A_JOUR = (
        "donnees_ouvertes_mises_a_jour",
        _("Publication en données ouvertes mise à jour"),
    )
    DONNEES_OUVERTES_RETIREES = (
        "donnees_ouvertes_retirees",
        _("Publication en données ouvertes retirée"),
    )

    # Webhooks d'un programme (crochets/)
    WEBHOOK_CREE = "webhook_cree", _("Webhook ajouté")
    WEBHOOK_MODIFIE = "webhook_modifie", _("Webhook modifié")
    WEBHOOK_SECRET_REGENERE = "webhook_secret_regenere", _("Secret d'un webhook régénéré")
    WEBHOOK_SUPPRIME = "webhook_supprime", _("Webhook supprimé")
    WEBHOOK_LIVRAISON_RENVOYEE = "webhook_livraison_renvoyee", _("Livraison d'un webhook renvoyée")

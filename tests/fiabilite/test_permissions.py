"""La matrice des permissions : chaque page du projet (lue dans le résolveur d'URL, pour
qu'aucune ne soit oubliée) × chaque rôle → la réponse attendue, déclarée dans UN tableau.

Une page ajoutée au projet sans ligne ici fait échouer le test ; le message d'échec donne la
ligne observée, à relire avant de la recopier."""

from urllib.parse import urlparse

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import UtilisateurFactory
from tests.fiabilite.monde import ROLES, construire_monde

LOG = "connexion"  # 302 vers la page de connexion

# Les paramètres de chaque page, pris dans le monde construit par `construire_monde`.
PARAMETRES = {
    "account_confirm_email": lambda m: {"key": "cle-inconnue"},
    "account_reset_password_from_key": lambda m: {"uidb36": "1", "key": "cle-inconnue"},
    "invitation_accepter": lambda m: {"jeton": m.jeton_invitation},
    "messagerie:detail": lambda m: {"pk": m.message.pk},
    "messagerie:renvoyer": lambda m: {"pk": m.message.pk},
    "candidatures:appel": lambda m: {"slug": m.appel_ouvert.slug},
    "candidatures:candidater": lambda m: {"slug": m.appel_ouvert.slug},
    "candidatures:candidature": lambda m: {"pk": m.candidature.pk},
    "candidatures:formulaire": lambda m: {"pk": m.candidature.pk},
    "candidatures:enregistrement_automatique": lambda m: {"pk": m.candidature.pk},
    "candidatures:retirer": lambda m: {"pk": m.candidature.pk},
    "candidatures:recepisse": lambda m: {"pk": m.candidature.pk},
    "candidatures:piece_jointe": lambda m: {"pk": m.candidature.pk, "piece_pk": m.piece.pk},
    "candidatures:structure": lambda m: {"pk": m.structure_a.pk},
    "candidatures:structure_modifier": lambda m: {"pk": m.structure_a.pk},
    "candidatures:structure_inviter": lambda m: {"pk": m.structure_a.pk},
    "candidatures:invitation_structure": lambda m: {"jeton": m.jeton_structure},
    "candidatures:gestion_appel_nouveau": lambda m: {"programme_pk": m.programme.pk},
    "candidatures:gestion_appel": lambda m: {"pk": m.appel_ouvert.pk},
    "candidatures:gestion_appel_modifier": lambda m: {"pk": m.appel_ouvert.pk},
    "candidatures:gestion_appel_questions": lambda m: {"pk": m.appel_ouvert.pk},
    "candidatures:gestion_appel_regles": lambda m: {"pk": m.appel_ouvert.pk},
    "candidatures:gestion_appel_publier": lambda m: {"pk": m.appel_ouvert.pk},
    "candidatures:gestion_appel_clore": lambda m: {"pk": m.appel_ouvert.pk},
    "candidatures:gestion_appel_rouvrir": lambda m: {"pk": m.appel_ouvert.pk},
    "candidatures:gestion_appel_deplacer_question": lambda m: {
        "pk": m.appel_ouvert.pk,
        "question_pk": m.appel_ouvert.questions.first().pk,
    },
    "candidatures:gestion_appel_deplacer_piece": lambda m: {
        "pk": m.appel_ouvert.pk,
        "piece_pk": m.appel_ouvert.pieces_demandees.first().pk,
    },
    "candidatures:gestion_appel_dupliquer": lambda m: {"pk": m.appel_ouvert.pk},
    "candidatures:gestion_candidatures": lambda m: {"pk": m.appel_ouvert.pk},
    "candidatures:gestion_candidatures_csv": lambda m: {"pk": m.appel_ouvert.pk},
    "candidatures:gestion_candidatures_xlsx": lambda m: {"pk": m.appel_ouvert.pk},
    "candidatures:gestion_candidatures_recevables": lambda m: {"pk": m.appel_ouvert.pk},
    "candidatures:gestion_candidature": lambda m: {"pk": m.candidature.pk},
    "candidatures:gestion_demander_complement": lambda m: {"pk": m.candidature.pk},
    "candidatures:gestion_declarer_irrecevable": lambda m: {"pk": m.candidature.pk},
    "candidatures:gestion_declarer_recevable": lambda m: {"pk": m.candidature.pk},
    "candidatures:gestion_forcer_eligibilite": lambda m: {"pk": m.candidature.pk},
    "evaluation:jury_candidature": lambda m: {"pk": m.candidature_jury.pk},
    "evaluation:jury_declarer": lambda m: {"pk": m.candidature_jury.pk},
    "evaluation:jury_noter": lambda m: {"pk": m.candidature_jury.pk},
    "evaluation:jury_piece_jointe": lambda m: {
        "pk": m.candidature_jury.pk,
        "piece_pk": m.piece_jury.pk,
    },
    "evaluation:gestion_jury": lambda m: {"pk": m.jury.appel_id},
    "evaluation:gestion_preparer": lambda m: {"pk": m.jury.appel_id},
    "evaluation:gestion_regler": lambda m: {"pk": m.jury.appel_id},
    "evaluation:gestion_membre": lambda m: {"pk": m.jury.appel_id},
    "evaluation:gestion_affecter": lambda m: {"pk": m.jury.appel_id},
    "evaluation:gestion_ajouter_affectation": lambda m: {
        "pk": m.jury.appel_id,
        "candidature_pk": m.candidature_jury.pk,
    },
    "evaluation:gestion_retirer_affectation": lambda m: {
        "pk": m.jury.appel_id,
        "affectation_pk": m.affectation.pk,
    },
    "evaluation:gestion_etape": lambda m: {"pk": m.jury.appel_id, "etape": "ouvrir-deliberation"},
    "evaluation:gestion_grille": lambda m: {"pk": m.jury.appel_id},
    "evaluation:gestion_classement": lambda m: {"pk": m.jury.appel_id},
    "evaluation:gestion_deliberation": lambda m: {"pk": m.jury.appel_id},
    "evaluation:gestion_seance": lambda m: {"pk": m.jury.appel_id},
    "evaluation:gestion_decisions": lambda m: {"pk": m.jury.appel_id},
    "evaluation:gestion_publier": lambda m: {"pk": m.jury.appel_id},
    "evaluation:gestion_promouvoir": lambda m: {"pk": m.jury.appel_id},
    "evaluation:gestion_proces_verbal": lambda m: {"pk": m.jury.appel_id},
    "evaluation:gestion_liste_attente": lambda m: {"pk": m.plan.candidature.appel_id},
    "evaluation:gestion_retirer_laureat": lambda m: {"pk": m.plan.candidature_id},
    "evaluation:lettre_decision": lambda m: {"pk": m.plan.candidature_id},
    "evaluation:retirer_laureat": lambda m: {"pk": m.plan.candidature_id},
    "relances:desabonnement": lambda m: {"jeton": m.jeton_relance},
    "relances:reglages": lambda m: {"modele": "appel", "pk": m.appel_ouvert.pk},
    "accompagnement:plan": lambda m: {"pk": m.plan.pk},
    "accompagnement:affecter_coach": lambda m: {"pk": m.plan.pk},
    "accompagnement:remettre_kit": lambda m: {"pk": m.plan.pk},
    "accompagnement:cadrage": lambda m: {"pk": m.plan.pk},
    "accompagnement:cadrage_valider": lambda m: {"pk": m.plan.pk},
    "accompagnement:jalon": lambda m: {"pk": m.jalon.pk},
    "accompagnement:jalon_echeance": lambda m: {"pk": m.jalon.pk},
    "accompagnement:jalon_preuve": lambda m: {"pk": m.jalon.pk},
    "accompagnement:preuve": lambda m: {"pk": m.jalon.pk, "preuve_pk": m.preuve.pk},
    "accompagnement:jalon_action": lambda m: {"pk": m.jalon.pk, "action": "commencer"},
    "accompagnement:referents": lambda m: {"pk": m.plan.pk},
    "accompagnement:inscrire": lambda m: {"pk": m.session.pk},
    "accompagnement:desinscrire": lambda m: {"pk": m.session.pk},
    "accompagnement:emargement": lambda m: {"pk": m.session.pk},
    "accompagnement:attestation": lambda m: {"pk": m.session.pk, "referent_pk": m.referent.pk},
    "accompagnement:calendrier_flux": lambda m: {"signe": m.signe_calendrier},
    "accompagnement:gestion_modele": lambda m: {"pk": m.programme.pk},
    "accompagnement:gestion_cohorte": lambda m: {"pk": m.plan.candidature.appel_id},
    "accompagnement:gestion_session_nouvelle": lambda m: {"pk": m.programme.pk},
    "accompagnement:gestion_sensibilisation": lambda m: {"pk": m.programme.pk},
    "accompagnement:gestion_comite_nouveau": lambda m: {"pk": m.programme.pk},
    "accompagnement:gestion_comite": lambda m: {"pk": m.comite.pk},
    "activite:activite": lambda m: {"pk": m.structure_a.pk},
    "activite:action_nouvelle": lambda m: {"pk": m.structure_a.pk},
    "activite:action_modifier": lambda m: {"pk": m.structure_a.pk, "action_pk": m.action.pk},
    "activite:beneficiaires": lambda m: {"pk": m.structure_a.pk},
    "activite:liste_attente": lambda m: {"pk": m.structure_a.pk},
    "activite:importer": lambda m: {"pk": m.structure_a.pk},
    "activite:action": lambda m: {"pk": m.action.pk},
    "activite:action_statuts": lambda m: {"pk": m.action.pk},
    "activite:action_retirer_participant": lambda m: {
        "pk": m.action.pk,
        "participation_pk": m.participation.pk,
    },
    "activite:action_supprimer": lambda m: {"pk": m.action.pk},
    "activite:bilan": lambda m: {"slug": m.plan.candidature.appel.slug},
    "activite:bilan_pdf": lambda m: {"slug": m.plan.candidature.appel.slug},
    "activite:bilan_pdf_etat": lambda m: {"slug": m.plan.candidature.appel.slug},
    "activite:bilan_xlsx": lambda m: {"slug": m.plan.candidature.appel.slug},
    # Versions déposées
    "candidatures:gestion_versions": lambda m: {"pk": m.candidature.pk},
    "candidatures:recepisse_version": lambda m: {"pk": m.candidature.pk, "numero": 1},
    "candidatures:fichier_version": lambda m: {
        "pk": m.candidature.pk,
        "numero": 1,
        "fichier_pk": m.fichier_version.pk,
    },
    # Notes privées et étiquettes (annotations)
    "annotations:etiquettes": lambda m: {"pk": m.programme.pk},
    "annotations:etiquette_renommer": lambda m: {"pk": m.etiquette.pk},
    "annotations:etiquette_supprimer": lambda m: {"pk": m.etiquette.pk},
    "annotations:etiqueter": lambda m: {"code": "candidature"},
    "annotations:note_ajouter": lambda m: {"code": "plan", "pk": m.plan.pk},
    "annotations:note_modifier": lambda m: {"pk": m.note.pk},
    "annotations:note_supprimer": lambda m: {"pk": m.note.pk},
    # Modèles de courriels et de documents d'un programme (messagerie/views_modeles.py).
    "messagerie:modeles": lambda m: {"programme_pk": m.programme.pk},
    "messagerie:modele": lambda m: {
        "programme_pk": m.programme.pk,
        "genre": "courriel",
        "code": "accompagnement_convocation",
    },
    "messagerie:modele_retablir": lambda m: {
        "programme_pk": m.programme.pk,
        "genre": "document",
        "code": "lettre_decision",
    },
    # Envois groupés
    "messagerie:envoi": lambda m: {"pk": m.envoi_groupe.pk},
    "messagerie:ecrire": lambda m: {"code": "candidatures", "pk": m.appel_ouvert.pk},
    # Fils de discussion (echanges)
    "echanges:fil": lambda m: {"cle": "candidature", "pk": m.candidature.pk},
    "echanges:partage": lambda m: {"cle": "candidature", "pk": m.candidature.pk},
    "echanges:piece": lambda m: {"pk": m.piece_fil.pk},
    "jetons:revoquer": lambda m: {"pk": 1},
    # Données ouvertes
    "donnees_ouvertes:jeu": lambda m: {"slug": m.plan.candidature.appel.slug},
    "donnees_ouvertes:indicateurs": lambda m: {"slug": m.plan.candidature.appel.slug},
    "donnees_ouvertes:descripteur": lambda m: {"slug": m.plan.candidature.appel.slug},
    "donnees_ouvertes:publier": lambda m: {"slug": m.plan.candidature.appel.slug},
    "donnees_ouvertes:retirer": lambda m: {"slug": m.plan.candidature.appel.slug},
    # Webhooks d'un programme (crochets)
    "crochets:webhooks": lambda m: {"pk": m.programme.pk},
    "crochets:webhook": lambda m: {"pk": m.webhook.pk},
    "crochets:webhook_secret": lambda m: {"pk": m.webhook.pk},
    "crochets:webhook_tester": lambda m: {"pk": m.webhook.pk},
    "crochets:webhook_supprimer": lambda m: {"pk": m.webhook.pk},
    "crochets:livraison_renvoyer": lambda m: {"pk": m.livraison.pk},
    # Exports préparés par le worker (telechargements)
    "telechargements:export": lambda m: {"pk": m.telechargement.pk},
    "telechargements:export_etat": lambda m: {"pk": m.telechargement.pk},
    "telechargements:export_fichier": lambda m: {"pk": m.telechargement.pk},
    "telechargements:export_relancer": lambda m: {"pk": m.telechargement.pk},
}

# fmt: off
# Colonnes, dans l'ordre de ROLES : anonyme, candidat de A, candidat de B, membre du jury sans
# conflit, membre du jury en conflit, coach du plan, autre coach, observateur, gestionnaire du
# programme, gestionnaire d'un autre programme. LOG : renvoi vers la connexion ; 405 : page qui
# n'accepte que POST. Un 404 plutôt qu'un 403 ne dit pas qu'un objet d'autrui existe.
# Notables : questions et règles d'un appel déjà publié sont verrouillées (403 même pour son
# gestionnaire) ; délibération et procès-verbal n'existent pas avant la délibération (404) ;
# le membre en conflit ne voit plus la candidature (404).
# La boîte d'envoi est cloisonnée par programme : le gestionnaire d'un autre programme a sa
# liste (filtrée, voir tests/messagerie/test_cloisonnement.py) mais pas ce courriel (403).
MATRICE = {
    #                                                anon cA  cB jury jcf coa co2 obs ges ge2
    "accueil":                                      (200,200,200,200,200,200,200,200,200,200),
    "sante":                                        (200,200,200,200,200,200,200,200,200,200),
    "plancher":                                     (200,200,200,200,200,200,200,200,200,200),
    "accessibilite":                                (200,200,200,200,200,200,200,200,200,200),
    "mentions_legales":                             (200,200,200,200,200,200,200,200,200,200),
    "tableau_de_bord":                              (LOG,200,200,200,200,200,200,200,302,302),
    "accueil_gestion":                              (LOG,403,403,403,403,403,403,403,200,200),
    "set_language":                                 (302,302,302,302,302,302,302,302,302,302),
    "catalogue_js":                                 (200,200,200,200,200,200,200,200,200,200),
    "account_login":                                (200,302,302,302,302,302,302,302,302,302),
    "account_logout":                               (302,200,200,200,200,200,200,200,200,200),
    "account_inactive":                             (200,200,200,200,200,200,200,200,200,200),
    "account_signup":                               (200,302,302,302,302,302,302,302,302,302),
    "account_reauthenticate":                       (LOG,200,200,200,200,200,200,200,200,200),
    "account_email":                                (LOG,200,200,200,200,200,200,200,200,200),
    "account_email_verification_sent":              (200,200,200,200,200,200,200,200,200,200),
    "account_change_password":                      (LOG,200,200,200,200,200,200,200,200,200),
    "account_set_password":                         (LOG,302,302,302,302,302,302,302,302,302),
    "account_reset_password":                       (200,200,200,200,200,200,200,200,200,200),
    "account_confirm_login_code":                   (LOG,302,302,302,302,302,302,302,302,302),
    "account_confirm_email":                        (200,200,200,200,200,200,200,200,200,200),
    "account_reset_password_from_key_done":         (200,200,200,200,200,200,200,200,200,200),
    "account_reset_password_from_key":              (200,200,200,200,200,200,200,200,200,200),
    "account_reset_password_done":                  (200,200,200,200,200,200,200,200,200,200),
    "mfa_index":                                    (LOG,200,200,200,200,200,200,200,200,200),
    "mfa_authenticate":                             (LOG,302,302,302,302,302,302,302,302,302),
    "mfa_reauthenticate":                           (LOG,302,302,302,302,302,302,302,302,302),
    "mfa_activate_totp":                            (LOG,302,302,302,302,302,302,302,302,302),
    "mfa_deactivate_totp":                          (LOG,404,404,404,404,404,404,404,404,404),
    "mfa_view_recovery_codes":                      (LOG,404,404,404,404,404,404,404,404,404),
    "mfa_generate_recovery_codes":                  (LOG,302,302,302,302,302,302,302,302,302),
    "mfa_download_recovery_codes":                  (LOG,404,404,404,404,404,404,404,404,404),
    "invitations":                                  (LOG,403,403,403,403,403,403,403,200,200),
    "invitation_dans_une_structure":                (405,405,405,405,405,405,405,405,405,405),
    "invitation_accepter":                          (200,200,200,200,200,200,200,200,200,200),
    "mon_compte":                                   (LOG,200,200,200,200,200,200,200,200,200),
    "exporter_mes_donnees":                         (LOG,405,405,405,405,405,405,405,405,405),
    "supprimer_mon_compte":                         (LOG,200,200,302,302,302,302,302,302,302),
    "messagerie:liste":                             (LOG,403,403,403,403,403,403,403,200,200),
    "messagerie:detail":                            (LOG,403,403,403,403,403,403,403,200,403),
    "messagerie:renvoyer":                          (405,405,405,405,405,405,405,405,405,405),
    "candidatures:appels":                          (200,200,200,200,200,200,200,200,200,200),
    "candidatures:appel":                           (200,200,200,200,200,200,200,200,200,200),
    "candidatures:candidater":                      (405,405,405,405,405,405,405,405,405,405),
    "candidatures:candidature":                     (LOG,200,404,404,404,404,404,404,302,404),
    "candidatures:formulaire":                      (LOG,302,404,404,404,404,404,404,302,404),
    "candidatures:enregistrement_automatique":      (405,405,405,405,405,405,405,405,405,405),
    "candidatures:retirer":                         (LOG,200,404,404,404,404,404,404,403,404),
    "candidatures:recepisse":                       (LOG,200,404,404,404,404,404,404,200,404),
    "candidatures:piece_jointe":                    (LOG,200,404,404,404,404,404,404,200,404),
    "candidatures:structure_nouvelle":              (LOG,200,200,403,403,403,403,403,403,403),
    "candidatures:structure":                       (LOG,200,404,404,404,404,404,404,404,404),
    "candidatures:structure_modifier":              (LOG,200,404,404,404,404,404,404,404,404),
    "candidatures:structure_inviter":               (LOG,302,404,404,404,404,404,404,404,404),
    "candidatures:invitation_structure":            (200,200,200,200,200,200,200,200,200,200),
    "candidatures:gestion_appels":                  (LOG,403,403,403,403,403,403,403,200,200),
    "candidatures:gestion_appel_nouveau":           (LOG,403,403,403,403,403,403,403,200,404),
    "candidatures:gestion_appel":                   (LOG,403,403,403,403,403,403,403,200,404),
    "candidatures:gestion_appel_modifier":          (LOG,403,403,403,403,403,403,403,200,404),
    "candidatures:gestion_appel_questions":         (LOG,403,403,403,403,403,403,403,403,404),
    "candidatures:gestion_appel_regles":            (LOG,403,403,403,403,403,403,403,403,404),
    "candidatures:gestion_appel_publier":           (405,405,405,405,405,405,405,405,405,405),
    "candidatures:gestion_appel_clore":             (LOG,403,403,403,403,403,403,403,200,404),
    "candidatures:gestion_appel_rouvrir":           (LOG,403,403,403,403,403,403,403,409,404),
    "candidatures:gestion_appel_deplacer_question": (405,405,405,405,405,405,405,405,405,405),
    "candidatures:gestion_appel_deplacer_piece":    (405,405,405,405,405,405,405,405,405,405),
    "candidatures:gestion_appel_dupliquer":         (405,405,405,405,405,405,405,405,405,405),
    "candidatures:gestion_candidatures":            (LOG,403,403,403,403,403,403,403,200,404),
    "candidatures:gestion_candidatures_csv":        (LOG,403,403,403,403,403,403,403,200,404),
    "candidatures:gestion_candidatures_xlsx":       (LOG,403,403,403,403,403,403,403,200,404),
    "candidatures:gestion_candidatures_recevables": (405,405,405,405,405,405,405,405,405,405),
    "candidatures:gestion_candidature":             (LOG,403,403,403,403,403,403,403,200,404),
    "candidatures:gestion_demander_complement":     (405,405,405,405,405,405,405,405,405,405),
    "candidatures:gestion_declarer_irrecevable":    (405,405,405,405,405,405,405,405,405,405),
    "candidatures:gestion_declarer_recevable":      (405,405,405,405,405,405,405,405,405,405),
    "candidatures:gestion_forcer_eligibilite":      (405,405,405,405,405,405,405,405,405,405),
    "evaluation:jury_accueil":                      (LOG,403,403,200,200,403,403,403,403,403),
    "evaluation:jury_candidature":                  (LOG,403,403,200,404,403,403,403,403,403),
    "evaluation:jury_declarer":                     (405,405,405,405,405,405,405,405,405,405),
    "evaluation:jury_noter":                        (405,405,405,405,405,405,405,405,405,405),
    "evaluation:jury_piece_jointe":                 (LOG,403,403,200,404,403,403,403,403,403),
    "evaluation:gestion_jury":                      (LOG,403,403,403,403,403,403,403,200,404),
    "evaluation:gestion_preparer":                  (405,405,405,405,405,405,405,405,405,405),
    "evaluation:gestion_regler":                    (405,405,405,405,405,405,405,405,405,405),
    "evaluation:gestion_membre":                    (405,405,405,405,405,405,405,405,405,405),
    "evaluation:gestion_affecter":                  (405,405,405,405,405,405,405,405,405,405),
    "evaluation:gestion_ajouter_affectation":       (405,405,405,405,405,405,405,405,405,405),
    "evaluation:gestion_retirer_affectation":       (405,405,405,405,405,405,405,405,405,405),
    "evaluation:gestion_etape":                     (405,405,405,405,405,405,405,405,405,405),
    "evaluation:gestion_grille":                    (LOG,403,403,403,403,403,403,403,200,404),
    "evaluation:gestion_classement":                (LOG,403,403,403,403,403,403,403,200,404),
    "evaluation:gestion_deliberation":              (LOG,403,403,403,403,403,403,403,404,404),
    "evaluation:gestion_seance":                    (405,405,405,405,405,405,405,405,405,405),
    "evaluation:gestion_decisions":                 (405,405,405,405,405,405,405,405,405,405),
    "evaluation:gestion_publier":                   (405,405,405,405,405,405,405,405,405,405),
    "evaluation:gestion_promouvoir":                (405,405,405,405,405,405,405,405,405,405),
    "evaluation:gestion_proces_verbal":             (LOG,403,403,403,403,403,403,403,404,404),
    "evaluation:gestion_liste_attente":             (LOG,403,403,403,403,403,403,403,200,404),
    "evaluation:gestion_retirer_laureat":           (LOG,403,403,403,403,403,403,403,200,404),
    "evaluation:lettre_decision":                   (LOG,200,404,404,404,404,404,404,200,404),
    "evaluation:retirer_laureat":                   (LOG,200,404,404,404,404,404,404,403,404),
    "territoires:eligibilite":                      (200,200,200,200,200,200,200,200,200,200),
    "territoires:recherche_communes":               (200,200,200,200,200,200,200,200,200,200),
    "territoires:referentiel":                      (LOG,403,403,403,403,403,403,403,200,200),
    "relances:preferences":                         (LOG,200,200,200,200,200,200,200,200,200),
    "relances:desabonnement":                       (200,200,200,200,200,200,200,200,200,200),
    "relances:liste":                               (LOG,403,403,403,403,403,403,403,200,200),
    "relances:reglages":                            (LOG,403,403,403,403,403,403,403,200,403),
    "accompagnement:frise":                         (LOG,403,403,403,403,200,200,403,200,200),
    "accompagnement:plan":                          (LOG,200,404,404,404,200,404,404,200,404),
    "accompagnement:affecter_coach":                (405,405,405,405,405,405,405,405,405,405),
    "accompagnement:remettre_kit":                  (405,405,405,405,405,405,405,405,405,405),
    "accompagnement:cadrage":                       (LOG,200,404,404,404,200,404,404,200,404),
    "accompagnement:cadrage_valider":               (405,405,405,405,405,405,405,405,405,405),
    "accompagnement:jalon":                         (LOG,200,404,404,404,200,404,404,200,404),
    "accompagnement:jalon_echeance":                (405,405,405,405,405,405,405,405,405,405),
    "accompagnement:jalon_preuve":                  (405,405,405,405,405,405,405,405,405,405),
    "accompagnement:preuve":                        (LOG,200,404,404,404,200,404,404,200,404),
    "accompagnement:jalon_action":                  (405,405,405,405,405,405,405,405,405,405),
    "accompagnement:mes_plans":                     (LOG,302,200,200,200,200,200,200,200,200),
    "accompagnement:referents":                     (LOG,200,404,404,404,200,404,404,200,404),
    "accompagnement:sessions":                      (LOG,200,200,200,200,200,200,200,200,200),
    "accompagnement:inscrire":                      (405,405,405,405,405,405,405,405,405,405),
    "accompagnement:desinscrire":                   (405,405,405,405,405,405,405,405,405,405),
    "accompagnement:emargement":                    (LOG,200,404,404,404,200,404,404,200,404),
    "accompagnement:attestation":                   (LOG,200,404,404,404,200,404,404,200,404),
    "accompagnement:calendrier":                    (LOG,200,200,200,200,200,200,200,200,200),
    "accompagnement:calendrier_regenerer":          (405,405,405,405,405,405,405,405,405,405),
    "accompagnement:calendrier_flux":               (200,200,200,200,200,200,200,200,200,200),
    "accompagnement:gestion_accueil":               (LOG,403,403,403,403,403,403,403,200,200),
    "accompagnement:gestion_modele":                (LOG,403,403,403,403,403,403,403,200,404),
    "accompagnement:gestion_cohorte":               (LOG,403,403,403,403,403,403,403,200,404),
    "accompagnement:gestion_session_nouvelle":      (LOG,403,403,403,403,403,403,403,200,404),
    "accompagnement:gestion_sensibilisation":       (LOG,403,403,403,403,403,403,403,200,404),
    "accompagnement:gestion_comite_nouveau":        (LOG,403,403,403,403,403,403,403,200,404),
    "accompagnement:gestion_comite":                (LOG,403,403,403,403,403,403,403,200,404),
    "activite:structures":                          (LOG,200,403,403,403,200,200,403,200,200),
    "activite:activite":                            (LOG,200,403,403,403,200,403,403,200,403),
    "activite:action_nouvelle":                     (LOG,200,403,403,403,200,403,403,403,403),
    "activite:action_modifier":                     (LOG,200,403,403,403,200,403,403,403,403),
    "activite:beneficiaires":                       (LOG,200,403,403,403,200,403,403,200,403),
    "activite:liste_attente":                       (LOG,200,403,403,403,200,403,403,403,403),
    "activite:importer":                            (LOG,200,403,403,403,200,403,403,403,403),
    "activite:action":                              (LOG,200,403,403,403,200,403,403,200,403),
    "activite:action_statuts":                      (405,405,405,405,405,405,405,405,405,405),
    "activite:action_retirer_participant":          (405,405,405,405,405,405,405,405,405,405),
    "activite:action_supprimer":                    (405,405,405,405,405,405,405,405,405,405),
    "activite:bilans":                              (LOG,403,403,403,403,403,403,200,200,200),
    "activite:bilan":                               (LOG,403,403,403,403,403,403,200,200,403),
    "activite:bilan_pdf":                           (LOG,403,403,403,403,403,403,200,200,403),
    "activite:bilan_pdf_etat":                      (LOG,403,403,403,403,403,403,200,200,403),
    "activite:bilan_xlsx":                          (LOG,403,403,403,403,403,403,200,200,403),
    "activite:themes":                              (LOG,403,403,403,403,403,403,403,200,200),
    # Versions déposées : la différence, pour les gestionnaires du programme ; le récépissé et
    # les fichiers de chaque dépôt, aussi pour la structure.
    "candidatures:gestion_versions":                (LOG,403,403,403,403,403,403,403,200,404),
    "candidatures:recepisse_version":               (LOG,200,404,404,404,404,404,404,200,404),
    "candidatures:fichier_version":                 (LOG,200,404,404,404,404,404,404,200,404),
    # Notes privées et étiquettes (annotations) : la note est celle du coach sur son plan ;
    # le gestionnaire la lit mais ne la modifie pas (403), qui ne la lit pas ne la trouve pas.
    "annotations:etiquettes":                       (LOG,403,403,403,403,403,403,403,200,404),
    "annotations:etiquette_renommer":               (405,405,405,405,405,405,405,405,405,405),
    "annotations:etiquette_supprimer":              (405,405,405,405,405,405,405,405,405,405),
    "annotations:etiqueter":                        (405,405,405,405,405,405,405,405,405,405),
    "annotations:note_ajouter":                     (405,405,405,405,405,405,405,405,405,405),
    "annotations:note_modifier":                    (LOG,404,404,404,404,200,404,404,403,404),
    "annotations:note_supprimer":                   (405,405,405,405,405,405,405,405,405,405),
    # Modèles de courriels et de documents d'un programme : ses gestionnaires seulement.
    "messagerie:modeles":                           (LOG,403,403,403,403,403,403,403,200,404),
    "messagerie:modele":                            (LOG,403,403,403,403,403,403,403,200,404),
    "messagerie:modele_retablir":                   (405,405,405,405,405,405,405,405,405,405),
    # Envois groupés : réservés aux gestionnaires ; la liste d'un autre programme est introuvable.
    "messagerie:envois":                            (LOG,403,403,403,403,403,403,403,200,200),
    "messagerie:envoi":                             (LOG,403,403,403,403,403,403,403,200,404),
    "messagerie:ecrire":                            (LOG,403,403,403,403,403,403,403,200,404),
    # Fils de discussion (echanges) : comme la candidature (404 pour qui ne la voit pas).
    "echanges:fil":                                 (LOG,200,404,404,404,404,404,404,200,404),
    "echanges:partage":                             (405,405,405,405,405,405,405,405,405,405),
    "echanges:piece":                               (LOG,200,404,404,404,404,404,404,200,404),
    # Jetons d'accès à l'API : chacun les siens ; révoquer n'accepte que POST.
    "jetons:liste":                                 (LOG,200,200,200,200,200,200,200,200,200),
    "jetons:revoquer":                              (405,405,405,405,405,405,405,405,405,405),
    # Données ouvertes : les jeux publiés se lisent sans compte ; publier et retirer (pages de
    # confirmation) sont aux gestionnaires du programme, l'appel d'un autre est introuvable.
    "donnees_ouvertes:jeux":                        (200,200,200,200,200,200,200,200,200,200),
    "donnees_ouvertes:jeu":                         (200,200,200,200,200,200,200,200,200,200),
    "donnees_ouvertes:indicateurs":                 (200,200,200,200,200,200,200,200,200,200),
    "donnees_ouvertes:descripteur":                 (200,200,200,200,200,200,200,200,200,200),
    "donnees_ouvertes:publier":                     (LOG,403,403,403,403,403,403,403,200,404),
    "donnees_ouvertes:retirer":                     (LOG,403,403,403,403,403,403,403,200,404),
    # Webhooks d'un programme (crochets) : ses gestionnaires seulement ; actions en POST.
    "crochets:webhooks":                            (LOG,403,403,403,403,403,403,403,200,404),
    "crochets:webhook":                             (LOG,403,403,403,403,403,403,403,200,404),
    "crochets:webhook_secret":                      (405,405,405,405,405,405,405,405,405,405),
    "crochets:webhook_tester":                      (405,405,405,405,405,405,405,405,405,405),
    "crochets:webhook_supprimer":                   (405,405,405,405,405,405,405,405,405,405),
    "crochets:livraison_renvoyer":                  (405,405,405,405,405,405,405,405,405,405),
    # Exports préparés (telechargements) : chacun ses exports ; celui d'une autre personne est
    # refusé (403), jamais servi ; relancer n'accepte que POST.
    "telechargements:mes_exports":                  (LOG,200,200,200,200,200,200,200,200,200),
    "telechargements:export":                       (LOG,403,403,403,403,403,403,403,200,403),
    "telechargements:export_etat":                  (LOG,403,403,403,403,403,403,403,200,403),
    "telechargements:export_fichier":               (LOG,403,403,403,403,403,403,403,200,403),
    "telechargements:export_relancer":              (405,405,405,405,405,405,405,405,405,405),
}
# fmt: on


def _pages(motifs, prefixe="", espace=None):
    for motif in motifs:
        if isinstance(motif, URLResolver):
            espace_du_motif = motif.namespace
            if espace and espace_du_motif:
                espace_du_motif = f"{espace}:{espace_du_motif}"
            yield from _pages(
                motif.url_patterns, prefixe + str(motif.pattern), espace_du_motif or espace
            )
        elif isinstance(motif, URLPattern):
            nom = f"{espace}:{motif.name}" if espace else motif.name
            yield prefixe + str(motif.pattern), nom


def pages_du_projet():
    """(chemin, nom) de chaque motif d'URL, hors administration Django."""
    return [
        (chemin, nom)
        for chemin, nom in _pages(get_resolver().url_patterns)
        if not chemin.startswith("admin/")
    ]


def pages_hors_api():
    """Les pages lues avec une session ; celles de l'API (lues avec un jeton, jamais avec une
    session) ont leur matrice dans tests/api/test_matrice_des_jetons.py."""
    return [(chemin, nom) for chemin, nom in pages_du_projet() if not nom.startswith("api:")]


def _statut(reponse):
    if reponse.status_code == 302:
        if urlparse(reponse["Location"]).path == reverse("account_login"):
            return LOG
    return reponse.status_code


def test_chaque_page_du_projet_a_sa_ligne_dans_la_matrice():
    assert None not in [nom for _chemin, nom in pages_du_projet()]
    noms = [nom for _chemin, nom in pages_hors_api()]
    assert None not in noms, "une page sans nom ne peut pas être déclarée dans la matrice"
    assert len(noms) == len(set(noms))
    assert sorted(set(noms) - set(MATRICE)) == []
    assert sorted(set(MATRICE) - set(noms)) == []


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_matrice_des_permissions(client, role):
    monde = construire_monde()
    compte = monde.comptes[role]
    if compte is not None:
        client.force_login(compte)
    colonne = ROLES.index(role)
    ecarts = {}
    for _chemin, nom in pages_hors_api():
        parametres = PARAMETRES.get(nom, lambda m: {})(monde)
        reponse = client.get(reverse(nom, kwargs=parametres))
        observe = _statut(reponse)
        attendu = MATRICE.get(nom, (None,) * len(ROLES))[colonne]
        if observe != attendu:
            ecarts[nom] = {"attendu": attendu, "observé": observe}
    assert ecarts == {}


@pytest.mark.django_db
def test_l_administration_renvoie_un_gestionnaire_non_membre_du_personnel(client):
    gestionnaire = UtilisateurFactory(gestionnaire=True)
    client.force_login(gestionnaire)

    reponse = client.get("/admin/")

    assert reponse.status_code == 302
    assert urlparse(reponse["Location"]).path == "/admin/login/"

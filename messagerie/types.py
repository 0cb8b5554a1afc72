"""Le libellé en français de chaque type de courriel, tel que la boîte d'envoi l'affiche.

Le type d'un message reste un code (il sert de filtre et de clé) ; ce qu'une personne lit est
son libellé. Les relances prennent celui de leur type dans le registre de `relances`, les
courriels de compte (django-allauth) celui de leur gabarit. Un code inconnu d'ici s'affiche
tel quel plutôt que de faire échouer la page.
"""

LIBELLES = {
    "invitation": "Invitation à rejoindre Relais",
    "invitation_structure": "Invitation à rejoindre une structure",
    "candidature_deposee": "Candidature déposée (accusé de réception)",
    "candidature_a_completer": "Candidature à compléter",
    "candidature_irrecevable": "Candidature non recevable",
    "candidature_recevable": "Candidature recevable",
    "decision_jury": "Décision du jury",
    "promotion_liste_attente": "Candidature retenue depuis la liste d'attente",
    "laureat_retire": "Retrait d'un lauréat",
    "accompagnement_coach_affecte": "Coach affecté à une structure",
    "accompagnement_convocation": "Convocation à une formation",
    "accompagnement_rappel_convocation_j7": "Rappel de convocation à une formation (J-7)",
    "accompagnement_rappel_convocation_j1": "Rappel de convocation à une formation (J-1)",
    "relance_resume_quotidien": "Résumé du jour des relances",
}

# Les gabarits de django-allauth (comptes.adapter : « compte_<gabarit> »). « nosec B105 » :
# ce sont des libellés de types de courriel, pas des mots de passe.
LIBELLES_COMPTE = {
    "account_already_exists": "adresse déjà inscrite",
    "account_connected": "compte externe associé",
    "account_disconnected": "compte externe dissocié",
    "email_changed": "adresse modifiée",
    "email_confirm": "confirmation d'adresse",
    "email_confirmation": "confirmation d'adresse",
    "email_confirmation_signup": "confirmation d'adresse à l'inscription",
    "email_deleted": "adresse retirée",
    "login_code": "code de connexion",
    "password_changed": "mot de passe modifié",  # nosec B105
    "password_reset": "mot de passe réinitialisé",  # nosec B105
    "password_reset_code": "code pour réinitialiser le mot de passe",  # nosec B105
    "password_reset_key": "lien pour réinitialiser le mot de passe",  # nosec B105
    "password_set": "mot de passe défini",  # nosec B105
    "recovery_codes_generated": "codes de secours créés",
    "totp_activated": "double authentification activée",
    "totp_deactivated": "double authentification désactivée",
    "unknown_account": "demande pour une adresse sans compte",
    "webauthn_added": "clé de sécurité ajoutée",
    "webauthn_removed": "clé de sécurité retirée",
}


def choix_des_types():
    """Les (code, libellé) de tous les types connus : les choix du champ `Message.type`."""
    from relances.registre import types_de_relance

    choix = dict(LIBELLES)
    for code, libelle in LIBELLES_COMPTE.items():
        choix[f"compte_{code}"] = f"Compte : {libelle}"
    for type_relance in types_de_relance():
        choix[f"relance_{type_relance.code}"] = f"Relance : {type_relance.libelle}"
    return sorted(choix.items(), key=lambda item: item[1])

"""Le libellé de chaque type de courriel, tel que la boîte d'envoi l'affiche.

Le type d'un message reste un code (il sert de filtre et de clé) ; ce qu'une personne lit est
son libellé. Les relances prennent celui de leur type dans le registre de `relances`, les
courriels de compte (django-allauth) celui de leur gabarit. Un code inconnu d'ici s'affiche
tel quel plutôt que de faire échouer la page.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

LIBELLES = {
    "invitation": _("Invitation à rejoindre Relais"),
    "invitation_structure": _("Invitation à rejoindre une structure"),
    "candidature_deposee": _("Candidature déposée (accusé de réception)"),
    "candidature_a_completer": _("Candidature à compléter"),
    "candidature_irrecevable": _("Candidature non recevable"),
    "candidature_recevable": _("Candidature recevable"),
    "appel_rouvert": _("Appel rouvert (aux structures qui ont un brouillon)"),
    "decision_jury": _("Décision du jury"),
    "promotion_liste_attente": _("Candidature retenue depuis la liste d'attente"),
    "laureat_retire": _("Retrait d'un lauréat"),
    "accompagnement_coach_affecte": _("Coach affecté à une structure"),
    "accompagnement_convocation": _("Convocation à une formation"),
    "accompagnement_rappel_convocation_j7": _("Rappel de convocation à une formation (J-7)"),
    "accompagnement_rappel_convocation_j1": _("Rappel de convocation à une formation (J-1)"),
    "accompagnement_desinscription": _("Désinscription d'une formation"),
    "relance_resume_quotidien": _("Résumé du jour des relances"),
}

# Les gabarits de django-allauth (comptes.adapter : « compte_<gabarit> »). « nosec B105 » :
# ce sont des libellés de types de courriel, pas des mots de passe.
LIBELLES_COMPTE = {
    "account_already_exists": _("adresse déjà inscrite"),
    "account_connected": _("compte externe associé"),
    "account_disconnected": _("compte externe dissocié"),
    "email_changed": _("adresse modifiée"),
    "email_confirm": _("confirmation d'adresse"),
    "email_confirmation": _("confirmation d'adresse"),
    "email_confirmation_signup": _("confirmation d'adresse à l'inscription"),
    "email_deleted": _("adresse retirée"),
    "login_code": _("code de connexion"),
    "password_changed": _("mot de passe modifié"),  # nosec B105
    "password_reset": _("mot de passe réinitialisé"),  # nosec B105
    "password_reset_code": _("code pour réinitialiser le mot de passe"),  # nosec B105
    "password_reset_key": _("lien pour réinitialiser le mot de passe"),  # nosec B105
    "password_set": _("mot de passe défini"),  # nosec B105
    "recovery_codes_generated": _("codes de secours créés"),
    "totp_activated": _("double authentification activée"),
    "totp_deactivated": _("double authentification désactivée"),
    "unknown_account": _("demande pour une adresse sans compte"),
    "webauthn_added": _("clé de sécurité ajoutée"),
    "webauthn_removed": _("clé de sécurité retirée"),
}


def choix_des_types():
    """Les (code, libellé) de tous les types connus : les choix du champ `Message.type`.
    Relue à chaque usage (choix appelables) : les libellés suivent la langue active."""
    from relances.registre import types_de_relance

    choix = dict(LIBELLES)
    for code, libelle in LIBELLES_COMPTE.items():
        choix[f"compte_{code}"] = gettext("Compte : %(libelle)s") % {"libelle": libelle}
    for type_relance in types_de_relance():
        choix[f"relance_{type_relance.code}"] = gettext("Relance : %(libelle)s") % {
            "libelle": type_relance.libelle
        }
    return sorted(choix.items(), key=lambda item: str(item[1]))

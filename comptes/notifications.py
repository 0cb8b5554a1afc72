"""Les courriels des comptes, déclarés au catalogue (`messagerie.catalogue`) : l'invitation à
rejoindre Relais (comptes.services) et ceux de django-allauth, que l'adaptateur des comptes
(`comptes.adapter`) met dans la boîte d'envoi sous le code « compte_<gabarit> »."""

from django.utils.translation import gettext_lazy as _

from messagerie.catalogue import Categorie, Courriel, Evenement, declarer

INVITATION = declarer(
    Courriel(
        code="invitation",
        libelle=_("Invitation à rejoindre Relais"),
        declencheur=Evenement("un gestionnaire invite une personne (comptes.services)"),
        categorie=Categorie.INVITATION,
        destinataires="l'adresse invitée (pas encore de compte)",
        gabarit="invitation",
        essentiel=True,
        aux_comptes=False,
    )
)

# Les gabarits de django-allauth et leur libellé. « nosec B105 » : ce sont des libellés de
# types de courriel, pas des mots de passe.
LIBELLES_DES_GABARITS_ALLAUTH = {
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


def code_du_courriel_de_compte(template_prefix):
    """Le code du catalogue d'un courriel d'allauth (« account/email/password_reset_key »)."""
    return f"compte_{template_prefix.rsplit('/', 1)[-1]}"


COURRIELS_DE_COMPTE = {
    gabarit: declarer(
        Courriel(
            code=code_du_courriel_de_compte(gabarit),
            libelle=libelle,
            declencheur=Evenement(f"django-allauth : {gabarit}"),
            categorie=Categorie.COMPTE,
            destinataires="le compte concerné, ou l'adresse saisie",
            gabarit=f"account/email/{gabarit}",
            # La sécurité du compte : on ne peut pas les refuser.
            essentiel=True,
        )
    )
    for gabarit, libelle in LIBELLES_DES_GABARITS_ALLAUTH.items()
}

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from comptes.services import (
    ROLES_DE_LA_PLATEFORME,
    programmes_ou_inviter,
    roles_a_donner,
)


class InvitationForm(forms.Form):
    """Qui inviter, dans quel rôle et pour quel programme : seuls les programmes que la
    personne connectée gère sont proposés, et seuls les rôles qu'elle peut donner."""

    email = forms.EmailField(label=_("Adresse électronique de la personne invitée"))
    role = forms.ChoiceField(label=_("Rôle"))
    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=None,
        required=False,
        empty_label=_("Choisissez le programme"),
        error_messages={
            "invalid_choice": _("Choisissez un des programmes que vous gérez."),
        },
    )

    def __init__(self, *args, utilisateur, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r.value, r.label) for r in roles_a_donner(utilisateur)]
        self.fields["programme"].queryset = programmes_ou_inviter(utilisateur).order_by("nom")
        if any(r in ROLES_DE_LA_PLATEFORME for r in roles_a_donner(utilisateur)):
            self.fields["programme"].help_text = gettext(
                "Pas de programme pour un observateur : ce rôle lit les bilans de tous les "
                "programmes."
            )

    def clean(self):
        donnees = super().clean()
        role = donnees.get("role")
        if role in ROLES_DE_LA_PLATEFORME:
            donnees["programme"] = None
        elif role and not donnees.get("programme") and "programme" not in self.errors:
            self.add_error(
                "programme", gettext("Choisissez le programme dans lequel vous invitez.")
            )
        return donnees


class AcceptationInvitationForm(forms.Form):
    prenom = forms.CharField(label=_("Prénom"), max_length=150)
    nom = forms.CharField(label=pgettext_lazy("personne", "Nom"), max_length=150)
    mot_de_passe = forms.CharField(
        label=_("Mot de passe"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    confirmation = forms.CharField(
        label=_("Mot de passe (confirmation)"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self):
        donnees = super().clean()
        mot_de_passe = donnees.get("mot_de_passe")
        if mot_de_passe and mot_de_passe != donnees.get("confirmation"):
            self.add_error(
                "confirmation", gettext("Les deux mots de passe ne sont pas identiques.")
            )
        elif mot_de_passe:
            try:
                password_validation.validate_password(mot_de_passe)
            except forms.ValidationError as erreur:
                self.add_error("mot_de_passe", erreur)
        return donnees


class SuppressionCompteForm(forms.Form):
    mot_de_passe = forms.CharField(
        label=_("Votre mot de passe, pour confirmer que c'est bien vous"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirmation = forms.BooleanField(
        label=_("J'ai compris : mon compte sera supprimé et je ne pourrai plus me connecter."),
    )

    def __init__(self, *args, utilisateur, **kwargs):
        self.utilisateur = utilisateur
        super().__init__(*args, **kwargs)

    def clean_mot_de_passe(self):
        mot_de_passe = self.cleaned_data["mot_de_passe"]
        if not self.utilisateur.check_password(mot_de_passe):
            raise forms.ValidationError(gettext("Ce mot de passe n'est pas celui de votre compte."))
        return mot_de_passe

from django import forms
from django.contrib.auth import password_validation

from comptes.enums import ROLES_SUR_INVITATION


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Adresse électronique de la personne invitée")
    role = forms.ChoiceField(
        label="Rôle", choices=[(r.value, r.label) for r in ROLES_SUR_INVITATION]
    )


class AcceptationInvitationForm(forms.Form):
    prenom = forms.CharField(label="Prénom", max_length=150)
    nom = forms.CharField(label="Nom", max_length=150)
    mot_de_passe = forms.CharField(
        label="Mot de passe",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    confirmation = forms.CharField(
        label="Mot de passe (confirmation)",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email, **kwargs):
        self.email = email
        super().__init__(*args, **kwargs)

    def clean(self):
        donnees = super().clean()
        mot_de_passe = donnees.get("mot_de_passe")
        if mot_de_passe and mot_de_passe != donnees.get("confirmation"):
            self.add_error("confirmation", "Les deux mots de passe ne sont pas identiques.")
        elif mot_de_passe:
            try:
                password_validation.validate_password(mot_de_passe)
            except forms.ValidationError as erreur:
                self.add_error("mot_de_passe", erreur)
        return donnees


class SuppressionCompteForm(forms.Form):
    mot_de_passe = forms.CharField(
        label="Votre mot de passe, pour confirmer que c'est bien vous",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirmation = forms.BooleanField(
        label="J'ai compris : mon compte sera supprimé et je ne pourrai plus me connecter.",
    )

    def __init__(self, *args, utilisateur, **kwargs):
        self.utilisateur = utilisateur
        super().__init__(*args, **kwargs)

    def clean_mot_de_passe(self):
        mot_de_passe = self.cleaned_data["mot_de_passe"]
        if not self.utilisateur.check_password(mot_de_passe):
            raise forms.ValidationError("Ce mot de passe n'est pas celui de votre compte.")
        return mot_de_passe

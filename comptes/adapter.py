from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth.models import Group

from comptes.enums import Role
from messagerie.services import deposer_courriel


class AdaptateurComptes(DefaultAccountAdapter):
    """Les courriels d'allauth passent par la boîte d'envoi ; l'inscription crée une structure
    candidate (les autres rôles arrivent sur invitation)."""

    def send_mail(self, template_prefix, email, context):
        courriel = self.render_mail(template_prefix, email, context)
        deposer_courriel(
            courriel,
            type_message=f"compte_{template_prefix.rsplit('/', 1)[-1]}",
            utilisateur=context.get("user"),
        )

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            groupe, _ = Group.objects.get_or_create(name=Role.CANDIDAT)
            user.groups.add(groupe)
        return user

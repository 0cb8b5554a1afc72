"""La page des invitations du gestionnaire : inviter dans un rôle d'un programme (comptes) ou
rattacher quelqu'un à une structure qui a candidaté (candidatures). Elle réunit les deux, d'où
sa place ici, au-dessus des comptes."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from candidatures.invitations import structures_ou_inviter
from candidatures.services import inviter_dans_structure
from comptes import services as services_comptes
from comptes.forms import InvitationForm
from noyau.decorateurs import permission_requise
from noyau.erreurs import ActionNonPermise, DonneesRefusees


class InvitationDansUneStructureForm(forms.Form):
    """Le gestionnaire rattache une personne à une structure qui a candidaté à l'un de ses
    programmes (la structure existe : son SIRET interdit de la recréer)."""

    prefix = "structure"
    email = forms.EmailField(label=gettext_lazy("Adresse électronique de la personne à rattacher"))
    structure = forms.ModelChoiceField(
        label=gettext_lazy("Structure"),
        queryset=None,
        empty_label=gettext_lazy("Choisissez la structure"),
        error_messages={
            "invalid_choice": gettext_lazy(
                "Choisissez une des structures qui ont candidaté à vos programmes."
            )
        },
    )

    def __init__(self, *args, utilisateur, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = structures_ou_inviter(utilisateur)


def _page_invitations(request, *, form, form_structure):
    liste = services_comptes.invitations_visibles_par(request.user)[:100]
    return render(
        request,
        "comptes/invitations.html",
        {"form": form, "form_structure": form_structure, "invitations": liste},
        status=400 if form.errors or form_structure.errors else 200,
    )


@permission_requise("comptes.inviter")
def invitations(request):
    form = InvitationForm(request.POST or None, utilisateur=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _jeton = services_comptes.inviter(
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                programme=form.cleaned_data["programme"],
                par=request.user,
            )
        except services_comptes.InvitationRefusee as refus:
            raise PermissionDenied(str(refus)) from refus
        messages.success(
            request, _("Invitation envoyée à %(email)s.") % {"email": invitation.email}
        )
        return redirect("invitations")
    return _page_invitations(
        request,
        form=form,
        form_structure=InvitationDansUneStructureForm(utilisateur=request.user),
    )


@require_POST
@permission_requise("comptes.inviter")
def invitation_dans_une_structure(request):
    """Le gestionnaire invite une personne à agir pour une structure existante (par exemple
    quand le seul compte de la structure a été supprimé)."""
    form = InvitationDansUneStructureForm(request.POST, utilisateur=request.user)
    if form.is_valid():
        structure = form.cleaned_data["structure"]
        try:
            invitation, _jeton = inviter_dans_structure(
                structure, email=form.cleaned_data["email"], par=request.user
            )
        except ActionNonPermise as refus:
            raise PermissionDenied(refus.message) from refus
        except DonneesRefusees as refus:
            form.add_error("email", refus.message)
        else:
            messages.success(
                request,
                _("Invitation envoyée à %(email)s pour agir au nom de %(structure)s.")
                % {"email": invitation.email, "structure": structure.nom},
            )
            return redirect("invitations")
    return _page_invitations(
        request, form=InvitationForm(utilisateur=request.user), form_structure=form
    )

from allauth.account.utils import perform_login
from django.contrib import messages
from django.shortcuts import redirect, render

from comptes import services
from comptes.decorators import permission_requise
from comptes.forms import AcceptationInvitationForm, InvitationForm
from comptes.models import Invitation


@permission_requise("comptes.inviter")
def invitations(request):
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        invitation, _ = services.inviter(
            email=form.cleaned_data["email"], role=form.cleaned_data["role"], par=request.user
        )
        messages.success(request, f"Invitation envoyée à {invitation.email}.")
        return redirect("invitations")
    liste = Invitation.objects.select_related("invitee_par")[:100]
    return render(request, "comptes/invitations.html", {"form": form, "invitations": liste})


def accepter_invitation(request, jeton):
    try:
        invitation = services.trouver_invitation(jeton)
    except services.InvitationInvalide as erreur:
        return render(
            request, "comptes/invitation_invalide.html", {"raison": str(erreur)}, status=410
        )
    form = AcceptationInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            utilisateur = services.accepter_invitation(
                jeton,
                prenom=form.cleaned_data["prenom"],
                nom=form.cleaned_data["nom"],
                mot_de_passe=form.cleaned_data["mot_de_passe"],
            )
        except services.InvitationInvalide as erreur:
            return render(
                request, "comptes/invitation_invalide.html", {"raison": str(erreur)}, status=410
            )
        messages.success(request, "Votre compte est créé. Bienvenue sur Relais.")
        return perform_login(request, utilisateur, redirect_url="/tableau-de-bord/")
    return render(
        request, "comptes/accepter_invitation.html", {"form": form, "invitation": invitation}
    )

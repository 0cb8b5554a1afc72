import json

from allauth.account.utils import perform_login
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from comptes import donnees_personnelles, services
from comptes.decorators import permission_requise
from comptes.forms import AcceptationInvitationForm, InvitationForm, SuppressionCompteForm
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


@login_required
def mon_compte(request):
    try:
        donnees_personnelles.verifier_suppression_possible(request.user)
        suppression_refusee = None
    except donnees_personnelles.SuppressionRefusee as refus:
        suppression_refusee = str(refus)
    return render(request, "comptes/mon_compte.html", {"suppression_refusee": suppression_refusee})


@login_required
@require_POST
def exporter_mes_donnees(request):
    donnees = donnees_personnelles.exporter_donnees(request.user)
    reponse = HttpResponse(
        json.dumps(donnees, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    nom = f"relais-mes-donnees-{timezone.localdate():%Y-%m-%d}.json"
    reponse["Content-Disposition"] = f'attachment; filename="{nom}"'
    return reponse


@login_required
def supprimer_mon_compte(request):
    try:
        donnees_personnelles.verifier_suppression_possible(request.user)
    except donnees_personnelles.SuppressionRefusee as refus:
        messages.error(request, str(refus))
        return redirect("mon_compte")
    form = SuppressionCompteForm(request.POST or None, utilisateur=request.user)
    if request.method == "POST" and form.is_valid():
        donnees_personnelles.supprimer_compte(request.user)
        logout(request)
        messages.success(
            request,
            "Votre compte est supprimé : vos nom, prénom et adresse ont été effacés de Relais.",
        )
        return redirect("accueil")
    return render(request, "comptes/supprimer_mon_compte.html", {"form": form})

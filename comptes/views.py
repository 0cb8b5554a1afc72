import json

from allauth.account.utils import perform_login
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comptes import donnees_personnelles, services
from comptes.forms import (
    AcceptationInvitationForm,
    SuppressionCompteForm,
)
from noyau.langue import langue_courante


def _invitation_invalide(request, erreur):
    return render(request, "comptes/invitation_invalide.html", {"raison": str(erreur)}, status=410)


def accepter_invitation(request, jeton):
    """Le lien reçu par courriel. Adresse sans compte : on crée son compte. Adresse qui a
    déjà un compte : on ne crée rien et on ne connecte personne ; la personne se connecte
    elle-même (mot de passe, double authentification), revient ici et accepte."""
    try:
        invitation = services.trouver_invitation(jeton)
    except services.InvitationInvalide as erreur:
        return _invitation_invalide(request, erreur)
    if services.compte_de_l_adresse(invitation.email) is not None:
        return _accepter_avec_son_compte(request, jeton, invitation)
    form = AcceptationInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            utilisateur = services.creer_compte_sur_invitation(
                jeton,
                prenom=form.cleaned_data["prenom"],
                nom=form.cleaned_data["nom"],
                mot_de_passe=form.cleaned_data["mot_de_passe"],
                langue=langue_courante(),
            )
        except services.CompteExistant:
            return _accepter_avec_son_compte(request, jeton, invitation)
        except services.InvitationInvalide as erreur:
            return _invitation_invalide(request, erreur)
        messages.success(request, _("Votre compte est créé. Bienvenue sur Relais."))
        return perform_login(request, utilisateur, redirect_url="/tableau-de-bord/")
    return render(
        request,
        "comptes/accepter_invitation.html",
        {"form": form, "invitation": invitation},
    )


def _accepter_avec_son_compte(request, jeton, invitation):
    """Jamais de formulaire de mot de passe ici : sans connexion, un lien vers la connexion
    qui ramène à l'invitation ; connecté avec un autre compte, un refus ; connecté avec le
    compte de l'adresse, le bouton qui accepte."""
    contexte = {"invitation": invitation}
    if not request.user.is_authenticated:
        suite = reverse("invitation_accepter", args=[jeton])
        contexte["lien_connexion"] = reverse("account_login") + "?" + urlencode({"next": suite})
        # Un envoi sans connexion (l'ancien formulaire, un robot) ne change rien.
        statut = 403 if request.method == "POST" else 200
        return render(request, "comptes/accepter_invitation_compte.html", contexte, status=statut)
    if request.method == "POST":
        try:
            services.accepter_invitation(jeton, utilisateur=request.user)
        except services.InvitationRefusee as refus:
            raise PermissionDenied(str(refus)) from refus
        except services.InvitationInvalide as erreur:
            return _invitation_invalide(request, erreur)
        role = invitation.get_role_display()
        if invitation.programme:
            texte = _(
                "Invitation acceptée : vous avez le rôle « %(role)s » dans le programme "
                "« %(programme)s »."
            ) % {"role": role, "programme": invitation.programme}
        else:
            texte = _("Invitation acceptée : vous avez le rôle « %(role)s ».") % {"role": role}
        messages.success(request, texte)
        return redirect("tableau_de_bord")
    try:
        services.verifier_compte_invite(invitation, request.user)
    except services.InvitationRefusee as refus:
        raise PermissionDenied(str(refus)) from refus
    return render(request, "comptes/accepter_invitation_compte.html", contexte)


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
            _("Votre compte est supprimé : vos nom, prénom et adresse ont été effacés de Relais."),
        )
        return redirect("accueil")
    return render(request, "comptes/supprimer_mon_compte.html", {"form": form})

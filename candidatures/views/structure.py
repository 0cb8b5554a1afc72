"""Côté structures candidates : le profil de la structure et les collègues qui agissent pour
elle (la personne responsable les invite)."""

from allauth.account.utils import perform_login
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext

from candidatures import selectors, services
from candidatures.forms import InvitationStructureForm, StructureForm
from comptes.forms import AcceptationInvitationForm
from noyau.erreurs import ActionImpossible, ActionNonPermise, DonneesRefusees
from noyau.formulaires_en_cache import cle_du_formulaire_vide
from noyau.pages_en_cache import page_en_cache
from programmes.models import Appel


def _appliquer_erreurs(form, erreur):
    if hasattr(erreur, "error_dict"):
        for champ, erreurs in erreur.error_dict.items():
            form.add_error(champ if champ in form.fields else None, erreurs)
    else:
        form.add_error(None, erreur)


@login_required
def structure_nouvelle(request):
    if not request.user.has_perm("candidatures.creer_structure"):
        raise PermissionDenied(
            gettext("Seuls les comptes de structures candidates créent une structure.")
        )
    appel = Appel.objects.filter(slug=request.GET.get("appel") or "").first()
    form = StructureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            structure = services.creer_structure(par=request.user, **form.cleaned_data)
        except ValidationError as erreur:
            _appliquer_erreurs(form, erreur)
        else:
            messages.success(
                request, gettext("Le profil de %(nom)s est créé.") % {"nom": structure.nom}
            )
            if appel is not None:
                return redirect("candidatures:appel", slug=appel.slug)
            return redirect("tableau_de_bord")
    return render(
        request,
        "candidatures/structure/formulaire.html",
        {"form": form, "appel": appel, "structure": None},
        status=400 if form.errors else 200,
    )


def _structure_visible(request, pk):
    return get_object_or_404(selectors.structures_de(request.user), pk=pk)


@page_en_cache
@login_required
def structure(request, pk):
    structure = _structure_visible(request, pk)
    return _page_de_la_structure(request, structure, InvitationStructureForm())


def _page_de_la_structure(request, structure, form_invitation, status=200):
    return render(
        request,
        "candidatures/structure/structure.html",
        {
            "structure": structure,
            "adhesions": structure.adhesions.select_related("utilisateur").order_by("ajoute_le"),
            "invitations": structure.invitations.filter(acceptee_le__isnull=True),
            "candidatures": structure.candidatures.select_related("appel"),
            "form_invitation": form_invitation,
            "cle_du_form_invitation": cle_du_formulaire_vide(form_invitation),
            "peut_inviter": request.user.has_perm("candidatures.inviter_dans_structure", structure),
        },
        status=status,
    )


@login_required
def structure_modifier(request, pk):
    structure = _structure_visible(request, pk)
    form = StructureForm(request.POST or None, instance=structure)
    if request.method == "POST" and form.is_valid():
        try:
            services.modifier_structure(structure, par=request.user, champs=form.cleaned_data)
        except ValidationError as erreur:
            _appliquer_erreurs(form, erreur)
        except ActionNonPermise as refus:
            raise PermissionDenied(refus.message) from refus
        else:
            messages.success(request, gettext("Le profil de la structure est enregistré."))
            return redirect("candidatures:structure", pk=structure.pk)
    return render(
        request,
        "candidatures/structure/formulaire.html",
        {"form": form, "structure": structure, "appel": None},
        status=400 if form.errors else 200,
    )


@login_required
def structure_inviter(request, pk):
    structure = _structure_visible(request, pk)
    if request.method != "POST":
        return redirect("candidatures:structure", pk=structure.pk)
    form = InvitationStructureForm(request.POST)
    if form.is_valid():
        try:
            invitation, _ = services.inviter_dans_structure(
                structure, email=form.cleaned_data["email"], par=request.user
            )
        except ActionNonPermise as refus:
            raise PermissionDenied(refus.message) from refus
        except DonneesRefusees as refus:
            form.add_error("email", refus.message)
        else:
            messages.success(
                request, gettext("Invitation envoyée à %(email)s.") % {"email": invitation.email}
            )
            return redirect("candidatures:structure", pk=structure.pk)
    # Refusée : la page revient avec l'adresse tapée et l'erreur sous le champ.
    return _page_de_la_structure(request, structure, form, status=400)


def invitation_structure(request, jeton):
    """Le lien reçu par un collègue : rejoindre la structure avec son compte, ou en créer un."""
    try:
        invitation = services.trouver_invitation_structure(jeton)
    except ActionImpossible as refus:
        return render(
            request,
            "candidatures/structure/invitation_invalide.html",
            {"raison": refus.message},
            status=410,
        )
    contexte = {"invitation": invitation}
    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                _, structure = services.accepter_invitation_structure(
                    jeton, utilisateur=request.user
                )
            except ActionNonPermise as refus:
                raise PermissionDenied(refus.message) from refus
            except ActionImpossible as refus:
                return render(
                    request,
                    "candidatures/structure/invitation_invalide.html",
                    {"raison": refus.message},
                    status=410,
                )
            messages.success(
                request,
                gettext("Vous agissez maintenant pour %(nom)s.") % {"nom": structure.nom},
            )
            return redirect("candidatures:structure", pk=structure.pk)
        return render(request, "candidatures/structure/invitation.html", contexte)

    if get_user_model().objects.filter(email__iexact=invitation.email).exists():
        suite = request.get_full_path()
        connexion = reverse("account_login")
        if url_has_allowed_host_and_scheme(suite, allowed_hosts={request.get_host()}):
            connexion += f"?next={suite}"
        contexte["lien_connexion"] = connexion
        return render(request, "candidatures/structure/invitation.html", contexte)

    form = AcceptationInvitationForm(request.POST or None, email=invitation.email)
    contexte["form"] = form
    if request.method == "POST" and form.is_valid():
        try:
            utilisateur, structure = services.accepter_invitation_structure(
                jeton,
                prenom=form.cleaned_data["prenom"],
                nom=form.cleaned_data["nom"],
                mot_de_passe=form.cleaned_data["mot_de_passe"],
            )
        except ActionImpossible as refus:
            return render(
                request,
                "candidatures/structure/invitation_invalide.html",
                {"raison": refus.message},
                status=410,
            )
        messages.success(
            request,
            gettext("Votre compte est créé : vous agissez pour %(nom)s.") % {"nom": structure.nom},
        )
        return perform_login(
            request,
            utilisateur,
            redirect_url=reverse("candidatures:structure", args=[structure.pk]),
        )
    return render(request, "candidatures/structure/invitation.html", contexte)

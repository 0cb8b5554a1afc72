"""Les pages « Modèles du programme » : la liste des courriels et documents qu'un programme peut
réécrire, et pour chacun la page qui montre ses champs, son texte de départ, un aperçu rendu
avec un objet réel du programme, l'enregistrement vérifié et le retour au texte par défaut.
Pour les gestionnaires du programme seulement (404 pour ceux d'un autre)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from messagerie import modeles
from messagerie.forms import TexteDuProgrammeForm
from messagerie.models import ModeleCourriel
from noyau.decorateurs import permission_requise
from noyau.erreurs import DonneesRefusees
from noyau.perimetre import ids_programmes_geres
from noyau.refus import executer, repondre_au_refus

ACCES = "messagerie.acceder_aux_modeles"

# Le programme est désigné, comme pour les messages, sans importer l'application du dessus.
Programme = ModeleCourriel._meta.get_field("programme").related_model


def _programme_gere(request, programme_pk):
    return get_object_or_404(
        Programme.objects.filter(pk__in=ids_programmes_geres(request.user)), pk=programme_pk
    )


def _modele(programme, genre, code):
    try:
        return modeles.modele_du_programme(programme, genre, code)
    except LookupError:
        raise Http404(_("Ce modèle n'existe pas.")) from None


@permission_requise(ACCES)
def liste(request, programme_pk):
    programme = _programme_gere(request, programme_pk)
    return render(
        request,
        "messagerie/modeles/liste.html",
        {"programme": programme, "modeles": modeles.modeles_du_programme(programme)},
    )


def _contexte(programme, modele, form, apercu=None):
    aide = (
        _(
            "Écrivez un champ entre doubles accolades, par exemple {{ prenom }}. Une condition "
            "s'écrit {%% if fonction %%}…{%% else %%}…{%% endif %%}. Rien d'autre n'est accepté."
        )
        % {}
    )
    return {
        "programme": programme,
        "modele": modele,
        "form": form,
        "apercu": apercu,
        "aide": aide,
    }


def _apercu_ou_rien(modele, textes, programme):
    try:
        return modeles.apercu(modele, textes, programme.pk)
    except modeles.TexteRefuse:
        return None


@permission_requise(ACCES)
def modifier(request, programme_pk, genre, code):
    programme = _programme_gere(request, programme_pk)
    modele = _modele(programme, genre, code)
    noms = list(modele.textes_par_defaut)
    gabarit = "messagerie/modeles/modifier.html"
    if request.method != "POST":
        form = TexteDuProgrammeForm(initial=modele.textes, noms=noms)
        apercu = _apercu_ou_rien(modele, modele.textes, programme)
        return render(request, gabarit, _contexte(programme, modele, form, apercu))
    form = TexteDuProgrammeForm(request.POST, noms=noms)
    if not form.is_valid():
        return render(request, gabarit, _contexte(programme, modele, form), status=400)
    textes = form.cleaned_data
    try:
        if "apercu" in request.POST:
            apercu = modeles.apercu(modele, textes, programme.pk)
            return render(request, gabarit, _contexte(programme, modele, form, apercu))
        modeles.enregistrer(programme, modele, textes, par=request.user)
    except modeles.TexteRefuse as refus:
        return repondre_au_refus(
            request,
            refus,
            gabarit=gabarit,
            contexte=_contexte(programme, modele, form),
            formulaire=form,
            champ=refus.champ,
        )
    except DonneesRefusees as refus:
        return repondre_au_refus(
            request, refus, gabarit=gabarit, contexte=_contexte(programme, modele, form)
        )
    messages.success(
        request, _("Le modèle est enregistré : il sert aux prochains envois de ce programme.")
    )
    return redirect("messagerie:modele", programme_pk=programme.pk, genre=genre, code=code)


@require_POST
@permission_requise(ACCES)
def retablir(request, programme_pk, genre, code):
    programme = _programme_gere(request, programme_pk)
    modele = _modele(programme, genre, code)
    _resultat, refus = executer(
        request,
        lambda: modeles.retablir(programme, modele, par=request.user),
        gabarit="messagerie/modeles/modifier.html",
        contexte=lambda: _contexte(
            programme, modele, TexteDuProgrammeForm(initial=modele.textes, noms=list(modele.textes))
        ),
        succes=_("Le texte par défaut s'applique de nouveau."),
    )
    return refus or redirect("messagerie:modele", programme_pk=programme.pk, genre=genre, code=code)

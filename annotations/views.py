"""Les pages des notes privées et des étiquettes : la page des étiquettes d'un programme, la
pose en masse depuis les listes (candidatures d'un appel, plans d'une cohorte), l'ajout, la
modification et l'effacement d'une note.

Un dossier que l'on ne peut pas lire est introuvable (404) ; un dossier que l'on lit sans
pouvoir y écrire, ou la note d'un autre, est interdit (403)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from annotations import registre, selectors, services
from annotations.forms import EtiquetteForm, NoteForm
from annotations.models import Etiquette, NotePrivee
from noyau.decorateurs import permission_requise
from noyau.erreurs import ActionNonPermise, DonneesRefusees, Refus
from noyau.perimetre import avec_le_chemin_du_programme, geres_par
from noyau.redirections import adresse_de_retour
from noyau.refus import executer
from programmes.models import Programme

ACCES = "comptes.acceder_gestion"
GABARIT_ETIQUETTES = "annotations/etiquettes.html"
# Au-delà de 18 chiffres, un identifiant dépasse les entiers de la base : il ne désigne rien.
CHIFFRES_MAX = 18


def _programmes_geres(request):
    return Programme.objects.filter(geres_par(Programme, request.user))


def _identifiants(valeurs):
    return [int(v) for v in valeurs if v.isdigit() and len(v) <= CHIFFRES_MAX]


# --- Étiquettes d'un programme -------------------------------------------------------------


def _contexte_etiquettes(programme, form=None):
    return {
        "programme": programme,
        "form": form or EtiquetteForm(),
        "etiquettes": selectors.etiquettes_du_programme_avec_usage(programme),
    }


@permission_requise(ACCES)
def etiquettes(request, pk):
    programme = get_object_or_404(_programmes_geres(request), pk=pk)
    form = EtiquetteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        etiquette, refus = executer(
            request,
            lambda: services.creer_etiquette(
                programme, par=request.user, nom=form.cleaned_data["nom"]
            ),
            gabarit=GABARIT_ETIQUETTES,
            contexte=lambda: _contexte_etiquettes(programme, form),
            formulaire=form,
            champ="nom",
        )
        if refus:
            return refus
        messages.success(request, _("L'étiquette « %(nom)s » est créée.") % {"nom": etiquette})
        return redirect("annotations:etiquettes", pk=programme.pk)
    return render(
        request,
        GABARIT_ETIQUETTES,
        _contexte_etiquettes(programme, form),
        status=400 if form.errors else 200,
    )


def _etiquette_geree(request, pk):
    return get_object_or_404(
        Etiquette.objects.filter(programme__in=_programmes_geres(request)).select_related(
            "programme"
        ),
        pk=pk,
    )


@require_POST
@permission_requise(ACCES)
def etiquette_renommer(request, pk):
    etiquette = _etiquette_geree(request, pk)
    ancien = etiquette.nom
    renommee, refus = executer(
        request,
        lambda: services.renommer_etiquette(
            etiquette, par=request.user, nom=request.POST.get("nom", "")
        ),
        gabarit=GABARIT_ETIQUETTES,
        contexte=lambda: _contexte_etiquettes(etiquette.programme),
    )
    if refus:
        return refus
    messages.success(
        request,
        _("L'étiquette « %(avant)s » s'appelle désormais « %(apres)s ».")
        % {"avant": ancien, "apres": renommee.nom},
    )
    return redirect("annotations:etiquettes", pk=etiquette.programme_id)


@require_POST
@permission_requise(ACCES)
def etiquette_supprimer(request, pk):
    etiquette = _etiquette_geree(request, pk)
    nombre, refus = executer(
        request,
        lambda: services.supprimer_etiquette(etiquette, par=request.user),
        gabarit=GABARIT_ETIQUETTES,
        contexte=lambda: _contexte_etiquettes(etiquette.programme),
    )
    if refus:
        return refus
    messages.success(
        request,
        ngettext(
            "L'étiquette « %(nom)s » est supprimée ; elle est retirée de %(n)s dossier.",
            "L'étiquette « %(nom)s » est supprimée ; elle est retirée de %(n)s dossiers.",
            nombre,
        )
        % {"nom": etiquette.nom, "n": nombre},
    )
    return redirect("annotations:etiquettes", pk=etiquette.programme_id)


# --- Pose en masse depuis une liste --------------------------------------------------------


def _etiquette_choisie(request, programme, *, creer):
    """L'étiquette choisie dans la liste, ou celle dont le nom est tapé (créée s'il le faut et
    si `creer`) ; DonneesRefusees si rien n'est choisi."""
    nouvelle = " ".join(request.POST.get("nouvelle_etiquette", "").split())
    du_programme = Etiquette.objects.filter(programme=programme)
    if nouvelle:
        existante = next((e for e in du_programme if e.nom.casefold() == nouvelle.casefold()), None)
        if existante is not None or not creer:
            if existante is None:
                raise DonneesRefusees(
                    _("Aucune étiquette « %(nom)s » dans ce programme.") % {"nom": nouvelle}
                )
            return existante
        return services.creer_etiquette(programme, par=request.user, nom=nouvelle)
    identifiants = _identifiants([request.POST.get("etiquette", "")])
    if not identifiants:
        raise DonneesRefusees(_("Choisissez une étiquette, ou tapez le nom d'une nouvelle."))
    return get_object_or_404(du_programme, pk=identifiants[0])


@require_POST
@permission_requise(ACCES)
def etiqueter(request, code):
    """Ajoute (ou retire) une étiquette aux dossiers cochés d'une liste, puis y revient."""
    annotable = registre.par_code(code)
    if annotable is None:
        raise Http404
    choisi = _identifiants([request.POST.get("programme", "")])
    programme = get_object_or_404(_programmes_geres(request), pk=choisi[0] if choisi else None)
    retour = adresse_de_retour(
        request, request.POST.get("retour"), repli="annotations:etiquettes", pk=programme.pk
    )
    retirer = request.POST.get("operation") == "retirer"
    cibles = list(
        avec_le_chemin_du_programme(
            annotable.modele.objects.filter(
                pk__in=_identifiants(request.POST.getlist(annotable.selection))
            )
        )
    )

    def poser():
        with transaction.atomic():
            etiquette = _etiquette_choisie(request, programme, creer=not retirer)
            action = services.retirer_etiquette if retirer else services.ajouter_etiquette
            return etiquette, action(etiquette, cibles, par=request.user)

    try:
        etiquette, nombre = poser()
    except ActionNonPermise as refus:
        raise PermissionDenied(refus.message) from refus
    except Refus as refus:
        messages.error(request, refus.message)
        return redirect(retour)
    if retirer:
        texte = ngettext(
            "Étiquette « %(nom)s » retirée de %(n)s dossier.",
            "Étiquette « %(nom)s » retirée de %(n)s dossiers.",
            nombre,
        )
    else:
        texte = ngettext(
            "Étiquette « %(nom)s » ajoutée à %(n)s dossier.",
            "Étiquette « %(nom)s » ajoutée à %(n)s dossiers.",
            nombre,
        )
    messages.success(request, texte % {"nom": etiquette.nom, "n": nombre})
    return redirect(retour)


# --- Notes ---------------------------------------------------------------------------------


def _cible_lisible(request, annotable, pk):
    cible = annotable.modele.objects.filter(pk=pk).first()
    if cible is None or not request.user.has_perm("annotations.voir_annotations", cible):
        raise Http404
    return cible


def _note_lisible(request, pk):
    note = NotePrivee.objects.select_related("cible_type", "programme").filter(pk=pk).first()
    annotable = registre.pour_type(note.cible_type) if note else None
    if annotable is None:
        raise Http404
    cible = _cible_lisible(request, annotable, note.cible_id)
    note.cible = cible
    if not request.user.has_perm("annotations.modifier_note", note):
        raise PermissionDenied(str(services.REFUS_AUTEUR))
    return note, annotable, cible


def _vers_les_notes(annotable, cible):
    return redirect(annotable.page(cible) + "#notes-privees")


@require_POST
@login_required
def note_ajouter(request, code, pk):
    annotable = registre.par_code(code)
    if annotable is None:
        raise Http404
    cible = _cible_lisible(request, annotable, pk)
    try:
        services.ecrire_note(cible, par=request.user, texte=request.POST.get("texte", ""))
    except ActionNonPermise as refus:
        raise PermissionDenied(refus.message) from refus
    except Refus as refus:
        messages.error(request, refus.message)
    else:
        messages.success(request, _("La note est enregistrée."))
    return _vers_les_notes(annotable, cible)


@login_required
def note_modifier(request, pk):
    note, annotable, cible = _note_lisible(request, pk)
    form = NoteForm(request.POST or None, initial={"texte": note.texte})
    form.fields["texte"].label = _("Texte de la note")
    contexte = {
        "note": note,
        "form": form,
        "page_cible": annotable.page(cible),
        "libelle_cible": annotable.libelle(cible),
    }
    gabarit = "annotations/note_modifier.html"
    if request.method == "POST" and form.is_valid():
        _note, refus = executer(
            request,
            lambda: services.modifier_note(
                note, par=request.user, texte=form.cleaned_data["texte"]
            ),
            gabarit=gabarit,
            contexte=contexte,
            formulaire=form,
            champ="texte",
            succes=_("La note est modifiée."),
        )
        return refus or _vers_les_notes(annotable, cible)
    return render(request, gabarit, contexte, status=400 if form.errors else 200)


@require_POST
@login_required
def note_supprimer(request, pk):
    note, annotable, cible = _note_lisible(request, pk)
    try:
        services.supprimer_note(note, par=request.user)
    except ActionNonPermise as refus:
        raise PermissionDenied(refus.message) from refus
    except Refus as refus:
        messages.error(request, refus.message)
    else:
        messages.success(request, _("La note est effacée."))
    return _vers_les_notes(annotable, cible)

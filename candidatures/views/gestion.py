"""Back office des gestionnaires : appels (édition, publication, copie) et instruction des
candidatures (liste filtrée, exports, recevabilité, compléments, éligibilité forcée).

Un gestionnaire ne voit que les appels de ses programmes : les autres sont introuvables."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import date as filtre_date
from django.urls import reverse
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from annotations import selectors as annotations
from candidatures import exports, exports_differes, selectors, services
from candidatures.enums import EtatCandidature
from candidatures.forms import (
    AppelForm,
    ClotureForm,
    DemandeComplementForm,
    ForcageEligibiliteForm,
    IrrecevabiliteForm,
    PieceDemandeeFormSet,
    QuestionFormSet,
    ReglesForm,
    ReouvertureForm,
)
from candidatures.models import VersionDeposee
from candidatures.templatetags.candidatures_affichage import (
    classe_eligibilite,
    classe_etat,
    libelle_eligibilite,
)
from noyau.decorateurs import permission_requise
from noyau.erreurs import ActionImpossible, ActionNonPermise, DonneesRefusees
from noyau.formulaires_en_cache import cle_du_formulaire_vide
from noyau.pages_en_cache import page_en_cache
from noyau.refus import executer, repondre_au_refus
from programmes.enums import EtatAppel
from programmes.models import PieceDemandee, Question
from telechargements import services as telechargements
from telechargements.views import vers_l_export
from territoires.enums import ResultatEligibilite, TypeStructure

ACCES = "comptes.acceder_gestion"
GABARIT_APPEL = "candidatures/gestion/appel.html"
CANDIDATURES_PAR_PAGE = 25


def _appel_gere(request, pk):
    return get_object_or_404(
        selectors.appels_geres_par(request.user).select_related("programme"), pk=pk
    )


# --- Appels --------------------------------------------------------------------------------


@permission_requise(ACCES)
def appels(request):
    return render(
        request,
        "candidatures/gestion/appels.html",
        {
            "programmes": selectors.programmes_geres_par(request.user),
            "appels": selectors.appels_du_back_office(request.user),
        },
    )


@permission_requise(ACCES)
def appel_nouveau(request, programme_pk):
    programme = get_object_or_404(selectors.programmes_geres_par(request.user), pk=programme_pk)
    form = AppelForm(request.POST or None)
    gabarit = "candidatures/gestion/appel_formulaire.html"
    contexte = {"form": form, "programme": programme, "appel": None}
    if request.method == "POST" and form.is_valid():
        appel, refus = executer(
            request,
            lambda: services.creer_appel(
                programme=programme, par=request.user, **form.cleaned_data
            ),
            gabarit=gabarit,
            contexte=contexte,
            succes=_("L'appel est créé en brouillon."),
        )
        return refus or redirect("candidatures:gestion_appel", pk=appel.pk)
    return render(request, gabarit, contexte, status=400 if form.errors else 200)


def _contexte_appel(request, appel):
    return {
        "appel": appel,
        "manques": appel.manques_pour_publier() if appel.etat == "brouillon" else [],
        "questions": appel.questions.all(),
        "pieces_demandees": appel.pieces_demandees.all(),
        "conditions": selectors.conditions_d_eligibilite(appel),
        "transitions": [t.name for t in appel.get_available_user_etat_transitions(request.user)],
        "peut_modifier": request.user.has_perm("candidatures.modifier_appel", appel),
        "peut_modifier_formulaire": request.user.has_perm(
            "candidatures.modifier_formulaire_appel", appel
        ),
    }


@permission_requise(ACCES)
def appel(request, pk):
    appel = _appel_gere(request, pk)
    return render(request, GABARIT_APPEL, _contexte_appel(request, appel))


@permission_requise(ACCES)
def appel_modifier(request, pk):
    appel = _appel_gere(request, pk)
    if not request.user.has_perm("candidatures.modifier_appel", appel):
        raise PermissionDenied(
            _("Un appel %(etat)s ne se modifie plus.") % {"etat": appel.get_etat_display().lower()}
        )
    form = AppelForm(request.POST or None, instance=appel)
    if request.method == "POST" and form.is_valid():
        try:
            services.modifier_appel(appel, par=request.user, champs=form.cleaned_data)
        except ValidationError as erreur:
            form.add_error(None, erreur)
        except ActionNonPermise as refus:
            raise PermissionDenied(refus.message) from refus
        else:
            messages.success(request, _("L'appel est enregistré."))
            return redirect("candidatures:gestion_appel", pk=appel.pk)
    return render(
        request,
        "candidatures/gestion/appel_formulaire.html",
        {"form": form, "programme": appel.programme, "appel": appel},
        status=400 if form.errors else 200,
    )


def _formulaire_modifiable(request, pk):
    appel = _appel_gere(request, pk)
    if not request.user.has_perm("candidatures.modifier_formulaire_appel", appel):
        raise PermissionDenied(
            _(
                "Les questions et pièces d'un appel publié ne changent plus : des structures y "
                "répondent. Dupliquez l'appel pour en préparer une nouvelle version."
            )
        )
    return appel


def _contexte_questions(appel, questions, pieces):
    return {
        "appel": appel,
        "questions": questions,
        "pieces": pieces,
        "ordres": [
            (
                "questions",
                list(appel.questions.select_related("condition")),
                _("Ordre des questions"),
            ),
            ("pieces", list(appel.pieces_demandees.all()), _("Ordre des pièces à joindre")),
        ],
    }


def _deplacer(request, pk, element):
    appel = _formulaire_modifiable(request, pk)
    sens = request.POST.get("sens")
    if sens not in ("monter", "descendre"):
        return HttpResponseBadRequest(_("Choisissez « monter » ou « descendre »."))
    _appel, refus = executer(
        request,
        lambda: services.deplacer_dans_le_formulaire(
            appel, par=request.user, element=element, sens=sens
        ),
        gabarit="candidatures/gestion/appel_questions.html",
        contexte=lambda: _contexte_questions(
            appel,
            QuestionFormSet(instance=appel, prefix="questions"),
            PieceDemandeeFormSet(instance=appel, prefix="pieces"),
        ),
    )
    if refus:
        return refus
    ancre = "ordre-questions" if isinstance(element, Question) else "ordre-pieces"
    return redirect(reverse("candidatures:gestion_appel_questions", args=[appel.pk]) + "#" + ancre)


@require_POST
@permission_requise(ACCES)
def appel_deplacer_question(request, pk, question_pk):
    question = get_object_or_404(
        Question, pk=question_pk, appel_id=pk, appel__in=selectors.appels_geres_par(request.user)
    )
    return _deplacer(request, pk, question)


@require_POST
@permission_requise(ACCES)
def appel_deplacer_piece(request, pk, piece_pk):
    piece = get_object_or_404(
        PieceDemandee, pk=piece_pk, appel_id=pk, appel__in=selectors.appels_geres_par(request.user)
    )
    return _deplacer(request, pk, piece)


@permission_requise(ACCES)
def appel_questions(request, pk):
    appel = _formulaire_modifiable(request, pk)
    donnees = request.POST if request.method == "POST" else None
    questions = QuestionFormSet(donnees, instance=appel, prefix="questions")
    pieces = PieceDemandeeFormSet(donnees, instance=appel, prefix="pieces")
    # Les deux jeux sont validés, pour montrer d'un coup toutes les erreurs de la page.
    gabarit = "candidatures/gestion/appel_questions.html"
    if request.method == "POST" and all([questions.is_valid(), pieces.is_valid()]):
        _appel, refus = executer(
            request,
            lambda: services.enregistrer_formulaire_appel(
                appel, par=request.user, formsets=[questions, pieces]
            ),
            gabarit=gabarit,
            contexte=lambda: _contexte_questions(appel, questions, pieces),
            succes=_("Les questions et les pièces demandées sont enregistrées."),
        )
        return refus or redirect("candidatures:gestion_appel_questions", pk=appel.pk)
    return render(
        request,
        gabarit,
        _contexte_questions(appel, questions, pieces),
        status=400 if request.method == "POST" else 200,
    )


@permission_requise(ACCES)
def appel_regles(request, pk):
    appel = _appel_gere(request, pk)
    if not request.user.has_perm("candidatures.modifier_formulaire_appel", appel):
        raise PermissionDenied(_("Les règles d'un appel publié ne changent plus."))
    initial = {nom: getattr(appel, nom) for nom in ReglesForm.base_fields}
    form = ReglesForm(request.POST or None, initial=initial)
    gabarit = "candidatures/gestion/appel_regles.html"
    if request.method == "POST" and form.is_valid():
        _appel, refus = executer(
            request,
            lambda: services.enregistrer_regles(appel, par=request.user, regles=form.cleaned_data),
            gabarit=gabarit,
            contexte={"appel": appel, "form": form},
            succes=_("Les règles d'éligibilité sont enregistrées."),
        )
        return refus or redirect("candidatures:gestion_appel", pk=appel.pk)
    return render(
        request, gabarit, {"appel": appel, "form": form}, status=400 if form.errors else 200
    )


def _refus_sur_appel(request, pk, refus):
    """La page de l'appel, relu (voir `candidat.formulaire`), avec le refus en tête."""
    return repondre_au_refus(
        request,
        refus,
        gabarit=GABARIT_APPEL,
        contexte=lambda: _contexte_appel(request, _appel_gere(request, pk)),
    )


def _action_sur_appel(request, pk, action, succes):
    appel = _appel_gere(request, pk)
    resultat, refus = executer(
        request,
        lambda: action(appel),
        gabarit=GABARIT_APPEL,
        contexte=lambda: _contexte_appel(request, _appel_gere(request, pk)),
        succes=succes,
    )
    return refus or redirect("candidatures:gestion_appel", pk=resultat.pk)


@require_POST
@permission_requise(ACCES)
def appel_publier(request, pk):
    return _action_sur_appel(
        request,
        pk,
        lambda appel: services.publier_appel(appel, par=request.user),
        _("L'appel est publié : les structures peuvent candidater."),
    )


@permission_requise(ACCES)
def appel_clore(request, pk):
    """Une page de confirmation (combien de brouillons la clôture arrête), puis la clôture."""
    appel = _appel_gere(request, pk)
    if request.method != "POST":
        if appel.etat != EtatAppel.OUVERT:
            return _refus_sur_appel(
                request,
                pk,
                ActionImpossible(
                    _("Seul un appel ouvert se clôt : celui-ci est « %(etat)s ».")
                    % {"etat": appel.get_etat_display()}
                ),
            )
        return render(
            request,
            "candidatures/gestion/appel_clore.html",
            {
                "appel": appel,
                "form": ClotureForm(),
                "brouillons": selectors.nombre_de_brouillons(appel),
            },
        )
    form = ClotureForm(request.POST)
    form.is_valid()
    return _action_sur_appel(
        request,
        pk,
        lambda appel: services.clore_appel(
            appel, par=request.user, motif=form.cleaned_data.get("motif", "")
        ),
        _("L'appel est clos : plus aucun dépôt n'est accepté."),
    )


@permission_requise(ACCES)
def appel_rouvrir(request, pk):
    appel = _appel_gere(request, pk)
    if appel.etat != EtatAppel.CLOS:
        return _refus_sur_appel(request, pk, services.refus_de_reouverture(appel))
    form = ReouvertureForm(request.POST or None, appel=appel)
    if request.method == "POST" and form.is_valid():
        try:
            appel = services.rouvrir_appel(
                appel,
                par=request.user,
                date_limite=form.cleaned_data["date_limite"],
                motif=form.cleaned_data["motif"],
            )
        except DonneesRefusees as refus:
            form.add_error("date_limite", refus.message)
        except (ActionImpossible, ActionNonPermise) as refus:
            return _refus_sur_appel(request, pk, refus)
        else:
            prevenues = appel.structures_prevenues
            if prevenues:
                succes = ngettext(
                    "L'appel est rouvert : les structures peuvent déposer. %(n)s structure "
                    "qui a un brouillon est prévenue par courriel.",
                    "L'appel est rouvert : les structures peuvent déposer. %(n)s structures "
                    "qui ont un brouillon sont prévenues par courriel.",
                    prevenues,
                ) % {"n": prevenues}
            else:
                succes = _("L'appel est rouvert : les structures peuvent déposer.")
            messages.success(request, succes)
            return redirect("candidatures:gestion_appel", pk=appel.pk)
    return render(
        request,
        "candidatures/gestion/appel_rouvrir.html",
        {"appel": appel, "form": form, "brouillons": selectors.nombre_de_brouillons(appel)},
        status=400 if form.errors else 200,
    )


@require_POST
@permission_requise(ACCES)
def appel_dupliquer(request, pk):
    return _action_sur_appel(
        request,
        pk,
        lambda appel: services.dupliquer_appel(appel, par=request.user),
        _(
            "Voici la copie, en brouillon : fixez ses dates et vérifiez ses règles avant de la "
            "publier."
        ),
    )


# --- Candidatures d'un appel ---------------------------------------------------------------


def _liste_filtree(request, appel):
    return exports_differes.liste_filtree(appel, request.GET)


def _preparer_les_lignes(page):
    """Ce que chaque ligne de la liste montre et qui ne dépend que d'une valeur, calculé une
    fois par page : l'adresse de la fiche (le chemin de l'URL, l'identifiant changeant) et
    les libellés de l'état et du type de structure (une table par page, pas par ligne)."""
    debut, fin = reverse("candidatures:gestion_candidature", args=[0]).rsplit("/0/", 1)
    etats = {valeur: str(libelle) for valeur, libelle in EtatCandidature.choices}
    types = {valeur: str(libelle) for valeur, libelle in TypeStructure.choices}
    # Le libellé de la case à cocher : la même phrase que `blocktranslate`, traduite une fois.
    selectionner = _("Sélectionner %(nom)s")
    eligibilites = {valeur: libelle_eligibilite(valeur) for valeur in ResultatEligibilite.values}
    for candidature in page:
        candidature.adresse_fiche = f"{debut}/{candidature.pk}/{fin}"
        candidature.libelle_etat = etats.get(candidature.etat, candidature.etat)
        type_structure = candidature.structure.type
        candidature.libelle_type = types.get(type_structure, type_structure)
        candidature.libelle_selection = selectionner % {"nom": candidature.structure.nom}
        candidature.classe_etat = classe_etat(candidature.etat)
        if candidature.resultat_eligibilite:
            resultat = candidature.resultat_eligibilite
            candidature.classe_eligibilite = classe_eligibilite(resultat)
            candidature.libelle_eligibilite = eligibilites.get(resultat) or libelle_eligibilite(
                resultat
            )
        candidature.depot_affiche = (
            filtre_date(template_localtime(candidature.deposee_le), "d/m/Y H:i")
            if candidature.deposee_le
            else "—"
        )


@page_en_cache
@permission_requise(ACCES)
def candidatures(request, pk):
    appel = _appel_gere(request, pk)
    form, liste = _liste_filtree(request, appel)
    # La liste ne montre ni les réponses ni le détail de l'éligibilité : ces JSON restent en base.
    # L'appel est déjà lu : pas rejoint ni recréé pour chaque ligne, mais posé sur chacune.
    liste = (
        liste.defer("reponses", "eligibilite")
        .select_related(None)
        .select_related("structure__commune")
    )
    page = Paginator(liste, CANDIDATURES_PAR_PAGE).get_page(request.GET.get("page"))
    for candidature in page:
        candidature.appel = appel
    annotations.poser_les_etiquettes(page)
    _preparer_les_lignes(page)
    return render(
        request,
        "candidatures/gestion/candidatures.html",
        {
            "appel": appel,
            "form": form,
            "page": page,
            "filtres": request.GET.urlencode(),
            "etiquettes_du_programme": form.etiquettes,
        },
    )


@permission_requise(ACCES)
def candidatures_export(request, pk, format_):
    """L'export de la liste filtrée : dans la requête jusqu'à RELAIS_EXPORT_SEUIL_LIGNES
    lignes ; au-delà, préparé par le worker, et la réponse renvoie tout de suite (303) vers la
    page qui suit sa préparation (ou vers celle du même export déjà demandé)."""
    appel = _appel_gere(request, pk)
    demande = {
        "demandeur": request.user,
        "genre": exports_differes.GENRE,
        "appel": appel,
        "format_": format_,
        "parametres": {"filtres": request.GET.urlencode()},
    }
    # La même demande déjà en préparation ou déjà prête sur les mêmes données : sans recompter.
    existant = telechargements.reutilisable(**demande)
    if existant is not None:
        return vers_l_export(existant)
    _form, liste = _liste_filtree(request, appel)
    nombre = liste.count()
    if nombre > settings.RELAIS_EXPORT_SEUIL_LIGNES:
        return vers_l_export(
            telechargements.demander(lignes_total=nombre, reutiliser=False, **demande)
        )
    if format_ == "xlsx":
        return exports.reponse_xlsx(appel, liste)
    return exports.reponse_csv(appel, liste)


@require_POST
@permission_requise(ACCES)
def candidatures_recevables(request, pk):
    appel = _appel_gere(request, pk)
    # Au-delà de 18 chiffres, un identifiant dépasse les entiers de la base : il ne désigne rien.
    identifiants = [
        int(i) for i in request.POST.getlist("candidatures") if i.isdigit() and len(i) <= 18
    ]
    choisies = appel.candidatures.filter(pk__in=identifiants).select_related("structure")
    faites, refusees = services.declarer_recevables(list(choisies), par=request.user)
    if faites:
        messages.success(
            request,
            ngettext(
                "%(n)d candidature déclarée recevable.",
                "%(n)d candidatures déclarées recevables.",
                len(faites),
            )
            % {"n": len(faites)},
        )
    for candidature, raison in refusees:
        messages.warning(
            request,
            _("%(nom)s : %(raison)s") % {"nom": candidature.structure.nom, "raison": raison},
        )
    if not faites and not refusees:
        messages.info(request, _("Cochez au moins une candidature."))
    retour = reverse("candidatures:gestion_candidatures", args=[appel.pk])
    filtres = request.POST.get("filtres", "")
    return redirect(f"{retour}?{filtres}" if filtres else retour)


# --- Une candidature -----------------------------------------------------------------------


def _candidature_geree(request, pk):
    candidature = get_object_or_404(
        selectors.candidatures_visibles_par(request.user).select_related(
            "appel__programme", "structure__commune__epci", "eligibilite_forcee_par"
        ),
        pk=pk,
    )
    if not request.user.has_perm("candidatures.instruire_candidature", candidature):
        raise PermissionDenied(_("Cette page est réservée aux gestionnaires du programme."))
    return candidature


def _contexte_candidature(request, candidature, **formulaires):
    # Les réponses (questions « fichier ») et les pièces lisent les mêmes fichiers : une requête.
    # Les versions déposées (encadré des dépôts et numéros du journal) : une requête aussi.
    prefetch_related_objects(
        [candidature],
        "pieces_jointes",
        Prefetch("versions", queryset=VersionDeposee.objects.select_related("deposee_par")),
    )
    form_complement = formulaires.get("complement") or DemandeComplementForm()
    form_irrecevable = formulaires.get("irrecevable") or IrrecevabiliteForm()
    form_forcage = formulaires.get("forcage") or ForcageEligibiliteForm(
        initial={"resultat": candidature.resultat_eligibilite}
    )
    return {
        "candidature": candidature,
        "reponses": selectors.reponses_lisibles(candidature),
        "pieces": selectors.pieces_lisibles(candidature),
        "chronologie": selectors.chronologie(candidature, pour_la_structure=False),
        "transitions": [
            t.name for t in candidature.get_available_user_etat_transitions(request.user)
        ],
        "form_complement": form_complement,
        "form_irrecevable": form_irrecevable,
        # Vides, leur rendu crispy est gardé en cache sous la clé de ce qu'ils montrent ;
        # renvoyés avec leurs erreurs, ils n'ont pas de clé et sont dessinés à chaque fois.
        "cle_form_complement": cle_du_formulaire_vide(form_complement),
        "cle_form_irrecevable": cle_du_formulaire_vide(form_irrecevable),
        "form_forcage": form_forcage,
        "cle_form_forcage": cle_du_formulaire_vide(form_forcage),
    }


@page_en_cache
@permission_requise(ACCES)
def candidature(request, pk):
    candidature = _candidature_geree(request, pk)
    return render(
        request,
        "candidatures/gestion/candidature.html",
        _contexte_candidature(request, candidature),
    )


def _instruire(request, pk, *, nom_form, classe_form, action, succes):
    candidature = _candidature_geree(request, pk)
    form = classe_form(request.POST) if classe_form else None
    gabarit = "candidatures/gestion/candidature.html"
    if form is not None and not form.is_valid():
        messages.error(request, _("Le formulaire est incomplet : voir le champ signalé."))
        return render(
            request,
            gabarit,
            _contexte_candidature(request, candidature, **{nom_form: form}),
            status=400,
        )
    _candidature, refus = executer(
        request,
        lambda: action(candidature, form.cleaned_data if form else {}),
        gabarit=gabarit,
        # relue : voir `candidat.formulaire`
        contexte=lambda: _contexte_candidature(
            request, _candidature_geree(request, pk), **({nom_form: form} if form else {})
        ),
        succes=succes,
    )
    return refus or redirect("candidatures:gestion_candidature", pk=candidature.pk)


@require_POST
@permission_requise(ACCES)
def demander_complement(request, pk):
    return _instruire(
        request,
        pk,
        nom_form="complement",
        classe_form=DemandeComplementForm,
        action=lambda c, d: services.demander_complement(c, par=request.user, message=d["message"]),
        succes=_("La demande de complément est envoyée à la structure."),
    )


@require_POST
@permission_requise(ACCES)
def declarer_irrecevable(request, pk):
    return _instruire(
        request,
        pk,
        nom_form="irrecevable",
        classe_form=IrrecevabiliteForm,
        action=lambda c, d: services.declarer_irrecevable(c, par=request.user, motif=d["motif"]),
        succes=_("La candidature est déclarée irrecevable ; la structure en est informée."),
    )


@require_POST
@permission_requise(ACCES)
def declarer_recevable(request, pk):
    return _instruire(
        request,
        pk,
        nom_form="",
        classe_form=None,
        action=lambda c, d: services.declarer_recevable(c, par=request.user),
        succes=_("La candidature est déclarée recevable."),
    )


@require_POST
@permission_requise(ACCES)
def forcer_eligibilite(request, pk):
    return _instruire(
        request,
        pk,
        nom_form="forcage",
        classe_form=ForcageEligibiliteForm,
        action=lambda c, d: services.forcer_eligibilite(
            c, par=request.user, resultat=d["resultat"], motif=d["motif"]
        ),
        succes=_("L'éligibilité retenue est enregistrée au journal."),
    )

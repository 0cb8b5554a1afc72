"""Le bilan de clôture d'un appel : page, PDF et XLSX, pour les gestionnaires du programme
(détaillé) et les observateurs partenaires (masqué sous 5 personnes) ; le catalogue des
thèmes pour les gestionnaires."""

import hashlib

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from activite import exports, exports_differes, pdf_du_bilan, services
from activite.bilan import bilan_a_jour
from activite.forms import ThemeForm
from activite.models import Theme
from activite.presentation import presenter, vue_du_bilan
from activite.selectors import structures_de_la_cohorte
from candidatures.enums import EtatCandidature
from noyau.decorateurs import permission_requise
from noyau.pages_en_cache import page_en_cache
from noyau.parametres import identifiant_ou_404
from noyau.perimetre import geres_par
from noyau.refus import executer
from noyau.rendu_pdf import RenduDejaEnCours, reponse_rendu_deja_en_cours
from noyau.roles import est_observateur
from programmes.models import Appel
from telechargements import services as telechargements
from telechargements.views import vers_l_export


def _appel(request, slug, **kwargs):
    return get_object_or_404(Appel.objects.select_related("programme"), slug=slug)


def _vue(request, appel):
    masquer = not request.user.has_perm("activite.voir_bilan_detaille", appel)
    return presenter(bilan_a_jour(appel), masquer=masquer)


@permission_requise("activite.lister_bilans")
def bilans(request):
    appels = Appel.objects.annotate(
        laureates=Count("candidatures", filter=Q(candidatures__etat=EtatCandidature.RETENUE))
    ).filter(laureates__gt=0)
    if not est_observateur(request.user):
        appels = appels.filter(geres_par(Appel, request.user))
    return render(request, "activite/bilans.html", {"appels": appels.select_related("programme")})


# Le tableau par structure de la page, pas celui du PDF ni du tableur (toutes les lignes) :
# 1 000 lignes à dessiner pesaient 275 Ko et l'essentiel du temps de la page.
STRUCTURES_PAR_PAGE = 50


# Les gabarits dont la page garde le HTML en cache (sous la clé de sa vue) : leur code entre
# dans la clé, une mise en production qui les change n'en sert jamais l'ancien rendu.
_VERSION_DES_GABARITS = hashlib.sha256(
    b"".join(
        (settings.BASE_DIR / "templates" / "activite" / nom).read_bytes()
        for nom in ("bilan.html", "_chiffres.html", "_graphiques.html", "_tableau_structures.html")
    )
).hexdigest()[:16]


def _numero_demande(valeur):
    try:
        return max(int(valeur), 1)
    except (TypeError, ValueError):
        return 1


@page_en_cache
@permission_requise("activite.voir_bilan", objet=_appel)
def bilan(request, slug):
    """Seules les lignes de la page sont mises en forme (`vue_du_bilan`, en cache) ; le
    numéro de page se lit comme avant (`Paginator.get_page` : un numéro invalide donne la
    première page, un numéro trop grand la dernière)."""
    appel = _appel(request, slug)
    masquer = not request.user.has_perm("activite.voir_bilan_detaille", appel)
    numero = _numero_demande(request.GET.get("page"))

    def vue_de_la_page(numero, cle_du_calcul=None):
        fin = numero * STRUCTURES_PAR_PAGE
        return vue_du_bilan(
            appel,
            masquer=masquer,
            debut=fin - STRUCTURES_PAR_PAGE,
            fin=fin,
            cle_du_calcul=cle_du_calcul,
        )

    vue = vue_de_la_page(numero)
    page = Paginator(range(vue["nombre_de_lignes"]), STRUCTURES_PAR_PAGE).get_page(
        request.GET.get("page")
    )
    if page.number != numero:
        vue = vue_de_la_page(page.number, vue["cle_du_bilan"])
    return render(
        request,
        "activite/bilan.html",
        {"appel": appel, "vue": vue, "page": page, "version_des_gabarits": _VERSION_DES_GABARITS},
    )


@permission_requise("activite.voir_bilan", objet=_appel)
def bilan_pdf(request, slug):
    """Le PDF rendu pour la version d'aujourd'hui des données et pour ce public ; sinon la page
    « en préparation », qui attend qu'il soit prêt (202), ou 429 si la personne a déjà un autre
    rendu en cours."""
    appel = _appel(request, slug)
    public = pdf_du_bilan.public_de(request.user, appel)
    # Deux passages au plus : un fichier prêt disparu du stockage est oublié, puis redemandé.
    for _essai in range(2):
        try:
            demande = pdf_du_bilan.demander_pdf(appel, public=public, demandeur=request.user)
        except RenduDejaEnCours:
            return reponse_rendu_deja_en_cours(
                request, retour=reverse("activite:bilan", args=[appel.slug])
            )
        if demande.etat != pdf_du_bilan.PRET:
            return render(
                request, "activite/bilan_pdf_en_preparation.html", {"appel": appel}, status=202
            )
        try:
            fichier = demande.pdf.fichier.open("rb")
        except FileNotFoundError:
            pdf_du_bilan.oublier(demande.pdf)
            continue
        return FileResponse(
            fichier, content_type="application/pdf", filename=exports.nom_de_fichier(appel, "pdf")
        )
    return render(request, "activite/bilan_pdf_en_preparation.html", {"appel": appel}, status=202)


@permission_requise("activite.voir_bilan", objet=_appel)
def bilan_pdf_etat(request, slug):
    """Où en est le PDF de cette personne, pour le script de la page « en préparation »."""
    appel = _appel(request, slug)
    etat = pdf_du_bilan.etat_du_pdf(appel, public=pdf_du_bilan.public_de(request.user, appel))
    return JsonResponse({"etat": etat})


@permission_requise("activite.voir_bilan", objet=_appel)
def bilan_xlsx(request, slug):
    """Le tableur du bilan, dans la requête jusqu'à RELAIS_BILAN_PDF_SEUIL_STRUCTURES
    structures (le seuil du PDF) ; au-delà, préparé par le worker pour le public de la
    personne, et la réponse renvoie tout de suite (303) vers la page qui suit sa préparation."""
    appel = _appel(request, slug)
    nombre = structures_de_la_cohorte(appel).count()
    if nombre > settings.RELAIS_BILAN_PDF_SEUIL_STRUCTURES:
        telechargement = telechargements.demander(
            demandeur=request.user,
            genre=exports_differes.GENRE,
            appel=appel,
            format_="xlsx",
            lignes_total=nombre,
            parametres={"public": pdf_du_bilan.public_de(request.user, appel)},
        )
        return vers_l_export(telechargement)
    reponse = HttpResponse(exports.generer_xlsx(appel, _vue(request, appel)), exports.TYPE_XLSX)
    nom = exports.nom_de_fichier(appel, "xlsx")
    reponse["Content-Disposition"] = f'attachment; filename="{nom}"'
    return reponse


@permission_requise("activite.gerer_themes")
def themes(request):
    theme = None
    if request.GET.get("theme"):
        theme = get_object_or_404(Theme, pk=identifiant_ou_404(request.GET["theme"]))
    form = ThemeForm(request.POST or None, instance=theme)
    contexte = {
        "themes": Theme.objects.annotate(nombre_actions=Count("actions")),
        "form": form,
        "theme": theme,
    }
    if request.method == "POST" and form.is_valid():
        _theme, refus = executer(
            request,
            lambda: services.enregistrer_theme(par=request.user, theme=theme, **form.cleaned_data),
            gabarit="activite/themes.html",
            contexte=contexte,
            formulaire=form,
            champ="libelle",
            succes=_("Catalogue des thèmes enregistré."),
        )
        return refus or redirect("activite:themes")
    return render(request, "activite/themes.html", contexte, status=400 if form.errors else 200)

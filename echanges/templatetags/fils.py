"""`{% fil objet %}` : le fil de discussion d'un objet sur sa page (messages, formulaire,
partage avec le jury) ; `{% fil_partage objet %}` : le même, en lecture seule, pour le jury
quand un gestionnaire le lui montre ; `compteurs|non_lus_de:objet` : le nombre d'un objet dans
le dictionnaire de `echanges.selectors.non_lus`.

Afficher le fil à l'une de ses personnes le marque lu pour elle : c'est ce qu'« avoir lu »
veut dire ici, quelle que soit la page qui le montre."""

from django import template
from django.core.paginator import Page
from django.db.models import QuerySet

from echanges import registre, selectors, services
from echanges.forms import MessageFilForm
from echanges.models import Cote, Lecture
from noyau.formulaires_en_cache import cle_du_formulaire_vide

register = template.Library()


def _utilisateur(context):
    # Dans le gabarit d'une balise d'inclusion (« Mon espace »), la requête n'est plus une
    # variable mais reste sur le contexte.
    requete = context.get("request") or getattr(context, "request", None)
    return getattr(requete, "user", None)


@register.inclusion_tag("echanges/_fil.html", takes_context=True)
def fil(context, objet):
    utilisateur = _utilisateur(context)
    type_de_fil = registre.du_modele(type(objet))
    if utilisateur is None or not utilisateur.has_perm(type_de_fil.regle_lire, objet):
        return {"visible": False}
    le_fil = services.fil_de(objet)
    messages = selectors.messages_du_fil(le_fil)
    deja_lu = 0
    if le_fil is not None:
        deja_lu = (
            Lecture.objects.filter(fil=le_fil, utilisateur=utilisateur)
            .values_list("dernier_message_lu", flat=True)
            .first()
            or 0
        )
        services.marquer_lu(le_fil, par=utilisateur)
    for message in messages:
        message.nouveau = message.pk > deja_lu and message.auteur_id != utilisateur.pk
    equipe = services.cote_de(utilisateur, objet) == Cote.EQUIPE
    peut_ecrire = utilisateur.has_perm(type_de_fil.regle_ecrire, objet)
    form = context.get("form_fil") if context.get("objet") == objet else None
    form = form or (MessageFilForm(equipe=equipe) if peut_ecrire else None)
    return {
        "visible": True,
        "objet": objet,
        "cle": type_de_fil.cle,
        "fil": le_fil,
        "messages_du_fil": messages,
        "peut_ecrire": peut_ecrire,
        "form": form,
        "cle_du_formulaire": cle_du_formulaire_vide(form),
        "peut_partager": bool(
            type_de_fil.regle_partager and utilisateur.has_perm(type_de_fil.regle_partager, objet)
        ),
        "csrf_token": context.get("csrf_token"),
        "lecture_seule": False,
    }


@register.inclusion_tag("echanges/_fil.html", takes_context=True)
def fil_partage(context, objet):
    utilisateur = _utilisateur(context)
    le_fil = services.fil_de(objet)
    if (
        utilisateur is None
        or le_fil is None
        or not le_fil.partage_jury
        or not selectors.peut_lire(utilisateur, objet, le_fil)
    ):
        return {"visible": False}
    return {
        "visible": True,
        "objet": objet,
        "fil": le_fil,
        "messages_du_fil": selectors.messages_du_fil(le_fil),
        "lecture_seule": True,
    }


@register.simple_tag(takes_context=True)
def non_lus_des(context, objets, attribut=None):
    """Les non-lus de la personne pour ces objets (une page de liste, une liste de lignes dont
    `attribut` désigne l'objet), en une requête : `{% non_lus_des page as non_lus %}`."""
    utilisateur = _utilisateur(context)
    if utilisateur is None:
        return {}
    if isinstance(objets, Page):
        objets = objets.object_list
    if attribut:
        objets = [getattr(objet, attribut) for objet in objets]
    elif isinstance(objets, QuerySet) and objets.query.is_sliced:
        objets = list(objets)
    return selectors.non_lus(utilisateur, objets)


@register.filter
def non_lus_de(compteurs, objet):
    if not compteurs or objet is None:
        return 0
    return compteurs.get(getattr(objet, "pk", objet), 0)

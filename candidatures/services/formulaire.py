"""Le formulaire d'un appel en brouillon : ses règles d'éligibilité, ses questions et les
pièces demandées, et leur ordre."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from journal.enums import TypeEvenement
from journal.services import journaliser
from noyau.erreurs import ActionImpossible
from noyau.transitions import exiger
from programmes.models import Appel, PieceDemandee, Question


def enregistrer_regles(appel, *, par, regles):
    """Enregistre les règles d'éligibilité et note qu'elles ont été vérifiées (condition de la
    publication). Brouillon seulement : les candidatures déposées ont été jugées sur les
    règles d'origine."""
    with transaction.atomic():
        appel = Appel.objects.select_for_update().get(pk=appel.pk)
        exiger(
            par,
            "candidatures.modifier_formulaire_appel",
            appel,
            _("Les règles d'un appel publié ne changent plus."),
        )
        for nom, valeur in regles.items():
            setattr(appel, nom, valeur)
        appel.regles_verifiees_le = timezone.now()
        appel.save(update_fields=[*regles, "regles_verifiees_le", "modifie_le"])
        journaliser(
            TypeEvenement.REGLES_APPEL_VERIFIEES,
            cible=appel,
            acteur=par,
            donnees={nom: valeur for nom, valeur in regles.items()},
        )
    return appel


def enregistrer_formulaire_appel(appel, *, par, formsets):
    """Enregistre les formsets (questions, pièces demandées) d'un appel en brouillon et
    renumérote l'ordre de 1 à n. Journalise « questions et pièces modifiées »."""
    with transaction.atomic():
        appel = Appel.objects.select_for_update().get(pk=appel.pk)
        exiger(
            par,
            "candidatures.modifier_formulaire_appel",
            appel,
            _("Les questions d'un appel publié ne changent plus : des structures y répondent."),
        )
        for formset in formsets:
            formset.instance = appel
            # Une question ajoutée prend la dernière place ; l'ordre se change ensuite par
            # `deplacer_dans_le_formulaire`.
            derniere = max((e.ordre for e in formset.model.objects.filter(appel=appel)), default=0)
            nouveaux = formset.save(commit=False)
            for objet in nouveaux:
                if objet.pk is None:
                    derniere += 1
                    objet.ordre = derniere
            formset.save()
        for modele in (Question, PieceDemandee):
            _renumeroter(list(modele.objects.filter(appel=appel).order_by("ordre", "pk")))
        journaliser(TypeEvenement.FORMULAIRE_APPEL_MODIFIE, cible=appel, acteur=par)
    return appel


def _renumeroter(elements):
    for rang, element in enumerate(elements, start=1):
        element.ordre = rang
    if elements:
        type(elements[0]).objects.bulk_update(elements, ["ordre"])


def _exiger_condition_avant(dessus, dessous):
    """Refuse d'échanger deux questions voisines quand celle du dessous dépend de celle du
    dessus : une condition porte toujours sur une question précédente."""
    if isinstance(dessous, Question) and dessous.condition_id == dessus.pk:
        raise ActionImpossible(
            _(
                "« %(question)s » ne s'affiche que selon la réponse à « %(condition)s » : elle "
                "reste après elle. Retirez d'abord sa condition pour changer cet ordre."
            )
            % {"question": dessous.libelle, "condition": dessus.libelle}
        )


def deplacer_dans_le_formulaire(appel, *, par, element, sens):
    """Échange une question (ou une pièce demandée) d'un appel en brouillon avec sa voisine
    du dessus (`sens="monter"`) ou du dessous (`"descendre"`), puis renumérote de 1 à n.
    Journalise « questions et pièces modifiées » avec l'élément, le sens et son nouveau rang."""
    nature = "question" if isinstance(element, Question) else "piece"
    with transaction.atomic():
        appel = Appel.objects.select_for_update().get(pk=appel.pk)
        exiger(
            par,
            "candidatures.modifier_formulaire_appel",
            appel,
            _("Les questions d'un appel publié ne changent plus : des structures y répondent."),
        )
        elements = list(type(element).objects.filter(appel=appel).order_by("ordre", "pk"))
        rang = next(i for i, e in enumerate(elements) if e.pk == element.pk)
        voisin = rang - 1 if sens == "monter" else rang + 1
        if not 0 <= voisin < len(elements):
            if nature == "question":
                message = (
                    _("« %(libelle)s » est déjà la première question.")
                    if sens == "monter"
                    else _("« %(libelle)s » est déjà la dernière question.")
                )
            else:
                message = (
                    _("« %(libelle)s » est déjà la première pièce.")
                    if sens == "monter"
                    else _("« %(libelle)s » est déjà la dernière pièce.")
                )
            raise ActionImpossible(message % {"libelle": element.libelle})
        _exiger_condition_avant(elements[min(rang, voisin)], elements[max(rang, voisin)])
        elements[rang], elements[voisin] = elements[voisin], elements[rang]
        _renumeroter(elements)
        journaliser(
            TypeEvenement.FORMULAIRE_APPEL_MODIFIE,
            cible=appel,
            acteur=par,
            donnees={nature: element.libelle, "deplacement": sens, "rang": voisin + 1},
        )
    return appel

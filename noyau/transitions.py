"""Le seul chemin d'un changement d'état : `appliquer_transition`.

Il relit la ligne sous verrou, vérifie la règle django-rules déclarée par la transition (ou
celle que le service demande) puis l'état, lève le refus en français, exécute la transition
django-fsm (l'acteur et le motif vont au journal), enregistre l'état, les champs que la
transition touche et la date de modification, puis envoie le signal `transition_appliquee`
(dans la même transaction) : les autres applications y accrochent leurs suites sans que
l'application du modèle les importe.
"""

from contextlib import contextmanager

from django.db import transaction
from django.dispatch import Signal
from django.utils.translation import gettext, gettext_lazy
from django_fsm import TransitionNotAllowed, can_proceed

from noyau.erreurs import ActionImpossible, ActionNonPermise, DonneesRefusees

REFUS_PAR_DEFAUT = gettext_lazy("Votre compte ne permet pas cette action.")

# `permission=SUITE_D_UNE_ACTION` : la transition est la suite d'une action dont le service vient
# de vérifier la règle (une présence émargée termine l'étape « formation », un cadrage validé
# active le plan, un comité clôt ses plans) : celle de l'action suffit. Seuls les services la
# passent, jamais une vue.
SUITE_D_UNE_ACTION = "suite d'une action déjà permise"

# Envoyé après l'enregistrement, dans la transaction de la transition.
# Arguments : objet, transition (nom), source, cible, par, motif.
transition_appliquee = Signal()


def exiger(utilisateur, permission, objet, message=REFUS_PAR_DEFAUT):
    """Refuse (403) si la règle `permission` ne donne pas `objet` à `utilisateur`."""
    if not utilisateur.has_perm(permission, objet):
        raise ActionNonPermise(str(message))


def motif_obligatoire(motif, refus):
    """Le motif sans ses espaces autour ; `refus` (une phrase complète) s'il est vide."""
    motif = (motif or "").strip()
    if not motif:
        raise DonneesRefusees(str(refus))
    return motif


def verrouiller(objet, *, relations=()):
    """L'objet relu depuis la base sous verrou de ligne (`select_for_update`)."""
    requete = type(objet)._default_manager.select_for_update()
    if relations:
        requete = requete.select_related(*relations)
    return requete.get(pk=objet.pk)


def _meta(objet, nom):
    methode = getattr(objet, nom, None)
    meta = getattr(methode, "_django_fsm", None)
    if meta is None:
        raise TypeError(f"{type(objet).__name__}.{nom} n'est pas une transition")
    return methode, meta


def permission_de_la_transition(objet, nom):
    """La règle déclarée par `permission=` sur la transition (depuis l'état actuel s'il en a
    une, sinon la première déclarée) ; None si la transition n'en déclare aucune."""
    _methode, meta = _meta(objet, nom)
    courante = meta.get_transition(meta.field.get_state(objet))
    candidates = [courante] if courante is not None else list(meta.transitions.values())
    for transition in candidates:
        if transition.permission:
            return transition.permission
    return None


def refus_d_etat(objet):
    """Le refus par défaut d'une transition que l'état ne permet pas."""
    return ActionImpossible(
        gettext(
            "Impossible : « %(objet)s » est à l'état « %(etat)s ». L'action a peut-être déjà "
            "été faite."
        )
        % {"objet": objet, "etat": objet.get_etat_display()}
    )


def exiger_transition(objet, nom, *, par, permission=None, refus=REFUS_PAR_DEFAUT, refus_etat=None):
    """Vérifie sans rien changer : la règle (403, sauf `par=None` : une tâche planifiée), puis
    l'état (409, `refus_etat` : une exception ou une fonction de l'objet qui la renvoie)."""
    methode, _meta_fsm = _meta(objet, nom)
    if par is not None and permission != SUITE_D_UNE_ACTION:
        regle = permission or permission_de_la_transition(objet, nom)
        if regle:
            exiger(par, regle, objet, refus)
    if not can_proceed(methode, check_conditions=False):
        if refus_etat is None:
            raise refus_d_etat(objet)
        raise refus_etat(objet) if callable(refus_etat) else refus_etat


@contextmanager
def refus_lisible(action=None):
    """Les conditions d'une transition sont vérifiées avant, avec un message précis ; si l'une
    change entre-temps (la date limite tombe pendant le dépôt), le refus reste lisible."""
    try:
        yield
    except TransitionNotAllowed as refus:
        if action:
            # Translators: action is a verb phrase such as « publier l'appel ».
            message = gettext(
                "Impossible de %(action)s : les conditions ne sont plus réunies. Rechargez la "
                "page pour voir l'état à jour."
            ) % {"action": action}
        else:
            message = gettext(
                "Les conditions de cette action ne sont plus réunies. Rechargez la page pour "
                "voir l'état à jour."
            )
        raise ActionImpossible(message) from refus


# Le nom de la date de modification d'un modèle (masculin ou féminin selon l'objet).
DATES_DE_MODIFICATION = ("modifie_le", "modifiee_le")


def _valeurs(objet):
    return {
        champ.name: getattr(objet, champ.attname)
        for champ in objet._meta.concrete_fields
        if not champ.primary_key
    }


def _champs_a_enregistrer(objet, meta, avant, champs):
    """L'état, les champs que la transition a changés (comparés à `avant`), ceux que le
    service nomme (une valeur modifiée sur place, une liste JSON…) et la date de modification."""
    apres = _valeurs(objet)
    noms = {
        meta.field.name,
        *champs,
        *(nom for nom, valeur in apres.items() if valeur != avant[nom]),
    }
    noms.update(
        champ.name for champ in objet._meta.concrete_fields if champ.name in DATES_DE_MODIFICATION
    )
    return sorted(noms)


def appliquer_transition(
    objet,
    nom,
    *,
    par,
    motif="",
    champs=(),
    permission=None,
    refus=REFUS_PAR_DEFAUT,
    refus_etat=None,
    action=None,
    verrou=True,
    **arguments,
):
    """Fait passer `objet` par sa transition `nom` et renvoie l'objet (relu sous verrou si
    `verrou`, la valeur par défaut ; `verrou=False` quand le service l'a déjà verrouillé).

    `par` : la personne qui agit (None pour une tâche planifiée, sans règle à vérifier) ;
    `motif` : le pourquoi, au journal ; `champs` : ceux que la transition modifie sur place
    (les champs dont elle change la valeur sont enregistrés d'eux-mêmes) ; `permission` : une
    règle autre que celle de la transition ; `refus`, `refus_etat`, `action` : les messages des
    refus ; `arguments` : ceux de la transition.
    """
    with transaction.atomic():
        if verrou:
            objet = verrouiller(objet)
        exiger_transition(
            objet, nom, par=par, permission=permission, refus=refus, refus_etat=refus_etat
        )
        methode, meta = _meta(objet, nom)
        source = meta.field.get_state(objet)
        avant = _valeurs(objet)
        with refus_lisible(action):
            methode(by=par, description=motif or None, **arguments)
        objet.save(update_fields=_champs_a_enregistrer(objet, meta, avant, champs))
        transition_appliquee.send(
            sender=type(objet),
            objet=objet,
            transition=nom,
            source=source,
            cible=meta.field.get_state(objet),
            par=par,
            motif=motif,
        )
    return objet

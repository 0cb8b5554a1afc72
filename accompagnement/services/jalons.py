"""Les jalons d'un plan : leurs transitions (commencer, terminer, annuler), leur échéance,
leurs preuves, et les jalons qu'un autre fait complète (une présence, une remise de kit…)."""

from django.db import transaction
from django.utils.translation import gettext, gettext_lazy

from accompagnement.enums import ETATS_JALON_A_FAIRE, EtatJalon
from accompagnement.models import Jalon, PreuveJalon
from journal.enums import TypeEvenement
from journal.services import journaliser
from noyau.erreurs import ActionImpossible, DonneesRefusees
from noyau.fichiers import verifier_fichier
from noyau.transitions import SUITE_D_UNE_ACTION, appliquer_transition, exiger, motif_obligatoire

# Le refus d'une transition de jalon impossible dans son état, par transition.
REFUS_DE_TRANSITION = {
    "commencer": gettext_lazy(
        "Impossible de commencer cette étape : l'étape est à l'état « %(etat)s ». "
        "L'action a peut-être déjà été faite."
    ),
    "terminer": gettext_lazy(
        "Impossible de marquer cette étape comme faite : l'étape est à l'état « %(etat)s ». "
        "L'action a peut-être déjà été faite."
    ),
    "annuler": gettext_lazy(
        "Impossible d'annuler cette étape : l'étape est à l'état « %(etat)s ». "
        "L'action a peut-être déjà été faite."
    ),
}


def _refus_d_etat(transition):
    def refus(jalon):
        return ActionImpossible(
            str(REFUS_DE_TRANSITION[transition]) % {"etat": jalon.get_etat_display()}
        )

    return refus


def _verrouiller_jalon(jalon):
    return (
        Jalon.objects.select_for_update(of=("self",))
        .select_related("plan__structure", "plan__programme")
        .get(pk=jalon.pk)
    )


def _transition_du_jalon(jalon, nom, *, par, motif):
    """La transition `nom` d'un jalon relu sous verrou, à la règle de la transition
    (`faire_avancer_jalon`), avec le refus d'état propre à chaque transition."""
    with transaction.atomic():
        jalon = _verrouiller_jalon(jalon)
        return appliquer_transition(
            jalon,
            nom,
            par=par,
            motif=motif,
            refus_etat=_refus_d_etat(nom),
            verrou=False,
        )


def commencer_jalon(jalon, *, par):
    """prévu → en cours (coach ou gestionnaire du plan)."""
    return _transition_du_jalon(jalon, "commencer", par=par, motif="Étape commencée")


def terminer_jalon(jalon, *, par, motif=""):
    """prévu ou en cours → fait (coach ou gestionnaire du plan)."""
    motif = (motif or "").strip() or "Étape faite"
    return _transition_du_jalon(jalon, "terminer", par=par, motif=motif)


def annuler_jalon(jalon, *, par, motif):
    """prévu ou en cours → annulé, motif obligatoire."""
    motif = motif_obligatoire(motif, gettext("Le motif de l'annulation est obligatoire."))
    return _transition_du_jalon(jalon, "annuler", par=par, motif=motif)


def modifier_echeance(jalon, *, par, echeance, motif):
    """Change l'échéance d'un jalon, motif obligatoire, journalisé avec l'ancienne date."""
    motif = motif_obligatoire(motif, gettext("Le motif du changement de date est obligatoire."))
    with transaction.atomic():
        jalon = _verrouiller_jalon(jalon)
        exiger(par, "accompagnement.modifier_echeance", jalon)
        changer_echeance(jalon, echeance, par=par, motif=motif)
    return jalon


def changer_echeance(jalon, echeance, *, par, motif):
    """La nouvelle échéance d'un jalon déjà verrouillé, journalisée avec l'ancienne."""
    if jalon.echeance == echeance:
        return
    ancienne = jalon.echeance
    jalon.echeance = echeance
    jalon.debut = min(jalon.debut, echeance)
    jalon.save(update_fields=["echeance", "debut"])
    journaliser(
        TypeEvenement.ECHEANCE_JALON_MODIFIEE,
        cible=jalon,
        acteur=par,
        motif=motif,
        donnees={"avant": ancienne.isoformat(), "apres": echeance.isoformat()},
    )


def ajouter_preuve(jalon, *, par, note="", fichiers=()):
    """Ajoute une note de suivi et des pièces justificatives à un jalon.

    Les fichiers sont vérifiés comme ceux des candidatures (type lu dans le contenu, 10 Mo) ;
    un seul fichier refusé et rien n'est enregistré. Journalisé.
    """
    note = (note or "").strip()
    if not note and not fichiers:
        raise DonneesRefusees(gettext("Écrivez une note ou joignez au moins un fichier."))
    formats = [verifier_fichier(fichier) for fichier in fichiers]
    with transaction.atomic():
        jalon = _verrouiller_jalon(jalon)
        exiger(par, "accompagnement.ajouter_preuve", jalon)
        if note:
            jalon.note = f"{jalon.note}\n\n{note}".strip() if jalon.note else note
            jalon.save(update_fields=["note"])
        for fichier, format_lu in zip(fichiers, formats, strict=True):
            PreuveJalon.objects.create(
                jalon=jalon,
                fichier=fichier,
                nom_original=fichier.name[:255],
                type_mime=format_lu.type_mime,
                taille=fichier.size,
                ajoutee_par=par,
            )
        journaliser(
            TypeEvenement.PREUVE_JALON_AJOUTEE,
            cible=jalon,
            acteur=par,
            motif=note,
            donnees={"fichiers": [fichier.name for fichier in fichiers]},
        )
    return jalon


def completer(plan, type_jalon, *, par, description):
    """Marque faits les jalons à faire de ce type dans le plan (effet d'un autre fait : une
    présence, une remise de kit…), sous la règle de ce fait, déjà vérifiée par son service.
    Renvoie les jalons complétés."""
    jalons = Jalon.objects.select_for_update().filter(
        plan=plan, type=type_jalon, etat__in=ETATS_JALON_A_FAIRE
    )
    return [terminer_en_suite(jalon, par=par, description=description) for jalon in jalons]


def terminer_en_suite(jalon, *, par, description):
    """Un jalon déjà verrouillé → fait, suite d'une action dont la règle est vérifiée."""
    return appliquer_transition(
        jalon,
        "terminer",
        par=par,
        motif=description,
        permission=SUITE_D_UNE_ACTION,
        verrou=False,
    )


def commencer_en_suite(plan, type_jalon, *, par, description):
    """Passe en cours les jalons prévus de ce type dans le plan (un fait partiel : un kit
    remis sur plusieurs)."""
    for jalon in Jalon.objects.select_for_update().filter(
        plan=plan, type=type_jalon, etat=EtatJalon.PREVU
    ):
        appliquer_transition(
            jalon,
            "commencer",
            par=par,
            motif=description,
            permission=SUITE_D_UNE_ACTION,
            verrou=False,
        )

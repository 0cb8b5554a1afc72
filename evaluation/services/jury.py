"""Le jury d'un appel : sa préparation, ses réglages, sa grille et ses membres."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext

from comptes.services import inviter
from evaluation.enums import GRILLE_PAR_DEFAUT
from evaluation.models import Critere, Grille, Jury, MembreJury, Note
from evaluation.rules import oublier_sieges
from evaluation.services.verrous import verrouiller_appel
from journal.enums import TypeEvenement
from journal.services import journaliser
from noyau.erreurs import ActionImpossible, DonneesRefusees
from noyau.roles import Role
from noyau.transitions import exiger
from programmes.enums import EtatAppel


def preparer_jury(appel, *, par):
    """Crée le jury et la grille de l'appel (grille par défaut du premier cas, modifiable).

    Idempotent : renvoie le jury existant. Journalise « jury préparé » à la création.
    """
    exiger(par, "evaluation.gerer_jury", appel)
    with transaction.atomic():
        appel = verrouiller_appel(appel.pk)
        jury, cree = Jury.objects.get_or_create(appel=appel)
        grille, grille_creee = Grille.objects.get_or_create(appel=appel)
        if grille_creee:
            Critere.objects.bulk_create(
                Critere(
                    grille=grille,
                    ordre=ordre,
                    libelle=libelle,
                    aide=aide,
                    poids=poids,
                    maximum=maximum,
                )
                for ordre, (libelle, aide, poids, maximum) in enumerate(GRILLE_PAR_DEFAUT, 1)
            )
        if cree:
            journaliser(TypeEvenement.JURY_PREPARE, cible=appel, acteur=par)
    return jury


def regler_jury(jury, *, par, champs):
    """Met à jour la date limite de notation et les réglages du jury. Journalisé.

    Le verrou de l'appel, pris d'abord comme par les notes, les fait passer l'une après
    l'autre : une note en cours d'écriture finit avec l'ancienne date limite, celle qui
    arrive ensuite lit la nouvelle."""
    exiger(par, "evaluation.gerer_jury", jury.appel)
    with transaction.atomic():
        appel = verrouiller_appel(jury.appel_id)
        jury = Jury.objects.select_for_update(of=("self",)).get(pk=jury.pk)
        jury.appel = appel
        changes = sorted(nom for nom, valeur in champs.items() if getattr(jury, nom) != valeur)
        for nom, valeur in champs.items():
            setattr(jury, nom, valeur)
        jury.full_clean(exclude=["appel"])
        if changes:
            jury.save(update_fields=changes)
            journaliser(
                TypeEvenement.JURY_REGLE, cible=jury.appel, acteur=par, donnees={"champs": changes}
            )
    return jury


def enregistrer_grille(appel, *, par, formset):
    """Enregistre les critères de la grille. Refusé dès qu'une note a été saisie : changer la
    grille en cours de notation rendrait les totaux incomparables. Le verrou de l'appel, pris
    d'abord comme par les notes, attend celles en cours d'écriture ; l'étape de l'appel et
    l'absence de notes se relisent après lui. Journalisé."""
    exiger(par, "evaluation.gerer_jury", appel)
    with transaction.atomic():
        appel = verrouiller_appel(appel.pk)
        if not par.has_perm("evaluation.modifier_grille", appel):
            raise ActionImpossible(
                gettext("La grille ne se modifie plus : l'appel est « %(etat)s ».")
                % {"etat": appel.get_etat_display()}
            )
        grille = Grille.objects.select_for_update().get(appel=appel)
        if Note.objects.filter(critere__grille=grille).exists():
            raise ActionImpossible(
                gettext(
                    "La grille ne se modifie plus : des membres du jury ont déjà saisi des notes."
                )
            )
        formset.save()
        if not grille.criteres.exists():
            raise DonneesRefusees(gettext("La grille doit garder au moins un critère."))
        journaliser(TypeEvenement.GRILLE_MODIFIEE, cible=appel, acteur=par)
    return grille


# Un membre s'ajoute tant que le jury peut encore siéger pour noter : une fois la
# délibération ouverte, les notes sont figées et il n'aurait rien à faire (ni invitation).
ETATS_APPEL_JURY_OUVERT = (
    EtatAppel.BROUILLON,
    EtatAppel.OUVERT,
    EtatAppel.CLOS,
    EtatAppel.EN_EVALUATION,
)


def ajouter_membre(jury, *, par, email, structure=None, commune=None):
    """Ajoute un membre au jury. Un compte existant à cette adresse est rattaché (et reçoit le
    rôle de membre du jury) ; sinon une invitation part (parcours d'invitation des comptes).
    Refusé (action impossible) dès la délibération ouverte, l'étape relue sous le verrou de
    l'appel.

    Journalise « membre du jury ajouté ». Renvoie le membre.
    """
    exiger(par, "evaluation.gerer_jury", jury.appel)
    email = get_user_model().objects.normalize_email(email).strip().lower()
    with transaction.atomic():
        appel = verrouiller_appel(jury.appel_id)
        if appel.etat not in ETATS_APPEL_JURY_OUVERT:
            raise ActionImpossible(
                gettext(
                    "Le jury ne s'agrandit plus : l'appel est « %(etat)s ». "
                    "Un membre s'ajoute jusqu'à l'ouverture de la délibération."
                )
                % {"etat": appel.get_etat_display()}
            )
        jury = Jury.objects.select_for_update().get(pk=jury.pk)
        if jury.membres.filter(email=email).exists():
            raise DonneesRefusees(gettext("%(email)s fait déjà partie du jury.") % {"email": email})
        utilisateur = get_user_model().objects.filter(email__iexact=email).first()
        membre = MembreJury.objects.create(
            jury=jury, email=email, utilisateur=utilisateur, structure=structure, commune=commune
        )
        if utilisateur is not None:
            utilisateur.groups.add(Group.objects.get_or_create(name=Role.MEMBRE_JURY)[0])
        else:
            inviter(email=email, role=Role.MEMBRE_JURY, programme=jury.appel.programme, par=par)
        journaliser(
            TypeEvenement.MEMBRE_JURY_AJOUTE,
            cible=jury.appel,
            acteur=par,
            donnees={"membre": membre.pk, "email": email, "invite": utilisateur is None},
        )
    return membre


def rattacher_au_compte(utilisateur):
    """Rattache à ce compte les sièges de jury ouverts à son adresse avant qu'il existe."""
    if not utilisateur.is_authenticated:
        return 0
    nombre = MembreJury.objects.filter(
        utilisateur__isnull=True, email__iexact=utilisateur.email
    ).update(utilisateur=utilisateur)
    if nombre:
        oublier_sieges(utilisateur)
    return nombre

"""Le balayage des relances, le résumé du jour et les préférences des destinataires."""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from journal.enums import TypeEvenement
from journal.services import journaliser
from messagerie.models import Message
from messagerie.services import (
    deposer_lot,
    preparer_courriel,
    preparer_message,
    rendre_message,
)
from noyau.erreurs import DonneesRefusees
from noyau.perimetre import id_programme_de
from noyau.transitions import exiger
from relances.enums import EtatRelance
from relances.models import PreferencesRelances, ReglageRelance, Relance
from relances.notifications import RESUME_QUOTIDIEN
from relances.registre import (
    courriel_reglable,
    courriels_reglables,
    type_de_relance,
    types_de_relance,
)
from relances.selectors import relances_dues

SEL_DESABONNEMENT = "relances.desabonnement"


@dataclass
class BilanBalayage:
    mises_en_envoi: int = 0
    desactivees: int = 0
    en_resume: int = 0
    deja_faites: int = 0

    @property
    def total(self):
        return self.mises_en_envoi + self.desactivees + self.en_resume


def lien_desabonnement(utilisateur, type_code):
    jeton = signing.dumps({"u": utilisateur.pk, "t": type_code}, salt=SEL_DESABONNEMENT)
    return reverse("relances:desabonnement", args=[jeton])


def lire_lien_desabonnement(jeton):
    """(id utilisateur, code du type) d'un lien signé ; signing.BadSignature s'il est altéré."""
    donnees = signing.loads(jeton, salt=SEL_DESABONNEMENT)
    return donnees["u"], donnees["t"]


def _contexte(due, aujourd_hui):
    type_relance = due.type_relance
    return {
        "jours_restants": (due.date_reference - aujourd_hui).days,
        "destinataire": due.destinataire,
        "objet": due.objet,
        "decalage": due.decalage,
        "jours_de_retard": (aujourd_hui - due.date_reference).days,
        "essentielle": type_relance.essentiel,
        "raison_essentielle": type_relance.raison_essentielle,
        "lien_desabonnement": (
            None
            if type_relance.essentiel or due.a_une_adresse
            else lien_desabonnement(due.destinataire, type_relance.code)
        ),
        **type_relance.contexte(due.objet),
    }


def _message(due, aujourd_hui, *, rendre):
    """Le message d'une relance due : à un compte (dans sa langue), ou à une adresse sans
    compte, avec ses pièces jointes. `rendre` : `rendre_message` (lot) ou `preparer_message`."""
    type_relance = due.type_relance
    arguments = {
        "type_message": type_relance.type_du_message(due.decalage),
        "gabarit": type_relance.gabarit,
        "contexte": _contexte(due, aujourd_hui),
        "objet": due.objet,
    }
    if due.a_une_adresse:
        arguments.update(destinataire=due.destinataire.email, cle=due.cle)
    else:
        arguments.update(
            destinataire=due.destinataire.email,
            utilisateur=due.destinataire,
            cle=f"relance:{due.cle}",
        )
    if rendre is preparer_message:
        arguments["pieces_jointes"] = _pieces_jointes(due)
    return rendre(**arguments)


def _pieces_jointes(due):
    if not due.a_une_adresse:
        return []
    return list(due.type_relance.echeance.pieces_jointes(due.objet))


def _traiter_a_l_adresse(due, bilan, aujourd_hui):
    """Une relance à une adresse sans compte : la clé du message la rend unique."""
    with transaction.atomic():
        modele = type(due.objet)
        if not modele.objects.select_for_update(skip_locked=True).filter(pk=due.objet.pk).exists():
            bilan.deja_faites += 1
            return
        if Message.objects.filter(cle=due.cle).exists():
            bilan.deja_faites += 1
            return
        _message(due, aujourd_hui, rendre=preparer_message)
        bilan.mises_en_envoi += 1


def _traiter(due, bilan, aujourd_hui):
    """Crée une relance et, selon les préférences, son message ; tout ou rien. Sert quand un
    lot a croisé un balayage concurrent et doit repasser relance par relance."""
    if due.a_une_adresse:
        _traiter_a_l_adresse(due, bilan, aujourd_hui)
        return
    with transaction.atomic():
        # Deux balayages simultanés : le verrou partagé sans attente fait passer l'autre
        # objet par objet ; la clé unique tranche s'ils se croisent quand même.
        modele = type(due.objet)
        if not modele.objects.select_for_update(skip_locked=True).filter(pk=due.objet.pk).exists():
            bilan.deja_faites += 1
            return
        etat = _etat_pour(due)
        try:
            with transaction.atomic():
                relance = Relance.objects.create(
                    cle=due.cle,
                    type_code=due.type_relance.code,
                    objet_type_id=due.objet_type_id,
                    objet_id=due.objet.pk,
                    decalage=due.decalage,
                    date_reference=due.date_reference,
                    destinataire=due.destinataire,
                    etat=etat,
                    programme_id=id_programme_de(due.objet),
                )
        except IntegrityError:
            bilan.deja_faites += 1
            return
        if etat == EtatRelance.MISE_EN_ENVOI:
            relance.message = _message(due, aujourd_hui, rendre=preparer_message)
            relance.save(update_fields=["message"])
            bilan.mises_en_envoi += 1
        elif etat == EtatRelance.EN_ATTENTE_RESUME:
            bilan.en_resume += 1
        else:
            bilan.desactivees += 1


# Relances traitées par transaction : assez pour amortir les allers-retours avec la base,
# assez peu pour qu'un worker tué ne fasse refaire qu'un petit lot au balayage suivant.
TAILLE_LOT = 200


def _etat_pour(due):
    if due.desactivee:
        return EtatRelance.IGNOREE_PREFERENCE
    if due.en_resume:
        return EtatRelance.EN_ATTENTE_RESUME
    return EtatRelance.MISE_EN_ENVOI


def _verrouiller(lot):
    """Les objets du lot qu'aucun autre balayage ne tient : (modèle, pk)."""
    par_modele = defaultdict(set)
    for due in lot:
        par_modele[type(due.objet)].add(due.objet.pk)
    libres = set()
    for modele, pks in par_modele.items():
        verrouilles = modele.objects.select_for_update(skip_locked=True).filter(pk__in=pks)
        libres.update((modele, pk) for pk in verrouilles.values_list("pk", flat=True))
    return libres


def _traiter_lot(lot, bilan, aujourd_hui):
    """Un lot en une transaction : objets verrouillés sans attendre, relances et messages en
    insertions groupées, une seule tâche d'envoi au commit. Si un balayage concurrent a créé
    une des relances entre-temps (clé unique), le lot repasse relance par relance."""
    compte = BilanBalayage()
    try:
        with transaction.atomic():
            libres = _verrouiller(lot)
            relances, messages, pieces = [], [], []
            for due in lot:
                if (type(due.objet), due.objet.pk) not in libres:
                    compte.deja_faites += 1
                    continue
                etat = _etat_pour(due)
                message = None
                if etat == EtatRelance.MISE_EN_ENVOI:
                    message = _message(due, aujourd_hui, rendre=rendre_message)
                    messages.append(message)
                    pieces.append(_pieces_jointes(due))
                    compte.mises_en_envoi += 1
                elif etat == EtatRelance.EN_ATTENTE_RESUME:
                    compte.en_resume += 1
                else:
                    compte.desactivees += 1
                if due.a_une_adresse:
                    continue  # suivie par la clé de son message
                relances.append(
                    Relance(
                        cle=due.cle,
                        type_code=due.type_relance.code,
                        objet_type_id=due.objet_type_id,
                        objet_id=due.objet.pk,
                        decalage=due.decalage,
                        date_reference=due.date_reference,
                        destinataire=due.destinataire,
                        etat=etat,
                        programme_id=id_programme_de(due.objet),
                        message=message,
                    )
                )
            deposer_lot(messages, pieces)
            Relance.objects.bulk_create(relances)
    except IntegrityError:
        for due in lot:
            _traiter(due, bilan, aujourd_hui)
        return
    for champ in ("mises_en_envoi", "desactivees", "en_resume", "deja_faites"):
        setattr(bilan, champ, getattr(bilan, champ) + getattr(compte, champ))


def balayer(maintenant=None, *, types=None):
    """Crée, une seule fois chacune, les relances dues maintenant.

    Pour chacune : une ligne Relance (clé unique) et, sauf préférence contraire, un message dans
    la boîte d'envoi (envoyé au commit, une tâche par lot) ; désactivée par la personne, la
    relance est notée sans message ; en résumé quotidien, elle attend `envoyer_resumes`. À une
    adresse sans compte (un référent), seul le message est créé, sous sa clé unique.
    `types` : seulement ces courriels du catalogue (tous par défaut). Renvoie le bilan.
    """
    maintenant = maintenant or timezone.now()
    aujourd_hui = timezone.localdate(maintenant)
    bilan = BilanBalayage()
    dues = relances_dues(maintenant, types=types)
    for debut in range(0, len(dues), TAILLE_LOT):
        _traiter_lot(dues[debut : debut + TAILLE_LOT], bilan, aujourd_hui)
    return bilan


def _ligne_du_resume(relance, jour):
    """Une ligne du résumé : les jours restants (ou de retard) comptés au jour du résumé, pas
    au jour où la relance a été notée. Une relance notée avant que sa date soit gardée compte
    depuis son décalage."""
    if relance.date_reference is not None:
        jours_restants = (relance.date_reference - jour).days
    else:
        jours_restants = -relance.decalage
    return {
        "libelle": type_de_relance(relance.type_code).libelle,
        "objet": relance.objet,
        "decalage": relance.decalage,
        "jours_restants": jours_restants,
        "jours_de_retard": -jours_restants,
    }


def envoyer_resumes(maintenant=None):
    """Regroupe en un courriel par personne les relances en attente du résumé du jour.

    La clé du message (personne, jour) rend l'envoi idempotent. Renvoie le nombre de résumés.
    """
    maintenant = maintenant or timezone.now()
    jour = timezone.localdate(maintenant)
    par_personne = defaultdict(list)
    attente = Relance.objects.filter(etat=EtatRelance.EN_ATTENTE_RESUME).select_related(
        "destinataire", "objet_type"
    )
    for relance in attente.order_by("creee_le", "pk"):
        par_personne[relance.destinataire].append(relance)
    envoyes = 0
    for destinataire, relances in par_personne.items():
        with transaction.atomic():
            verrouillees = list(
                Relance.objects.select_for_update(skip_locked=True)
                .filter(pk__in=[r.pk for r in relances], etat=EtatRelance.EN_ATTENTE_RESUME)
                .order_by("creee_le", "pk")
            )
            if not verrouillees:
                continue
            lignes = [_ligne_du_resume(r, jour) for r in verrouillees]
            message = preparer_courriel(
                RESUME_QUOTIDIEN,
                destinataire=destinataire.email,
                contexte={"destinataire": destinataire, "lignes": lignes, "jour": jour},
                utilisateur=destinataire,
                cle=f"resume:{destinataire.pk}:{jour.isoformat()}:{verrouillees[0].pk}",
            )
            Relance.objects.filter(pk__in=[r.pk for r in verrouillees]).update(
                etat=EtatRelance.RESUMEE, message=message
            )
            envoyes += 1
    return envoyes


def preferences_de(utilisateur):
    preferences, _ = PreferencesRelances.objects.get_or_create(utilisateur=utilisateur)
    return preferences


def desactiver(utilisateur, type_code):
    """Désactive un courriel non essentiel du catalogue pour cette personne ; idempotent.
    KeyError si le code n'est pas un courriel qu'une personne peut régler."""
    entree = courriel_reglable(type_code)
    if entree.essentiel:
        raise DonneesRefusees(str(entree.raison_essentielle))
    with transaction.atomic():
        preferences = PreferencesRelances.objects.select_for_update().get(
            pk=preferences_de(utilisateur).pk
        )
        if type_code not in preferences.types_desactives:
            preferences.types_desactives = sorted({*preferences.types_desactives, type_code})
            preferences.save(update_fields=["types_desactives"])
    return preferences


def enregistrer_preferences(utilisateur, *, types_desactives, resume_quotidien):
    """Enregistre les préférences de la page de profil (les courriels essentiels et les codes
    inconnus sont ignorés)."""
    non_essentiels = {entree.code for entree in courriels_reglables() if not entree.essentiel}
    codes = sorted(code for code in set(types_desactives) if code in non_essentiels)
    preferences = preferences_de(utilisateur)
    preferences.types_desactives = codes
    preferences.resume_quotidien = resume_quotidien
    preferences.save(update_fields=["types_desactives", "resume_quotidien"])
    return preferences


def _verifier_reglage(type_relance, active, decalages):
    """Les règles du formulaire, tenues aussi par le service : au moins un décalage, aucun
    au-delà d'un an, une relance essentielle reste active."""
    if not decalages:
        raise DonneesRefusees(gettext("Indiquez au moins un décalage."))
    if any(abs(decalage) > 365 for decalage in decalages):
        raise DonneesRefusees(gettext("Un décalage ne peut pas dépasser 365 jours."))
    if type_relance.essentiel and not active:
        raise DonneesRefusees(str(type_relance.raison_essentielle))


def regler_relances(portee, reglages_saisis, *, par):
    """Enregistre les décalages réglés par un gestionnaire sur un appel ou un programme.

    `reglages_saisis` : {code: (active, décalages, répétition en jours ou None)}. Refusé
    (ActionNonPermise) à qui ne gère pas cette portée, (DonneesRefusees) pour un type qui ne se
    règle pas sur elle ou une saisie hors des règles. Un réglage identique aux valeurs par
    défaut du type est supprimé : le défaut s'applique. Journalisé sur la portée.
    """
    exiger(par, "candidatures.gerer_appel", portee)
    type_portee = ContentType.objects.get_for_model(portee)
    modele = f"{type_portee.app_label}.{type_portee.model}"
    reglables = {t.code: t for t in types_de_relance(reglables_sur=modele)}
    with transaction.atomic():
        changements = {}
        for code, (active, decalages, repetition) in reglages_saisis.items():
            if code not in reglables:
                raise DonneesRefusees(gettext("Rien à régler ici."))
            type_relance = reglables[code]
            _verifier_reglage(type_relance, active, decalages)
            filtre = {"type_code": code, "portee_type": type_portee, "portee_id": portee.pk}
            par_defaut = (
                active
                and tuple(decalages) == tuple(sorted(type_relance.decalages))
                and repetition == type_relance.repetition_jours
            )
            avant = ReglageRelance.objects.filter(**filtre).first()
            if par_defaut:
                if avant is not None:
                    avant.delete()
                    changements[code] = None
            else:
                valeurs = {
                    "active": active,
                    "decalages": list(decalages),
                    "repetition_jours": repetition,
                }
                if avant is None or any(getattr(avant, c) != v for c, v in valeurs.items()):
                    ReglageRelance.objects.update_or_create(**filtre, defaults=valeurs)
                    changements[code] = valeurs
        if changements:
            journaliser(
                TypeEvenement.RELANCES_REGLEES,
                cible=portee,
                acteur=par,
                donnees={"reglages": changements},
            )
    return changements

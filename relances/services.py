"""Le balayage des relances, le résumé du jour et les préférences des destinataires."""

from collections import defaultdict
from dataclasses import dataclass

from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from messagerie.services import deposer_lot, preparer_message, rendre_message
from noyau.perimetre import id_programme_de
from relances.enums import EtatRelance
from relances.models import PreferencesRelances, Relance
from relances.registre import type_de_relance
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
        "essentielle": type_relance.essentielle,
        "raison_essentielle": type_relance.raison_essentielle,
        "lien_desabonnement": (
            None
            if type_relance.essentielle
            else lien_desabonnement(due.destinataire, type_relance.code)
        ),
        **type_relance.contexte(due.objet),
    }


def _traiter(due, bilan, aujourd_hui):
    """Crée une relance et, selon les préférences, son message ; tout ou rien. Sert quand un
    lot a croisé un balayage concurrent et doit repasser relance par relance."""
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
            relance.message = preparer_message(
                type_message=f"relance_{due.type_relance.code}",
                destinataire=due.destinataire.email,
                gabarit=due.type_relance.gabarit,
                contexte=_contexte(due, aujourd_hui),
                utilisateur=due.destinataire,
                objet=due.objet,
                cle=f"relance:{due.cle}",
            )
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
            relances, messages = [], []
            for due in lot:
                if (type(due.objet), due.objet.pk) not in libres:
                    compte.deja_faites += 1
                    continue
                etat = _etat_pour(due)
                message = None
                if etat == EtatRelance.MISE_EN_ENVOI:
                    message = rendre_message(
                        type_message=f"relance_{due.type_relance.code}",
                        destinataire=due.destinataire.email,
                        gabarit=due.type_relance.gabarit,
                        contexte=_contexte(due, aujourd_hui),
                        utilisateur=due.destinataire,
                        objet=due.objet,
                        cle=f"relance:{due.cle}",
                    )
                    messages.append(message)
                    compte.mises_en_envoi += 1
                elif etat == EtatRelance.EN_ATTENTE_RESUME:
                    compte.en_resume += 1
                else:
                    compte.desactivees += 1
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
            deposer_lot(messages)
            Relance.objects.bulk_create(relances)
    except IntegrityError:
        for due in lot:
            _traiter(due, bilan, aujourd_hui)
        return
    for champ in ("mises_en_envoi", "desactivees", "en_resume", "deja_faites"):
        setattr(bilan, champ, getattr(bilan, champ) + getattr(compte, champ))


def balayer(maintenant=None):
    """Crée, une seule fois chacune, les relances dues maintenant.

    Pour chacune : une ligne Relance (clé unique) et, sauf préférence contraire, un message dans
    la boîte d'envoi (envoyé au commit, une tâche par lot) ; désactivée par la personne, la
    relance est notée sans message ; en résumé quotidien, elle attend `envoyer_resumes`.
    Renvoie le bilan.
    """
    maintenant = maintenant or timezone.now()
    aujourd_hui = timezone.localdate(maintenant)
    bilan = BilanBalayage()
    dues = relances_dues(maintenant)
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
            message = preparer_message(
                type_message="relance_resume_quotidien",
                destinataire=destinataire.email,
                gabarit="relances/resume",
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
    """Désactive un type de relance non essentiel pour cette personne ; idempotent."""
    type_relance = type_de_relance(type_code)
    if type_relance.essentielle:
        raise ValueError(type_relance.raison_essentielle)
    with transaction.atomic():
        preferences = PreferencesRelances.objects.select_for_update().get(
            pk=preferences_de(utilisateur).pk
        )
        if type_code not in preferences.types_desactives:
            preferences.types_desactives = sorted({*preferences.types_desactives, type_code})
            preferences.save(update_fields=["types_desactives"])
    return preferences


def enregistrer_preferences(utilisateur, *, types_desactives, resume_quotidien):
    """Enregistre les préférences de la page de profil (les types essentiels sont ignorés)."""
    codes = sorted(code for code in set(types_desactives) if not type_de_relance(code).essentielle)
    preferences = preferences_de(utilisateur)
    preferences.types_desactives = codes
    preferences.resume_quotidien = resume_quotidien
    preferences.save(update_fields=["types_desactives", "resume_quotidien"])
    return preferences


def regler_relances(portee, reglages_saisis):
    """Enregistre les décalages réglés par un gestionnaire sur un appel ou un programme.

    Un réglage identique aux valeurs par défaut du type est supprimé : le défaut s'applique.
    """
    from django.contrib.contenttypes.models import ContentType

    from relances.models import ReglageRelance

    type_portee = ContentType.objects.get_for_model(portee)
    with transaction.atomic():
        for code, (active, decalages, repetition) in reglages_saisis.items():
            type_relance = type_de_relance(code)
            filtre = {"type_code": code, "portee_type": type_portee, "portee_id": portee.pk}
            par_defaut = (
                active
                and tuple(decalages) == tuple(sorted(type_relance.decalages))
                and repetition == type_relance.repetition_jours
            )
            if par_defaut:
                ReglageRelance.objects.filter(**filtre).delete()
            else:
                ReglageRelance.objects.update_or_create(
                    **filtre,
                    defaults={
                        "active": active,
                        "decalages": list(decalages),
                        "repetition_jours": repetition,
                    },
                )

"""Ce qui est dû maintenant : lu par le balayage et par `relances --dry-run`, pour qu'ils
disent exactement la même chose."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from messagerie.catalogue import Adresse, Courriel
from messagerie.models import Message
from noyau.perimetre import gere
from relances.models import PreferencesRelances, ReglageRelance, Relance
from relances.registre import Fenetre, decalage_du, types_de_relance


@dataclass(frozen=True)
class RelanceDue:
    """Un courriel daté dû à un destinataire : un compte, ou une adresse sans compte (`Adresse`,
    un référent), qui n'a ni préférences ni résumé du jour et dont la clé est celle du message
    (`Echeance.cle_message`) : aucune ligne Relance ne le suit, la boîte d'envoi suffit."""

    type_relance: Courriel
    objet: object
    objet_type_id: int
    decalage: int
    date_reference: object
    destinataire: object
    desactivee: bool
    en_resume: bool

    @property
    def a_une_adresse(self):
        return isinstance(self.destinataire, Adresse)

    @property
    def cle(self):
        if self.a_une_adresse:
            return self.type_relance.echeance.cle_message(self.objet, self.decalage)
        return Relance.construire_cle(
            self.type_relance.code,
            self.objet_type_id,
            self.objet.pk,
            self.decalage,
            self.destinataire.pk,
        )


class _Reglages:
    """Les réglages des gestionnaires, lus une fois par balayage."""

    def __init__(self):
        self._par_cle = {
            (reglage.type_code, reglage.portee_type_id, reglage.portee_id): reglage
            for reglage in ReglageRelance.objects.all()
        }

    def pour(self, type_relance, objet):
        for portee in type_relance.portees(objet):
            if portee is None:
                continue
            cle = (type_relance.code, ContentType.objects.get_for_model(portee).pk, portee.pk)
            if cle in self._par_cle:
                reglage = self._par_cle[cle]
                if not reglage.active:
                    return (), None
                return tuple(reglage.decalages), reglage.repetition_jours
        return type_relance.decalages, type_relance.repetition_jours

    def fenetre(self, type_relance, aujourd_hui):
        """La fenêtre des dates de référence dues aujourd'hui pour ce type, sous ses décalages
        par défaut comme sous chacun de ceux que des gestionnaires ont réglés."""
        configurations = [(type_relance.decalages, type_relance.repetition_jours)]
        configurations += [
            (tuple(reglage.decalages), reglage.repetition_jours)
            for (code, _type, _id), reglage in self._par_cle.items()
            if code == type_relance.code and reglage.active
        ]
        return Fenetre.pour(
            aujourd_hui, configurations, rattrapage_jours=type_relance.rattrapage_jours
        )


def _preferences(ids_utilisateurs):
    return {
        preferences.utilisateur_id: preferences
        for preferences in PreferencesRelances.objects.filter(utilisateur_id__in=ids_utilisateurs)
    }


def relances_dues(maintenant=None, *, types=None):
    """Les relances dues maintenant et pas encore faites, dans un ordre stable."""
    maintenant = maintenant or timezone.now()
    aujourd_hui = timezone.localdate(maintenant)
    reglages = _Reglages()
    candidates = []
    for type_relance in types or types_de_relance():
        objets = list(type_relance.objets(maintenant, reglages.fenetre(type_relance, aujourd_hui)))
        if not objets:
            continue
        objet_type_id = ContentType.objects.get_for_model(objets[0]).pk
        for objet in objets:
            decalages, repetition = reglages.pour(type_relance, objet)
            date_reference = type_relance.date_reference(objet)
            decalage = decalage_du(
                date_reference,
                aujourd_hui,
                decalages,
                repetition,
                debut=type_relance.debut(objet),
                rattrapage_jours=type_relance.rattrapage_jours,
            )
            if decalage is None:
                continue
            for destinataire in type_relance.destinataires(objet):
                candidates.append(
                    (type_relance, objet, objet_type_id, decalage, date_reference, destinataire)
                )
    dues = []
    comptes = [u for *_, u in candidates if not isinstance(u, Adresse)]
    preferences = _preferences({u.pk for u in comptes})
    for type_relance, objet, objet_type_id, decalage, date_reference, destinataire in candidates:
        prefs = None if isinstance(destinataire, Adresse) else preferences.get(destinataire.pk)
        desactivee = (
            not type_relance.essentiel
            and prefs is not None
            and type_relance.code in prefs.types_desactives
        )
        dues.append(
            RelanceDue(
                type_relance=type_relance,
                objet=objet,
                objet_type_id=objet_type_id,
                decalage=decalage,
                date_reference=date_reference,
                destinataire=destinataire,
                desactivee=desactivee,
                en_resume=bool(prefs and prefs.resume_quotidien and not type_relance.essentiel),
            )
        )
    cles = [due.cle for due in dues]
    deja_faites = set(Relance.objects.filter(cle__in=cles).values_list("cle", flat=True))
    deja_faites |= set(Message.objects.filter(cle__in=cles).values_list("cle", flat=True))
    dues = [due for due in dues if due.cle not in deja_faites]
    return sorted(dues, key=lambda due: due.cle)


def _visible_par(utilisateur, due):
    """Une relance qu'un gestionnaire peut voir : d'un programme qu'il gère, ou à lui adressée."""
    if utilisateur.is_superuser or getattr(due.destinataire, "pk", None) == utilisateur.pk:
        return True
    return gere(utilisateur, due.objet)


def calendrier_des_relances(utilisateur, maintenant=None, *, horizon_jours=14):
    """Pour une page des relances vide : combien sont dues aujourd'hui pour cette personne, et
    le premier jour à venir (dans l'horizon) où une le sera, avec ce qui partira ce jour-là.

    Chaque jour à venir est lu comme le balayage le lira, les objets dans leur état présent.
    Renvoie (nombre dû aujourd'hui, jour suivant ou None, libellés des relances de ce jour)."""
    maintenant = maintenant or timezone.now()
    # Celles que cette page listera une fois faites : les relances à des comptes.
    types = types_de_relance(aux_comptes=True)
    dues = [due for due in relances_dues(maintenant, types=types) if _visible_par(utilisateur, due)]
    if dues:
        return len(dues), None, []
    for jours in range(1, horizon_jours + 1):
        plus_tard = maintenant + timezone.timedelta(days=jours)
        dues = [
            due for due in relances_dues(plus_tard, types=types) if _visible_par(utilisateur, due)
        ]
        if dues:
            libelles = sorted({str(due.type_relance.libelle) for due in dues})
            return 0, timezone.localdate(plus_tard), libelles
    return 0, None, []

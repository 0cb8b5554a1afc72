"""Les calendriers ICS : la convocation à une session (pièce jointe) et le flux privé d'une
personne (ses sessions, les jalons de ses plans, les comités de clôture), à adresse signée.

Les heures sont écrites à l'heure de Paris (TZID=Europe/Paris) et le calendrier porte la
définition de ce fuseau (VTIMEZONE), que la RFC 5545 exige pour chaque TZID employé : sans
elle, certains agendas placent la formation à la mauvaise heure."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from icalendar import Calendar, Event

from accompagnement.models import JetonCalendrier

SEL_CALENDRIER = "accompagnement.calendrier"
DOMAINE_UID = "relais"


def _calendrier(nom):
    calendrier = Calendar()
    calendrier.add("prodid", "-//Relais//Accompagnement//FR")
    calendrier.add("version", "2.0")
    calendrier.add("x-wr-calname", nom)
    return calendrier


def _moment(jour, heure):
    return timezone.make_aware(datetime.combine(jour, heure), timezone.get_default_timezone())


def evenement_session(session):
    evenement = Event()
    evenement.add("uid", f"session-{session.pk}@{DOMAINE_UID}")
    evenement.add("summary", gettext("Formation : %(titre)s") % {"titre": session.formation.titre})
    evenement.add("dtstart", _moment(session.date, session.heure_debut))
    evenement.add("dtend", _moment(session.date, session.heure_fin))
    evenement.add("dtstamp", timezone.now())
    evenement.add("location", session.lieu)
    evenement.add(
        "description",
        gettext("Formateur ou formatrice : %(nom)s") % {"nom": session.formateur.get_full_name()},
    )
    return evenement


def evenement_jalon(jalon):
    evenement = Event()
    evenement.add("uid", f"jalon-{jalon.pk}@{DOMAINE_UID}")
    evenement.add("summary", f"{jalon.libelle} — {jalon.plan.structure.nom}")
    evenement.add("dtstart", jalon.echeance)
    evenement.add("dtend", jalon.echeance + timedelta(days=1))
    evenement.add("dtstamp", timezone.now())
    evenement.add(
        "description",
        gettext("Échéance de l'étape (%(etat)s)") % {"etat": jalon.get_etat_display()},
    )
    return evenement


def evenement_comite(comite):
    evenement = Event()
    evenement.add("uid", f"comite-{comite.pk}@{DOMAINE_UID}")
    evenement.add("summary", gettext("Comité de clôture"))
    debut = _moment(comite.date, comite.heure)
    evenement.add("dtstart", debut)
    evenement.add("dtend", debut + timedelta(hours=2))
    evenement.add("dtstamp", timezone.now())
    evenement.add("location", comite.lieu)
    if comite.ordre_du_jour:
        evenement.add("description", comite.ordre_du_jour)
    return evenement


def _en_ics(calendrier):
    calendrier.add_missing_timezones()
    return calendrier.to_ical()


def ics_convocation(session):
    calendrier = _calendrier(
        gettext("Formation du %(date)s") % {"date": f"{session.date:%d/%m/%Y}"}
    )
    calendrier.add_component(evenement_session(session))
    return _en_ics(calendrier)


def ics_flux(*, sessions, jalons, comites, nom=None):
    calendrier = _calendrier(nom or gettext("Relais — accompagnement"))
    for session in sessions:
        calendrier.add_component(evenement_session(session))
    for jalon in jalons:
        calendrier.add_component(evenement_jalon(jalon))
    for comite in comites:
        calendrier.add_component(evenement_comite(comite))
    return _en_ics(calendrier)


# --- L'adresse privée du flux -------------------------------------------------------------


def jeton_de(utilisateur):
    return JetonCalendrier.objects.get_or_create(utilisateur=utilisateur)[0]


def adresse_du_flux(utilisateur, *, absolue=True):
    jeton = jeton_de(utilisateur)
    signe = signing.Signer(salt=SEL_CALENDRIER).sign(f"{utilisateur.pk}.{jeton.jeton}")
    chemin = reverse("accompagnement:calendrier_flux", args=[signe])
    return settings.SITE_URL + chemin if absolue else chemin


def utilisateur_du_flux(signe):
    """La personne d'une adresse de flux, ou None si l'adresse est altérée ou révoquée."""
    try:
        valeur = signing.Signer(salt=SEL_CALENDRIER).unsign(signe)
    except signing.BadSignature:
        return None
    pk, _, jeton = valeur.partition(".")
    trouve = (
        JetonCalendrier.objects.select_related("utilisateur")
        .filter(utilisateur_id=pk, jeton=jeton, utilisateur__is_active=True)
        .first()
    )
    return trouve.utilisateur if trouve else None


def regenerer_jeton(utilisateur):
    """Invalide l'ancienne adresse du flux et en donne une nouvelle."""
    jeton = jeton_de(utilisateur)
    jeton.jeton = JetonCalendrier._meta.get_field("jeton").default()
    jeton.save(update_fields=["jeton"])
    return jeton

"""Les calendriers ICS : la convocation à une session (pièce jointe) et le flux privé d'une
personne (ses sessions, les jalons de ses plans, les comités de clôture), à adresse signée.

Les heures sont écrites à l'heure de Paris (TZID=Europe/Paris) et le calendrier porte la
définition de ce fuseau (VTIMEZONE), que la RFC 5545 exige pour chaque TZID employé : sans
elle, certains agendas placent la formation à la mauvaise heure.

L'événement d'une convocation a l'identifiant (UID) de l'inscription : la convocation et ses
rappels décrivent le même événement (SEQUENCE 0), l'annulation envoyée à la désinscription le
retire de l'agenda (METHOD:CANCEL, même UID, SEQUENCE 1). Une nouvelle inscription après une
désinscription est une autre inscription, donc un autre UID : un nouvel événement, que
l'annulation précédente ne touche pas."""

from datetime import datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from icalendar import Calendar, Event, vCalAddress

from accompagnement.models import JetonCalendrier

SEL_CALENDRIER = "accompagnement.calendrier"
DOMAINE_UID = "relais"
SEQUENCE_CONVOCATION = 0
SEQUENCE_ANNULATION = 1


def _calendrier(nom):
    calendrier = Calendar()
    calendrier.add("prodid", "-//Relais//Accompagnement//FR")
    calendrier.add("version", "2.0")
    calendrier.add("x-wr-calname", nom)
    return calendrier


def _moment(jour, heure):
    return timezone.make_aware(datetime.combine(jour, heure), timezone.get_default_timezone())


def evenement_session(session, *, uid=None):
    evenement = Event()
    evenement.add("uid", uid or f"session-{session.pk}@{DOMAINE_UID}")
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


def uid_inscription(inscription):
    """L'UID de l'événement d'une inscription : le même pour la convocation, ses rappels et
    l'annulation ; une nouvelle inscription en a un autre."""
    return f"session-{inscription.session_id}-inscription-{inscription.pk}@{DOMAINE_UID}"


def _evenement_inscription(inscription, *, sequence):
    session = inscription.session
    evenement = evenement_session(session, uid=uid_inscription(inscription))
    evenement.add("sequence", sequence)
    organisateur = vCalAddress(f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}")
    organisateur.params["cn"] = "Relais"
    evenement.add("organizer", organisateur)
    participant = vCalAddress(f"mailto:{inscription.referent.email}")
    participant.params["cn"] = inscription.referent.nom_complet
    evenement.add("attendee", participant)
    return evenement


def _calendrier_inscription(inscription):
    return _calendrier(
        gettext("Formation du %(date)s") % {"date": f"{inscription.session.date:%d/%m/%Y}"}
    )


def ics_convocation(inscription):
    """Le fichier joint à la convocation et à ses rappels."""
    calendrier = _calendrier_inscription(inscription)
    calendrier.add_component(_evenement_inscription(inscription, sequence=SEQUENCE_CONVOCATION))
    return _en_ics(calendrier)


def ics_annulation(inscription):
    """Le fichier joint au courriel de désinscription : il retire de l'agenda l'événement de
    la convocation (même UID, séquence supérieure, mêmes horaires)."""
    calendrier = _calendrier_inscription(inscription)
    calendrier.add("method", "CANCEL")
    evenement = _evenement_inscription(inscription, sequence=SEQUENCE_ANNULATION)
    evenement.add("status", "CANCELLED")
    calendrier.add_component(evenement)
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

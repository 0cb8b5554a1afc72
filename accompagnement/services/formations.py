"""Les formations : sessions, référents des structures, inscriptions et désinscriptions,
feuille d'émargement (chaque présence fait le jalon de formation du plan de sa structure)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accompagnement import notifications
from accompagnement.models import Emargement, Inscription, Referent, SessionFormation
from accompagnement.services._commun import le
from accompagnement.services.jalons import completer
from accompagnement.signaux import emargements_enregistres
from journal.enums import TypeEvenement
from journal.services import journaliser
from noyau.erreurs import ActionImpossible, ActionNonPermise, DonneesRefusees
from noyau.perimetre import ids_structures
from noyau.transitions import exiger


def creer_session(formation, *, par, plans, **champs):
    """Crée une session d'une formation, ouverte aux structures de ces plans (du programme)."""
    exiger(par, "accompagnement.gerer_programme", formation.programme)
    plans = list(plans)
    if not plans:
        raise DonneesRefusees(gettext("Choisissez au moins une structure invitée."))
    debut, fin = champs.get("heure_debut"), champs.get("heure_fin")
    if debut and fin and fin <= debut:
        raise DonneesRefusees(
            gettext("La fin (%(fin)s) doit venir après le début (%(debut)s).")
            % {"fin": f"{fin:%H:%M}", "debut": f"{debut:%H:%M}"}
        )
    if any(plan.programme_id != formation.programme_id for plan in plans):
        raise DonneesRefusees(
            gettext("Une structure invitée n'est pas accompagnée par ce programme.")
        )
    with transaction.atomic():
        session = SessionFormation.objects.create(formation=formation, **champs)
        session.plans.set(plans)
        journaliser(TypeEvenement.SESSION_FORMATION_CREEE, cible=session, acteur=par)
    return session


def ajouter_referent(plan, *, par, prenom, nom, email, fonction=""):
    """Ajoute un référent à l'équipe de la structure du plan (une adresse par structure)."""
    exiger(par, "accompagnement.gerer_referents", plan)
    email = email.strip().lower()
    if Referent.objects.filter(structure_id=plan.structure_id, email=email).exists():
        raise DonneesRefusees(
            gettext("Un référent de la structure a déjà l'adresse %(email)s.") % {"email": email}
        )
    with transaction.atomic():
        referent = Referent.objects.create(
            structure_id=plan.structure_id,
            prenom=prenom.strip(),
            nom=nom.strip(),
            fonction=fonction.strip(),
            email=email,
        )
        journaliser(TypeEvenement.REFERENT_AJOUTE, cible=referent, acteur=par)
    return referent


def inscrire_referent(session, referent, *, par):
    """Inscrit un référent à une session et lui envoie sa convocation avec le fichier ICS.

    Refusé si sa structure n'est pas invitée, si la session est complète ou passée. Une
    seconde inscription ne fait rien. Journalisé.
    """
    with transaction.atomic():
        session = (
            SessionFormation.objects.select_for_update(of=("self",))
            .select_related("formation__programme", "formateur")
            .get(pk=session.pk)
        )
        exiger(par, "accompagnement.inscrire_a_la_session", session)
        structures_invitees = {plan.structure_id for plan in session.plans.all()}
        if referent.structure_id not in structures_invitees:
            raise ActionNonPermise(
                gettext("La structure de ce référent n'est pas invitée à cette session.")
            )
        if not (
            par.has_perm("accompagnement.gerer_programme", session.formation.programme)
            or referent.structure_id in ids_structures(par)
        ):
            raise ActionNonPermise(
                gettext("Vous ne pouvez inscrire que les référents de votre structure.")
            )
        existante = Inscription.objects.filter(session=session, referent=referent).first()
        if existante is not None:
            return existante
        if session.date < timezone.localdate():
            raise ActionImpossible(
                gettext("Cette session a déjà eu lieu : les inscriptions sont closes.")
            )
        if session.inscriptions.count() >= session.capacite:
            raise ActionImpossible(
                gettext("La session est complète (%(places)s places) : choisissez une autre date.")
                % {"places": session.capacite}
            )
        inscription = Inscription.objects.create(
            session=session, referent=referent, inscrit_par=par
        )
        journaliser(
            TypeEvenement.REFERENT_INSCRIT,
            cible=session,
            acteur=par,
            donnees={"referent": referent.pk},
        )
        notifications.convocation(inscription)
    return inscription


def debut_de_la_session(session):
    return timezone.make_aware(
        datetime.combine(session.date, session.heure_debut), timezone.get_default_timezone()
    )


def desinscrire_referent(session, referent, *, par):
    """Retire l'inscription d'un référent à une session, avant son début seulement.

    Permis à la structure du référent, à son coach et au gestionnaire du programme (règle
    `desinscrire_referent` sur le plan de la structure invitée). La place se libère ; la
    désinscription est journalisée sur la session et le référent reçoit un courriel dont le
    fichier ICS annule l'événement de sa convocation.
    """
    with transaction.atomic():
        session = (
            SessionFormation.objects.select_for_update(of=("self",))
            .select_related("formation__programme", "formateur")
            .get(pk=session.pk)
        )
        plan = (
            session.plans.select_related("programme")
            .filter(structure_id=referent.structure_id)
            .first()
        )
        exiger(
            par,
            "accompagnement.desinscrire_referent",
            plan,
            gettext("Vous ne pouvez désinscrire que les référents des structures que vous suivez."),
        )
        if timezone.now() >= debut_de_la_session(session):
            raise ActionImpossible(
                gettext("La session a commencé : on ne peut plus s'en désinscrire.")
            )
        inscription = (
            Inscription.objects.select_for_update(of=("self",))
            .select_related("referent")
            .filter(session=session, referent=referent)
            .first()
        )
        if inscription is None:
            raise ActionImpossible(
                gettext("%(nom)s n'est pas inscrit·e à cette session : rien à retirer.")
                % {"nom": referent.nom_complet}
            )
        inscription.session = session
        # Avant la suppression : la clé du courriel et l'UID de l'événement annulé sont ceux
        # de l'inscription.
        notifications.desinscription(inscription)
        inscription.delete()
        journaliser(
            TypeEvenement.REFERENT_DESINSCRIT,
            cible=session,
            acteur=par,
            donnees={"referent": referent.pk},
        )
    return session


def enregistrer_emargement(session, *, par, presents):
    """Enregistre la feuille d'émargement d'une session : `presents` = ids des référents
    présents parmi les inscrits (les autres sont notés absents).

    Chaque présence complète le jalon de formation du plan de la structure du référent (si la
    formation en complète un). Refusé avant le jour de la session. Journalisé.
    """
    try:
        presents = {int(pk) for pk in presents}
    except (TypeError, ValueError) as erreur:
        raise DonneesRefusees(
            gettext("Un référent coché n'est pas inscrit à cette session.")
        ) from erreur
    with transaction.atomic():
        session = (
            SessionFormation.objects.select_for_update(of=("self",))
            .select_related("formation__programme")
            .get(pk=session.pk)
        )
        exiger(par, "accompagnement.emarger", session)
        if session.date > timezone.localdate():
            raise ActionImpossible(
                gettext("La session a lieu le %(jour)s : l'émargement se remplit ce jour-là.")
                % {"jour": le(session.date)}
            )
        inscrits = {
            i.referent_id: i.referent
            for i in session.inscriptions.select_related("referent__structure")
        }
        inconnus = presents - set(inscrits)
        if inconnus:
            raise DonneesRefusees(gettext("Un référent coché n'est pas inscrit à cette session."))
        maintenant = timezone.now()
        # La feuille entière en une requête : une ligne par inscrit, créée ou mise à jour.
        Emargement.objects.bulk_create(
            [
                Emargement(
                    session=session,
                    referent_id=referent_id,
                    present=referent_id in presents,
                    saisi_par=par,
                    saisi_le=maintenant,
                )
                for referent_id in sorted(inscrits)
            ],
            update_conflicts=True,
            unique_fields=["session", "referent"],
            update_fields=["present", "saisi_par", "saisi_le"],
        )
        # Écrites sans `post_save` : le signal dit, une fois pour la feuille, quels référents
        # ont changé (le bilan d'activité de leurs structures se renouvelle une seule fois).
        emargements_enregistres.send(
            sender=SessionFormation, session=session, referents=sorted(inscrits)
        )
        type_jalon = session.formation.type_jalon
        if type_jalon:
            plans_par_structure = {plan.structure_id: plan for plan in session.plans.all()}
            for referent_id in sorted(presents):
                referent = inscrits[referent_id]
                plan = plans_par_structure.get(referent.structure_id)
                if plan is not None:
                    completer(
                        plan,
                        type_jalon,
                        par=par,
                        description=(
                            f"Présence de {referent.nom_complet} à la session du {le(session.date)}"
                        ),
                    )
        journaliser(
            TypeEvenement.EMARGEMENT_ENREGISTRE,
            cible=session,
            acteur=par,
            donnees={"presents": sorted(presents), "inscrits": sorted(inscrits)},
        )
    return session

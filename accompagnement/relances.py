"""Les relances de l'accompagnement, branchées sur le moteur de `relances`.

Chaque sélecteur ne lit que les objets de la fenêtre que le moteur calcule d'après les décalages
en vigueur, réglages des gestionnaires compris (un index couvre état et échéance des jalons) :
le balayage reste rapide sur des centaines de milliers de jalons.
"""

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accompagnement import calendrier
from accompagnement.enums import ETATS_JALON_A_FAIRE, ETATS_PLAN_OUVERTS
from accompagnement.models import ComiteCloture, Inscription, Jalon, PlanAccompagnement
from accompagnement.textes import (
    CHAMP_JOURS_RESTANTS,
    CHAMPS_COMITE,
    CHAMPS_CONVOCATION,
    CHAMPS_JALON,
    exemple_d_inscription,
    exemple_de_comite,
    exemple_de_jalon,
)
from messagerie.catalogue import (
    Adresse,
    Categorie,
    Courriel,
    Echeance,
    TexteDuProgramme,
    declarer,
)


def _jalons_a_faire():
    return (
        Jalon.objects.filter(etat__in=ETATS_JALON_A_FAIRE, plan__etat__in=ETATS_PLAN_OUVERTS)
        .select_related("plan__structure", "plan__coach", "plan__programme")
        .prefetch_related("plan__structure__membres")
        .order_by("pk")
    )


def _personnes_du_plan(plan):
    personnes = plan.structure.membres_actifs()
    if plan.coach is not None and plan.coach.is_active:
        personnes.insert(0, plan.coach)
    return personnes


def _jalons_a_echeance_proche(maintenant, fenetre):
    return _jalons_a_faire().filter(fenetre.filtre("echeance"))


def _jalons_en_retard(maintenant, fenetre):
    # Dû le lendemain de l'échéance puis chaque semaine (par défaut) : seules les échéances de
    # ces jours-là, et de ceux du rattrapage, sont lues.
    return _jalons_a_faire().filter(fenetre.filtre("echeance"))


def _contexte_jalon(jalon):
    return {"jalon": jalon, "plan": jalon.plan, "structure": jalon.plan.structure}


JALON_ECHEANCE_PROCHE = declarer(
    Courriel(
        code="jalon_echeance_proche",
        libelle=_("Étape d'accompagnement à échéance dans sept jours"),
        declencheur=Echeance(
            objets=_jalons_a_echeance_proche,
            date_reference=lambda jalon: jalon.echeance,
            decalages=(-7,),
            portees=lambda jalon: [jalon.plan.programme],
            portees_modeles=("programmes.programme",),
        ),
        categorie=Categorie.ACCOMPAGNEMENT,
        destinataires=lambda jalon: _personnes_du_plan(jalon.plan),
        gabarit="relances/jalon_echeance_proche",
        contexte=_contexte_jalon,
        texte_du_programme=TexteDuProgramme(
            champs=CHAMPS_JALON,
            sujet=_("[Relais] {{ structure }} : « {{ etape }} » à faire d'ici le {{ echeance }}"),
            corps=_(
                "Bonjour,\n\n"
                "L'étape « {{ etape }} » du plan d'accompagnement de {{ structure }} arrive à "
                "échéance le {{ echeance }}, dans {{ jours_restants }} jours.\n\n"
                "Son suivi, ses pièces et son état : {{ lien }}\n\n"
                "L'équipe {{ programme }}\n"
            ),
            exemple=exemple_de_jalon,
            pied="emails/relances/pied_relance.txt",
        ),
    )
)

JALON_EN_RETARD = declarer(
    Courriel(
        code="jalon_en_retard",
        libelle=_("Étape d'accompagnement en retard (chaque semaine)"),
        declencheur=Echeance(
            objets=_jalons_en_retard,
            date_reference=lambda jalon: jalon.echeance,
            decalages=(1,),
            repetition_jours=7,
            portees=lambda jalon: [jalon.plan.programme],
            portees_modeles=("programmes.programme",),
        ),
        categorie=Categorie.ACCOMPAGNEMENT,
        destinataires=lambda jalon: _personnes_du_plan(jalon.plan),
        gabarit="relances/jalon_en_retard",
        contexte=_contexte_jalon,
        texte_du_programme=TexteDuProgramme(
            champs=CHAMPS_JALON,
            sujet=_("[Relais] En retard : « {{ etape }} » ({{ structure }})"),
            corps=_(
                "Bonjour,\n\n"
                "L'étape « {{ etape }} » du plan d'accompagnement de {{ structure }} devait être "
                "faite le {{ echeance }} : elle a {{ jours_de_retard }} jours de retard.\n\n"
                "Si elle est faite, marquez-la comme telle ; sinon, fixez une nouvelle échéance "
                "avec son motif : {{ lien }}\n\n"
                "Cette relance revient chaque semaine tant que l'étape reste à faire.\n\n"
                "L'équipe {{ programme }}\n"
            ),
            exemple=exemple_de_jalon,
            pied="emails/relances/pied_relance.txt",
        ),
    )
)


def _inscriptions_a_venir(maintenant, fenetre):
    return (
        Inscription.objects.filter(fenetre.filtre("session__date"))
        .select_related("session__formation__programme", "referent__structure")
        .prefetch_related("referent__structure__membres")
        .order_by("pk")
    )


CONVOCATION_FORMATION = declarer(
    Courriel(
        code="convocation_formation",
        libelle=_("Rappel de convocation d'un référent à une formation (J-7, J-1)"),
        declencheur=Echeance(
            objets=_inscriptions_a_venir,
            date_reference=lambda inscription: inscription.session.date,
            decalages=(-7, -1),
            # Inscrit à trois jours de la session, le référent a sa convocation : pas de J-7.
            debut=lambda inscription: timezone.localdate(inscription.inscrit_le),
            portees=lambda inscription: [inscription.session.formation.programme],
            portees_modeles=("programmes.programme",),
        ),
        categorie=Categorie.ACCOMPAGNEMENT,
        # Les référents n'ont pas de compte : le rappel va aux comptes de leur structure.
        destinataires=lambda inscription: inscription.referent.structure.membres_actifs(),
        gabarit="relances/convocation_formation",
        texte_du_programme=TexteDuProgramme(
            champs=CHAMPS_CONVOCATION + (CHAMP_JOURS_RESTANTS,),
            sujet=_("[Relais] Rappel : {{ prenom }} {{ nom }} en formation le {{ date }}"),
            corps=_(
                "Bonjour,\n\n"
                "{{ prenom }} {{ nom }}, de votre structure, est inscrit·e à la formation "
                "« {{ formation }} » :\n"
                "le {{ date }}, de {{ heure_debut }} à {{ heure_fin }}, {{ lieu }}.\n\n"
                "Merci de lui transmettre ce rappel.\n\n"
                "L'équipe {{ programme }}\n"
            ),
            exemple=exemple_d_inscription,
            pied="emails/relances/pied_relance.txt",
            destinataires=_("les comptes de la structure du référent"),
        ),
        essentiel=True,
        raison_essentielle=_(
            "Elle rappelle une formation à laquelle un référent de votre structure est inscrit."
        ),
        contexte=lambda inscription: {
            "inscription": inscription,
            "session": inscription.session,
            "referent": inscription.referent,
        },
    )
)


def _inscriptions_a_rappeler(maintenant, fenetre):
    return (
        Inscription.objects.filter(fenetre.filtre("session__date"))
        .select_related("referent", "session__formation__programme", "session__formateur")
        .order_by("session__date", "pk")
    )


def _ics_de_la_convocation(inscription):
    """Le fichier de la convocation, joint à chaque rappel : le même événement (même UID)."""
    session = inscription.session
    with translation.override(settings.LANGUAGE_CODE):
        ics = calendrier.ics_convocation(inscription)
    return [(f"formation-{session.date:%Y-%m-%d}.ics", ics, "text/calendar")]


# Les rappels J-7 et J-1 écrits au référent convoqué lui-même, à son adresse (il n'a pas de
# compte), comme la convocation ; `convocation_formation` prévient, elle, les comptes de sa
# structure. Exactement une fois par inscription et par rappel : la clé du message. Un rappel
# manqué part au passage suivant tant que la session n'a pas eu lieu (le plus récent seulement :
# J-1 la veille) ; il n'est pas dû pour une inscription faite après son jour.
RAPPEL_CONVOCATION_REFERENT = declarer(
    Courriel(
        code="accompagnement_rappel_convocation",
        libelle=_("Rappel de convocation d'un référent à une formation (J-7, J-1)"),
        declencheur=Echeance(
            objets=_inscriptions_a_rappeler,
            date_reference=lambda inscription: inscription.session.date,
            decalages=(-7, -1),
            debut=lambda inscription: timezone.localdate(inscription.inscrit_le),
            cle_message=lambda inscription, decalage: f"convocation:{inscription.pk}:J{decalage}",
            pieces_jointes=_ics_de_la_convocation,
        ),
        categorie=Categorie.ACCOMPAGNEMENT,
        destinataires=lambda inscription: [Adresse(inscription.referent.email)],
        gabarit="accompagnement_rappel_convocation",
        texte_du_programme=TexteDuProgramme(
            champs=CHAMPS_CONVOCATION + (CHAMP_JOURS_RESTANTS,),
            sujet=_(
                "[Relais] Rappel : {{ formation }}, "
                "{% if jours_restants == 1 %}demain{% else %}dans {{ jours_restants }} jours"
                "{% endif %} ({{ date }})"
            ),
            corps=_(
                "Bonjour {{ prenom }} {{ nom }},\n\n"
                "Pour rappel, vous êtes inscrit·e à la formation « {{ formation }} », "
                "{% if jours_restants == 1 %}demain{% else %}dans {{ jours_restants }} jours"
                "{% endif %}.\n\n"
                "Date : {{ date }}, de {{ heure_debut }} à {{ heure_fin }}\n"
                "Lieu : {{ lieu }}\n"
                "Formateur ou formatrice : {{ formateur }}\n\n"
                "Le fichier joint ajoute la session à votre agenda. Si vous ne pouvez pas venir, "
                "prévenez votre structure : elle peut inscrire une autre personne.\n\n"
                "L'équipe {{ programme }}\n"
            ),
            exemple=exemple_d_inscription,
            destinataires=_("le référent, à son adresse"),
        ),
        essentiel=True,
        aux_comptes=False,
        contexte=lambda inscription: {
            "inscription": inscription,
            "session": inscription.session,
            "referent": inscription.referent,
        },
        type_par_decalage=lambda decalage: f"accompagnement_rappel_convocation_j{-decalage}",
        types_de_message={
            "accompagnement_rappel_convocation_j7": _(
                "Rappel de convocation à une formation (J-7)"
            ),
            "accompagnement_rappel_convocation_j1": _(
                "Rappel de convocation à une formation (J-1)"
            ),
        },
    )
)


def _comites_a_venir(maintenant, fenetre):
    plans = PlanAccompagnement.objects.select_related("coach", "structure").prefetch_related(
        "structure__membres"
    )
    return (
        ComiteCloture.objects.filter(fenetre.filtre("date"))
        .select_related("programme")
        .prefetch_related(
            "programme__gestionnaires",
            Prefetch("jalons", queryset=Jalon.objects.prefetch_related(Prefetch("plan", plans))),
        )
        .order_by("pk")
    )


def _invites_du_comite(comite):
    invites = {}
    for gestionnaire in comite.programme.gestionnaires.all():
        invites[gestionnaire.pk] = gestionnaire
    for jalon in comite.jalons.all():
        for personne in _personnes_du_plan(jalon.plan):
            invites[personne.pk] = personne
    return [personne for personne in invites.values() if personne.is_active]


INVITATION_COMITE_CLOTURE = declarer(
    Courriel(
        code="invitation_comite_cloture",
        libelle=_("Invitation au comité de clôture"),
        declencheur=Echeance(
            objets=_comites_a_venir,
            date_reference=lambda comite: comite.date,
            decalages=(-21, -2),
            portees=lambda comite: [comite.programme],
            portees_modeles=("programmes.programme",),
        ),
        categorie=Categorie.ACCOMPAGNEMENT,
        destinataires=_invites_du_comite,
        gabarit="relances/invitation_comite_cloture",
        texte_du_programme=TexteDuProgramme(
            champs=CHAMPS_COMITE,
            sujet=_("[Relais] Comité de clôture le {{ date }}"),
            corps=_(
                "Bonjour,\n\n"
                "Vous êtes invité·e au comité de clôture de l'accompagnement du programme "
                "« {{ programme }} » :\n"
                "le {{ date }} à {{ heure }}, {{ lieu }}.\n\n"
                "Structures examinées : {{ structures }}.\n"
                "{% if ordre_du_jour %}\nOrdre du jour :\n{{ ordre_du_jour }}\n{% endif %}\n"
                "L'équipe {{ programme }}\n"
            ),
            exemple=exemple_de_comite,
            pied="emails/relances/pied_relance.txt",
            destinataires=_(
                "les gestionnaires du programme, les coachs et les structures examinées"
            ),
        ),
        essentiel=True,
        raison_essentielle=_("Elle vous invite au comité qui clôt votre accompagnement."),
        contexte=lambda comite: {
            "comite": comite,
            "structures": sorted({jalon.plan.structure.nom for jalon in comite.jalons.all()}),
        },
    )
)

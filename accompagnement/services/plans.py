"""Les plans d'accompagnement : le modèle de jalons et le catalogue du programme, la création
des plans (un lauréat, une cohorte) et leur redatage, le coach, l'abandon.

Chaque service relit la ligne sous verrou, vérifie la règle django-rules de l'action et passe
toute transition par `noyau.transitions.appliquer_transition` ; les refus lèvent une erreur de
`noyau.erreurs` avec un message en français, et rien n'est écrit à moitié.
"""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from accompagnement import modele_par_defaut, notifications
from accompagnement.enums import EtatJalon, EtatPlan
from accompagnement.models import Formation, Jalon, Kit, ModeleJalon, PlanAccompagnement
from accompagnement.services._commun import le, verrouiller_plan
from candidatures.enums import EtatCandidature
from candidatures.models import Candidature
from journal.enums import TypeEvenement
from journal.services import journaliser
from noyau.erreurs import ActionImpossible, DonneesRefusees
from noyau.roles import Role, a_le_role
from noyau.transitions import SUITE_D_UNE_ACTION, appliquer_transition, exiger, motif_obligatoire

# --- Modèle du programme et catalogues -----------------------------------------------------


def modele_du_programme(programme):
    """Les lignes du modèle de jalons du programme ; un programme qui n'en a pas encore reçoit
    celui du premier cas (voir `modele_par_defaut`)."""
    with transaction.atomic():
        lignes = list(ModeleJalon.objects.filter(programme=programme))
        if not lignes:
            ModeleJalon.objects.bulk_create(
                ModeleJalon(
                    programme=programme,
                    ordre=rang,
                    type=type_jalon,
                    libelle=libelle,
                    description=description,
                    decalage_mois=decalage,
                    duree_mois=duree,
                )
                for rang, (type_jalon, libelle, description, decalage, duree) in enumerate(
                    modele_par_defaut.JALONS, start=1
                )
            )
            lignes = list(ModeleJalon.objects.filter(programme=programme))
    return lignes


def catalogue_du_programme(programme):
    """Les formations et kits du programme, créés depuis le premier cas s'il n'en a aucun.

    Le cas courant (la page de chaque plan) : le catalogue existe, deux lectures suffisent,
    sans transaction ni test d'existence."""
    formations = list(Formation.objects.filter(programme=programme))
    kits = list(Kit.objects.filter(programme=programme))
    if formations and kits:
        return formations, kits
    with transaction.atomic():
        if not Formation.objects.filter(programme=programme).exists():
            Formation.objects.bulk_create(
                Formation(
                    programme=programme,
                    titre=titre,
                    description=description,
                    duree_jours=1,
                    type_jalon=type_jalon,
                )
                for type_jalon, titre, description in modele_par_defaut.FORMATIONS
            )
        if not Kit.objects.filter(programme=programme).exists():
            Kit.objects.bulk_create(
                Kit(programme=programme, nom=nom, description=description)
                for nom, description in modele_par_defaut.KITS
            )
    return (
        list(Formation.objects.filter(programme=programme)),
        list(Kit.objects.filter(programme=programme)),
    )


def enregistrer_modele(programme, *, par, formset):
    """Enregistre le modèle de jalons modifié par un gestionnaire (un formset validé).

    Les plans déjà créés gardent leurs jalons : le modèle ne sert qu'aux plans à venir.
    """
    exiger(par, "accompagnement.gerer_programme", programme)
    with transaction.atomic():
        formset.save()
        journaliser(TypeEvenement.MODELE_JALONS_MODIFIE, cible=programme, acteur=par)


# --- Plans ---------------------------------------------------------------------------------


def _instancier_jalons(plan, lignes):
    jalons = []
    for ligne in lignes:
        debut, echeance = ligne.dates_pour(plan.date_debut)
        jalons.append(
            Jalon(
                plan=plan,
                modele=ligne,
                ordre=ligne.ordre,
                type=ligne.type,
                libelle=ligne.libelle,
                description=ligne.description,
                debut=debut,
                echeance=echeance,
            )
        )
    Jalon.objects.bulk_create(jalons)


def creer_plan_pour(candidature, *, par, date_debut=None):
    """Crée le plan d'accompagnement d'une candidature retenue et ses jalons, une seule fois.

    Appelé par la publication des résultats (après la transition `retenue`, dans sa
    transaction) ; un second appel ne crée rien et renvoie le plan existant. Jalons copiés du
    modèle du programme, échéances calculées depuis `date_debut` (aujourd'hui par défaut).
    Journalise la création.
    """
    with transaction.atomic():
        candidature = (
            Candidature.objects.select_for_update(of=("self",))
            .select_related("appel")
            .get(pk=candidature.pk)
        )
        existant = PlanAccompagnement.objects.filter(candidature=candidature).first()
        if existant is not None:
            return existant
        if candidature.etat != EtatCandidature.RETENUE:
            raise ActionImpossible(
                gettext(
                    "Seule une candidature retenue reçoit un plan d'accompagnement : celle-ci est "
                    "à l'état « %(etat)s »."
                )
                % {"etat": candidature.get_etat_display()}
            )
        return _creer_plan(candidature, par=par, date_debut=date_debut)


def _creer_plan(candidature, *, par, date_debut=None):
    """Le plan et ses jalons, sans vérifier l'état de la candidature (la démo s'en sert pour
    les lauréates d'un appel passé dont la délibération n'est pas encore chargée)."""
    with transaction.atomic():
        programme = candidature.appel.programme
        lignes = modele_du_programme(programme)
        catalogue_du_programme(programme)
        try:
            with transaction.atomic():
                plan = PlanAccompagnement.objects.create(
                    candidature=candidature,
                    programme=programme,
                    structure_id=candidature.structure_id,
                    date_debut=date_debut or timezone.localdate(),
                    cree_par=par if par is not None and par.is_authenticated else None,
                )
        except IntegrityError:
            return PlanAccompagnement.objects.get(candidature=candidature)
        _instancier_jalons(plan, lignes)
        journaliser(
            TypeEvenement.PLAN_ACCOMPAGNEMENT_CREE,
            cible=plan,
            acteur=par,
            donnees={"date_debut": plan.date_debut.isoformat(), "jalons": len(lignes)},
        )
    return plan


def _redater(plan, date_debut, *, par):
    """Déplace le démarrage d'un plan encore intact et recalcule ses échéances depuis ses
    lignes de modèle."""
    ancienne = plan.date_debut
    plan.date_debut = date_debut
    plan.save(update_fields=["date_debut"])
    for jalon in plan.jalons.select_related("modele").select_for_update(of=("self",)):
        if jalon.modele is None:
            continue
        jalon.debut, jalon.echeance = jalon.modele.dates_pour(date_debut)
        jalon.save(update_fields=["debut", "echeance"])
    journaliser(
        TypeEvenement.PLAN_ACCOMPAGNEMENT_REDATE,
        cible=plan,
        acteur=par,
        motif=f"Démarrage de la cohorte fixé au {le(date_debut)}",
        donnees={"avant": ancienne.isoformat(), "apres": date_debut.isoformat()},
    )


def creer_plans_cohorte(appel, *, par, date_debut):
    """Crée les plans des lauréats d'un appel pour une date de démarrage de la cohorte.

    Les plans manquants sont créés ; un plan déjà créé qui n'a encore rien commencé (cadrage,
    tous ses jalons prévus) est redaté (échéances recalculées, journalisé) ; les autres ne sont
    pas touchés. Renvoie (créés, redatés, inchangés).
    """
    exiger(par, "accompagnement.gerer_programme", appel.programme)
    creees, redates, inchanges = [], [], []
    with transaction.atomic():
        laureates = Candidature.objects.filter(appel=appel, etat=EtatCandidature.RETENUE).order_by(
            "pk"
        )
        for candidature in laureates:
            plan = (
                PlanAccompagnement.objects.select_for_update()
                .filter(candidature=candidature)
                .first()
            )
            if plan is None:
                creees.append(creer_plan_pour(candidature, par=par, date_debut=date_debut))
            elif plan.date_debut == date_debut:
                inchanges.append(plan)
            elif (
                plan.etat == EtatPlan.CADRAGE
                and not plan.jalons.exclude(etat=EtatJalon.PREVU).exists()
            ):
                _redater(plan, date_debut, par=par)
                redates.append(plan)
            else:
                inchanges.append(plan)
    return creees, redates, inchanges


def affecter_coach(plan, *, par, coach):
    """Confie le plan à un coach (compte au rôle coach) ; journalisé, le coach est prévenu."""
    if coach is not None and not a_le_role(coach, Role.COACH):
        raise DonneesRefusees(
            gettext("%(coach)s n'a pas le rôle coach : invitez-le d'abord comme coach.")
            % {"coach": coach}
        )
    with transaction.atomic():
        plan = verrouiller_plan(plan)
        exiger(par, "accompagnement.gerer_plan", plan)
        ancien = plan.coach
        if ancien == coach:
            return plan
        plan.coach = coach
        plan.save(update_fields=["coach"])
        journaliser(
            TypeEvenement.COACH_AFFECTE,
            cible=plan,
            acteur=par,
            donnees={
                "avant": ancien.email if ancien else None,
                "apres": coach.email if coach else None,
            },
        )
        if coach is not None:
            notifications.coach_affecte(plan)
    return plan


def _refus_d_abandon(plan):
    return ActionImpossible(
        gettext("Ce plan est à l'état « %(etat)s » : il ne peut plus être abandonné.")
        % {"etat": plan.get_etat_display()}
    )


def abandonner_plan(plan, *, par, motif):
    """Plan ouvert → abandonné, motif obligatoire ; ses jalons restent tels quels."""
    motif = motif_obligatoire(motif, gettext("Le motif de l'abandon est obligatoire."))
    with transaction.atomic():
        plan = verrouiller_plan(plan)
        return appliquer_transition(
            plan,
            "abandonner",
            par=par,
            motif=motif,
            refus_etat=_refus_d_abandon,
            verrou=False,
        )


def abandonner_plan_du_laureat_retire(candidature, *, par, motif):
    """Abandonne le plan ouvert d'une candidature retenue qui vient d'être retirée (sa
    transition `abandonner`, journalisée, avec le motif du retrait). Ne vérifie pas de droit :
    le retrait du lauréat, qui l'appelle dans sa transaction, a déjà vérifié celui de la
    structure ou du gestionnaire. Sans plan, ou plan déjà fermé : ne fait rien. Renvoie le
    plan ou None."""
    plan = PlanAccompagnement.objects.filter(candidature_id=candidature.pk).first()
    if plan is None:
        return None
    with transaction.atomic():
        plan = verrouiller_plan(plan)
        if not plan.est_ouvert:
            return plan
        return appliquer_transition(
            plan,
            "abandonner",
            par=par,
            motif=motif,
            permission=SUITE_D_UNE_ACTION,
            verrou=False,
        )


def coachs_disponibles():
    return (
        get_user_model()
        .objects.filter(groups__name=Role.COACH, is_active=True)
        .order_by("last_name", "first_name", "email")
    )

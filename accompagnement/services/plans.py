"""Les écritures de l'accompagnement : plans et jalons, cadrage, formations et émargement,
kits, sensibilisation, comité de clôture.

Chaque service de transition relit la ligne sous verrou (`select_for_update`), vérifie la
règle django-rules de l'action, appelle la transition (django-fsm-log journalise l'acteur et
le motif), enregistre les seuls champs touchés et met les courriels dans la boîte d'envoi,
partis au commit. Les refus lèvent une erreur de `noyau.erreurs` avec un message en
français ; rien n'est écrit à moitié.
"""

from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy
from django_fsm import can_proceed

from accompagnement import modele_par_defaut, notifications
from accompagnement.enums import ETATS_JALON_A_FAIRE, EtatJalon, EtatPlan, TypeJalon
from accompagnement.models import (
    ActionPrevue,
    Cadrage,
    ComiteCloture,
    Emargement,
    Formation,
    Inscription,
    Jalon,
    Kit,
    ModeleJalon,
    PlanAccompagnement,
    PreuveJalon,
    Referent,
    RemiseKit,
    SensibilisationEcosysteme,
    SessionFormation,
)
from activite.versions import ecritures_groupees
from candidatures.enums import EtatCandidature
from candidatures.models import Candidature
from journal.enums import TypeEvenement
from journal.services import journaliser
from noyau.erreurs import ActionImpossible, ActionNonPermise, DonneesRefusees
from noyau.fichiers import verifier_fichier
from noyau.perimetre import ids_structures
from noyau.roles import Role

REFUS_PAR_DEFAUT = gettext_lazy("Votre compte ne permet pas cette action.")


def _exiger(utilisateur, permission, objet, message=REFUS_PAR_DEFAUT):
    if utilisateur is None or not utilisateur.has_perm(permission, objet):
        raise ActionNonPermise(str(message))


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


def _exiger_transition(objet, transition):
    if not can_proceed(getattr(objet, transition), check_conditions=False):
        raise ActionImpossible(
            str(REFUS_DE_TRANSITION[transition]) % {"etat": objet.get_etat_display()}
        )


def _motif_obligatoire(motif, refus):
    """`refus` : le message montré si le motif manque (« Le motif … est obligatoire. »)."""
    motif = (motif or "").strip()
    if not motif:
        raise DonneesRefusees(refus)
    return motif


def _le(jour):
    return date_format(jour, "j F Y")


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
    """Les formations et kits du programme, créés depuis le premier cas s'il n'en a aucun."""
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
    _exiger(par, "accompagnement.gerer_programme", programme)
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
        motif=f"Démarrage de la cohorte fixé au {_le(date_debut)}",
        donnees={"avant": ancienne.isoformat(), "apres": date_debut.isoformat()},
    )


def creer_plans_cohorte(appel, *, par, date_debut):
    """Crée les plans des lauréats d'un appel pour une date de démarrage de la cohorte.

    Les plans manquants sont créés ; un plan déjà créé qui n'a encore rien commencé (cadrage,
    tous ses jalons prévus) est redaté (échéances recalculées, journalisé) ; les autres ne sont
    pas touchés. Renvoie (créés, redatés, inchangés).
    """
    _exiger(par, "accompagnement.gerer_programme", appel.programme)
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


def _verrouiller_plan(plan):
    return (
        PlanAccompagnement.objects.select_for_update(of=("self",))
        .select_related("structure", "programme", "coach")
        .get(pk=plan.pk)
    )


def affecter_coach(plan, *, par, coach):
    """Confie le plan à un coach (compte au rôle coach) ; journalisé, le coach est prévenu."""
    if coach is not None and not coach.groups.filter(name=Role.COACH).exists():
        raise DonneesRefusees(
            gettext("%(coach)s n'a pas le rôle coach : invitez-le d'abord comme coach.")
            % {"coach": coach}
        )
    with transaction.atomic():
        plan = _verrouiller_plan(plan)
        _exiger(par, "accompagnement.gerer_plan", plan)
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


def abandonner_plan(plan, *, par, motif):
    """Plan ouvert → abandonné, motif obligatoire ; ses jalons restent tels quels."""
    motif = _motif_obligatoire(motif, gettext("Le motif de l'abandon est obligatoire."))
    with transaction.atomic():
        plan = _verrouiller_plan(plan)
        _exiger(par, "accompagnement.gerer_plan", plan)
        if not can_proceed(plan.abandonner, check_conditions=False):
            raise ActionImpossible(
                gettext("Ce plan est à l'état « %(etat)s » : il ne peut plus être abandonné.")
                % {"etat": plan.get_etat_display()}
            )
        plan.abandonner(motif=motif, by=par, description=motif)
        plan.save(update_fields=["etat", "motif_abandon"])
    return plan


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
        plan = _verrouiller_plan(plan)
        if not can_proceed(plan.abandonner, check_conditions=False):
            return plan
        plan.abandonner(motif=motif, by=par, description=motif)
        plan.save(update_fields=["etat", "motif_abandon"])
    return plan


# --- Jalons --------------------------------------------------------------------------------


def _verrouiller_jalon(jalon):
    return (
        Jalon.objects.select_for_update(of=("self",))
        .select_related("plan__structure", "plan__programme")
        .get(pk=jalon.pk)
    )


def commencer_jalon(jalon, *, par):
    """prévu → en cours (coach ou gestionnaire du plan)."""
    with transaction.atomic():
        jalon = _verrouiller_jalon(jalon)
        _exiger(par, "accompagnement.faire_avancer_jalon", jalon)
        _exiger_transition(jalon, "commencer")
        jalon.commencer(by=par, description="Étape commencée")
        jalon.save(update_fields=["etat"])
    return jalon


def terminer_jalon(jalon, *, par, motif=""):
    """prévu ou en cours → fait (coach ou gestionnaire du plan)."""
    with transaction.atomic():
        jalon = _verrouiller_jalon(jalon)
        _exiger(par, "accompagnement.faire_avancer_jalon", jalon)
        _exiger_transition(jalon, "terminer")
        jalon.terminer(by=par, description=(motif or "").strip() or "Étape faite")
        jalon.save(update_fields=["etat", "fait_le"])
    return jalon


def annuler_jalon(jalon, *, par, motif):
    """prévu ou en cours → annulé, motif obligatoire."""
    motif = _motif_obligatoire(motif, gettext("Le motif de l'annulation est obligatoire."))
    with transaction.atomic():
        jalon = _verrouiller_jalon(jalon)
        _exiger(par, "accompagnement.faire_avancer_jalon", jalon)
        _exiger_transition(jalon, "annuler")
        jalon.annuler(motif=motif, by=par, description=motif)
        jalon.save(update_fields=["etat", "motif_annulation"])
    return jalon


def modifier_echeance(jalon, *, par, echeance, motif):
    """Change l'échéance d'un jalon, motif obligatoire, journalisé avec l'ancienne date."""
    motif = _motif_obligatoire(motif, gettext("Le motif du changement de date est obligatoire."))
    with transaction.atomic():
        jalon = _verrouiller_jalon(jalon)
        _exiger(par, "accompagnement.modifier_echeance", jalon)
        _changer_echeance(jalon, echeance, par=par, motif=motif)
    return jalon


def _changer_echeance(jalon, echeance, *, par, motif):
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
        _exiger(par, "accompagnement.ajouter_preuve", jalon)
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


def _completer(plan, type_jalon, *, par, description):
    """Marque faits les jalons à faire de ce type dans le plan (effet d'un autre fait : une
    présence, une remise de kit…). Renvoie les jalons complétés."""
    completes = []
    jalons = Jalon.objects.select_for_update().filter(
        plan=plan, type=type_jalon, etat__in=ETATS_JALON_A_FAIRE
    )
    for jalon in jalons:
        jalon.terminer(by=par, description=description)
        jalon.save(update_fields=["etat", "fait_le"])
        completes.append(jalon)
    return completes


def _commencer(plan, type_jalon, *, par, description):
    """Passe en cours les jalons prévus de ce type dans le plan (un fait partiel : un kit
    remis sur plusieurs)."""
    for jalon in Jalon.objects.select_for_update().filter(
        plan=plan, type=type_jalon, etat=EtatJalon.PREVU
    ):
        jalon.commencer(by=par, description=description)
        jalon.save(update_fields=["etat"])


# --- Cadrage -------------------------------------------------------------------------------


def cadrage_de(plan):
    cadrage, _ = Cadrage.objects.get_or_create(plan=plan)
    return cadrage


def enregistrer_cadrage(plan, *, par, champs, actions):
    """Enregistre le diagnostic et le plan d'actions (remplacé en entier par `actions` : des
    dictionnaires libelle/echeance/responsable). Toute modification efface les validations
    déjà données : chacun valide le texte qu'il a lu. Refusé une fois validé par les deux."""
    with transaction.atomic():
        plan = _verrouiller_plan(plan)
        _exiger(par, "accompagnement.remplir_cadrage", plan)
        cadrage = Cadrage.objects.select_for_update().filter(plan=plan).first() or (
            Cadrage.objects.create(plan=plan)
        )
        if cadrage.est_valide:
            raise ActionImpossible(
                gettext(
                    "Le plan d'accompagnement est déjà validé par le coach et par la structure : "
                    "il n'est plus modifiable."
                )
            )
        for champ, valeur in champs.items():
            setattr(cadrage, champ, valeur)
        cadrage.valide_par_coach = cadrage.valide_par_structure = None
        cadrage.valide_par_coach_le = cadrage.valide_par_structure_le = None
        cadrage.save()
        cadrage.actions.all().delete()
        ActionPrevue.objects.bulk_create(ActionPrevue(cadrage=cadrage, **a) for a in actions)
        journaliser(TypeEvenement.CADRAGE_ENREGISTRE, cible=plan, acteur=par)
    return cadrage


def valider_cadrage(plan, *, par):
    """Le coach ou la structure valide le plan d'accompagnement (selon qui est `par`).

    Quand les deux l'ont validé : les jalons « diagnostic » et « plan d'accompagnement » sont
    faits et le plan passe de cadrage à actif. Journalisé.
    """
    with transaction.atomic():
        plan = _verrouiller_plan(plan)
        cadrage = Cadrage.objects.select_for_update().filter(plan=plan).first()
        maintenant = timezone.now()
        if par.has_perm("accompagnement.valider_cadrage_coach", plan):
            cote = "coach"
        elif par.has_perm("accompagnement.valider_cadrage_structure", plan):
            cote = "structure"
        else:
            raise ActionNonPermise(str(REFUS_PAR_DEFAUT))
        if cadrage is None or cadrage.manques:
            manques = (
                cadrage.manques if cadrage else [gettext("Le diagnostic n'est pas encore rempli.")]
            )
            raise ActionImpossible(
                gettext("Le plan ne peut pas encore être validé : %(manques)s")
                % {"manques": " ".join(manques)}
            )
        if getattr(cadrage, f"valide_par_{cote}_le") is not None:
            raise ActionImpossible(gettext("Vous avez déjà validé ce plan d'accompagnement."))
        setattr(cadrage, f"valide_par_{cote}", par)
        setattr(cadrage, f"valide_par_{cote}_le", maintenant)
        cadrage.save(update_fields=[f"valide_par_{cote}", f"valide_par_{cote}_le"])
        journaliser(
            TypeEvenement.PLAN_ACTIONS_VALIDE, cible=plan, acteur=par, donnees={"par": cote}
        )
        if cadrage.est_valide:
            description = "Plan d'accompagnement validé par le coach et la structure"
            for type_jalon in (TypeJalon.DIAGNOSTIC, TypeJalon.PLAN_ACCOMPAGNEMENT):
                _completer(plan, type_jalon, par=par, description=description)
            if plan.etat == EtatPlan.CADRAGE:
                plan.activer(by=par, description=description)
                plan.save(update_fields=["etat"])
    return cadrage


# --- Formations : sessions, référents, inscriptions, émargement ----------------------------


def creer_session(formation, *, par, plans, **champs):
    """Crée une session d'une formation, ouverte aux structures de ces plans (du programme)."""
    _exiger(par, "accompagnement.gerer_programme", formation.programme)
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
    _exiger(par, "accompagnement.gerer_referents", plan)
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
        _exiger(par, "accompagnement.inscrire_a_la_session", session)
        structures_invitees = {plan.structure_id for plan in session.plans.all()}
        if referent.structure_id not in structures_invitees:
            raise ActionNonPermise(
                gettext("La structure de ce référent n'est pas invitée à cette session.")
            )
        if not (
            par.has_perm("accompagnement.gerer_programme", session.formation.programme)
            or referent.structure_id in _ids_structures(par)
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
        _exiger(
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


def _ids_structures(utilisateur):
    return ids_structures(utilisateur)


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
        _exiger(par, "accompagnement.emarger", session)
        if session.date > timezone.localdate():
            raise ActionImpossible(
                gettext("La session a lieu le %(jour)s : l'émargement se remplit ce jour-là.")
                % {"jour": _le(session.date)}
            )
        inscrits = {
            i.referent_id: i.referent
            for i in session.inscriptions.select_related("referent__structure")
        }
        inconnus = presents - set(inscrits)
        if inconnus:
            raise DonneesRefusees(gettext("Un référent coché n'est pas inscrit à cette session."))
        maintenant = timezone.now()
        # Une feuille entière : le bilan de chaque structure concernée est périmé une fois.
        with ecritures_groupees():
            for referent_id in inscrits:
                Emargement.objects.update_or_create(
                    session=session,
                    referent_id=referent_id,
                    defaults={
                        "present": referent_id in presents,
                        "saisi_par": par,
                        "saisi_le": maintenant,
                    },
                )
        type_jalon = session.formation.type_jalon
        if type_jalon:
            plans_par_structure = {plan.structure_id: plan for plan in session.plans.all()}
            for referent_id in sorted(presents):
                referent = inscrits[referent_id]
                plan = plans_par_structure.get(referent.structure_id)
                if plan is not None:
                    _completer(
                        plan,
                        type_jalon,
                        par=par,
                        description=(
                            f"Présence de {referent.nom_complet} à la session du "
                            f"{_le(session.date)}"
                        ),
                    )
        journaliser(
            TypeEvenement.EMARGEMENT_ENREGISTRE,
            cible=session,
            acteur=par,
            donnees={"presents": sorted(presents), "inscrits": sorted(inscrits)},
        )
    return session


# --- Kits, écosystème ----------------------------------------------------------------------


DUREE_DU_PLAN_MOIS = 16


def periode_du_plan(plan):
    """(premier, dernier jour) où un fait du plan peut être daté : du démarrage aux 16 mois
    de l'accompagnement, ou jusqu'à sa dernière échéance si elle a été repoussée au-delà."""
    fin = plan.date_debut + relativedelta(months=DUREE_DU_PLAN_MOIS)
    derniere = plan.jalons.aggregate(derniere=Max("echeance"))["derniere"]
    return plan.date_debut, max(fin, derniere) if derniere else fin


def kits_remis(plan):
    """(kits remis, kits prévus au catalogue du programme) pour ce plan."""
    prevus = Kit.objects.filter(programme_id=plan.programme_id)
    remis = RemiseKit.objects.filter(plan=plan, kit__in=prevus).count()
    return remis, prevus.count()


def remettre_kit(plan, *, par, kit, date):
    """Note la remise d'un kit à la structure (une fois par kit), journalisée.

    Le jalon « kits » commence à la première remise et n'est fait qu'une fois remis tous les
    kits du catalogue du programme. La date doit tomber dans la période du plan."""
    debut, fin = periode_du_plan(plan)
    if not debut <= date <= fin:
        raise DonneesRefusees(
            gettext(
                "La date de remise doit tomber pendant l'accompagnement, du %(debut)s au %(fin)s."
            )
            % {"debut": _le(debut), "fin": _le(fin)}
        )
    with transaction.atomic():
        plan = _verrouiller_plan(plan)
        _exiger(par, "accompagnement.remettre_kit", plan)
        if kit.programme_id != plan.programme_id:
            raise DonneesRefusees(gettext("Ce kit n'est pas au catalogue du programme de ce plan."))
        remise, creee = RemiseKit.objects.get_or_create(
            kit=kit, plan=plan, defaults={"date": date, "remis_par": par}
        )
        if creee:
            journaliser(TypeEvenement.KIT_REMIS, cible=plan, acteur=par, donnees={"kit": kit.nom})
            remis, prevus = kits_remis(plan)
            description = f"Kit remis : {kit.nom} ({remis} sur {prevus})"
            if remis >= prevus:
                _completer(plan, TypeJalon.KITS, par=par, description=description)
            else:
                _commencer(plan, TypeJalon.KITS, par=par, description=description)
    return remise


def enregistrer_sensibilisation(programme, *, par, plans, **champs):
    """Enregistre la séance de sensibilisation à l'écosystème ; elle complète le jalon
    « écosystème » de chaque plan présent."""
    _exiger(par, "accompagnement.gerer_programme", programme)
    plans = list(plans)
    if not plans:
        raise DonneesRefusees(gettext("Choisissez au moins une structure présente."))
    with transaction.atomic():
        seance = SensibilisationEcosysteme.objects.create(
            programme=programme, creee_par=par, **champs
        )
        seance.plans.set(plans)
        journaliser(TypeEvenement.SENSIBILISATION_ENREGISTREE, cible=seance, acteur=par)
        for plan in plans:
            _completer(
                plan,
                TypeJalon.ECOSYSTEME,
                par=par,
                description=f"Sensibilisation à l'écosystème du {_le(seance.date)}",
            )
    return seance


# --- Comité de clôture ---------------------------------------------------------------------


def planifier_comite(programme, *, par, plans, date, **champs):
    """Fixe le comité de clôture des plans donnés : leurs jalons « comité de clôture » y sont
    liés et prennent sa date pour échéance (journalisé) ; les plans actifs passent en clôture.
    """
    _exiger(par, "accompagnement.gerer_programme", programme)
    plans = list(plans)
    if not plans:
        raise DonneesRefusees(gettext("Choisissez au moins un plan examiné par le comité."))
    with transaction.atomic():
        comite = ComiteCloture.objects.create(programme=programme, date=date, **champs)
        jalons = list(
            Jalon.objects.select_for_update()
            .filter(plan__in=plans, type=TypeJalon.COMITE_CLOTURE)
            .exclude(etat=EtatJalon.ANNULE)
        )
        comite.jalons.set(jalons)
        for jalon in jalons:
            _changer_echeance(jalon, date, par=par, motif=f"Comité de clôture fixé au {_le(date)}")
        for plan in PlanAccompagnement.objects.select_for_update().filter(
            pk__in=[p.pk for p in plans], etat=EtatPlan.ACTIF
        ):
            plan.engager_cloture(by=par, description=f"Comité de clôture le {_le(date)}")
            plan.save(update_fields=["etat"])
        journaliser(TypeEvenement.COMITE_PLANIFIE, cible=comite, acteur=par)
    return comite


def enregistrer_compte_rendu(comite, *, par, compte_rendu):
    """Enregistre le compte rendu du comité ; ses jalons de clôture sont faits et ses plans
    en clôture sont clos."""
    compte_rendu = _motif_obligatoire(compte_rendu, gettext("Le compte rendu est obligatoire."))
    with transaction.atomic():
        comite = ComiteCloture.objects.select_for_update().get(pk=comite.pk)
        _exiger(par, "accompagnement.gerer_programme", comite)
        if comite.date > timezone.localdate():
            raise ActionImpossible(
                gettext("Le comité a lieu le %(jour)s : son compte rendu vient après.")
                % {"jour": _le(comite.date)}
            )
        comite.compte_rendu = compte_rendu
        comite.compte_rendu_le = timezone.now()
        comite.save(update_fields=["compte_rendu", "compte_rendu_le"])
        description = f"Comité de clôture du {_le(comite.date)}"
        ids_plans = set()
        for jalon in comite.jalons.select_for_update().filter(etat__in=ETATS_JALON_A_FAIRE):
            jalon.terminer(by=par, description=description)
            jalon.save(update_fields=["etat", "fait_le"])
            ids_plans.add(jalon.plan_id)
        ids_plans |= set(comite.jalons.values_list("plan_id", flat=True))
        for plan in PlanAccompagnement.objects.select_for_update().filter(
            pk__in=ids_plans, etat=EtatPlan.CLOTURE_EN_COURS
        ):
            plan.clore(by=par, description=description)
            plan.save(update_fields=["etat"])
        journaliser(TypeEvenement.COMPTE_RENDU_COMITE, cible=comite, acteur=par)
    return comite


def coachs_disponibles():
    return (
        get_user_model()
        .objects.filter(groups__name=Role.COACH, is_active=True)
        .order_by("last_name", "first_name", "email")
    )

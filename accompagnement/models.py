"""Le plan d'accompagnement de 16 mois : modèle de jalons du programme, plans et jalons,
cadrage, formations et émargements, kits, sensibilisation à l'écosystème, comité de clôture.

Les méthodes @transition ne font que changer l'état et les champs qui vont avec ; verrous,
droits, journal et courriels sont l'affaire de `accompagnement.services`, qui les fait passer
par `noyau.transitions.appliquer_transition`.
"""

import secrets
import uuid
from pathlib import PurePosixPath

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField

from accompagnement.enums import (
    ETATS_JALON_A_FAIRE,
    ETATS_PLAN_OUVERTS,
    Avancement,
    EtatJalon,
    EtatPlan,
    TypeJalon,
)
from journal.transitions import ModeleAEtats, transition_journalisee

# --- Modèle de jalons du programme ---------------------------------------------------------


class ModeleJalon(models.Model):
    """Une ligne du modèle d'accompagnement d'un programme ; copiée en `Jalon` à la création
    de chaque plan, puis jamais relue par ce plan (modifier le modèle ne touche pas les plans
    déjà créés)."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="modele_jalons"
    )
    ordre = models.PositiveSmallIntegerField(default=0)
    type = models.CharField(max_length=30, choices=TypeJalon.choices)
    libelle = models.CharField(_("intitulé"), max_length=200)
    description = models.TextField(blank=True)
    decalage_mois = models.PositiveSmallIntegerField(
        _("début (mois après le démarrage du plan)"), default=0
    )
    duree_mois = models.PositiveSmallIntegerField(_("durée (mois)"), default=0)

    class Meta:
        ordering = ["programme", "ordre", "pk"]
        verbose_name = _("jalon du modèle")
        verbose_name_plural = _("modèle de jalons")

    def __str__(self):
        return self.libelle

    def dates_pour(self, date_debut):
        """(début, échéance) d'un jalon issu de cette ligne, pour un plan démarrant ce jour."""
        debut = date_debut + relativedelta(months=self.decalage_mois)
        return debut, date_debut + relativedelta(months=self.decalage_mois + self.duree_mois)


# --- Plans et jalons -----------------------------------------------------------------------


class PlanAccompagnement(ModeleAEtats, models.Model):
    """Le plan d'accompagnement d'une structure lauréate, un par candidature retenue.

    `programme` et `structure` recopient ceux de la candidature : la frise et les droits les
    lisent sans jointure.
    """

    candidature = models.OneToOneField(
        "candidatures.Candidature", on_delete=models.PROTECT, related_name="plan_accompagnement"
    )
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="plans_accompagnement"
    )
    structure = models.ForeignKey(
        "structures.Structure", on_delete=models.PROTECT, related_name="plans_accompagnement"
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plans_suivis",
    )
    date_debut = models.DateField(_("démarrage"))
    etat = FSMField(
        max_length=20,
        choices=EtatPlan.choices,
        default=EtatPlan.CADRAGE,
        protected=True,
        db_index=True,
    )
    motif_abandon = models.TextField(blank=True)
    cree_le = models.DateTimeField(default=timezone.now)
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["structure__nom", "pk"]
        verbose_name = _("plan d'accompagnement")
        verbose_name_plural = _("plans d'accompagnement")

    def __str__(self):
        return gettext("Plan d'accompagnement — %(structure)s") % {"structure": self.structure}

    @property
    def est_ouvert(self):
        return self.etat in ETATS_PLAN_OUVERTS

    @transition_journalisee(
        field=etat,
        source=EtatPlan.CADRAGE,
        target=EtatPlan.ACTIF,
        permission="accompagnement.faire_avancer_plan",
    )
    def activer(self, by=None, description=None):
        pass

    @transition_journalisee(
        field=etat,
        source=EtatPlan.ACTIF,
        target=EtatPlan.CLOTURE_EN_COURS,
        permission="accompagnement.faire_avancer_plan",
    )
    def engager_cloture(self, by=None, description=None):
        pass

    @transition_journalisee(
        field=etat,
        source=EtatPlan.CLOTURE_EN_COURS,
        target=EtatPlan.CLOS,
        permission="accompagnement.faire_avancer_plan",
    )
    def clore(self, by=None, description=None):
        pass

    @transition_journalisee(
        field=etat,
        source=ETATS_PLAN_OUVERTS,
        target=EtatPlan.ABANDONNE,
        permission="accompagnement.gerer_plan",
    )
    def abandonner(self, by=None, description=None):
        # Le motif de l'abandon est celui que le journal garde (`description`).
        self.motif_abandon = description or ""


class JalonQuerySet(models.QuerySet):
    def a_faire(self):
        return self.filter(etat__in=ETATS_JALON_A_FAIRE)

    def en_retard(self, aujourd_hui):
        return self.a_faire().filter(echeance__lt=aujourd_hui)

    def avec_avancement(self, aujourd_hui):
        """Annote `avancement_du_jour`, calculé par la base comme `Jalon.avancement` : la
        frise compte les étapes par mois et par état sans charger chaque jalon."""
        return self.annotate(
            avancement_du_jour=models.Case(
                models.When(
                    etat__in=ETATS_JALON_A_FAIRE,
                    echeance__lt=aujourd_hui,
                    then=models.Value(Avancement.EN_RETARD.value),
                ),
                default=models.F("etat"),
                output_field=models.CharField(),
            )
        )


class Jalon(ModeleAEtats, models.Model):
    """Une étape datée d'un plan. Ses dates sont fixées à la création du plan depuis le modèle
    du programme ; une échéance modifiée ensuite l'est avec un motif journalisé."""

    chemin_du_programme = "plan__programme"

    plan = models.ForeignKey(PlanAccompagnement, on_delete=models.CASCADE, related_name="jalons")
    modele = models.ForeignKey(
        ModeleJalon, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ordre = models.PositiveSmallIntegerField(default=0)
    type = models.CharField(max_length=30, choices=TypeJalon.choices)
    libelle = models.CharField(_("intitulé"), max_length=200)
    description = models.TextField(blank=True)
    debut = models.DateField(_("début"))
    echeance = models.DateField(_("échéance"))
    etat = FSMField(
        max_length=20, choices=EtatJalon.choices, default=EtatJalon.PREVU, protected=True
    )
    fait_le = models.DateTimeField(null=True, blank=True)
    motif_annulation = models.TextField(blank=True)
    note = models.TextField(_("note de suivi"), blank=True)

    objects = JalonQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "echeance", "ordre", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "modele"], name="un_jalon_par_ligne_du_modele_et_plan"
            )
        ]
        # Le balayage des relances cherche les jalons à faire par fenêtre d'échéance.
        indexes = [models.Index(fields=["etat", "echeance"], name="jalon_etat_echeance")]

    def __str__(self):
        return f"{self.libelle} — {self.plan.structure}"

    def est_en_retard(self, aujourd_hui=None):
        aujourd_hui = aujourd_hui or timezone.localdate()
        return self.etat in ETATS_JALON_A_FAIRE and self.echeance < aujourd_hui

    def avancement(self, aujourd_hui=None):
        if self.est_en_retard(aujourd_hui):
            return Avancement.EN_RETARD
        return Avancement(self.etat)

    @transition_journalisee(
        field=etat,
        source=EtatJalon.PREVU,
        target=EtatJalon.EN_COURS,
        permission="accompagnement.faire_avancer_jalon",
    )
    def commencer(self, by=None, description=None):
        pass

    @transition_journalisee(
        field=etat,
        source=ETATS_JALON_A_FAIRE,
        target=EtatJalon.FAIT,
        permission="accompagnement.faire_avancer_jalon",
    )
    def terminer(self, by=None, description=None):
        self.fait_le = timezone.now()

    @transition_journalisee(
        field=etat,
        source=ETATS_JALON_A_FAIRE,
        target=EtatJalon.ANNULE,
        permission="accompagnement.faire_avancer_jalon",
    )
    def annuler(self, by=None, description=None):
        # Le motif de l'annulation est celui que le journal garde (`description`).
        self.motif_annulation = description or ""


def chemin_preuve(preuve, nom_original):
    extension = PurePosixPath(nom_original).suffix.lower()
    dossier = f"accompagnement/plan-{preuve.jalon.plan_id}/jalon-{preuve.jalon_id}"
    return f"{dossier}/{uuid.uuid4().hex}{extension}"


class PreuveJalon(models.Model):
    """Un fichier qui atteste un jalon (compte rendu, photo, feuille de présence)."""

    jalon = models.ForeignKey(Jalon, on_delete=models.CASCADE, related_name="preuves")
    fichier = models.FileField(upload_to=chemin_preuve, max_length=255)
    nom_original = models.CharField(max_length=255)
    type_mime = models.CharField(max_length=100)
    taille = models.PositiveIntegerField()
    ajoutee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    ajoutee_le = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["ajoutee_le", "pk"]
        verbose_name = _("pièce justificative")
        verbose_name_plural = _("pièces justificatives")

    def __str__(self):
        return self.nom_original


# --- Cadrage : diagnostic puis plan d'actions ----------------------------------------------


class Cadrage(models.Model):
    """Le diagnostic de la structure et le plan d'actions qui en découle, remplis ensemble par
    le coach et la structure, puis validés par l'un et l'autre."""

    plan = models.OneToOneField(
        PlanAccompagnement, on_delete=models.CASCADE, related_name="cadrage"
    )
    # Diagnostic
    publics = models.TextField(_("publics accueillis et leurs besoins"), blank=True)
    equipe = models.TextField(_("équipe et ses compétences numériques"), blank=True)
    equipement = models.TextField(_("équipement et connexion"), blank=True)
    partenaires = models.TextField(_("partenaires"), blank=True)
    offre_existante = models.TextField(_("offre numérique existante"), blank=True)
    # Plan d'actions
    objectifs = models.TextField(_("objectifs"), blank=True)
    modifie_le = models.DateTimeField(auto_now=True)
    valide_par_coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    valide_par_coach_le = models.DateTimeField(null=True, blank=True)
    valide_par_structure = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    valide_par_structure_le = models.DateTimeField(null=True, blank=True)

    CHAMPS_DIAGNOSTIC = ["publics", "equipe", "equipement", "partenaires", "offre_existante"]

    def __str__(self):
        return gettext("Cadrage — %(structure)s") % {"structure": self.plan.structure}

    @property
    def est_valide(self):
        return self.valide_par_coach_le is not None and self.valide_par_structure_le is not None

    @property
    def manques(self):
        """Ce qui empêche de valider, en phrases ; liste vide si tout est rempli."""
        manques = [
            gettext("« %(champ)s » est à renseigner.")
            % {"champ": self._meta.get_field(champ).verbose_name}
            for champ in [*self.CHAMPS_DIAGNOSTIC, "objectifs"]
            if not getattr(self, champ).strip()
        ]
        if self.pk is None or not self.actions.exists():
            manques.append(gettext("Le plan d'actions n'a encore aucune action."))
        return manques


class ActionPrevue(models.Model):
    cadrage = models.ForeignKey(Cadrage, on_delete=models.CASCADE, related_name="actions")
    libelle = models.CharField(_("action"), max_length=300)
    echeance = models.DateField(_("date prévue"))
    responsable = models.CharField(_("qui"), max_length=150, blank=True)

    class Meta:
        ordering = ["echeance", "pk"]
        verbose_name = _("action prévue")
        verbose_name_plural = _("actions prévues")

    def __str__(self):
        return self.libelle


# --- Formations, sessions, référents et émargement -----------------------------------------


class Formation(models.Model):
    """Un module du catalogue de formations d'un programme ; `type_jalon` dit quel jalon du
    plan la présence d'un référent à une session complète."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="formations"
    )
    titre = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    duree_jours = models.PositiveSmallIntegerField(_("durée (jours)"), default=1)
    type_jalon = models.CharField(
        _("jalon complété"), max_length=30, choices=TypeJalon.choices, blank=True
    )

    class Meta:
        ordering = ["programme", "type_jalon", "titre"]

    def __str__(self):
        return self.titre


class SessionFormation(models.Model):
    """Une session datée d'une formation, ouverte à une ou plusieurs structures de la cohorte."""

    chemin_du_programme = "formation__programme"

    formation = models.ForeignKey(Formation, on_delete=models.PROTECT, related_name="sessions")
    date = models.DateField()
    heure_debut = models.TimeField(_("début"), default="09:00")
    heure_fin = models.TimeField(_("fin"), default="17:00")
    lieu = models.CharField(max_length=255)
    formateur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="sessions_animees",
        verbose_name=_("formateur ou formatrice"),
    )
    capacite = models.PositiveSmallIntegerField(_("places"), default=12)
    plans = models.ManyToManyField(
        PlanAccompagnement, related_name="sessions_formation", verbose_name=_("structures invitées")
    )
    creee_le = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["date", "heure_debut", "pk"]
        verbose_name = _("session de formation")
        verbose_name_plural = _("sessions de formation")

    def __str__(self):
        return f"{self.formation} — {self.date:%d/%m/%Y}"


class Referent(models.Model):
    """Une personne de l'équipe d'une structure, formée pour animer les ateliers.

    Le bilan compte « référents formés » : les référents distincts présents à au moins une
    session (`Emargement.present`)."""

    structure = models.ForeignKey(
        "structures.Structure", on_delete=models.CASCADE, related_name="referents"
    )
    prenom = models.CharField(_("prénom"), max_length=100)
    nom = models.CharField(max_length=100)
    fonction = models.CharField(max_length=150, blank=True)
    email = models.EmailField(_("adresse électronique"))

    class Meta:
        ordering = ["structure", "nom", "prenom"]
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "email"], name="un_referent_par_adresse_et_structure"
            )
        ]
        verbose_name = _("référent")

    def __str__(self):
        return f"{self.prenom} {self.nom}"

    @property
    def nom_complet(self):
        return f"{self.prenom} {self.nom}"


class Inscription(models.Model):
    """Un référent inscrit à une session ; la convocation part à l'inscription."""

    chemin_du_programme = "session__formation__programme"

    session = models.ForeignKey(
        SessionFormation, on_delete=models.CASCADE, related_name="inscriptions"
    )
    referent = models.ForeignKey(Referent, on_delete=models.CASCADE, related_name="inscriptions")
    inscrit_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    inscrit_le = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["session", "referent__nom", "referent__prenom"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "referent"], name="une_inscription_par_referent_et_session"
            )
        ]

    def __str__(self):
        return f"{self.referent} — {self.session}"


class Emargement(models.Model):
    """La ligne de la feuille d'émargement d'une session pour un référent."""

    session = models.ForeignKey(
        SessionFormation, on_delete=models.CASCADE, related_name="emargements"
    )
    referent = models.ForeignKey(Referent, on_delete=models.CASCADE, related_name="emargements")
    present = models.BooleanField(_("présent"), default=False)
    saisi_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    saisi_le = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["session", "referent__nom", "referent__prenom"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "referent"], name="un_emargement_par_referent_et_session"
            )
        ]
        verbose_name = _("émargement")

    def __str__(self):
        if self.present:
            return gettext("%(referent)s — %(session)s (présent)") % {
                "referent": self.referent,
                "session": self.session,
            }
        return gettext("%(referent)s — %(session)s (absent)") % {
            "referent": self.referent,
            "session": self.session,
        }


# --- Kits, écosystème, comité de clôture ---------------------------------------------------


class Kit(models.Model):
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="kits"
    )
    nom = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["programme", "nom"]

    def __str__(self):
        return self.nom


class RemiseKit(models.Model):
    kit = models.ForeignKey(Kit, on_delete=models.PROTECT, related_name="remises")
    plan = models.ForeignKey(
        PlanAccompagnement, on_delete=models.CASCADE, related_name="remises_kits"
    )
    date = models.DateField(_("remis le"))
    remis_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["kit", "plan"], name="un_kit_remis_une_fois_par_plan")
        ]
        verbose_name = _("remise de kit")
        verbose_name_plural = _("remises de kits")

    def __str__(self):
        return f"{self.kit} — {self.plan.structure}"


class SensibilisationEcosysteme(models.Model):
    """La séance qui fait connaître aux structures l'écosystème des partenaires."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="sensibilisations"
    )
    date = models.DateField()
    lieu = models.CharField(max_length=255)
    partenaires_presents = models.TextField(_("partenaires présents"), blank=True)
    plans = models.ManyToManyField(PlanAccompagnement, related_name="sensibilisations")
    creee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("sensibilisation à l'écosystème")
        verbose_name_plural = _("sensibilisations à l'écosystème")

    def __str__(self):
        return gettext("Sensibilisation à l'écosystème — %(date)s") % {
            "date": f"{self.date:%d/%m/%Y}"
        }


class ComiteCloture(models.Model):
    """Le comité qui clôt l'accompagnement d'une cohorte ; lié aux jalons « comité de clôture »
    des plans qu'il examine. Son compte rendu clôt ces jalons et ces plans."""

    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.CASCADE, related_name="comites_cloture"
    )
    date = models.DateField()
    heure = models.TimeField(default="14:00")
    lieu = models.CharField(max_length=255)
    participants = models.TextField(
        blank=True, help_text=_("Une personne ou organisation par ligne.")
    )
    ordre_du_jour = models.TextField(_("ordre du jour"), blank=True)
    compte_rendu = models.TextField(_("compte rendu"), blank=True)
    jalons = models.ManyToManyField(
        Jalon, related_name="comites", verbose_name=_("jalons de clôture")
    )
    compte_rendu_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("comité de clôture")
        verbose_name_plural = _("comités de clôture")

    def __str__(self):
        return gettext("Comité de clôture du %(date)s") % {"date": f"{self.date:%d/%m/%Y}"}

    @property
    def liste_participants(self):
        return [ligne.strip() for ligne in self.participants.splitlines() if ligne.strip()]


# --- Calendrier ----------------------------------------------------------------------------


def _nouveau_jeton():
    return secrets.token_urlsafe(24)


class JetonCalendrier(models.Model):
    """Le secret du flux ICS privé d'une personne ; le régénérer invalide l'ancienne adresse."""

    utilisateur = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jeton_calendrier"
    )
    jeton = models.CharField(max_length=64, unique=True, default=_nouveau_jeton)
    cree_le = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return gettext("Calendrier de %(personne)s") % {"personne": self.utilisateur}

"""L'activité que les structures lauréates déclarent : leurs bénéficiaires (pseudonymes), leurs
ateliers, permanences et parcours, les participations et la liste d'attente.

Le bilan ne se saisit pas : il se calcule à partir de ces lignes (`activite.bilan`).
Aucun nom ni contact du public n'est gardé : un bénéficiaire est un code, un genre, une année
de naissance et une commune, ces deux derniers facultatifs.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activite.enums import (
    TYPES_PARCOURS,
    TYPES_SEANCE,
    Genre,
    PublicDuBilan,
    StatutParticipation,
    TypeAction,
)
from territoires.normalisation import forme_de_recherche


class Theme(models.Model):
    """Une entrée du catalogue des thèmes d'atelier ; un thème retiré reste sur les actions
    passées mais n'est plus proposé."""

    libelle = models.CharField(_("intitulé"), max_length=150, unique=True)
    libelle_recherche = models.CharField(max_length=150, editable=False, db_index=True)
    ordre = models.PositiveSmallIntegerField(default=0)
    actif = models.BooleanField(_("proposé à la saisie"), default=True)

    class Meta:
        ordering = ["ordre", "libelle"]
        verbose_name = _("thème")

    def __str__(self):
        return self.libelle

    def save(self, *args, **kwargs):
        self.libelle_recherche = forme_de_recherche(self.libelle)
        if kwargs.get("update_fields") is not None and "libelle" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "libelle_recherche"}
        super().save(*args, **kwargs)


class Beneficiaire(models.Model):
    """Une personne du public accompagnée par une structure, sous un code propre à celle-ci."""

    structure = models.ForeignKey(
        "structures.Structure", on_delete=models.CASCADE, related_name="beneficiaires"
    )
    code = models.CharField(max_length=30)
    genre = models.CharField(max_length=2, choices=Genre.choices, default=Genre.NON_RENSEIGNE)
    annee_naissance = models.PositiveSmallIntegerField(
        _("année de naissance"), null=True, blank=True
    )
    commune = models.ForeignKey(
        "territoires.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cree_le = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["structure", "code"]
        verbose_name = _("bénéficiaire")
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "code"], name="un_code_de_beneficiaire_par_structure"
            ),
        ]

    def __str__(self):
        return self.code


class Action(models.Model):
    """Un atelier ou une permanence (une séance datée), ou un parcours (plusieurs séances, du
    début à la fin, et son total d'heures)."""

    structure = models.ForeignKey(
        "structures.Structure", on_delete=models.CASCADE, related_name="actions"
    )
    type = models.CharField(max_length=30, choices=TypeAction.choices)
    # La référence de la ligne dans le tableur de la structure, pour relier les participations.
    ref = models.CharField(_("référence"), max_length=40, blank=True)
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    date_debut = models.DateField(_("date"))
    date_fin = models.DateField(_("fin du parcours"), null=True, blank=True)
    duree_heures = models.DecimalField(_("durée (heures)"), max_digits=5, decimal_places=2)
    participants = models.ManyToManyField(
        Beneficiaire, through="Participation", related_name="actions"
    )
    creee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    creee_le = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date_debut", "-pk"]
        indexes = [models.Index(fields=["structure", "date_debut"], name="action_structure_date")]
        constraints = [
            models.CheckConstraint(condition=Q(duree_heures__gt=0), name="action_duree_positive"),
            models.CheckConstraint(
                condition=Q(type__in=TYPES_SEANCE, date_fin__isnull=True)
                | Q(type__in=TYPES_PARCOURS, date_fin__gte=models.F("date_debut")),
                name="action_date_fin_selon_type",
            ),
            models.UniqueConstraint(
                fields=["structure", "ref"],
                condition=~Q(ref=""),
                name="une_reference_d_action_par_structure",
            ),
        ]

    def __str__(self):
        return _("%(type)s du %(date)s") % {
            "type": self.get_type_display(),
            "date": f"{self.date_debut:%d/%m/%Y}",
        }

    @property
    def est_parcours(self):
        return self.type in TYPES_PARCOURS


class Participation(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="participations")
    beneficiaire = models.ForeignKey(
        Beneficiaire, on_delete=models.CASCADE, related_name="participations"
    )
    statut = models.CharField(max_length=20, choices=StatutParticipation.choices)

    class Meta:
        ordering = ["action", "beneficiaire__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "beneficiaire"], name="une_participation_par_action"
            )
        ]

    def __str__(self):
        return f"{self.beneficiaire} — {self.action}"


class ListeAttente(models.Model):
    """Le nombre de personnes en attente à une date ; le bilan retient le plus récent."""

    structure = models.ForeignKey(
        "structures.Structure", on_delete=models.CASCADE, related_name="listes_attente"
    )
    date = models.DateField()
    nombre = models.PositiveIntegerField()
    saisie_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["structure", "-date"]
        verbose_name = _("liste d'attente")
        verbose_name_plural = _("listes d'attente")
        constraints = [
            models.UniqueConstraint(
                fields=["structure", "date"], name="une_liste_attente_par_structure_et_date"
            )
        ]

    def __str__(self):
        return _("%(nombre)s en attente le %(date)s") % {
            "nombre": self.nombre,
            "date": f"{self.date:%d/%m/%Y}",
        }


class VersionActivite(models.Model):
    """Le jeton de l'activité d'une structure, renouvelé dans la transaction même de toute
    écriture qui peut changer son bilan (`activite.versions`).

    La clé du bilan mis en cache en dérive (`activite.bilan.cle_du_bilan`) : lue dans la base,
    elle est la même pour tous les processus. Une table à part plutôt qu'un champ de la
    structure : l'enregistrement complet d'une fiche de structure chargée avant une saisie
    remettrait l'ancien jeton, et le bilan d'avant redeviendrait servi.
    """

    structure = models.OneToOneField(
        "structures.Structure",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="version_activite",
    )
    jeton = models.UUIDField(default=uuid.uuid4)
    modifiee_le = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("version de l'activité")
        verbose_name_plural = _("versions de l'activité")

    def __str__(self):
        return f"{self.structure_id} — {self.jeton}"


class PdfDuBilan(models.Model):
    """Le PDF du bilan d'un appel, rendu une fois pour une version de ses données et un public,
    puis servi depuis le stockage de fichiers tant que les données ne changent pas
    (`activite.pdf_du_bilan`).

    La première demande crée la ligne : elle réserve le rendu (une seule ligne par appel,
    public et version). Le fichier écrit, `rendu_le` est posé ; une réservation sans rendu au
    bout du délai est abandonnée (processus tué) et se reprend.
    """

    appel = models.ForeignKey("programmes.Appel", on_delete=models.CASCADE, related_name="+")
    public = models.CharField(max_length=10, choices=PublicDuBilan.choices)
    version = models.CharField(max_length=64)
    fichier = models.FileField(max_length=255, blank=True)
    demande_le = models.DateTimeField()
    rendu_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("PDF du bilan")
        verbose_name_plural = _("PDF des bilans")
        constraints = [
            models.UniqueConstraint(
                fields=["appel", "public", "version"], name="pdf_du_bilan_un_par_version"
            )
        ]

    def __str__(self):
        return f"{self.appel_id} — {self.public} — {self.version[:12]}"

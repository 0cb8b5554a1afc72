from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

EN_ATTENTE = "en_attente"
EN_COURS = "en_cours"
PRET = "pret"
ECHEC = "echec"
EXPIRE = "expire"


class Telechargement(models.Model):
    """Un export demandé par une personne et préparé par le worker
    (`telechargements.preparation`).

    L'état se lit dans les dates : sans `commence_le`, en attente ; commencé sans `termine_le`,
    en cours (repris par le rattrapage après le délai de préparation : worker tué) ; terminé,
    prêt jusqu'à `expire_le`, puis expiré et effacé par la purge avec son fichier.
    `commence_le` sert aussi de jeton : seule la préparation qui l'a posé écrit la progression
    et termine l'export."""

    demandeur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    genre = models.CharField(max_length=40)
    appel = models.ForeignKey(
        "programmes.Appel", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    format = models.CharField(max_length=10)
    langue = models.CharField(max_length=10)
    # Ce qu'il faut pour refaire la même liste : les filtres de la page (sa chaîne de requête),
    # le public du bilan…
    parametres = models.JSONField(default=dict, blank=True)
    lignes_total = models.PositiveIntegerField(default=0)
    lignes_faites = models.PositiveIntegerField(default=0)
    fichier = models.FileField(max_length=255, blank=True)
    nom_de_fichier = models.CharField(max_length=255, blank=True)
    demande_le = models.DateTimeField(default=timezone.now)
    commence_le = models.DateTimeField(null=True, blank=True)
    termine_le = models.DateTimeField(null=True, blank=True)
    echoue_le = models.DateTimeField(null=True, blank=True)
    expire_le = models.DateTimeField(null=True, blank=True)
    tentatives = models.PositiveSmallIntegerField(default=0)
    # Les tables lues pour le fichier et leur génération (noyau.horloge) au début de sa
    # préparation : tant qu'elles n'ont pas bougé, le fichier est celui qu'on préparerait.
    horloge = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("export préparé")
        verbose_name_plural = _("exports préparés")
        ordering = ["-demande_le", "-pk"]
        indexes = [
            models.Index(fields=["demandeur", "-demande_le"], name="telechargement_demandeur"),
            models.Index(
                fields=["demande_le"],
                condition=models.Q(termine_le__isnull=True, echoue_le__isnull=True),
                name="telechargement_a_preparer",
            ),
        ]

    def __str__(self):
        return f"{self.genre} {self.pk} ({self.etat})"

    @property
    def etat(self):
        if self.expire_le is not None and self.expire_le <= timezone.now():
            return EXPIRE
        if self.termine_le is not None:
            return PRET
        if self.echoue_le is not None:
            return ECHEC
        if self.commence_le is not None:
            return EN_COURS
        return EN_ATTENTE

    @property
    def duree(self):
        if self.commence_le is None or self.termine_le is None:
            return None
        return self.termine_le - self.commence_le

    @property
    def pourcentage(self):
        if self.etat in (PRET, EXPIRE):
            return 100
        if not self.lignes_total:
            return 0
        return min(100, self.lignes_faites * 100 // self.lignes_total)

import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from noyau.roles import ROLES_SUR_INVITATION, Role


class GestionnaireUtilisateurs(UserManager):
    """Comptes identifiés par leur adresse électronique, sans nom d'utilisateur."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("Une adresse électronique est obligatoire.")
        utilisateur = self.model(email=self.normalize_email(email), **extra_fields)
        utilisateur.set_password(password)
        utilisateur.save(using=self._db)
        return utilisateur

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


# Écrits par `update()` seulement (signaux, sessions) : une instance chargée avant leur
# changement ne les remet pas en arrière en s'enregistrant.
CHAMPS_ECRITS_A_PART = {"noms_des_groupes", "generation_des_sessions"}


class Utilisateur(AbstractUser):
    username = None
    email = models.EmailField(_("adresse électronique"), unique=True)
    # La langue de l'interface et des courriels de la personne, où qu'elle se connecte.
    langue = models.CharField(
        _("langue"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    # Les noms de ses groupes (ses rôles), recopiés sur sa ligne pour que chaque requête les
    # lise avec l'utilisateur qu'elle charge déjà, sans requête de plus. Seuls les signaux de
    # `comptes.roles` l'écrivent, dans la transaction qui change les groupes ; `save()` ne le
    # réécrit jamais (une instance chargée avant le changement ne le remet pas en arrière).
    noms_des_groupes = models.JSONField(_("rôles"), default=list, blank=True, editable=False)
    # Augmentée quand une écriture de session a pu se perdre dans le cache (Redis en panne) :
    # ce que le cache garde des sessions du compte ne vaut plus (comptes.sessions). Même
    # règle : seul un `update()` l'écrit.
    generation_des_sessions = models.PositiveIntegerField(default=0, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = GestionnaireUtilisateurs()

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        ordering = ["email"]

    def __str__(self):
        nom = self.get_full_name()
        return f"{nom} <{self.email}>" if nom else self.email

    def save(self, *args, **kwargs):
        if not self._state.adding and kwargs.get("update_fields") is None:
            # Ce qu'enregistrerait Django (les champs chargés), moins les champs écrits à part.
            differes = self.get_deferred_fields()
            kwargs["update_fields"] = [
                champ.name
                for champ in self._meta.concrete_fields
                if not champ.primary_key
                and champ.name not in CHAMPS_ECRITS_A_PART
                and champ.attname not in differes
            ]
        super().save(*args, **kwargs)

    @property
    def roles(self):
        """Ses rôles (noms de ses groupes), lus sur sa ligne : aucune requête."""
        return frozenset(self.noms_des_groupes)

    @property
    def libelles_des_roles(self):
        """Les rôles du compte en toutes lettres (« Membre du jury »), pour les pages."""
        roles = self.roles
        return [str(role.label) for role in Role if role in roles]

    def a_le_role(self, role):
        return role in self.roles


def _empreinte(jeton):
    return hashlib.sha256(jeton.encode()).hexdigest()


class JetonQuerySet(models.QuerySet):
    def par_jeton(self, jeton):
        return self.filter(empreinte_jeton=_empreinte(jeton))


class JetonUsageUnique(models.Model):
    """Un lien à usage unique qui expire (invitations). Seule l'empreinte du jeton est gardée :
    une fuite de la base ne donne aucun lien valable."""

    empreinte_jeton = models.CharField(max_length=64, unique=True, editable=False)
    creee_le = models.DateTimeField(default=timezone.now)
    expire_le = models.DateTimeField()
    acceptee_le = models.DateTimeField(null=True, blank=True)

    objects = JetonQuerySet.as_manager()

    class Meta:
        abstract = True

    @staticmethod
    def nouveau_jeton():
        """Renvoie (jeton en clair à envoyer, empreinte à enregistrer)."""
        jeton = secrets.token_urlsafe(32)
        return jeton, _empreinte(jeton)

    @property
    def est_acceptee(self):
        return self.acceptee_le is not None

    def est_expiree(self, maintenant=None):
        return (maintenant or timezone.now()) >= self.expire_le


class Invitation(JetonUsageUnique):
    """Une invitation à rejoindre Relais dans un rôle, pour un programme.

    Le programme borne ce que l'invitation donne : un gestionnaire n'invite que dans les
    programmes qu'il gère, et l'invitation d'un gestionnaire l'ajoute aux gestionnaires de ce
    seul programme. Sans programme : une invitation d'avant ce champ, ou un rôle de toute la
    plateforme (observateur) que seule l'administration donne.
    """

    email = models.EmailField(_("adresse électronique"))
    role = models.CharField(
        _("rôle"), max_length=20, choices=[(r.value, r.label) for r in ROLES_SUR_INVITATION]
    )
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations_de_comptes",
    )
    invitee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="invitations_envoyees"
    )
    compte_cree = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitation_acceptee",
    )

    class Meta:
        ordering = ["-creee_le"]

    def __str__(self):
        return _("Invitation de %(email)s (%(role)s)") % {
            "email": self.email,
            "role": Role(self.role).label,
        }

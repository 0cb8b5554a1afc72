import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from noyau.roles import Role

MOT_DE_PASSE = "mot-de-passe-de-test-42"


def _drapeau_de_role(role):
    """`UtilisateurFactory(coach=True)` : les traits de factory_boy n'atteignent pas les
    post-générations, d'où un drapeau par rôle."""

    def ajouter(utilisateur, create, extracted, **kwargs):
        if create and extracted:
            utilisateur.groups.add(Group.objects.get_or_create(name=role)[0])

    return factory.PostGeneration(ajouter)


class UtilisateurFactory(factory.django.DjangoModelFactory):
    """Un compte à l'adresse vérifiée ; `UtilisateurFactory(coach=True)` lui donne un rôle."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.test")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.django.Password(MOT_DE_PASSE)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get_or_create(name=extracted)[0])

    gestionnaire = _drapeau_de_role(Role.GESTIONNAIRE)
    candidat = _drapeau_de_role(Role.CANDIDAT)
    membre_jury = _drapeau_de_role(Role.MEMBRE_JURY)
    coach = _drapeau_de_role(Role.COACH)
    observateur = _drapeau_de_role(Role.OBSERVATEUR)

    @factory.post_generation
    def email_verifie(self, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.get_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )

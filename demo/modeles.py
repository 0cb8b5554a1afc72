"""Les modèles du programme de la démo : la gestionnaire a réécrit la convocation aux
formations de son programme (elle nomme le programme et rappelle l'émargement), à la rentrée
2023. Les convocations de la première cohorte, parties avant, ont gardé le texte par défaut ;
toute nouvelle inscription reçoit ce texte-ci.

Joué par le service des modèles, à sa date ; idempotent (un texte déjà écrit est laissé)."""

from django.contrib.auth import get_user_model

from demo.accompagnement import GESTIONNAIRE_DEMO, SLUG_APPEL_2022
from demo.horloge import a_la_date
from demo.horloge import le as _a
from messagerie import modeles
from messagerie.models import ModeleCourriel
from programmes.models import Appel

CONVOCATION = "accompagnement_convocation"
SUJET = "{{ programme }} — convocation : {{ formation }}, le {{ date }}"
CORPS = (
    "Bonjour {{ prenom }} {{ nom }},\n\n"
    "Le programme {{ programme }} vous attend à la formation « {{ formation }} », "
    "le {{ date }} de {{ heure_debut }} à {{ heure_fin }}.\n\n"
    "Lieu : {{ lieu }}\n"
    "Animée par : {{ formateur }}\n\n"
    "{% if fonction %}Votre fonction ({{ fonction|lower }}) vous donne toute votre place dans "
    "les échanges : venez avec une situation vécue à l'accueil.\n\n{% endif %}"
    "N'oubliez pas de signer la feuille d'émargement : elle donne droit à votre attestation "
    "de présence.\n\n"
    "L'équipe du programme {{ programme }}\n"
)


def charger_modeles(stdout):
    gestionnaire = get_user_model().objects.filter(email=GESTIONNAIRE_DEMO).first()
    appel = Appel.objects.filter(slug=SLUG_APPEL_2022).select_related("programme").first()
    if appel is None or gestionnaire is None:
        stdout.write("Modèles : appel 2022 ou gestionnaire de démo absent, rien à charger.")
        return
    programme = appel.programme
    if ModeleCourriel.objects.filter(programme=programme, code=CONVOCATION).exists():
        stdout.write("Modèles : convocation déjà réécrite, laissée telle quelle.")
        return
    with a_la_date(_a(2023, 9, 4, 9)):
        modeles.enregistrer(
            programme,
            modeles.modele_du_programme(programme, modeles.COURRIEL, CONVOCATION),
            {"sujet": SUJET, "corps": CORPS},
            par=gestionnaire,
        )
    stdout.write("Modèles : convocation du programme réécrite.")

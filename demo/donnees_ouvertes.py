"""Les données ouvertes de la démo : au lendemain du comité de clôture, la gestionnaire publie
les indicateurs de la cohorte de l'AMI 2022 (le seul appel qui a des lauréates). Le jeu se lit
sans compte à /donnees/ami-inclusion-numerique-2022/.

Joué par le service, à sa date ; un appel déjà publié n'est pas republié (la démo rechargée
garde sa publication et son journal)."""

import datetime

from django.contrib.auth import get_user_model

from demo.accompagnement import DATE_COMITE, SLUG_APPEL_2022
from demo.candidatures import GESTIONNAIRE_DEMO
from demo.horloge import a_la_date
from demo.horloge import le as _a
from donnees_ouvertes import services
from donnees_ouvertes.models import Publication
from programmes.models import Appel


def charger_donnees_ouvertes(stdout=None):
    appel = Appel.objects.filter(slug=SLUG_APPEL_2022).first()
    gestionnaire = get_user_model().objects.filter(email=GESTIONNAIRE_DEMO).first()
    if appel is None or gestionnaire is None:
        return
    if Publication.objects.filter(appel=appel).exists():
        if stdout is not None:
            stdout.write("Données ouvertes de démo : déjà publiées, laissées telles quelles.")
        return
    lendemain = DATE_COMITE + datetime.timedelta(days=1)
    with a_la_date(_a(lendemain.year, lendemain.month, lendemain.day, 9, 30)):
        services.publier(appel, par=gestionnaire)
    if stdout is not None:
        stdout.write(
            f"Données ouvertes : indicateurs de la cohorte 2022 publiés (/donnees/{appel.slug}/)."
        )

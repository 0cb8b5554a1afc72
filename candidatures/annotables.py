"""Les candidatures s'inscrivent aux notes privées et aux étiquettes (`annotations`, en
dessous) : leurs gestionnaires y lisent, écrivent et étiquettent."""

from django.urls import reverse

from annotations.registre import Annotable, declarer
from candidatures.models import Candidature

declarer(
    Annotable(
        code="candidature",
        modele=Candidature,
        lire="candidatures.annoter_candidature",
        ecrire="candidatures.annoter_candidature",
        etiqueter="candidatures.annoter_candidature",
        page=lambda candidature: reverse("candidatures:gestion_candidature", args=[candidature.pk]),
        selection="candidatures",
        libelle=lambda candidature: candidature.structure.nom,
    )
)

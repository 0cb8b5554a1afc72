"""Le fil de discussion d'une candidature, déclaré au registre d'`echanges` : la structure
(ses membres actifs) et les gestionnaires du programme ; le jury le lit si un gestionnaire le
lui montre (déclaré par `evaluation`)."""

from django.urls import reverse

from candidatures import selectors
from candidatures.models import Candidature
from echanges.registre import TypeDeFil, declarer


def _gestionnaires(candidature):
    return list(candidature.appel.programme.gestionnaires.filter(is_active=True).order_by("email"))


def _page(candidature, cote):
    nom = "candidatures:candidature" if cote == "structure" else "candidatures:gestion_candidature"
    return reverse(nom, args=[candidature.pk])


FIL_DE_CANDIDATURE = declarer(
    TypeDeFil(
        cle="candidature",
        modele=Candidature,
        cote_structure=lambda candidature: candidature.structure.membres_actifs(),
        cote_equipe=_gestionnaires,
        regle_lire="candidatures.lire_fil",
        regle_ecrire="candidatures.ecrire_fil",
        visibles_par=selectors.candidatures_visibles_par,
        page=_page,
        intitule=lambda candidature: f"{candidature.structure.nom} — {candidature.appel.titre}",
        regle_partager="candidatures.partager_fil",
    )
)

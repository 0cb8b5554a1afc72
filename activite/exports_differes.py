"""Le tableur (XLSX) du bilan d'une grande cohorte (plus de RELAIS_BILAN_PDF_SEUIL_STRUCTURES
structures), préparé par le worker : inscrit au registre des exports (`telechargements`).

Le public (détaillé ou masqué sous 5) est celui de la personne au moment de la demande ; le
fichier n'est servi qu'à qui a encore ce même public : jamais un fichier détaillé à un
observateur, jamais un fichier masqué à qui lit désormais le détail (il redemande l'export)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from activite import exports
from activite.bilan import bilan_a_jour
from activite.enums import PublicDuBilan
from activite.pdf_du_bilan import public_de
from activite.presentation import presenter
from telechargements.registre import GenreDExport, inscrire

GENRE = "bilan"


def _produire(telechargement, sortie, progression):
    appel = telechargement.appel
    masquer = telechargement.parametres["public"] == PublicDuBilan.MASQUE
    vue = presenter(bilan_a_jour(appel), masquer=masquer)
    sortie.write(exports.generer_xlsx(appel, vue))
    lignes = len(vue["lignes"])
    progression(lignes)
    return lignes


def _autorise(utilisateur, telechargement):
    appel = telechargement.appel
    return utilisateur.has_perm("activite.voir_bilan", appel) and public_de(
        utilisateur, appel
    ) == telechargement.parametres.get("public")


BILAN = inscrire(
    GenreDExport(
        code=GENRE,
        libelle=_("Tableur du bilan de la cohorte"),
        produire=_produire,
        autorise=_autorise,
        nom_de_fichier=lambda telechargement: exports.nom_de_fichier(telechargement.appel, "xlsx"),
        retour=lambda telechargement: reverse("activite:bilan", args=[telechargement.appel.slug]),
    )
)

"""Le bilan en PDF (WeasyPrint, graphiques SVG compris) et en XLSX, déjà masqué pour un
observateur : les exports ne contiennent que ce que la page montre à la même personne."""

import io

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from activite.presentation import LIBELLES, MARQUES, marque_affichee
from noyau.exports import cellule_sure

TYPE_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def nom_de_fichier(appel, extension):
    return f"bilan-{appel.slug}.{extension}"


def generer_pdf(appel, vue):
    from weasyprint import HTML

    html = render_to_string(
        "activite/bilan_pdf.html", {"appel": appel, "vue": vue, "edite_le": timezone.now()}
    )
    return HTML(string=html).write_pdf()


def generer_xlsx(appel, vue):
    classeur = Workbook()
    cohorte = classeur.active
    cohorte.title = _("Cohorte")
    cohorte.append([cellule_sure(_("Bilan — %(titre)s") % {"titre": appel.titre})])
    cohorte["A1"].font = Font(bold=True)
    cohorte.append([])
    cohorte.append([_("Indicateur"), _("Valeur")])
    cohorte.append([str(LIBELLES["structures"]), vue["structures"]])
    for cle, valeur in vue["valeurs"].items():
        cohorte.append([str(LIBELLES[cle]), _cellule(valeur)])
    cohorte.column_dimensions["A"].width = 48

    par_structure = classeur.create_sheet(_("Par structure"))
    par_structure.append([_("Structure"), "SIRET", *(cellule_sure(str(e)) for e in vue["entetes"])])
    for ligne in vue["lignes"]:
        par_structure.append(
            [
                cellule_sure(ligne["structure"]),
                cellule_sure(ligne["siret"]),
                *(_cellule(v) for v in ligne["valeurs"].values()),
            ]
        )
    for cellule in par_structure[1]:
        cellule.font = Font(bold=True)
    par_structure.column_dimensions["A"].width = 40

    seances = classeur.create_sheet(_("Séances par mois"))
    seances.append(
        [_("Mois"), *[str(libelle) for libelle, _c in vue["graphique_seances"]["legende"]]]
    )
    for mois in vue["graphique_seances"]["mois"]:
        seances.append([cellule_sure(mois["etiquette"]), *mois["par_type"]])
    sortie = io.BytesIO()
    classeur.save(sortie)
    return sortie.getvalue()


def _cellule(valeur):
    """Les nombres restent des nombres dans le tableur ; « < 5 », « masqué », « non diffusé »
    et « — » restent du texte."""
    if valeur is None:
        return None
    if isinstance(valeur, int | float):
        return valeur
    if valeur in MARQUES:
        return marque_affichee(valeur)
    return cellule_sure(str(valeur))

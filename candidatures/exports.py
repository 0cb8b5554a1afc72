"""Exports de la liste filtrée des candidatures d'un appel, en CSV et en XLSX : une ligne par
candidature, une colonne par question, plus l'état, l'éligibilité, les dates et, en dernier,
les étiquettes privées de l'équipe du programme."""

import csv
import datetime
import io

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from annotations.selectors import noms_des_etiquettes
from candidatures.models import Candidature
from candidatures.reponses import valeur_tableur
from noyau.exports import cellule_sure
from programmes.enums import TypeQuestion
from programmes.models import questions_affichees
from territoires.enums import ResultatEligibilite

TYPE_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

TAILLE_PAQUET = 2000
# Un export préparé par le worker écrit sa progression toutes les N lignes.
PAQUET_DE_PROGRESSION = 500


def _heure_locale(moment):
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _libelle_eligibilite(valeur):
    return ResultatEligibilite(valeur).label if valeur in ResultatEligibilite.values else ""


def tableau(appel, candidatures):
    """(en-têtes, lignes) ; les valeurs gardent leur type (nombre, date, texte).

    `lignes` est un générateur qui lit les candidatures par paquets (une requête pour le paquet,
    une pour ses pièces jointes) : un export de 10 000 candidatures ne tient jamais tout entier
    en mémoire, et le CSV part au fil de la lecture. Les étiquettes de toutes les lignes sont
    lues d'abord, en une requête (quelques mots par ligne).
    """
    questions = list(appel.questions.all())
    pieces_demandees = list(appel.pieces_demandees.all())
    entetes = [
        gettext("Référence"),
        gettext("Structure"),
        gettext("Type de structure"),
        "SIRET",
        gettext("Commune"),
        gettext("Code INSEE"),
        gettext("État"),
        gettext("Éligibilité retenue"),
        gettext("Éligibilité calculée au dépôt"),
        gettext("Motif du forçage de l'éligibilité"),
        gettext("Commencée le"),
        gettext("Premier dépôt le"),
        gettext("Dernier dépôt le"),
    ]
    entetes += [f"Q{numero}. {question.libelle}" for numero, question in enumerate(questions, 1)]
    entetes += [
        gettext("Pièce : %(libelle)s") % {"libelle": piece.libelle} for piece in pieces_demandees
    ]
    entetes.append(gettext("Étiquettes"))
    return entetes, _lignes(candidatures, questions, pieces_demandees)


def _lignes(candidatures, questions, pieces_demandees):
    etiquettes = noms_des_etiquettes(Candidature, candidatures)
    paquets = candidatures.prefetch_related("pieces_jointes").iterator(chunk_size=TAILLE_PAQUET)
    for candidature in paquets:
        structure = candidature.structure
        fichiers = {
            piece.nom_de_champ: piece.nom_original for piece in candidature.pieces_jointes.all()
        }
        ligne = [
            candidature.reference,
            structure.nom,
            structure.get_type_display(),
            structure.siret,
            structure.commune.nom,
            structure.commune.code_insee,
            candidature.get_etat_display(),
            _libelle_eligibilite(candidature.resultat_eligibilite),
            _libelle_eligibilite(candidature.resultat_eligibilite_calcule),
            candidature.motif_forcage_eligibilite,
            _heure_locale(candidature.creee_le),
            _heure_locale(candidature.premier_depot_le),
            _heure_locale(candidature.deposee_le),
        ]
        # Une question masquée par sa condition laisse sa cellule vide, même si une réponse
        # y reste enregistrée.
        affichees = questions_affichees(questions, candidature.reponses)
        for question in questions:
            if question.pk not in affichees:
                ligne.append(None)
            elif question.type == TypeQuestion.FICHIER:
                ligne.append(fichiers.get(question.nom_de_champ))
            else:
                ligne.append(valeur_tableur(question, candidature.reponse(question)))
        ligne += [fichiers.get(piece.nom_de_champ) for piece in pieces_demandees]
        ligne.append(", ".join(etiquettes.get(candidature.pk, [])) or None)
        yield ligne


def _nom_de_fichier(appel, extension):
    return f"candidatures-{appel.slug}-{timezone.localdate():%Y-%m-%d}.{extension}"


def _texte_csv(valeur):
    if valeur is None:
        return ""
    if isinstance(valeur, datetime.datetime):
        return valeur.strftime("%d/%m/%Y %H:%M")
    if isinstance(valeur, datetime.date):
        return valeur.strftime("%d/%m/%Y")
    if isinstance(valeur, float):
        return str(valeur).replace(".", ",")
    return cellule_sure(str(valeur))


def _morceaux_csv(entetes, lignes):
    tampon = io.StringIO()
    ecrivain = csv.writer(tampon, delimiter=";", lineterminator="\r\n")
    tampon.write("\ufeff")
    ecrivain.writerow([cellule_sure(entete) for entete in entetes])
    for numero, ligne in enumerate(lignes, 1):
        ecrivain.writerow([_texte_csv(valeur) for valeur in ligne])
        if numero % 500 == 0:
            yield tampon.getvalue()
            tampon.seek(0)
            tampon.truncate()
    yield tampon.getvalue()


def reponse_csv(appel, candidatures):
    """CSV pour un tableur français : point-virgule, virgule décimale, UTF-8 avec BOM."""
    entetes, lignes = tableau(appel, candidatures)
    reponse = StreamingHttpResponse(
        _morceaux_csv(entetes, lignes), content_type="text/csv; charset=utf-8"
    )
    reponse["Content-Disposition"] = f'attachment; filename="{_nom_de_fichier(appel, "csv")}"'
    return reponse


class _Compteur:
    """Les lignes, comptées au passage : `progression(n)` tous les PAQUET_DE_PROGRESSION."""

    def __init__(self, lignes, progression):
        self.lignes = lignes
        self.progression = progression
        self.nombre = 0

    def __iter__(self):
        for ligne in self.lignes:
            yield ligne
            self.nombre += 1
            if self.nombre % PAQUET_DE_PROGRESSION == 0:
                self.progression(self.nombre)


def ecrire_csv(appel, candidatures, sortie, progression):
    """Le même CSV que `reponse_csv`, écrit dans le fichier binaire `sortie` par le worker ;
    renvoie le nombre de lignes."""
    entetes, lignes = tableau(appel, candidatures)
    compteur = _Compteur(lignes, progression)
    for morceau in _morceaux_csv(entetes, compteur):
        sortie.write(morceau.encode("utf-8"))
    progression(compteur.nombre)
    return compteur.nombre


def ecrire_xlsx(appel, candidatures, sortie, progression):
    """Le même classeur que `classeur_xlsx`, écrit dans `sortie` ; renvoie le nombre de lignes."""
    entetes, lignes = tableau(appel, candidatures)
    compteur = _Compteur(lignes, progression)
    _classeur(entetes, compteur).save(sortie)
    progression(compteur.nombre)
    return compteur.nombre


def nom_de_fichier(appel, format_):
    return _nom_de_fichier(appel, format_)


def classeur_xlsx(appel, candidatures):
    entetes, lignes = tableau(appel, candidatures)
    tampon = io.BytesIO()
    _classeur(entetes, lignes).save(tampon)
    return tampon.getvalue()


def _classeur(entetes, lignes):
    classeur = Workbook()
    feuille = classeur.active
    feuille.title = gettext("Candidatures")
    feuille.append([cellule_sure(entete) for entete in entetes])
    # Le numéro de ligne est tenu ici : `feuille.max_row` parcourt toutes les cellules à chaque
    # appel, ce qui rendait l'export quadratique (plus de 300 s pour 10 000 candidatures).
    for numero_ligne, ligne in enumerate(lignes, start=2):
        for colonne, valeur in enumerate(ligne, start=1):
            # La même apostrophe qu'en CSV : une fois le classeur réenregistré ou copié vers un
            # autre tableur, un `=cmd|…` resté tel quel redeviendrait une formule.
            cellule = feuille.cell(row=numero_ligne, column=colonne, value=cellule_sure(valeur))
            if isinstance(valeur, str):
                cellule.data_type = "s"  # ni formule ni erreur, même pour un texte « #N/A »
            elif isinstance(valeur, datetime.datetime):
                cellule.number_format = "DD/MM/YYYY HH:MM"
            elif isinstance(valeur, datetime.date):
                cellule.number_format = "DD/MM/YYYY"
    feuille.freeze_panes = "C2"
    for colonne in range(1, len(entetes) + 1):
        feuille.column_dimensions[get_column_letter(colonne)].width = 22
    return classeur


def reponse_xlsx(appel, candidatures):
    reponse = HttpResponse(classeur_xlsx(appel, candidatures), content_type=TYPE_XLSX)
    reponse["Content-Disposition"] = f'attachment; filename="{_nom_de_fichier(appel, "xlsx")}"'
    return reponse

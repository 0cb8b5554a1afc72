"""Vérification : des lignes lues aux valeurs à écrire, ou aux erreurs situées. Rien n'est
écrit ici ; les lectures de la base (codes, références et dates déjà enregistrés, catalogue
des thèmes, communes) ne servent qu'à refuser les doublons et les valeurs inconnues."""

import datetime
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from activite.enums import TYPES_PARCOURS, Genre, StatutParticipation, TypeAction, statuts_permis
from activite.importation.formats import (
    CODE_VALIDE,
    COLONNES,
    DUREE_MAXIMALE,
    FEUILLES_OBLIGATOIRES,
    ErreurImport,
)
from activite.models import Action, Beneficiaire, ListeAttente, Theme
from territoires.models import Commune
from territoires.normalisation import code_insee_normalise, forme_de_recherche


def _date(texte):
    for format_ in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(texte, format_).date()
        except ValueError:
            continue
    return None


class Verification:
    """Vérifie toutes les lignes et prépare ce qu'il faudra écrire ; aucune écriture ici."""

    def __init__(self, structure, feuilles, remplacer):
        self.structure = structure
        self.feuilles = feuilles
        self.remplacer = remplacer
        self.erreurs = []
        self.beneficiaires = {}  # code -> dict de champs
        self.actions = {}  # ref -> dict de champs
        self.participations = []  # (ref, code, statut)
        self.listes_attente = {}  # date -> nombre
        if remplacer:
            self.codes_existants, self.refs_existantes, self.dates_existantes = set(), {}, set()
        else:
            self.codes_existants = set(
                Beneficiaire.objects.filter(structure=structure).values_list("code", flat=True)
            )
            self.refs_existantes = dict(
                Action.objects.filter(structure=structure)
                .exclude(ref="")
                .values_list("ref", "type")
            )
            self.dates_existantes = set(
                ListeAttente.objects.filter(structure=structure).values_list("date", flat=True)
            )

    def erreur(self, feuille, ligne, colonne, message):
        self.erreurs.append(ErreurImport(feuille.fichier, ligne, colonne, message))

    @property
    def comptes(self):
        return {
            "beneficiaires": len(self.beneficiaires),
            "actions": len(self.actions),
            "participations": len(self.participations),
            "listes_attente": len(self.listes_attente),
        }

    def verifier(self):
        """Les feuilles et leurs colonnes d'abord ; s'il en manque, les lignes ne sont pas lues."""
        if not self._feuilles_et_colonnes_completes():
            return
        self._beneficiaires(self.feuilles["beneficiaires"])
        self._actions(self.feuilles["actions"])
        self._participations(self.feuilles["participations"])
        if "liste_attente" in self.feuilles:
            self._listes_attente(self.feuilles["liste_attente"])

    # --- Feuilles et colonnes ------------------------------------------------------------------

    def _feuilles_et_colonnes_completes(self):
        for nom in FEUILLES_OBLIGATOIRES:
            if nom not in self.feuilles:
                self.erreurs.append(
                    ErreurImport(
                        f"{nom}.csv",
                        None,
                        "",
                        _(
                            "la feuille « %(nom)s » manque (un fichier %(nom)s.csv dans le "
                            "dossier, ou une feuille de ce nom dans le classeur)."
                        )
                        % {"nom": nom},
                    )
                )
        colonnes_completes = True
        for nom, feuille in self.feuilles.items():
            manquantes = [c for c in COLONNES[nom] if c not in feuille.entetes]
            for colonne in manquantes:
                self.erreur(feuille, 1, colonne, _("colonne absente de la ligne d'en-tête."))
            colonnes_completes = colonnes_completes and not manquantes
        return not self.erreurs and colonnes_completes

    # --- Bénéficiaires -------------------------------------------------------------------------

    def _beneficiaires(self, feuille):
        lignes_des_codes = {}
        codes_insee = {
            code_insee_normalise(valeurs.get("commune_insee"))
            for _numero, valeurs in feuille.lignes
        } - {""}
        communes = dict(
            Commune.objects.filter(code_insee__in=codes_insee).values_list("code_insee", "pk")
        )
        annee_courante = timezone.localdate().year
        for numero, valeurs in feuille.lignes:
            code = self._code(feuille, numero, valeurs, lignes_des_codes)
            champs = {
                "genre": self._genre(feuille, numero, valeurs),
                "annee_naissance": self._annee_naissance(feuille, numero, valeurs, annee_courante),
                "commune_id": self._commune(feuille, numero, valeurs, communes),
            }
            if code and code in lignes_des_codes and lignes_des_codes[code] == numero:
                self.beneficiaires[code] = champs

    def _code(self, feuille, numero, valeurs, lignes_des_codes):
        """Le code de la ligne ; retenu dans `lignes_des_codes` s'il est valide et nouveau."""
        code = valeurs.get("code", "")
        if not code:
            self.erreur(feuille, numero, "code", _("le code est obligatoire."))
        elif not CODE_VALIDE.match(code):
            self.erreur(
                feuille,
                numero,
                "code",
                _(
                    "code « %(code)s » invalide : 30 caractères au plus, lettres sans "
                    "accent, chiffres, tiret, point ou souligné, sans espace (et jamais un "
                    "nom)."
                )
                % {"code": code},
            )
        elif code in lignes_des_codes:
            self.erreur(
                feuille,
                numero,
                "code",
                _("code « %(code)s » en double (déjà à la ligne %(ligne)s).")
                % {"code": code, "ligne": lignes_des_codes[code]},
            )
        elif code in self.codes_existants:
            self.erreur(
                feuille,
                numero,
                "code",
                _(
                    "le code « %(code)s » est déjà enregistré pour cette structure ; pour "
                    "recharger tout le tableur, choisissez de remplacer l'activité."
                )
                % {"code": code},
            )
        else:
            lignes_des_codes[code] = numero
        return code

    def _genre(self, feuille, numero, valeurs):
        genre = valeurs.get("genre", "").upper() or Genre.NON_RENSEIGNE
        if genre not in Genre.values:
            self.erreur(
                feuille,
                numero,
                "genre",
                _("genre « %(genre)s » inconnu : F, H, X ou NR (non renseigné).")
                % {"genre": valeurs.get("genre")},
            )
        return genre

    def _annee_naissance(self, feuille, numero, valeurs, annee_courante):
        annee = valeurs.get("annee_naissance", "")
        if not annee:
            return None
        if not annee.isdigit() or not 1900 <= int(annee) <= annee_courante:
            self.erreur(
                feuille,
                numero,
                "annee_naissance",
                _(
                    "année de naissance « %(annee)s » invalide : une année sur quatre "
                    "chiffres entre 1900 et %(annee_courante)s, ou vide."
                )
                % {"annee": annee, "annee_courante": annee_courante},
            )
            return None
        return int(annee)

    def _commune(self, feuille, numero, valeurs, communes):
        code_insee = code_insee_normalise(valeurs.get("commune_insee"))
        if not code_insee:
            return None
        if code_insee not in communes:
            self.erreur(
                feuille,
                numero,
                "commune_insee",
                _("code INSEE « %(code)s » inconnu, ou vide.")
                % {"code": valeurs.get("commune_insee")},
            )
            return None
        return communes[code_insee]

    # --- Actions -------------------------------------------------------------------------------

    def _actions(self, feuille):
        themes = {forme_de_recherche(t.libelle): t.pk for t in Theme.objects.all()}
        lignes_des_refs = {}
        for numero, valeurs in feuille.lignes:
            erreurs_avant = len(self.erreurs)
            ref = self._ref(feuille, numero, valeurs, lignes_des_refs)
            type_action = self._type_d_action(feuille, numero, valeurs)
            theme_id = self._theme(feuille, numero, valeurs, themes)
            date_debut = self._date_debut(feuille, numero, valeurs)
            date_fin = self._date_fin(feuille, numero, valeurs, type_action, date_debut)
            duree = self._duree(feuille, numero, valeurs)
            if ref and type_action in TypeAction.values:
                # Gardée même si une autre colonne est fausse : ses participations sont alors
                # vérifiées contre le bon type.
                self.actions.setdefault(
                    ref,
                    {
                        "type": type_action,
                        "theme_id": theme_id,
                        "date_debut": date_debut,
                        "date_fin": date_fin,
                        "duree_heures": duree,
                        "valide": len(self.erreurs) == erreurs_avant,
                    },
                )

    def _ref(self, feuille, numero, valeurs, lignes_des_refs):
        """La référence de la ligne ; retenue dans `lignes_des_refs` si elle est valide et
        nouvelle."""
        ref = valeurs.get("ref", "")
        if not ref:
            self.erreur(feuille, numero, "ref", _("la référence de l'action est obligatoire."))
        elif len(ref) > 40:
            self.erreur(feuille, numero, "ref", _("référence trop longue (40 caractères au plus)."))
        elif ref in lignes_des_refs:
            self.erreur(
                feuille,
                numero,
                "ref",
                _("référence « %(ref)s » en double (déjà à la ligne %(ligne)s).")
                % {"ref": ref, "ligne": lignes_des_refs[ref]},
            )
        elif ref in self.refs_existantes:
            self.erreur(
                feuille,
                numero,
                "ref",
                _(
                    "l'action « %(ref)s » est déjà enregistrée pour cette structure ; pour "
                    "recharger tout le tableur, choisissez de remplacer l'activité."
                )
                % {"ref": ref},
            )
        else:
            lignes_des_refs[ref] = numero
        return ref

    def _type_d_action(self, feuille, numero, valeurs):
        type_action = valeurs.get("type", "").lower()
        if type_action not in TypeAction.values:
            self.erreur(
                feuille,
                numero,
                "type",
                _("type « %(type)s » inconnu : %(types)s.")
                % {"type": valeurs.get("type"), "types": ", ".join(TypeAction.values)},
            )
        return type_action

    def _theme(self, feuille, numero, valeurs, themes):
        theme = valeurs.get("theme", "")
        if not theme:
            return None
        theme_id = themes.get(forme_de_recherche(theme))
        if theme_id is None:
            self.erreur(
                feuille,
                numero,
                "theme",
                _("thème « %(theme)s » absent du catalogue ; choisissez l'un de : %(themes)s.")
                % {
                    "theme": theme,
                    "themes": ", ".join(
                        Theme.objects.filter(actif=True).values_list("libelle", flat=True)
                    ),
                },
            )
        return theme_id

    def _date_debut(self, feuille, numero, valeurs):
        date_debut = _date(valeurs.get("date_debut", ""))
        if date_debut is None:
            self.erreur(
                feuille,
                numero,
                "date_debut",
                _("date « %(date)s » invalide : AAAA-MM-JJ ou JJ/MM/AAAA.")
                % {"date": valeurs.get("date_debut", "")},
            )
        return date_debut

    def _date_fin(self, feuille, numero, valeurs, type_action, date_debut):
        """Obligatoire pour un parcours, et pas avant son début ; vide pour une séance."""
        texte_fin = valeurs.get("date_fin", "")
        if type_action not in TYPES_PARCOURS:
            if type_action in TypeAction.values and texte_fin:
                self.erreur(
                    feuille,
                    numero,
                    "date_fin",
                    _(
                        "un atelier ou une permanence tient en un jour : laissez la date de fin "
                        "vide."
                    ),
                )
            return None
        date_fin = _date(texte_fin)
        if not texte_fin:
            self.erreur(
                feuille,
                numero,
                "date_fin",
                _("un parcours a une date de fin : renseignez-la (AAAA-MM-JJ ou JJ/MM/AAAA)."),
            )
        elif date_fin is None:
            self.erreur(
                feuille,
                numero,
                "date_fin",
                _(
                    "date de fin « %(date)s » invalide : un parcours a une date de fin, "
                    "au format AAAA-MM-JJ ou JJ/MM/AAAA."
                )
                % {"date": texte_fin},
            )
        elif date_debut and date_fin < date_debut:
            self.erreur(feuille, numero, "date_fin", _("la date de fin précède la date de début."))
        return date_fin

    def _duree(self, feuille, numero, valeurs):
        """Un nombre d'heures positif, 999 au plus, deux décimales au plus ; None s'il n'est
        pas un nombre."""
        texte_duree = valeurs.get("duree_heures", "")
        try:
            duree = Decimal(texte_duree.replace(",", ".").replace(" ", ""))
            if not duree.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            self.erreur(
                feuille,
                numero,
                "duree_heures",
                _("durée « %(duree)s » invalide : un nombre d'heures (1,5 ou 1.5).")
                % {"duree": texte_duree},
            )
            return None
        if duree <= 0:
            self.erreur(
                feuille,
                numero,
                "duree_heures",
                _("durée « %(duree)s » invalide : elle doit être positive.")
                % {"duree": texte_duree},
            )
        elif duree > DUREE_MAXIMALE:
            self.erreur(
                feuille, numero, "duree_heures", _("durée trop longue (999 heures au plus).")
            )
        elif duree != duree.quantize(Decimal("0.01")):
            self.erreur(
                feuille, numero, "duree_heures", _("durée trop précise : deux décimales au plus.")
            )
        return duree

    # --- Participations et listes d'attente ----------------------------------------------------

    def _participations(self, feuille):
        deja = {}
        for numero, valeurs in feuille.lignes:
            ref = valeurs.get("action_ref", "")
            code = valeurs.get("beneficiaire_code", "")
            statut = valeurs.get("statut", "").lower()
            if ref in self.actions:
                type_action = self.actions[ref]["type"]
            else:
                type_action = self.refs_existantes.get(ref)
            if type_action is None:
                self.erreur(
                    feuille,
                    numero,
                    "action_ref",
                    _(
                        "action « %(ref)s » inconnue : elle n'est ni dans la feuille des actions "
                        "ni déjà enregistrée."
                    )
                    % {"ref": ref},
                )
            if code not in self.beneficiaires and code not in self.codes_existants:
                self.erreur(
                    feuille,
                    numero,
                    "beneficiaire_code",
                    _(
                        "bénéficiaire « %(code)s » inconnu : ajoutez-le à la feuille des "
                        "bénéficiaires."
                    )
                    % {"code": code},
                )
            if statut not in StatutParticipation.values:
                self.erreur(
                    feuille,
                    numero,
                    "statut",
                    _(
                        "statut « %(statut)s » inconnu : present pour un atelier ou une "
                        "permanence ; en_cours, complet ou abandon pour un parcours."
                    )
                    % {"statut": valeurs.get("statut", "")},
                )
            elif type_action is not None and statut not in statuts_permis(type_action):
                if type_action in TYPES_PARCOURS:
                    message = _(
                        "statut « %(statut)s » impossible pour un parcours : en_cours, complet "
                        "ou abandon."
                    ) % {"statut": statut}
                else:
                    message = _(
                        "statut « %(statut)s » réservé aux parcours : pour un atelier ou une "
                        "permanence, indiquez present."
                    ) % {"statut": statut}
                self.erreur(feuille, numero, "statut", message)
            if (ref, code) in deja:
                self.erreur(
                    feuille,
                    numero,
                    "beneficiaire_code",
                    _("« %(code)s » figure déjà dans l'action « %(ref)s » (ligne %(ligne)s).")
                    % {"code": code, "ref": ref, "ligne": deja[ref, code]},
                )
            else:
                deja[ref, code] = numero
            self.participations.append((ref, code, statut))

    def _listes_attente(self, feuille):
        lignes_des_dates = {}
        for numero, valeurs in feuille.lignes:
            date = _date(valeurs.get("date", ""))
            if date is None:
                self.erreur(
                    feuille,
                    numero,
                    "date",
                    _("date « %(date)s » invalide : AAAA-MM-JJ ou JJ/MM/AAAA.")
                    % {"date": valeurs.get("date", "")},
                )
            elif date in lignes_des_dates or date in self.dates_existantes:
                self.erreur(
                    feuille, numero, "date", _("une liste d'attente existe déjà à cette date.")
                )
            else:
                lignes_des_dates[date] = numero
            nombre = valeurs.get("nombre", "")
            if not nombre.isdigit():
                self.erreur(
                    feuille,
                    numero,
                    "nombre",
                    _("nombre « %(nombre)s » invalide : un nombre entier de personnes, 0 ou plus.")
                    % {"nombre": nombre},
                )
            elif date is not None:
                self.listes_attente[date] = int(nombre)

"""Écritures des données de référence : les imports de fichiers.

Chaque import lit et valide tout le fichier, puis écrit dans une seule transaction : un
fichier fautif n'écrit rien. Réimporter le même fichier ne change rien et ne crée aucun
doublon. Chaque import laisse une trace (`ImportReferentiel`) avec l'empreinte du fichier et
son bilan.
"""

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from territoires import fichiers_officiels
from territoires.enums import TypeImport
from territoires.exceptions import FichierInvalide
from territoires.models import (
    Commune,
    CommuneRattachee,
    CorrespondanceCode,
    Epci,
    ImportReferentiel,
    ListeQpv,
    PopulationLegale,
    Qpv,
)
from territoires.normalisation import forme_de_recherche
from territoires.redaction import en_francais, phrase

DOSSIER_DONNEES = Path(__file__).resolve().parent / "donnees"
SOURCE_LIVREE = "Données livrées avec Relais (territoires/donnees/README.md)"
TAILLE_LOT = 2000
CODES_AFFICHES = 10


@dataclass
class BilanImport:
    """Ce qu'un import a fait, pour le dire à qui l'a lancé.

    `details` ne va qu'au registre et à la commande (en français) ; `avertissements` s'affiche
    aussi sur la page d'import, dans sa langue, et s'enregistre en français (`en_dict`).
    """

    type: str
    fichier: str
    millesime: str = ""
    crees: int = 0
    modifies: int = 0
    inchanges: int = 0
    supprimes: int = 0
    details: list[str] = field(default_factory=list)
    avertissements: list[str] = field(default_factory=list)

    @property
    def libelle(self):
        return {
            TypeImport.COMMUNES: gettext("communes"),
            TypeImport.POPULATIONS: gettext("populations légales"),
            TypeImport.QPV: gettext("QPV"),
            TypeImport.CORRESPONDANCES: gettext("correspondances de codes"),
            TypeImport.EPCI: gettext("EPCI"),
            TypeImport.RATTACHEES: gettext("communes déléguées, associées et arrondissements"),
        }[self.type]

    def phrase(self):
        """Le bilan en une phrase, dans la langue active."""
        libelle = self.libelle[0].upper() + self.libelle[1:]
        if self.type == TypeImport.COMMUNES and self.millesime:
            designation = gettext("%(libelle)s (populations %(millesime)s)") % {
                "libelle": libelle,
                "millesime": self.millesime,
            }
        elif self.millesime:
            designation = f"{libelle} {self.millesime}"
        else:
            designation = libelle
        valeurs = {
            "designation": designation,
            "fichier": self.fichier,
            "crees": self.crees,
            "modifies": self.modifies,
            "inchanges": self.inchanges,
            "supprimes": self.supprimes,
        }
        if self.supprimes:
            return (
                gettext(
                    "%(designation)s, %(fichier)s : %(crees)s créé(s), %(modifies)s modifié(s), "
                    "%(inchanges)s inchangé(s), %(supprimes)s supprimé(s)."
                )
                % valeurs
            )
        return (
            gettext(
                "%(designation)s, %(fichier)s : %(crees)s créé(s), %(modifies)s modifié(s), "
                "%(inchanges)s inchangé(s)."
            )
            % valeurs
        )

    def en_dict(self):
        return {
            "crees": self.crees,
            "modifies": self.modifies,
            "inchanges": self.inchanges,
            "supprimes": self.supprimes,
            "details": self.details,
            "avertissements": en_francais(self.avertissements),
        }


def importer_donnees_livrees(*, par=None, rapporter=None):
    """Charge les fichiers livrés dans `territoires/donnees/` : noms des EPCI, communes et
    populations 2023, correspondances d'anciens codes, communes déléguées, associées et
    arrondissements, liste des QPV 2024. Une seule transaction."""
    with transaction.atomic():
        return [
            importer_fichier(
                type_import,
                DOSSIER_DONNEES / nom,
                par=par,
                source=SOURCE_LIVREE,
                rapporter=rapporter,
            )
            for type_import, nom in [
                (TypeImport.EPCI, "epci.csv"),
                (TypeImport.COMMUNES, "communes.csv"),
                (TypeImport.CORRESPONDANCES, "correspondances.csv"),
                (TypeImport.RATTACHEES, "communes_rattachees.csv"),
                (TypeImport.QPV, "qpv.csv"),
            ]
        ]


def importer_fichier(
    type_import, fichier, *, nom_fichier="", millesime="", par=None, source="", rapporter=None
):
    """Importe un fichier (chemin ou contenu en octets) d'un type donné.

    `millesime` : l'année des populations légales (obligatoire pour ce type) ou la version
    de la liste de QPV (« QPV2015 » ; déduite des codes si vide). `rapporter(texte)` reçoit
    l'avancement. Lève `FichierInvalide` sans rien écrire.
    """
    if isinstance(fichier, (str, Path)):
        chemin = Path(fichier)
        nom_fichier = nom_fichier or chemin.name
        try:
            contenu = chemin.read_bytes()
        except OSError as erreur:
            raise FichierInvalide(
                gettext("Impossible de lire %(chemin)s : %(erreur)s.")
                % {"chemin": chemin, "erreur": erreur.strerror}
            ) from erreur
    else:
        contenu = fichier
    rapporter = rapporter or (lambda texte: None)
    empreinte = hashlib.sha256(contenu).hexdigest()
    rapporter(f"Lecture de {nom_fichier}…")
    with transaction.atomic():
        if type_import == TypeImport.COMMUNES:
            bilan = _importer_communes(fichiers_officiels.lire_communes(contenu), rapporter)
        elif type_import == TypeImport.POPULATIONS:
            annee = _annee_de_population(millesime)
            lignes = fichiers_officiels.lire_populations(contenu)
            bilan = _importer_populations(lignes, annee, rapporter)
        elif type_import == TypeImport.QPV:
            liste = fichiers_officiels.lire_liste_qpv(contenu, millesime)
            bilan = _importer_liste_qpv(liste, source or f"Fichier {nom_fichier}", rapporter)
        elif type_import == TypeImport.CORRESPONDANCES:
            lignes = fichiers_officiels.lire_correspondances(contenu)
            bilan = _importer_correspondances(lignes)
        elif type_import == TypeImport.EPCI:
            bilan = _importer_epci(fichiers_officiels.lire_epci(contenu))
        elif type_import == TypeImport.RATTACHEES:
            lignes = fichiers_officiels.lire_communes_rattachees(contenu)
            bilan = _importer_communes_rattachees(lignes)
        else:
            raise FichierInvalide(
                gettext("Type d'import inconnu : %(type)s.") % {"type": type_import}
            )
        bilan.fichier = nom_fichier
        ImportReferentiel.objects.create(
            type=type_import,
            fichier=nom_fichier[:255],
            empreinte_sha256=empreinte,
            millesime=bilan.millesime,
            bilan=bilan.en_dict(),
            par=par if par is not None and par.is_authenticated else None,
        )
    return bilan


def _annee_de_population(millesime):
    millesime = str(millesime or "").strip()
    if not (millesime.isdigit() and len(millesime) == 4):
        raise FichierInvalide(
            gettext(
                "Précisez le millésime des populations légales, une année sur quatre chiffres "
                "(par exemple 2023 pour les populations en vigueur au 1er janvier 2026)."
            )
        )
    return int(millesime)


def _codes_vers_communes():
    """{code INSEE en vigueur ou ancien code: (id de la commune, code en vigueur, ancien?)}"""
    codes = {
        code: (pk, code, False) for pk, code in Commune.objects.values_list("pk", "code_insee")
    }
    for ancien, pk, actuel in CorrespondanceCode.objects.values_list(
        "code", "commune_id", "commune__code_insee"
    ):
        codes.setdefault(ancien, (pk, actuel, True))
    return codes


def _liste_courte(elements):
    """Les premiers éléments, séparés par des virgules, et le nombre total s'il y en a plus
    (différé : un avertissement s'enregistre en français)."""
    elements = list(elements)
    texte = ", ".join(elements[:CODES_AFFICHES])
    if len(elements) > CODES_AFFICHES:
        return phrase(
            _("%(debut)s… (%(nombre)s en tout)"), {"debut": texte, "nombre": len(elements)}
        )
    return texte


def _importer_communes(lignes, rapporter):
    bilan = BilanImport(TypeImport.COMMUNES, "")
    rapporter(f"{len(lignes)} communes lues ; enregistrement…")

    sirens = {ligne.siren_epci for ligne in lignes if ligne.siren_epci}
    connus = set(Epci.objects.values_list("siren", flat=True))
    Epci.objects.bulk_create([Epci(siren=s) for s in sorted(sirens - connus)])
    if sirens - connus:
        bilan.details.append(f"{len(sirens - connus)} EPCI ajouté(s).")
    epci_par_siren = dict(Epci.objects.values_list("siren", "pk"))

    existantes = {
        code: reste
        for code, *reste in Commune.objects.values_list(
            "code_insee",
            "nom",
            "departement",
            "epci_id",
            "population_municipale",
            "population_totale",
            "annee_population",
        )
    }
    a_ecrire = []
    sans_millesime = []
    for ligne in lignes:
        epci_id = epci_par_siren.get(ligne.siren_epci)
        actuelle = existantes.get(ligne.code_insee)
        commune = Commune(
            code_insee=ligne.code_insee,
            nom=ligne.nom,
            nom_recherche=forme_de_recherche(ligne.nom),
            departement=ligne.departement,
            epci_id=epci_id,
            population_municipale=ligne.municipale,
            population_totale=ligne.totale,
            annee_population=ligne.annee,
        )
        if actuelle is None:
            bilan.crees += 1
            a_ecrire.append(commune)
            continue
        # Une population datée passe par PopulationLegale (plus bas), qui ne remplace jamais
        # un millésime plus récent. Une population sans millésime (collectivités d'outre-mer)
        # ne remplace qu'une autre population sans millésime.
        population_changee = (
            ligne.annee is None
            and actuelle[5] is None
            and (ligne.municipale, ligne.totale) != (actuelle[3], actuelle[4])
        )
        if population_changee:
            sans_millesime.append(commune)
        if actuelle[:3] != [ligne.nom, ligne.departement, epci_id]:
            a_ecrire.append(commune)
        if population_changee or actuelle[:3] != [ligne.nom, ligne.departement, epci_id]:
            bilan.modifies += 1
        else:
            bilan.inchanges += 1
    Commune.objects.bulk_create(
        a_ecrire,
        batch_size=TAILLE_LOT,
        update_conflicts=True,
        unique_fields=["code_insee"],
        update_fields=["nom", "nom_recherche", "departement", "epci"],
    )
    pk_par_code = dict(Commune.objects.values_list("code_insee", "pk"))
    for commune in sans_millesime:
        commune.pk = pk_par_code[commune.code_insee]
    Commune.objects.bulk_update(
        sans_millesime, ["population_municipale", "population_totale"], batch_size=TAILLE_LOT
    )
    absentes = set(existantes) - {ligne.code_insee for ligne in lignes}
    if absentes:
        bilan.avertissements.append(
            phrase(
                _(
                    "%(nombre)s commune(s) connue(s) absente(s) du fichier, conservée(s) : "
                    "%(codes)s."
                ),
                {"nombre": len(absentes), "codes": _liste_courte(sorted(absentes))},
            )
        )

    par_annee = {}
    for ligne in lignes:
        if ligne.annee is not None:
            par_annee.setdefault(ligne.annee, {})[ligne.code_insee] = (
                ligne.municipale,
                ligne.totale,
            )
    for annee, populations in sorted(par_annee.items()):
        rapporter(f"Populations légales {annee} : {len(populations)} communes…")
        _enregistrer_populations(
            {pk_par_code[code]: valeurs for code, valeurs in populations.items()}, annee
        )
        bilan.details.append(f"Populations légales {annee} : {len(populations)} communes.")
    bilan.millesime = ", ".join(str(annee) for annee in sorted(par_annee))
    return bilan


def _enregistrer_populations(populations, annee):
    """Écrit le millésime `annee` ({id de commune: (municipale, totale)}) et en fait la
    population courante des communes dont le millésime courant n'est pas plus récent.

    Renvoie (créées, modifiées, inchangées).
    """
    existantes = {
        commune_id: (municipale, totale)
        for commune_id, municipale, totale in PopulationLegale.objects.filter(
            annee=annee
        ).values_list("commune_id", "municipale", "totale")
    }
    a_ecrire = [
        PopulationLegale(commune_id=pk, annee=annee, municipale=mun, totale=tot)
        for pk, (mun, tot) in populations.items()
        if existantes.get(pk) != (mun, tot)
    ]
    PopulationLegale.objects.bulk_create(
        a_ecrire,
        batch_size=TAILLE_LOT,
        update_conflicts=True,
        unique_fields=["commune", "annee"],
        update_fields=["municipale", "totale"],
    )
    millesime = PopulationLegale.objects.filter(commune=OuterRef("pk"), annee=annee)
    Commune.objects.filter(populations__annee=annee).filter(
        Q(annee_population__isnull=True) | Q(annee_population__lte=annee)
    ).update(
        population_municipale=Subquery(millesime.values("municipale")[:1]),
        population_totale=Subquery(millesime.values("totale")[:1]),
        annee_population=annee,
    )
    crees = sum(1 for pk in populations if pk not in existantes)
    modifiees = len(a_ecrire) - crees
    return crees, modifiees, len(populations) - len(a_ecrire)


def _importer_populations(lignes, annee, rapporter):
    bilan = BilanImport(TypeImport.POPULATIONS, "", millesime=str(annee))
    codes = _codes_vers_communes()

    def commune_de_code(code):
        trouve = codes.get(code)
        return None if trouve is None else (trouve[1], trouve[2])

    populations, inconnues = fichiers_officiels.regrouper_par_commune(lignes, commune_de_code)
    rapporter(f"{len(lignes)} lignes lues, {len(populations)} communes ; enregistrement…")
    pk_par_code = {code: pk for code, (pk, actuel, ancien) in codes.items() if not ancien}
    bilan.crees, bilan.modifies, bilan.inchanges = _enregistrer_populations(
        {pk_par_code[code]: valeurs for code, valeurs in populations.items()}, annee
    )
    regroupees = len(lignes) - len(inconnues) - len(populations)
    if regroupees > 0:
        bilan.details.append(
            f"{regroupees} ligne(s) d'arrondissements ou d'anciennes communes "
            "additionnée(s) sur leur commune."
        )
    if inconnues:
        bilan.avertissements.append(
            phrase(
                _(
                    "%(nombre)s code(s) inconnu(s), ignoré(s) : %(codes)s. Importez d'abord "
                    "les communes ou leurs correspondances."
                ),
                {
                    "nombre": len(inconnues),
                    "codes": _liste_courte(
                        f"{ligne.code_insee} {ligne.nom}".strip() for ligne in inconnues
                    ),
                },
            )
        )
    sans_population = Commune.objects.exclude(populations__annee=annee).count()
    if sans_population:
        bilan.avertissements.append(
            phrase(
                _(
                    "%(nombre)s commune(s) sans population %(annee)s dans ce fichier : "
                    "elles gardent leur population précédente."
                ),
                {"nombre": sans_population, "annee": annee},
            )
        )
    return bilan


def _importer_liste_qpv(liste_lue, source, rapporter):
    bilan = BilanImport(TypeImport.QPV, "", millesime=liste_lue.version)
    codes = _codes_vers_communes()
    inconnus = sorted(
        {c for qpv in liste_lue.qpv.values() for c in qpv.codes_communes if c not in codes}
    )
    if inconnus:
        raise FichierInvalide(
            gettext(
                "%(nombre)s code(s) commune de la liste %(version)s inconnu(s) : %(codes)s. "
                "Rien n'a été importé. Ajoutez leur correspondance "
                "(commune fusionnée → commune actuelle) puis relancez l'import."
            )
            % {
                "nombre": len(inconnus),
                "version": liste_lue.version,
                "codes": _liste_courte(inconnus),
            }
        )
    rapporter(f"{len(liste_lue.qpv)} QPV lus (liste {liste_lue.version}) ; enregistrement…")
    liste, creee = ListeQpv.objects.get_or_create(
        version=liste_lue.version,
        defaults={
            "annee": liste_lue.annee,
            "libelle": f"Quartiers prioritaires {liste_lue.annee}",
            "en_vigueur_le": date(liste_lue.annee, 1, 1),
            "source": source,
        },
    )
    if not creee and liste.source != source:
        liste.source = source
        liste.save(update_fields=["source"])

    existants = {code: (pk, nom) for pk, code, nom in liste.qpv.values_list("pk", "code", "nom")}
    nouveaux = [
        Qpv(liste=liste, code=code, nom=lu.nom)
        for code, lu in liste_lue.qpv.items()
        if code not in existants
    ]
    renommes = [
        Qpv(pk=existants[code][0], nom=lu.nom)
        for code, lu in liste_lue.qpv.items()
        if code in existants and existants[code][1] != lu.nom
    ]
    retires = sorted(set(existants) - set(liste_lue.qpv))
    Qpv.objects.bulk_create(nouveaux, batch_size=TAILLE_LOT)
    Qpv.objects.bulk_update(renommes, ["nom"], batch_size=TAILLE_LOT)
    liste.qpv.filter(code__in=retires).delete()

    pk_par_code = dict(liste.qpv.values_list("code", "pk"))
    Rattachement = Qpv.communes.through
    voulus = {
        (pk_par_code[code], codes[code_commune][0])
        for code, lu in liste_lue.qpv.items()
        for code_commune in lu.codes_communes
    }
    presents = set(
        Rattachement.objects.filter(qpv__liste=liste).values_list("qpv_id", "commune_id")
    )
    a_retirer = presents - voulus
    for qpv_id, commune_id in a_retirer:
        Rattachement.objects.filter(qpv_id=qpv_id, commune_id=commune_id).delete()
    Rattachement.objects.bulk_create(
        [Rattachement(qpv_id=q, commune_id=c) for q, c in sorted(voulus - presents)],
        batch_size=TAILLE_LOT,
    )

    rattachements_changes = {q for q, _ in a_retirer | (voulus - presents)}
    ids_nouveaux = {pk_par_code[q.code] for q in nouveaux}
    ids_modifies = ({q.pk for q in renommes} | rattachements_changes) - ids_nouveaux
    bilan.crees = len(nouveaux)
    bilan.modifies = len(ids_modifies)
    bilan.inchanges = len(liste_lue.qpv) - bilan.crees - bilan.modifies
    bilan.supprimes = len(retires)
    # Compté après le passage des anciens codes à leur commune : un QPV partagé entre deux
    # communes qui ont fusionné n'est plus intercommunal.
    communes_par_qpv = Counter(qpv_id for qpv_id, _ in voulus)
    intercommunaux = sum(1 for nombre in communes_par_qpv.values() if nombre > 1)
    bilan.details.append(
        f"{len(liste_lue.qpv)} QPV dont {intercommunaux} intercommunaux, "
        f"{len({c for _, c in voulus})} communes touchées."
    )
    anciens = sorted(
        {
            f"{c} → {codes[c][1]}"
            for lu in liste_lue.qpv.values()
            for c in lu.codes_communes
            if codes[c][2]
        }
    )
    if anciens:
        (codes,) = en_francais([_liste_courte(anciens)])
        bilan.details.append(f"Codes rapportés à leur commune actuelle : {codes}.")
    if retires:
        bilan.avertissements.append(
            phrase(
                _(
                    "%(nombre)s QPV absent(s) du fichier, retiré(s) de la liste %(version)s : "
                    "%(codes)s."
                ),
                {"nombre": len(retires), "version": liste.version, "codes": _liste_courte(retires)},
            )
        )
    return bilan


def _importer_correspondances(lignes):
    bilan = BilanImport(TypeImport.CORRESPONDANCES, "")
    pk_par_code = dict(Commune.objects.values_list("code_insee", "pk"))
    erreurs = [
        gettext("%(code)s est une commune en vigueur, pas un ancien code")
        % {"code": ligne.ancien_code}
        for ligne in lignes
        if ligne.ancien_code in pk_par_code
    ] + [
        gettext("%(code)s renvoie vers %(commune)s, commune inconnue")
        % {"code": ligne.ancien_code, "commune": ligne.code_insee}
        for ligne in lignes
        if ligne.code_insee not in pk_par_code
    ]
    if erreurs:
        raise FichierInvalide(
            gettext("Correspondances impossibles, rien n'a été importé : %(erreurs)s.")
            % {"erreurs": _liste_courte(erreurs)}
        )
    existantes = {
        code: rest
        for code, *rest in CorrespondanceCode.objects.values_list(
            "code", "commune_id", "motif", "depuis"
        )
    }
    a_ecrire = []
    for ligne in lignes:
        voulue = [pk_par_code[ligne.code_insee], ligne.motif, ligne.depuis]
        actuelle = existantes.get(ligne.ancien_code)
        if actuelle == voulue:
            bilan.inchanges += 1
            continue
        if actuelle is None:
            bilan.crees += 1
        else:
            bilan.modifies += 1
        a_ecrire.append(
            CorrespondanceCode(
                code=ligne.ancien_code, commune_id=voulue[0], motif=ligne.motif, depuis=ligne.depuis
            )
        )
    CorrespondanceCode.objects.bulk_create(
        a_ecrire,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["commune", "motif", "depuis"],
    )
    return bilan


def _importer_epci(lignes):
    """Crée les EPCI inconnus et met à jour les noms ; un EPCI absent du fichier reste (des
    communes et des appels y renvoient)."""
    bilan = BilanImport(TypeImport.EPCI, "")
    existants = dict(Epci.objects.values_list("siren", "nom"))
    nouveaux = [
        Epci(siren=ligne.siren, nom=ligne.nom) for ligne in lignes if ligne.siren not in existants
    ]
    renommes = [
        ligne
        for ligne in lignes
        if ligne.siren in existants and existants[ligne.siren] != ligne.nom
    ]
    Epci.objects.bulk_create(nouveaux)
    a_renommer = {ligne.siren: ligne.nom for ligne in renommes}
    epci = list(Epci.objects.filter(siren__in=a_renommer))
    for un_epci in epci:
        un_epci.nom = a_renommer[un_epci.siren]
    Epci.objects.bulk_update(epci, ["nom"], batch_size=TAILLE_LOT)
    bilan.crees = len(nouveaux)
    bilan.modifies = len(renommes)
    bilan.inchanges = len(lignes) - len(nouveaux) - len(renommes)
    absents = set(existants) - {ligne.siren for ligne in lignes}
    if absents:
        bilan.avertissements.append(
            phrase(
                _("%(nombre)s EPCI connu(s) absent(s) du fichier, conservé(s) : %(codes)s."),
                {"nombre": len(absents), "codes": _liste_courte(sorted(absents))},
            )
        )
    return bilan


def _importer_communes_rattachees(lignes):
    """Le fichier décrit toutes les communes rattachées : celles qui n'y sont plus sont
    retirées (une commune déléguée supprimée par le COG ne se propose plus)."""
    bilan = BilanImport(TypeImport.RATTACHEES, "")
    pk_par_code = dict(Commune.objects.values_list("code_insee", "pk"))
    inconnues = [
        gettext("%(nom)s (%(code)s) renvoie vers %(commune)s, commune inconnue")
        % {"nom": ligne.nom, "code": ligne.code, "commune": ligne.code_parent}
        for ligne in lignes
        if ligne.code_parent not in pk_par_code
    ]
    if inconnues:
        raise FichierInvalide(
            gettext("Communes rattachées impossibles, rien n'a été importé : %(erreurs)s.")
            % {"erreurs": _liste_courte(inconnues)}
        )
    existantes = {
        (code, type_): rest
        for code, type_, *rest in CommuneRattachee.objects.values_list(
            "code", "type", "nom", "commune_id", "departement"
        )
    }
    a_ecrire = []
    for ligne in lignes:
        voulue = [ligne.nom, pk_par_code[ligne.code_parent], ligne.departement]
        actuelle = existantes.pop((ligne.code, ligne.type), None)
        if actuelle == voulue:
            bilan.inchanges += 1
            continue
        if actuelle is None:
            bilan.crees += 1
        else:
            bilan.modifies += 1
        a_ecrire.append(
            CommuneRattachee(
                code=ligne.code,
                type=ligne.type,
                nom=ligne.nom,
                nom_recherche=forme_de_recherche(ligne.nom),
                commune_id=voulue[1],
                departement=ligne.departement,
            )
        )
    CommuneRattachee.objects.bulk_create(
        a_ecrire,
        batch_size=TAILLE_LOT,
        update_conflicts=True,
        unique_fields=["code", "type"],
        update_fields=["nom", "nom_recherche", "commune", "departement"],
    )
    for code, type_ in existantes:
        CommuneRattachee.objects.filter(code=code, type=type_).delete()
        bilan.supprimes += 1
    return bilan

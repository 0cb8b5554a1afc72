"""Le moteur d'éligibilité : une commune, les règles d'un appel, une réponse qui s'explique.

La réponse (`Eligibilite`) porte son verdict, une phrase par règle et les faits sur lesquels
elle repose (population et millésime, QPV et toutes leurs communes, version de la liste, EPCI,
règles appliquées). `en_dict()` en fait un objet JSON autonome : c'est lui qu'une candidature
fige au dépôt, pour qu'une mise à jour des données ne réécrive jamais une décision passée.
"""

from dataclasses import dataclass, field

from django.utils import translation
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from territoires.departements import nom_du_departement
from territoires.enums import (
    MotifCorrespondance,
    ResultatEligibilite,
    TraitementQpvIntercommunal,
    TypePopulation,
    TypeStructure,
)
from territoires.exceptions import CommuneInconnue
from territoires.models import Epci
from territoires.redaction import en_francais
from territoires.redaction import liste as _joindre
from territoires.redaction import phrase as _texte
from territoires.selectors import commune_par_code, liste_qpv, qpv_touchant

__all__ = ["CommuneInconnue", "Eligibilite", "ReglesEligibilite", "evaluer_eligibilite"]

SEUIL_POPULATION_PAR_DEFAUT = 21000
MOIS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
VERDICTS = {
    ResultatEligibilite.ELIGIBLE: _("éligible"),
    ResultatEligibilite.NON_ELIGIBLE: _("non éligible"),
    ResultatEligibilite.A_EXAMINER: _("à examiner"),
}


@dataclass(frozen=True)
class ReglesEligibilite:
    """Les règles d'un appel. Par défaut : population municipale < 21 000, aucun QPV de la
    liste la plus récente, pas de périmètre, tous les types de structure."""

    perimetre_epci: tuple[str, ...] = ()
    perimetre_departements: tuple[str, ...] = ()
    seuil_population: int = SEUIL_POPULATION_PAR_DEFAUT
    type_population: str = TypePopulation.MUNICIPALE.value
    version_qpv: str = ""
    qpv_intercommunal: str = TraitementQpvIntercommunal.INELIGIBLE.value
    types_structure: tuple[str, ...] = ()

    @classmethod
    def depuis_appel(cls, appel):
        """Les règles portées par un modèle qui hérite de `ReglesEligibiliteMixin`."""
        return cls(
            perimetre_epci=tuple(str(siren) for siren in appel.perimetre_epci or ()),
            perimetre_departements=tuple(str(d) for d in appel.perimetre_departements or ()),
            seuil_population=appel.seuil_population,
            type_population=str(appel.type_population),
            version_qpv=appel.version_qpv or "",
            qpv_intercommunal=str(appel.qpv_intercommunal),
            types_structure=tuple(str(t) for t in appel.types_structure or ()),
        )

    def en_dict(self):
        return {
            "perimetre_epci": list(self.perimetre_epci),
            "perimetre_departements": list(self.perimetre_departements),
            "seuil_population": self.seuil_population,
            "type_population": self.type_population,
            "version_qpv": self.version_qpv,
            "qpv_intercommunal": self.qpv_intercommunal,
            "types_structure": list(self.types_structure),
        }


@dataclass
class Eligibilite:
    """La réponse pour une commune : verdict, une phrase par règle, faits.

    `faits` ne contient que des types JSON ; `resume` tient la réponse en une phrase. Les
    phrases se rédigent quand on les lit, dans la langue active.
    """

    code: str
    resultat: ResultatEligibilite
    raisons: list[str]
    faits: dict
    resume: str = ""

    @property
    def est_eligible(self):
        return self.resultat == ResultatEligibilite.ELIGIBLE

    @property
    def verdict(self):
        return VERDICTS[self.resultat]

    def en_dict(self):
        """L'objet JSON de la commande `eligibilite`, celui que la candidature fige : ses
        phrases y sont en français, quelle que soit la langue de la personne qui dépose."""
        return {
            "code": self.code,
            **self.faits,
            "result": str(self.resultat),
            "reasons": en_francais(self.raisons),
            "summary": en_francais([self.resume])[0],
        }


@dataclass
class _Constat:
    """Ce qu'une règle constate : un morceau de phrase et son effet sur le verdict."""

    texte: str
    resultat: ResultatEligibilite = ResultatEligibilite.ELIGIBLE
    explicatif: bool = field(default=False)


def evaluer_eligibilite(
    code_insee: str,
    regles: ReglesEligibilite | None = None,
    *,
    type_structure: str | None = None,
) -> Eligibilite:
    """Évalue la commune de ce code INSEE (après passage des arrondissements et des communes
    fusionnées à leur commune) au regard des règles ; lève `CommuneInconnue` sinon."""
    regles = regles or ReglesEligibilite()
    code_donne = (code_insee or "").strip()
    commune, correspondance = commune_par_code(code_donne)
    liste = liste_qpv(regles.version_qpv)
    qpv = qpv_touchant(commune, liste) if liste is not None else []
    population = commune.population(regles.type_population)

    constats = []
    if correspondance is not None:
        constats.append(_constat_correspondance(correspondance))
    if regles.perimetre_epci or regles.perimetre_departements:
        constats.append(_constat_perimetre(commune, regles))
    constats.append(_constat_population(commune, population, regles))
    constats.append(_constat_qpv(commune, qpv, liste, regles))
    if regles.types_structure or type_structure:
        constats.append(_constat_type_structure(type_structure, regles))

    resultats = {constat.resultat for constat in constats}
    if ResultatEligibilite.NON_ELIGIBLE in resultats:
        resultat = ResultatEligibilite.NON_ELIGIBLE
    elif ResultatEligibilite.A_EXAMINER in resultats:
        resultat = ResultatEligibilite.A_EXAMINER
    else:
        resultat = ResultatEligibilite.ELIGIBLE

    designation = f"{commune.nom} ({commune.code_insee})"
    regles_appliquees = [c for c in constats if not c.explicatif]
    raisons = [c.texte for c in constats if c.explicatif] + [
        _texte(_("%(commune)s : %(constat)s"), {"commune": designation, "constat": c.texte})
        for c in regles_appliquees
    ]
    resume = _texte(
        _("%(commune)s : %(constats)s : %(verdict)s"),
        {
            "commune": designation,
            "constats": _joindre(SEPARATEUR, [c.texte for c in regles_appliquees]),
            "verdict": VERDICTS[resultat],
        },
    )
    faits = {
        "commune": commune.nom,
        "insee_code": commune.code_insee,
        "department": commune.departement,
        "epci": ({"siren": commune.epci.siren, "name": commune.epci.nom} if commune.epci else None),
        "mapped_from": (
            {
                "code": correspondance.code,
                "reason": correspondance.motif,
                "since": correspondance.depuis.isoformat() if correspondance.depuis else None,
            }
            if correspondance
            else None
        ),
        "population": population,
        "population_year": commune.annee_population,
        "population_type": regles.type_population,
        "qpv_list": liste.version if liste else None,
        "qpv_list_year": liste.annee if liste else None,
        "qpv": [_qpv_en_dict(q) for q in qpv],
        "structure_type": type_structure,
        "rules": regles.en_dict(),
    }
    return Eligibilite(
        code=code_donne, resultat=resultat, raisons=raisons, faits=faits, resume=resume
    )


def _francais():
    return (translation.get_language() or "fr").startswith("fr")


def _nombre_maintenant(valeur):
    """21000 → « 21 000 », avec l'espace insécable des nombres français ; « 21,000 » en
    anglais."""
    if _francais():
        return f"{valeur:,}".replace(",", "\u00a0")
    return f"{valeur:,}"


def _date_maintenant(jour):
    """« 1er mars 2016 » ; « 1 March 2016 » en anglais."""
    if _francais():
        return f"{jour.day}{'er' if jour.day == 1 else ''} {MOIS[jour.month - 1]} {jour.year}"
    return date_format(jour, "j F Y")


# Les textes d'une réponse se rédigent au moment où on les lit (territoires/redaction.py) :
# dans la langue de la page qui les affiche, en français dans l'objet que la candidature fige.
_nombre = lazy(_nombre_maintenant, str)
_date = lazy(_date_maintenant, str)
# Translators: separator between two findings of the eligibility answer.
SEPARATEUR = _(" ; ")


def _constat_correspondance(correspondance):
    commune = correspondance.commune
    valeurs = {
        "code": correspondance.code,
        "commune": commune.nom,
        "insee": commune.code_insee,
    }
    if correspondance.motif == MotifCorrespondance.ARRONDISSEMENT:
        modele = _(
            "Le code %(code)s est un arrondissement municipal de %(commune)s (%(insee)s) : "
            "c'est la commune qui est examinée."
        )
    elif correspondance.depuis:
        valeurs["date"] = _date(correspondance.depuis)
        modele = _(
            "Le code %(code)s est celui d'une ancienne commune, fusionnée dans %(commune)s "
            "(%(insee)s) depuis le %(date)s : c'est la commune qui est examinée."
        )
    else:
        modele = _(
            "Le code %(code)s est celui d'une ancienne commune, fusionnée dans %(commune)s "
            "(%(insee)s) : c'est la commune qui est examinée."
        )
    return _Constat(_texte(modele, valeurs), explicatif=True)


def _description_perimetre(regles):
    morceaux = []
    if regles.perimetre_epci:
        # Un EPCI se dit par son nom (territoires/donnees/epci.csv), pas par son SIREN.
        noms = dict(
            Epci.objects.filter(siren__in=regles.perimetre_epci).values_list("siren", "nom")
        )
        morceaux.append(
            ", ".join(noms.get(siren) or f"EPCI {siren}" for siren in regles.perimetre_epci)
        )
    if regles.perimetre_departements:
        morceaux.append(
            _texte(
                ngettext_lazy(
                    "département %(departements)s",
                    "départements %(departements)s",
                    len(regles.perimetre_departements),
                ),
                {
                    "departements": ", ".join(
                        nom_du_departement(code) for code in regles.perimetre_departements
                    )
                },
            )
        )
    return _joindre(SEPARATEUR, morceaux)


def _constat_perimetre(commune, regles):
    dans_epci = commune.epci is not None and commune.epci.siren in regles.perimetre_epci
    dans_departement = commune.departement in regles.perimetre_departements
    if dans_epci:
        valeurs = {"nom": commune.epci.nom, "siren": commune.epci.siren}
        if commune.epci.nom:
            return _Constat(
                _texte(_("dans le périmètre de l'appel (%(nom)s, EPCI %(siren)s)"), valeurs)
            )
        return _Constat(_texte(_("dans le périmètre de l'appel (EPCI %(siren)s)"), valeurs))
    if dans_departement:
        return _Constat(
            _texte(
                _("dans le périmètre de l'appel (département %(departement)s)"),
                {"departement": nom_du_departement(commune.departement)},
            )
        )
    return _Constat(
        _texte(
            _("hors du périmètre de l'appel (%(perimetre)s)"),
            {"perimetre": _description_perimetre(regles)},
        ),
        ResultatEligibilite.NON_ELIGIBLE,
    )


def _source_population(commune, regles):
    annee = {"annee": commune.annee_population}
    if regles.type_population == TypePopulation.TOTALE:
        if commune.annee_population:
            return _texte(_("(population totale INSEE %(annee)s)"), annee)
        return _("(population totale INSEE, millésime non précisé)")
    if commune.annee_population:
        return _texte(_("(INSEE %(annee)s)"), annee)
    return _("(INSEE, millésime non précisé)")


def _constat_population(commune, population, regles):
    valeurs = {
        "source": _source_population(commune, regles),
        "seuil": _nombre(regles.seuil_population),
        "population": _nombre(population) if population is not None else "",
    }
    if population is None:
        return _Constat(
            _texte(_("population inconnue %(source)s, à examiner"), valeurs),
            ResultatEligibilite.A_EXAMINER,
        )
    if population < regles.seuil_population:
        return _Constat(_texte(_("%(population)s habitants %(source)s < %(seuil)s"), valeurs))
    return _Constat(
        _texte(_("%(population)s habitants %(source)s ≥ %(seuil)s, au-dessus du seuil"), valeurs),
        ResultatEligibilite.NON_ELIGIBLE,
    )


def _constat_qpv(commune, qpv, liste, regles):
    if liste is None:
        if regles.version_qpv:
            absente = _texte(
                _("liste de QPV %(version)s non importée, QPV à examiner"),
                {"version": regles.version_qpv},
            )
        else:
            absente = _("liste de QPV non importée, QPV à examiner")
        return _Constat(absente, ResultatEligibilite.A_EXAMINER)
    generation = _texte(_("liste %(annee)s"), {"annee": liste.annee})
    if not qpv:
        return _Constat(_texte(_("aucun QPV (%(generation)s)"), {"generation": generation}))
    communaux = [q for q in qpv if len(q.communes.all()) <= 1]
    intercommunaux = [q for q in qpv if len(q.communes.all()) > 1]
    morceaux = []
    if communaux:
        quartiers = _joindre(
            ", ",
            [_texte(_("%(code)s « %(nom)s »"), {"code": q.code, "nom": q.nom}) for q in communaux],
        )
        morceaux.append(
            _texte(
                _("QPV %(quartiers)s (%(generation)s)"),
                {"quartiers": quartiers, "generation": generation},
            )
        )
    for q in intercommunaux:
        autres = ", ".join(
            f"{c.nom} ({c.code_insee})" for c in q.communes.all() if c.pk != commune.pk
        )
        morceaux.append(
            _texte(
                _(
                    "QPV intercommunal %(code)s « %(nom)s » (%(generation)s), "
                    "partagé avec %(autres)s"
                ),
                {"code": q.code, "nom": q.nom, "generation": generation, "autres": autres},
            )
        )
    texte = _joindre(SEPARATEUR, morceaux)
    if communaux or regles.qpv_intercommunal == TraitementQpvIntercommunal.INELIGIBLE:
        return _Constat(texte, ResultatEligibilite.NON_ELIGIBLE)
    return _Constat(
        _texte(_("%(texte)s, à examiner par un gestionnaire"), {"texte": texte}),
        ResultatEligibilite.A_EXAMINER,
    )


def _libelle_type(valeur):
    try:
        return TypeStructure(valeur).label
    except ValueError:
        return valeur


def _constat_type_structure(type_structure, regles):
    valeurs = {
        "type": _libelle_type(type_structure),
        "types": _joindre(", ", [_libelle_type(t) for t in regles.types_structure]),
    }
    if not regles.types_structure:
        return _Constat(_texte(_("structure de type %(type)s, tous types acceptés"), valeurs))
    if not type_structure:
        return _Constat(
            _texte(
                _("types de structure acceptés : %(types)s, à vérifier sur la candidature"),
                valeurs,
            )
        )
    if type_structure in regles.types_structure:
        return _Constat(_texte(_("structure de type %(type)s acceptée"), valeurs))
    return _Constat(
        _texte(_("structure de type %(type)s non acceptée (types acceptés : %(types)s)"), valeurs),
        ResultatEligibilite.NON_ELIGIBLE,
    )


def _qpv_en_dict(qpv):
    communes = list(qpv.communes.all())
    return {
        "code": qpv.code,
        "name": qpv.nom,
        "communes": [c.code_insee for c in communes],
        "commune_names": {c.code_insee: c.nom for c in communes},
        "intercommunal": len(communes) > 1,
    }

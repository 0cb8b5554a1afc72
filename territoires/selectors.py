"""Lectures des données de référence utilisées en plusieurs endroits."""

from django.db.models import Case, IntegerField, Prefetch, Value, When

from territoires.exceptions import CommuneInconnue
from territoires.models import Commune, CorrespondanceCode, ListeQpv, Qpv
from territoires.normalisation import code_insee_normalise, forme_de_recherche_saisie

LONGUEUR_MINIMALE_RECHERCHE = 2


def commune_par_code(code):
    """La commune en vigueur d'un code INSEE, et la correspondance suivie s'il s'agit d'un
    arrondissement municipal (75101 → Paris) ou d'une commune fusionnée (93059 → 93066).

    Lève `CommuneInconnue` pour tout autre code.
    """
    code = code_insee_normalise(code)
    commune = Commune.objects.select_related("epci").filter(code_insee=code).first()
    if commune is not None:
        return commune, None
    correspondance = (
        CorrespondanceCode.objects.select_related("commune__epci").filter(code=code).first()
    )
    if correspondance is None:
        raise CommuneInconnue(code)
    return correspondance.commune, correspondance


def rechercher_communes(texte, limite=10):
    """Les communes dont le nom contient le texte saisi, accents, tirets, apostrophes et
    majuscules ignorés ; ou dont le code INSEE commence par lui s'il s'agit de chiffres.

    Ordre : nom identique, puis nom qui commence par le texte, puis un mot du nom qui commence
    par lui, puis le reste ; à rang égal, la plus peuplée d'abord.
    """
    texte = (texte or "").strip()
    if texte[:2].isdigit() or texte[:2].upper() in ("2A", "2B"):
        return list(
            Commune.objects.filter(code_insee__startswith=texte.upper()).order_by("code_insee")[
                :limite
            ]
        )
    forme = forme_de_recherche_saisie(texte)
    if len(forme) < LONGUEUR_MINIMALE_RECHERCHE:
        return []
    rang = Case(
        When(nom_recherche=forme, then=Value(0)),
        When(nom_recherche__startswith=forme, then=Value(1)),
        When(nom_recherche__contains=" " + forme, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    return list(
        Commune.objects.filter(nom_recherche__contains=forme)
        .annotate(rang=rang)
        .order_by("rang", "-population_municipale", "nom", "code_insee")[:limite]
    )


def liste_qpv(version=""):
    """La liste de QPV de cette version, ou la plus récente si la version est vide ; None si
    elle n'a pas été importée."""
    listes = ListeQpv.objects.all()
    if version:
        listes = listes.filter(version=version)
    return listes.order_by("-annee", "-version").first()


def versions_qpv_disponibles():
    return list(ListeQpv.objects.order_by("-annee", "-version").values_list("version", flat=True))


def qpv_touchant(commune, liste):
    """Les QPV de la liste qui touchent la commune, chacun avec toutes ses communes."""
    return list(
        Qpv.objects.filter(liste=liste, communes=commune)
        .prefetch_related(Prefetch("communes", queryset=Commune.objects.order_by("code_insee")))
        .order_by("code")
    )


def communes_de_l_epci(siren):
    return Commune.objects.filter(epci__siren=siren).select_related("epci").order_by("code_insee")

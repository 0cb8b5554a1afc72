"""Lectures des données de référence utilisées en plusieurs endroits."""

from django.db.models import Case, F, IntegerField, Prefetch, Q, Value, When

from territoires.exceptions import CommuneInconnue
from territoires.models import Commune, CommuneRattachee, CorrespondanceCode, ListeQpv, Qpv
from territoires.normalisation import code_insee_normalise, forme_de_recherche_saisie

LONGUEUR_MINIMALE_RECHERCHE = 2


def commune_par_code(code):
    """La commune en vigueur d'un code INSEE, et la correspondance suivie s'il s'agit d'un
    arrondissement municipal (75101 → Paris), d'une commune fusionnée (93059 → 93066), ou
    d'une commune déléguée ou associée (59355 Lomme → Lille).

    Lève `CommuneInconnue` pour tout autre code.
    """
    code = code_insee_normalise(code)
    commune = Commune.objects.select_related("epci").filter(code_insee=code).first()
    if commune is not None:
        return commune, None
    correspondance = (
        CorrespondanceCode.objects.select_related("commune__epci").filter(code=code).first()
    )
    if correspondance is not None:
        return correspondance.commune, correspondance
    rattachee = CommuneRattachee.objects.select_related("commune__epci").filter(code=code).first()
    if rattachee is None:
        raise CommuneInconnue(code)
    return rattachee.commune, None


def rechercher_communes(texte, limite=10):
    """Les communes dont le nom contient le texte saisi, accents, tirets, apostrophes et
    majuscules ignorés ; ou dont le code INSEE commence par lui s'il s'agit de chiffres.

    Une commune déléguée, associée ou un arrondissement municipal dont le nom correspond
    (« Lomme ») donne sa commune (Lille), qui porte alors `rattachement`. Si rien ne
    correspond, les noms à une faute de frappe près (une lettre changée, en trop ou oubliée)
    sont proposés, marqués `approchee`.

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
    trouvees = _communes_et_rattachees(Q(nom_recherche__contains=forme), rang, limite)
    if trouvees or len(forme) < LONGUEUR_MINIMALE_APPROCHEE:
        return trouvees
    return _approchees(forme, limite)


# En deçà, une lettre de différence désigne trop de communes pour aider.
LONGUEUR_MINIMALE_APPROCHEE = 4


def _approchees(forme, limite):
    """Les communes (et communes rattachées) dont le nom, ou un mot du nom, commence à une
    faute de frappe près par `forme`.

    Une seule faute laisse intacte une moitié de la saisie : la base ne rend que les noms qui
    la contiennent (LIKE, sur SQLite comme sur PostgreSQL), et la faute se vérifie ici, sur
    ces quelques centaines de noms au plus, au lieu d'une expression régulière sur 37 000.
    """
    moitie = len(forme) // 2
    moitie_intacte = (
        Q(nom_recherche__startswith=forme[:moitie])
        | Q(nom_recherche__contains=" " + forme[:moitie])
        | Q(nom_recherche__contains=forme[moitie:])
    )
    classees = []
    for pk, nom, population in Commune.objects.filter(moitie_intacte).values_list(
        "pk", "nom_recherche", "population_municipale"
    ):
        if rang := _rang_a_une_faute(forme, nom):
            classees.append((rang, -(population or 0), nom, "commune", pk))
    for pk, nom, population in (
        CommuneRattachee.objects.filter(moitie_intacte)
        .exclude(nom_recherche=F("commune__nom_recherche"))
        .values_list("pk", "nom_recherche", "commune__population_municipale")
    ):
        if rang := _rang_a_une_faute(forme, nom):
            classees.append((rang, -(population or 0), nom, "rattachee", pk))
    classees = sorted(classees)[:limite]
    communes = Commune.objects.in_bulk([pk for *_, sorte, pk in classees if sorte == "commune"])
    rattachees = CommuneRattachee.objects.select_related("commune__epci").in_bulk(
        [pk for *_, sorte, pk in classees if sorte == "rattachee"]
    )
    resultats = []
    for *_, sorte, pk in classees:
        if sorte == "commune":
            commune = communes[pk]
        else:
            commune = rattachees[pk].commune
            commune.rattachement = rattachees[pk]
        commune.approchee = True
        resultats.append(commune)
    return resultats


def _rang_a_une_faute(forme, nom):
    """1 si le nom commence à une faute près par `forme`, 2 si c'est un autre de ses mots ;
    None sinon."""
    debuts = [0] + [position + 1 for position, lettre in enumerate(nom) if lettre == " "]
    longueur = len(forme)
    for debut in debuts:
        suite = nom[debut:]
        if any(_a_une_modification_pres(forme, suite[: longueur + ecart]) for ecart in (-1, 0, 1)):
            return 1 if debut == 0 else 2
    return None


def _a_une_modification_pres(a, b):
    """Vrai si une lettre remplacée, ajoutée ou retirée (ou rien) fait passer de a à b."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    court, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:position] + long[position + 1 :] == court for position in range(len(long)))


def _communes_et_rattachees(filtre, rang, limite):
    """Deux requêtes : les communes, puis les communes rattachées (chacune rendue comme sa
    commune, avec `rattachement`), fusionnées dans l'ordre de `rang` puis de population."""
    communes = list(
        Commune.objects.filter(filtre)
        .annotate(rang=rang)
        .order_by("rang", "-population_municipale", "nom", "code_insee")[:limite]
    )
    rattachees = (
        CommuneRattachee.objects.filter(filtre)
        # Une commune déléguée qui porte le nom de sa commune (Ghyvelde) ferait doublon.
        .exclude(nom_recherche=F("commune__nom_recherche"))
        .select_related("commune__epci")
        .annotate(rang=rang)
        .order_by("rang", "-commune__population_municipale", "nom", "code")[:limite]
    )
    for rattachee in rattachees:
        commune = rattachee.commune
        commune.rang = rattachee.rang
        commune.rattachement = rattachee
        communes.append(commune)

    def ordre(commune):
        nom = commune.rattachement.nom if commune.rattachement else commune.nom
        return (commune.rang, -(commune.population_municipale or 0), nom, commune.code_insee)

    return sorted(communes, key=ordre)[:limite]


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

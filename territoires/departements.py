"""Les départements par leur nom : la liste officielle (codes INSEE, dont la Corse et
l'outre-mer) que tient django-localflavor, pour que personne n'ait à taper « 59 » ou « 2A »."""

from localflavor.fr.fr_department import DEPARTMENT_CHOICES_PER_REGION

NOMS = {code: nom for code, nom, _region in DEPARTMENT_CHOICES_PER_REGION}


def nom_du_departement(code):
    """« Nord (59) » ; le code seul s'il n'est pas dans la liste."""
    nom = NOMS.get(code)
    return f"{nom} ({code})" if nom else code


def choix_des_departements(codes):
    """[(code, « Nom (code) »)] des `codes`, dans l'ordre alphabétique des noms."""
    return sorted(((code, nom_du_departement(code)) for code in codes), key=lambda c: c[1])

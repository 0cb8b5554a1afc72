"""Le référentiel territorial (communes, populations, QPV…) pendant toute une session de tests.

Il est importé une fois, au début de la session, par la commande `import_territoires`, puis
copié en mémoire. Un test transactionnel (serveur de test, navigateur) vide toute la base en
sortant (`flush`) : la copie est alors réinsérée, en SQL brut pour aller vite, par un
récepteur du signal `post_migrate` que `flush` émet juste après avoir vidé les tables.
"""

import io

from django.core.management import call_command
from django.db import connections, transaction

from territoires.models import (
    Commune,
    CommuneRattachee,
    CorrespondanceCode,
    Epci,
    ListeQpv,
    PopulationLegale,
    Qpv,
)

PARAMETRES_PAR_REQUETE = 10000

# Dans l'ordre des clés étrangères.
TABLES = [
    Epci,
    Commune,
    PopulationLegale,
    CorrespondanceCode,
    CommuneRattachee,
    ListeQpv,
    Qpv,
    Qpv.communes.through,
]


def charger_referentiel():
    call_command("import_territoires", stdout=io.StringIO())


def copier_referentiel(using="default"):
    """[(table, colonnes, lignes)] pour chaque table du référentiel."""
    copie = []
    with connections[using].cursor() as curseur:
        for modele in TABLES:
            table = modele._meta.db_table
            colonnes = [champ.column for champ in modele._meta.concrete_fields]
            curseur.execute(f"SELECT {', '.join(colonnes)} FROM {table}")
            copie.append((table, colonnes, curseur.fetchall()))
    return copie


def restaurer_referentiel(copie, using="default"):
    """Réinsère la copie si la base a été vidée ; ne fait rien sinon."""
    # Une transaction pour toutes les lignes, sinon chacune est validée seule.
    with transaction.atomic(using=using), connections[using].cursor() as curseur:
        curseur.execute(f"SELECT 1 FROM {Commune._meta.db_table} LIMIT 1")
        if curseur.fetchone() is not None:
            return
        for table, colonnes, lignes in copie:
            if connections[using].vendor == "postgresql":
                # COPY : dix fois plus rapide que des INSERT, dont psycopg analyse le texte.
                with curseur.cursor.copy(
                    f"COPY {table} ({', '.join(colonnes)}) FROM STDIN"
                ) as flux:
                    for ligne in lignes:
                        flux.write_row(ligne)
                continue
            # Plusieurs lignes par requête, sous la limite de paramètres de SQLite.
            par_requete = PARAMETRES_PAR_REQUETE // len(colonnes)
            une_ligne = "(" + ", ".join(["%s"] * len(colonnes)) + ")"
            for debut in range(0, len(lignes), par_requete):
                lot = lignes[debut : debut + par_requete]
                curseur.execute(
                    f"INSERT INTO {table} ({', '.join(colonnes)}) VALUES "
                    + ", ".join([une_ligne] * len(lot)),
                    [valeur for ligne in lot for valeur in ligne],
                )

#!/usr/bin/env bash
# Sauvegarde et restauration de la base PostgreSQL de Relais (pg_dump / pg_restore).
#
#   scripts/sauvegarde_restauration.sh sauvegarder [FICHIER]   # défaut : var/sauvegardes/relais-<date>.dump
#   scripts/sauvegarde_restauration.sh restaurer FICHIER      # recrée la base si elle n'existe plus
#   scripts/sauvegarde_restauration.sh compter                 # lignes par table, pour comparer
#   scripts/sauvegarde_restauration.sh verifier                # CI : sauvegarde, suppression, restauration
#
# La base est celle de DATABASE_URL (postgres://utilisateur:mot_de_passe@hôte:port/base), comme
# pour l'application. Le format « custom » de pg_dump est compressé et se restaure table par
# table ; les fichiers déposés (MEDIA_ROOT) se sauvegardent à part, avec le même horodatage.
set -euo pipefail

if [[ -z "${DATABASE_URL:-}" || "${DATABASE_URL}" != postgres* ]]; then
  echo "DATABASE_URL doit désigner une base PostgreSQL (postgres://…)." >&2
  exit 2
fi

# Une URL sans nom de base : libpq la comprend telle quelle, et l'on garde le nom à part.
BASE="${DATABASE_URL##*/}"
BASE="${BASE%%\?*}"
SERVEUR="${DATABASE_URL%/*}/postgres"

compter() {
  # Nombre exact de lignes de chaque table du schéma public, trié par nom de table.
  psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -At <<'SQL'
SELECT format('SELECT %L || '' '' || count(*) FROM public.%I', tablename, tablename)
FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename
\gexec
SQL
}

sauvegarder() {
  local fichier="${1:-var/sauvegardes/relais-$(date +%Y%m%d-%H%M%S).dump}"
  mkdir -p "$(dirname "$fichier")"
  # Le fichier contient des données personnelles : lisible par son seul propriétaire.
  umask 077
  pg_dump --format=custom --no-owner --no-privileges --file="$fichier" "$DATABASE_URL"
  echo "Sauvegarde écrite : $fichier"
}

restaurer() {
  local fichier="${1:?Indiquez le fichier de sauvegarde à restaurer.}"
  if [[ ! -r "$fichier" ]]; then
    echo "Fichier illisible : $fichier" >&2
    exit 2
  fi
  # Le nom de la base passe par une variable psql (:'base', :"base") : jamais collé dans le SQL.
  psql "$SERVEUR" -v ON_ERROR_STOP=1 -q -v base="$BASE" <<'SQL'
SELECT format('CREATE DATABASE %I', :'base')
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'base')
\gexec
SQL
  # --clean --if-exists : restaurer sur une base existante remplace ses tables ;
  # --single-transaction : une restauration interrompue ne laisse rien à moitié.
  pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction \
    --exit-on-error --dbname="$DATABASE_URL" "$fichier"
  echo "Base $BASE restaurée depuis $fichier"
}

verifier() {
  # Sauvegarde, suppression de la base, restauration : les comptes de lignes doivent être égaux.
  local dossier
  dossier="$(mktemp -d)"
  trap 'rm -rf "$dossier"' RETURN
  compter >"$dossier/avant.txt"
  if [[ ! -s "$dossier/avant.txt" ]]; then
    echo "La base $BASE n'a aucune table : rien à vérifier." >&2
    return 1
  fi
  sauvegarder "$dossier/relais.dump"
  psql "$SERVEUR" -v ON_ERROR_STOP=1 -q -v base="$BASE" <<<'DROP DATABASE :"base" WITH (FORCE)'
  restaurer "$dossier/relais.dump"
  compter >"$dossier/apres.txt"
  if ! diff -u "$dossier/avant.txt" "$dossier/apres.txt"; then
    echo "Les comptes de lignes diffèrent après restauration." >&2
    return 1
  fi
  echo "Restauration vérifiée : $(wc -l <"$dossier/avant.txt") tables," \
    "$(awk '{s += $2} END {print s}' "$dossier/avant.txt") lignes, identiques."
}

commande="${1:-}"
shift || true
case "$commande" in
  sauvegarder) sauvegarder "$@" ;;
  restaurer) restaurer "$@" ;;
  compter) compter ;;
  verifier) verifier ;;
  *)
    sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac

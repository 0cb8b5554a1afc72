#!/usr/bin/env bash
# CI : une base PostgreSQL de démonstration (migrations, référentiel, données de démo) est
# sauvegardée, supprimée puis restaurée par scripts/sauvegarde_restauration.sh, qui compare le
# nombre de lignes de chaque table avant et après.
set -euo pipefail
cd "$(dirname "$0")/.."

SERVEUR="${CI_POSTGRES_SERVEUR:-postgres://postgres@127.0.0.1:5432}"
export DATABASE_URL="$SERVEUR/relais_verification_sauvegarde"
export SECRET_KEY="${SECRET_KEY:-verification-sauvegarde-uniquement-$(date +%s)-xxxxxxxxxxxxxxxx}"
export CELERY_TASK_ALWAYS_EAGER=1
unset REDIS_URL

psql "$SERVEUR/postgres" -v ON_ERROR_STOP=1 -q \
  -c "DROP DATABASE IF EXISTS relais_verification_sauvegarde WITH (FORCE)" \
  -c "CREATE DATABASE relais_verification_sauvegarde"
.venv/bin/python manage.py migrate --noinput -v 0
.venv/bin/python manage.py import_territoires -v 0
.venv/bin/python manage.py seed_demo -v 0
scripts/sauvegarde_restauration.sh verifier
psql "$SERVEUR/postgres" -q -c "DROP DATABASE relais_verification_sauvegarde WITH (FORCE)"

#!/usr/bin/env bash
# Audit des dépendances épinglées (pip-audit) sur l'environnement du projet.
#
# pip-audit interroge l'API JSON de PyPI version par version (https://pypi.org/pypi/<nom>/
# <version>/json). Si cette API ne répond pas (sur la machine de CI actuelle, le mandataire du
# registre répond 404 à chaque version et api.osv.dev ne se résout pas), l'audit ne peut rien
# juger : il le dit et rend la main sans échec, sauf avec RELAIS_AUDIT_OBLIGATOIRE=1.
# Dès que l'API répond, toute vulnérabilité connue fait échouer la CI ; les exceptions
# acceptées sont dans .pip-audit-exceptions, une par ligne (identifiant, puis la raison).
set -euo pipefail
cd "$(dirname "$0")/.."

SONDE="https://pypi.org/pypi/django/$(.venv/bin/python -c 'import django; print(django.__version__)')/json"
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 15 "$SONDE" || true)
if [ "$code" != "200" ]; then
  echo "pip-audit : l'API de PyPI ne répond pas par version ($SONDE → ${code:-aucune réponse})."
  echo "pip-audit : audit impossible depuis cette machine, rien n'a été jugé."
  if [ "${RELAIS_AUDIT_OBLIGATOIRE:-0}" = "1" ]; then exit 1; fi
  exit 0
fi

exceptions=()
if [ -f .pip-audit-exceptions ]; then
  while read -r identifiant _raison; do
    case "$identifiant" in ""|\#*) continue ;; esac
    exceptions+=(--ignore-vuln "$identifiant")
  done < .pip-audit-exceptions
fi
.venv/bin/pip-audit --strict --skip-editable --progress-spinner off "${exceptions[@]}"

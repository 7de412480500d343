#!/bin/sh
# Creates Temporal's two PostgreSQL databases, `temporal` and `temporal_visibility`, and brings
# their schemas to the version the temporal-sql-tool build carries (its embedded schema files).
# Safe to run again: an existing database is kept and update-schema applies only what is missing.
#
# Run by docker-compose.yml (the temporal-schema job, in the admin-tools image) and by
# scripts/ensure-temporal-cluster (with the tool built from the same server version), so the
# tested cluster and the compose cluster get their schema the same way.
#
# Environment: POSTGRES_SEEDS (host), DB_PORT (5432), POSTGRES_USER, POSTGRES_PWD,
# SQL_TOOL (temporal-sql-tool on PATH).
set -eu

: "${POSTGRES_SEEDS:?set POSTGRES_SEEDS to the PostgreSQL host}"
: "${POSTGRES_USER:?set POSTGRES_USER}"
tool="${SQL_TOOL:-temporal-sql-tool}"

sql() {
  "$tool" --plugin postgres12 --endpoint "$POSTGRES_SEEDS" --port "${DB_PORT:-5432}" \
    --user "$POSTGRES_USER" --password "${POSTGRES_PWD:-}" "$@"
}

for pair in temporal:postgresql/v12/temporal temporal_visibility:postgresql/v12/visibility; do
  db="${pair%%:*}"
  schema="${pair#*:}"
  echo "temporal-schema: $db ($schema)"
  sql --database "$db" create-database
  # Version 0.0 with no schema file only creates the versioning tables (a no-op when present).
  sql --database "$db" setup-schema --version 0.0
  sql --database "$db" update-schema --schema-name "$schema"
done
echo "temporal-schema: done"

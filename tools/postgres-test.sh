#!/usr/bin/env bash
# The transparency log's store suite on a real PostgreSQL (Debian's), on 127.0.0.1:5432:
# installs and starts it when missing (needs root, as on CI machines), then runs the
# healthpass-log tests with the `postgres` feature (the SQLite suite runs in `cargo test`).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v pg_ctlcluster >/dev/null || [ -z "$(ls /usr/lib/postgresql 2>/dev/null)" ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
pgver=$(ls /usr/lib/postgresql | sort -n | tail -1)
pg_lsclusters -h | grep -q "^$pgver main" || pg_createcluster "$pgver" main
pg_ctlcluster "$pgver" main status >/dev/null || pg_ctlcluster "$pgver" main start
su postgres -c "psql -qc \"ALTER USER postgres PASSWORD 'postgres'\""
su postgres -c "psql -lqt" | cut -d'|' -f1 | grep -qw healthpass || su postgres -c "createdb healthpass"
export HEALTHPASS_TEST_POSTGRES="host=127.0.0.1 port=5432 user=postgres password=postgres dbname=healthpass"
cargo test -p healthpass-log --features postgres
cargo clippy -p healthpass-log --all-targets --features postgres -- -D warnings
# The CLI on PostgreSQL: issue --log, log init|checkpoint|hashes|serve, history, audit.
cargo test -p healthpass-cli --test cli_log_postgres

#!/usr/bin/env bash
# Creates deploy/.env from deploy/.env.example with a fresh random secret in place of every change-me.
# Run once before the first `docker compose -f deploy/compose.yaml up --build`; an existing .env is kept.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ -e "$here/.env" ]; then
    echo "deploy/.env exists; keeping it"
    exit 0
fi
umask 077
while IFS= read -r line; do
    while [[ $line == *change-me* ]]; do
        line="${line/change-me/$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')}"
    done
    printf '%s\n' "$line"
done < "$here/.env.example" > "$here/.env"
echo "wrote deploy/.env with generated secrets (mode 600); the admin and Grafana passwords are in it"

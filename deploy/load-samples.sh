#!/usr/bin/env bash
# Loads the three SINARM sample files into the compose stack's ThorDB through capture-service's REST API
# (POST /api/ingestions, with the admin credentials from deploy/.env), waits for each load and its
# refinement, and prints the outcome. The rows then replicate to every target.
#
#   deploy/load-samples.sh [CAPTURE_URL]     (default http://localhost:8081)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
samples="$here/../capture-service/src/main/resources/sinarm"
url="${1:-http://localhost:8081}"
[ -f "$here/.env" ] || { echo "deploy/.env is missing: run deploy/init-env.sh first" >&2; exit 1; }
user=$(sed -n 's/^BIFROST_ADMIN_USER=//p' "$here/.env")
password=$(sed -n 's/^BIFROST_ADMIN_PASSWORD=//p' "$here/.env")

for dataset in registros portes ocorrencias; do
    location=$(curl -fsS -u "$user:$password" -F "dataset=$dataset" -F "file=@$samples/$dataset.csv" \
        -o /dev/null -w '%header{location}' "$url/api/ingestions")
    [ -n "$location" ] || { echo "$dataset: no Location in the answer" >&2; exit 1; }
    case $location in http*) ;; *) location="$url$location" ;; esac
    for _ in $(seq 1 120); do
        body=$(curl -fsS "$location")
        case $body in
            *'"state":"running"'*) sleep 1 ;;
            *'"state":"succeeded"'*) echo "$dataset: $body" | cut -c1-200; break ;;
            *) echo "$dataset: $body" >&2
               case $body in *already*) break ;; *) exit 1 ;; esac ;;
        esac
    done
done

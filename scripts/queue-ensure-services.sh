#!/usr/bin/env bash
# The queue-mode suite and bench start their own PostgreSQL and Redis from Debian's packages
# (harness/queue.ts). Installs them when missing and this user may (root, as on this project's
# machines); otherwise says how. The packages' own services are left alone (never started here).
set -euo pipefail
if compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null && command -v redis-server >/dev/null; then exit 0; fi
if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
	echo "queue-ensure-services: installing Debian's postgresql and redis-server for the queue-mode tests" >&2
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql redis-server >&2
	exit 0
fi
echo "queue-ensure-services: PostgreSQL or Redis is missing. Install them (Debian: sudo apt-get install postgresql redis-server)." >&2
exit 1

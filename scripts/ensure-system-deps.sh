#!/usr/bin/env bash
# Install what the test suite needs from Debian when it is missing, and make sure a
# PostgreSQL server answers. Prints the DATABASE_URL to use for the PostgreSQL run on stdout.
#
#   chromium           Debian's browser for the Playwright tests (never a downloaded browser)
#   libpango-1.0-0 ... WeasyPrint's rendering libraries for PDF board packs
#   postgresql         only if no server listens on 127.0.0.1:5432
set -euo pipefail

log() { echo "[system-deps] $*" >&2; }
SUDO=""
if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null; then SUDO="sudo"; fi

apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then
    log "apt-get update"
    $SUDO apt-get update -qq >&2
    apt_updated=1
  fi
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" >&2
}

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
for lib in libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core; do
  dpkg -s "$lib" >/dev/null 2>&1 || missing+=("$lib")
done
if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi

# PostgreSQL: use the server on 127.0.0.1:5432 if one answers (trust auth, database "test");
# otherwise start a private throw-away cluster with trust auth on port 54329.
if command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432 \
   && psql -h 127.0.0.1 -p 5432 -U postgres -d test -c 'select 1' >/dev/null 2>&1; then
  echo "postgres://postgres@127.0.0.1:5432/test"
  exit 0
fi
if [ -n "$(ls /etc/postgresql 2>/dev/null)" ] && command -v pg_ctlcluster >/dev/null; then
  log "starting the machine's PostgreSQL cluster"
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start >&2 || true
  sleep 2
  if pg_isready -q -h 127.0.0.1 -p 5432 && psql -h 127.0.0.1 -p 5432 -U postgres -d test -c 'select 1' >/dev/null 2>&1; then
    echo "postgres://postgres@127.0.0.1:5432/test"
    exit 0
  fi
fi
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || apt_install postgresql
PGBIN="$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")"
PGDATA="${TRUSTLENS_PGDATA:-/tmp/trustlens-pg}"
PGPORT=54329
RUNAS=()
if [ "$(id -u)" = "0" ]; then RUNAS=(runuser -u postgres --); mkdir -p "$PGDATA"; chown postgres "$PGDATA"; fi
if ! pg_isready -q -h 127.0.0.1 -p "$PGPORT"; then
  if [ ! -f "$PGDATA/PG_VERSION" ]; then
    log "initdb a private cluster in $PGDATA"
    "${RUNAS[@]}" "$PGBIN/initdb" -D "$PGDATA" -A trust -U postgres >&2
  fi
  "${RUNAS[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" -o "-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1" -l "$PGDATA/log" -w start >&2
fi
psql -h 127.0.0.1 -p "$PGPORT" -U postgres -tc "select 1 from pg_database where datname='test'" | grep -q 1 \
  || psql -h 127.0.0.1 -p "$PGPORT" -U postgres -c "create database test" >&2
echo "postgres://postgres@127.0.0.1:$PGPORT/test"

# Shared by scripts/demo, scripts/test and .ci/run. Source it; do not run it.
UV_VERSION="0.13.9"
export UV_PYTHON_DOWNLOADS=never UV_LINK_MODE=copy

# uv installs the locked dependencies (uv.lock) into .venv. uv itself comes from PyPI into a small
# virtual environment of its own (var/bootstrap), so a system Python that refuses pip installs
# ("externally managed", as on Debian 12) is never touched. Arguments go to uv sync (--no-dev).
UV=var/bootstrap/bin/uv
ensure_uv() {
  if [ ! -x "$UV" ] || [ "$("$UV" --version 2>/dev/null)" != "uv ${UV_VERSION}" ]; then
    mkdir -p var
    python3 -m venv var/bootstrap
    var/bootstrap/bin/python -m pip install --quiet --disable-pip-version-check "uv==${UV_VERSION}"
  fi
}
ensure_python_env() {
  ensure_uv
  "$UV" sync --frozen --quiet --python 3.11 "$@"
}

# Debian packages the test suite drives: Chromium (browser tests), zbar (QR decoding),
# poppler (PDF text), gettext (message catalogs), npm (axe-core for the accessibility checks).
ensure_debian_packages() {
  local missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v zbarimg >/dev/null 2>&1 || missing+=(zbar-tools)
  command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
  command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing Debian packages: ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# PostgreSQL and Redis on 127.0.0.1, started the way this machine's services are started.
ensure_services() {
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    echo "Starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
  if [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" != "PONG" ]; then
    echo "Starting Redis"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
    for _ in $(seq 1 30); do [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = "PONG" ] && break; sleep 1; done
  fi
}

# axe-core, which the browser tests run in each page for accessibility, from the npm registry into
# tests/browser/axe/node_modules (locked by its package-lock.json; never committed, never a CDN).
AXE_DIR=tests/browser/axe
ensure_node_packages() {
  local wanted installed
  wanted=$(sed -n 's/.*"axe-core": "\(.*\)".*/\1/p' "$AXE_DIR/package.json")
  installed=$(sed -n 's/^  "version": "\(.*\)",/\1/p' "$AXE_DIR/node_modules/axe-core/package.json" 2>/dev/null || true)
  if [ "$wanted" != "$installed" ]; then
    npm ci --prefix "$AXE_DIR" --no-audit --no-fund --silent
  fi
}

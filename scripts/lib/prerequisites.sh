# Shared by scripts/run and scripts/test: install what a fresh Debian machine with rustup,
# node/npm and apt lacks. Each step is skipped when its tool is already there.

step() { printf '\n==> %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then
    as_root apt-get update -qq
    apt_updated=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

need_rust() {
  command -v cargo >/dev/null || { echo "cargo is missing: install Rust with rustup first" >&2; exit 1; }
}

need_wasm_target() {
  if ! rustup target list --installed 2>/dev/null | grep -q '^wasm32-unknown-unknown$'; then
    step "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

# Release builds shrink the wasm with binaryen's wasm-opt (Debian's is too old).
need_wasm_opt() {
  if ! command -v wasm-opt >/dev/null; then
    if command -v npm >/dev/null; then
      step "installing wasm-opt (binaryen) from npm"
      as_root npm install -g --silent binaryen@132 >/dev/null 2>&1 || echo "wasm-opt unavailable: the wasm stays unoptimised" >&2
    fi
  fi
}

need_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    step "installing Chromium for the browser tests"
    apt_install chromium
  fi
}

need_postgres() {
  if ! command -v initdb >/dev/null || ! command -v postgres >/dev/null; then
    local bin
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [ -z "$bin" ]; then
      step "installing PostgreSQL for the integration tests"
      apt_install postgresql
      bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    fi
    export PATH="$bin:$PATH"
  fi
}

# The edge test puts Varnish (with varnish-modules' xkey) in front of two nodes.
need_varnish() {
  if [ ! -x /usr/sbin/varnishd ] || ! ls /usr/lib/*/varnish/vmods/libvmod_xkey.so >/dev/null 2>&1; then
    step "installing Varnish and varnish-modules for the edge test"
    apt_install varnish varnish-modules
  fi
}

need_python_venv() {
  if [ ! -x target/py/bin/python ]; then
    step "creating a Python environment for the OpenAPI validator"
    python3 -m venv target/py 2>/dev/null || { apt_install python3-venv; python3 -m venv target/py; }
  fi
  target/py/bin/pip install -q --disable-pip-version-check "$@"
}

#!/usr/bin/env bash
# Idempotent set-up of the development tree. Each step is skipped when its
# stamp in var/ matches the inputs, so a second run costs a second.
#   scripts/bootstrap.sh [command]   ("test" also installs Chromium)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VAR=$ROOT/var
SAO_VERSION="8.0"
PYTHON=${PYTHON:-python3}
mkdir -p "$VAR"

LOG=$VAR/setup.log
say() { printf '[setup] %s\n' "$*"; }

quietly() {  # run a noisy step with its output in var/setup.log
    if ! "$@" >>"$LOG" 2>&1; then
        tail -n 40 "$LOG" >&2
        echo "[setup] failed: $* (full output in $LOG)" >&2
        exit 1
    fi
}

stamp_ok() {  # stamp_ok NAME VALUE: true when var/NAME.stamp holds VALUE
    [ -f "$VAR/$1.stamp" ] && [ "$(cat "$VAR/$1.stamp")" = "$2" ]
}

python_env() {
    local inputs
    inputs=$(cat pyproject.toml addons/*/pyproject.toml | sha1sum | cut -d' ' -f1)
    if [ -x .venv/bin/callcenter ] && stamp_ok python "$inputs"; then return; fi
    say "Python virtualenv and packages (.venv)"
    [ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
    quietly .venv/bin/pip install --disable-pip-version-check --upgrade pip setuptools wheel
    local editables=()
    for addon in addons/*/; do editables+=(-e "$addon"); done
    quietly .venv/bin/pip install --disable-pip-version-check \
        --no-build-isolation "${editables[@]}" -e ".[test]"
    echo "$inputs" > "$VAR/python.stamp"
}

web_client() {
    local target=$VAR/sao
    if [ -f "$target/package/index.html" ] && [ -d "$target/package/node_modules/jquery" ] \
            && stamp_ok sao "$SAO_VERSION"; then return; fi
    command -v npm >/dev/null || install_debian nodejs npm
    say "Web client tryton-sao $SAO_VERSION (npm)"
    rm -rf "$target" && mkdir -p "$target"
    (cd "$target" && quietly npm pack "tryton-sao@$SAO_VERSION" \
        && tar xzf tryton-sao-*.tgz && rm tryton-sao-*.tgz \
        && cd package && quietly npm install --omit=dev --legacy-peer-deps \
            --no-audit --no-fund)
    echo "$SAO_VERSION" > "$VAR/sao.stamp"
}

install_debian() {
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    say "Debian packages: $*"
    quietly $sudo apt-get update
    quietly $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
}

test_tools() {  # Chromium with CJK fonts for browser tests, compose to validate docker/
    if [ -x /usr/bin/chromium ] && command -v docker-compose >/dev/null \
            && fc-list 2>/dev/null | grep -qi "wenquanyi"; then return; fi
    install_debian chromium fonts-wqy-zenhei fontconfig docker-compose
}

python_env
web_client
case "${1:-}" in
    test) test_tools ;;
esac

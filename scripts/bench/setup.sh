#!/usr/bin/env bash
# Installs what `npm run bench` needs besides the npm packages (Debian/Ubuntu, as root):
#   janus             the comparison server (Debian's package: streaming plugin + HTTP transport)
#   gcc, libc6-dev    to build scripts/bench/janus-loopback.c, which lets Janus gather ICE
#                     candidates on 127.0.0.1 (Janus skips loopback interfaces otherwise)
# The bench writes its own Janus configuration to a temporary directory and starts Janus
# itself; a system-wide Janus service, if the package starts one, is not used.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
need=()
[ -x /usr/bin/janus ] || need+=(janus)
command -v cc >/dev/null 2>&1 || need+=(gcc libc6-dev)
if [ ${#need[@]} -gt 0 ] && [ "$(id -u)" != 0 ]; then
  echo "bench prerequisites missing (${need[*]}) and not root: the Janus comparison will be skipped" >&2
  exit 0
fi
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
echo "bench prerequisites: janus $(dpkg-query -W -f='${Version}' janus), $(cc --version | head -1)"

#!/bin/sh
# Installs promtool and amtool (Debian packages `prometheus` and `prometheus-alertmanager`) for the alerting
# tests (test/environments/alerting-tools.test.ts). Only the command-line tools are needed: the services the
# packages also install are stopped and disabled where systemd runs.
set -eu
case "${1:-}" in
  -h|--help)
    echo "Usage: npm run tools:install   (sh .ci/install-alerting-tools.sh)"
    echo "Installs promtool and amtool from Debian's packages prometheus and prometheus-alertmanager (apt-get, as root or with sudo)."
    exit 0 ;;
esac
if command -v promtool >/dev/null 2>&1 && command -v amtool >/dev/null 2>&1; then
  echo "promtool and amtool are installed"; exit 0
fi
if [ "$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends prometheus prometheus-alertmanager
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  $SUDO systemctl disable --now prometheus prometheus-alertmanager prometheus-node-exporter 2>/dev/null || true
fi
command -v promtool && command -v amtool

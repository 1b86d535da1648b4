#!/usr/bin/env bash
# Installs the Debian packages this project needs outside npm. Safe to run again: it only touches apt
# when something is missing, and it never fails a setup where it cannot act (no root, no apt-get).
#   fonts-noto-cjk  — the CJK font embedded in the 行政检查通知书 PDF (src/codes/notice-pdf.ts)
#   poppler-utils   — pdftotext, which the unit tests use to read the notice back
#   chromium        — the browser for the browser tests
#   zbar-tools      — zbarimg, which decodes the notice's QR from the PDF rendered at 100 dpi (test/process/notice-qr-decode.test.ts)
#   openssl, jq     — the independent verifier of docs/CODE-FORMAT.md §6 (Ed25519 and SM2), run by test/process/codes-openssl.test.ts
#   postgresql-client — pg_dump and pg_restore for the backup drill (test/postgres/backup-drill.test.ts)
#   postgresql      — the server binaries (initdb, pg_ctl, pg_basebackup) the failover test starts a primary and a
#                     standby with (test/postgres/failover.test.ts); the package's own cluster is not needed by it
set -euo pipefail

# Paired list: a package, then a file whose presence shows it is installed. Checking a file rather than
# dpkg status keeps the script honest on images where the file came from somewhere else.
checks=(
  fonts-noto-cjk /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
  poppler-utils /usr/bin/pdftotext
  chromium /usr/bin/chromium
  openssl /usr/bin/openssl
  jq /usr/bin/jq
  postgresql-client /usr/bin/pg_dump
  postgresql '/usr/lib/postgresql/*/bin/pg_basebackup'
  zbar-tools /usr/bin/zbarimg
)

missing=()
for ((i = 0; i < ${#checks[@]}; i += 2)); do
  pkg=${checks[i]}
  file=${checks[i + 1]}
  # A glob (the server binaries live under their major version) counts when anything matches it.
  if compgen -G "$file" >/dev/null; then
    echo "ok       $pkg ($file)"
  else
    missing+=("$pkg")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "setup-system: nothing to install"
  exit 0
fi

echo "setup-system: missing: ${missing[*]}"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-system: apt-get not found; install these with your system's package manager: ${missing[*]}"
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "setup-system: not root; run: sudo $0   (or: apt-get install ${missing[*]})"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${missing[@]}"
echo "setup-system: installed ${missing[*]}"

#!/usr/bin/env bash
# Makes an upgrade fixture: a small archive written by a given release of
# Arshif, the export that release gives of it, and the test-only secrets
# to sign in to it. `tests/upgrade.rs` opens every fixture under
# tests/data/archives/ with the current code (see README.md there).
#
# Usage: tests/data/archives/make-fixture.sh REV [--bin PATH] [--name NAME] [--force]
#   REV         the release: a git tag or commit of this repository; its
#               Cargo.toml version names the folder (tests/data/archives/<version>)
#   --bin PATH  an `arshif` binary already built from REV (skips building it)
#   --name NAME the folder's name instead of the version (a development
#               snapshot between releases)
#   --force     replace an existing folder of that name
#
# The archive is made the way people make theirs: the seed page and part
# of tests/data/stories imported from the command line, an API token, a
# second token revoked, the server started with a password, a sign-in
# (its session), the other stories uploaded through POST /api/imports, then
# a reparse. The session's expiry is moved to 9999 so that the fixture does
# not expire 30 days after it was made. Needs git, cargo (unless --bin),
# curl, zip, python3 (a free port) and sqlite3 (compacting the file).
set -euo pipefail

REV=""; BIN=""; NAME=""; FORCE=0
while [ $# -gt 0 ]; do
  case "$1" in
    --bin) BIN=$(realpath "$2"); shift 2 ;;
    --name) NAME=$2; shift 2 ;;
    --force) FORCE=1; shift ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) REV=$1; shift ;;
  esac
done
[ -n "$REV" ] || { sed -n '2,15p' "$0" >&2; exit 2; }

cd "$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
COMMIT=$(git rev-parse --verify "$REV^{commit}")
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$WORK"' EXIT

# The release's own source and test data.
mkdir "$WORK/src"
git archive "$COMMIT" | tar -x -C "$WORK/src"
# git archive dates files at the commit, before any build in a shared
# target folder: cargo could take another tree's artifact as fresh.
find "$WORK/src" -type f -exec touch {} +
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' "$WORK/src/Cargo.toml" | head -1)
OUT="tests/data/archives/${NAME:-$VERSION}"
if [ -e "$OUT" ] && [ "$FORCE" -ne 1 ]; then
  echo "$OUT exists (use --force to replace it)" >&2; exit 1
fi
if [ -z "$BIN" ]; then
  # A dev build: the archive is the same, and with CARGO_TARGET_DIR=target
  # (absolute) only the arshif crate compiles when the dependencies match.
  TARGET="${CARGO_TARGET_DIR:-$WORK/target}"
  (cd "$WORK/src" && CARGO_TARGET_DIR="$TARGET" cargo build --locked --quiet --bin arshif)
  cp "$TARGET/debug/arshif" "$WORK/arshif"
  BIN="$WORK/arshif"
fi

# The inputs, kept beside the archive so the test can import them afresh.
INPUTS="$WORK/inputs"
mkdir -p "$INPUTS"
cp "$WORK/src/tests/data/seed/000_32f10a57e3468d13.txt" "$INPUTS/1-seed.txt"
(cd "$WORK/src/tests/data/stories" && zip -q -X "$INPUTS/2-stories.zip" 0000[0-5]*.txt)
(cd "$WORK/src/tests/data/stories" && zip -q -X "$INPUTS/3-upload.zip" 0000[6-9]*.txt 0001*.txt)

DB="$WORK/archive.db"
export RUST_LOG=warn
"$BIN" import --db "$DB" "$INPUTS/1-seed.txt" 2>/dev/null
"$BIN" import --db "$DB" "$INPUTS/2-stories.zip" 2>/dev/null
TOKEN=$("$BIN" token create --db "$DB" --name fixture)
REVOKED=$("$BIN" token create --db "$DB" --name revoked)
"$BIN" token revoke --db "$DB" 2
PASSWORD="fixture-password-$VERSION"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
ARSHIF_ADMIN_PASSWORD="$PASSWORD" "$BIN" serve --db "$DB" --addr "127.0.0.1:$PORT" 2>"$WORK/serve.log" &
SERVER=$!
for _ in $(seq 200); do curl -fs "$BASE/healthz" >/dev/null && break; sleep 0.1; done
JAR="$WORK/cookies"
CSRF=$(curl -fs -c "$JAR" "$BASE/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
curl -fs -b "$JAR" -c "$JAR" -o /dev/null -d "csrf=$CSRF&password=$PASSWORD" "$BASE/login"
SESSION=$(awk '$6 == "arshif_session" {print $7}' "$JAR")
[ -n "$SESSION" ] || { echo "sign-in failed" >&2; exit 1; }
curl -fs -H "Authorization: Bearer $TOKEN" -F "file=@$INPUTS/3-upload.zip" "$BASE/api/imports" >/dev/null
kill -TERM "$SERVER"; wait "$SERVER"
"$BIN" reparse --db "$DB" 2>/dev/null

sqlite3 "$DB" "UPDATE sessions SET expires_at = '9999-12-31T00:00:00Z';"
"$BIN" export --db "$DB" --out "$WORK/expected.jsonl"
# One compact file: the WAL folded in, free pages dropped (no -wal/-shm).
sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE); VACUUM;" >/dev/null
[ ! -e "$DB-wal" ] || [ ! -s "$DB-wal" ] || { echo "WAL left over" >&2; exit 1; }

rm -rf "$OUT"
mkdir -p "$OUT/inputs"
cp "$DB" "$OUT/archive.db"
cp "$WORK/expected.jsonl" "$OUT/expected.jsonl"
cp "$INPUTS"/* "$OUT/inputs/"
cat >"$OUT/secrets.json" <<EOF
{
  "password": "$PASSWORD",
  "token": "$TOKEN",
  "revoked_token": "$REVOKED",
  "session": "$SESSION"
}
EOF
cat >"$OUT/README.md" <<EOF
# Upgrade fixture: Arshif $VERSION${NAME:+ ($NAME)}

Made by \`tests/data/archives/make-fixture.sh\` from commit \`$COMMIT\`
(version $VERSION, migrations up to \`$(ls "$WORK/src/migrations" | tail -1)\`).

- \`archive.db\`: the archive, compact (no WAL). Imports, in order:
  \`inputs/1-seed.txt\` and \`inputs/2-stories.zip\` from the command line,
  \`inputs/3-upload.zip\` through \`POST /api/imports\`, then \`arshif reparse\`.
- \`expected.jsonl\`: \`arshif export\` of it by that release.
- \`secrets.json\`: **test-only values**, never used anywhere else: the admin
  password, a live API token, a revoked one, and the session cookie of a
  sign-in (its expiry moved to 9999 so the fixture does not age).
EOF
echo "wrote $OUT ($(du -sh "$OUT" | cut -f1))"

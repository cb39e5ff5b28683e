#!/usr/bin/env bash
# The README's test command (`npm test`). Runs, in order: the typecheck (tsc, then svelte-check; each counts
# as one test), Vitest, Playwright (both projects), pytest (scripts/test-py.sh). Ends with ONE line,
# "N passed, N failed" (", N skipped" when some were), summed over all runners; exits 1 if anything failed.
# A runner that crashes, hangs past its limit or writes no report counts as a failure (scripts/test-count.mjs).
set -u
cd "$(dirname "$0")/.." || exit 1
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
: >"$tmp/rows"

# record NAME PASSED FAILED SKIPPED
record() { printf '%s %s %s %s\n' "$1" "$2" "$3" "$4" >>"$tmp/rows"; }
banner() { printf '\n=== %s\n' "$1"; }
# tally NAME KIND REPORT RC: count one runner's report; if even the counter fails, that is one failure.
tally() {
  local out
  out="$(node scripts/test-count.mjs "$2" "$3" "$4")"
  [[ "$out" =~ ^[0-9]+\ [0-9]+\ [0-9]+$ ]] || out='0 1 0'
  record "$1" $out
}

banner 'typecheck: tsc --noEmit'
if timeout 900 npx tsc --noEmit -p tsconfig.json; then record tsc 1 0 0; else record tsc 0 1 0; fi

banner 'typecheck: svelte-check (the .svelte files tsc cannot see)'
if timeout 900 npx svelte-check --tsconfig tsconfig.json --threshold error --output human; then
  record svelte-check 1 0 0
else
  record svelte-check 0 1 0
fi

banner 'unit: vitest run'
timeout 1800 npx vitest run --reporter=default --reporter=json --outputFile.json="$tmp/vitest.json"
rc=$?
tally vitest vitest "$tmp/vitest.json" "$rc"

banner 'e2e: playwright test (browser + electron projects)'
PLAYWRIGHT_JSON_OUTPUT_NAME="$tmp/e2e.json" timeout 2400 npx playwright test --reporter=line,json
rc=$?
tally playwright playwright "$tmp/e2e.json" "$rc"

banner 'python: npm run test:py (pytest)'
timeout 2400 npm run --silent test:py 2>&1 | tee "$tmp/pytest.log"
rc=${PIPESTATUS[0]}
tally pytest pytest "$tmp/pytest.log" "$rc"

banner 'summary'
awk '{ printf "  %-13s %4d passed %4d failed %4d skipped\n", $1, $2, $3, $4 }' "$tmp/rows"
read -r P F S < <(awk '{ p += $2; f += $3; s += $4 } END { print p + 0, f + 0, s + 0 }' "$tmp/rows")
line="$P passed, $F failed"
[ "$S" -gt 0 ] && line="$line, $S skipped"
echo "$line"
[ "$F" -eq 0 ]

// Turns one test runner's report into "passed failed skipped" (three integers on one line) for scripts/test.sh.
//   node scripts/test-count.mjs vitest|playwright|pytest REPORT_FILE EXIT_CODE
// A runner that crashed (no report, unreadable report) or exited non-zero without a failing test counts as
// one failure, so a broken runner can never read as green.
import { existsSync, readFileSync } from 'node:fs'

const [kind, file, rcText] = process.argv.slice(2)
const rc = Number(rcText)

function counts() {
  if (!file || !existsSync(file)) return { passed: 0, failed: 0, skipped: 0, why: `no report from ${kind}` }
  const text = readFileSync(file, 'utf8')
  if (kind === 'pytest') return pytest(text)
  let json
  try {
    json = JSON.parse(text)
  } catch (e) {
    return { passed: 0, failed: 0, skipped: 0, why: `unreadable ${kind} report: ${e.message}` }
  }
  return kind === 'vitest' ? vitest(json) : playwright(json)
}

/** Vitest's Jest-compatible JSON: a file that failed to load has status "failed" and no assertions. */
function vitest(j) {
  const brokenFiles = (j.testResults ?? []).filter(
    (f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed'),
  ).length
  return {
    passed: j.numPassedTests ?? 0,
    failed: (j.numFailedTests ?? 0) + brokenFiles,
    skipped: (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0),
  }
}

/** Playwright's JSON reporter: flaky tests passed on retry; top-level errors (web server, config) are failures. */
function playwright(j) {
  // A skip must say why where CI can read it (the line reporter does not print reasons).
  const reasons = new Map()
  const walk = (suite) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        if (t.status !== 'skipped') continue
        const why = (t.annotations ?? []).find((a) => a.type === 'skip')?.description || 'no reason given'
        reasons.set(why, [...(reasons.get(why) ?? []), `[${t.projectName}] ${spec.title}`])
      }
    }
    for (const child of suite.suites ?? []) walk(child)
  }
  for (const suite of j.suites ?? []) walk(suite)
  for (const [why, tests] of reasons) console.error(`skipped ${tests.length}: ${why}\n  ${tests.join('\n  ')}`)
  const s = j.stats ?? {}
  return {
    passed: (s.expected ?? 0) + (s.flaky ?? 0),
    failed: (s.unexpected ?? 0) + (j.errors ?? []).length,
    skipped: s.skipped ?? 0,
  }
}

/** pytest's summary line, e.g. "2 failed, 14 passed, 1 skipped, 1 error in 9.1s". */
function pytest(text) {
  const lines = text.split('\n').filter((l) => /\d+ (passed|failed|errors?|skipped)\b/.test(l))
  const last = lines.at(-1)
  if (!last) return { passed: 0, failed: 0, skipped: 0, why: 'no pytest summary line' }
  const n = (re) => [...last.matchAll(re)].reduce((s, m) => s + Number(m[1]), 0)
  return {
    passed: n(/(\d+) (?:passed|xpassed)\b/g),
    failed: n(/(\d+) (?:failed|errors?)\b/g),
    skipped: n(/(\d+) (?:skipped|xfailed)\b/g),
  }
}

const c = counts()
if (c.why || (rc !== 0 && c.failed === 0)) {
  c.failed += 1
  console.error(`test-count: ${kind}: ${c.why ?? `exited ${rc} with no failing test`}; counted as 1 failure`)
}
console.log(`${c.passed} ${c.failed} ${c.skipped}`)

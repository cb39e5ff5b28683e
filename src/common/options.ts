/**
 * Command-line options from one table: the hosts (cli/args.ts, server/args.ts) hand the table to Node's
 * own `util.parseArgs` (`parseArgsConfig`), check what it read here (`readOptions`: unknown options,
 * missing values, whole-number ranges, choices, empty values), and print `--help` from the same table
 * (`optionHelp`), so a flag is declared once. Pure TS: the Node call stays in the hosts.
 */

export interface OptionSpec {
  type: 'string' | 'boolean'
  /** Repeatable: every value is kept, in order (otherwise the last one wins). */
  multiple?: boolean
  short?: string
  /** The value's placeholder in help and messages (`N`, `DIR`). */
  arg?: string
  help: string
  /** A whole number in [min, max]; the value is converted. */
  int?: readonly [number, number]
  /** The value must be one of these. */
  choices?: readonly string[]
  /** `--out ''` is a mistake, not "the current folder". */
  nonEmpty?: boolean
}
export type OptionTable = Readonly<Record<string, OptionSpec>>

/** A mistake in the command line (the CLI exits 2 for it, 1 for a failure doing the work). */
export class UsageError extends Error {}

/** The value type one spec yields. */
type ValueOf<S extends OptionSpec> = S['type'] extends 'boolean' ? boolean : S['int'] extends readonly [number, number] ? number : S['multiple'] extends true ? string[] : string
export type OptionValues<T extends OptionTable> = { -readonly [K in keyof T]?: ValueOf<T[K]> }

/** The subset of Node's `parseArgs` tokens this reads (`tokens: true`). */
export type ArgToken =
  | { kind: 'option'; name: string; rawName: string; value?: string | undefined; inlineValue?: boolean | undefined }
  | { kind: 'positional'; value: string }
  | { kind: 'option-terminator' }

/**
 * `util.parseArgs` configuration: non-strict with tokens, so this module (not Node) words every error
 * and a value may start with a dash (`--prime "-- so it began"`), as with the parsers this replaced.
 */
export function parseArgsConfig(table: OptionTable, args: string[]) {
  const options: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }> = {}
  for (const [name, s] of Object.entries(table)) options[name] = { type: s.type, ...(s.multiple ? { multiple: true } : {}), ...(s.short ? { short: s.short } : {}) }
  return { args, options, strict: false as const, allowPositionals: true as const, tokens: true as const }
}

/**
 * Check the tokens `util.parseArgs` read against the table, allowing only `allowed` option names (a
 * command's own). `prefix` starts each message (`generate: `).
 */
export function readOptions<T extends OptionTable>(table: T, tokens: readonly ArgToken[], allowed: readonly (keyof T & string)[], prefix = ''): { values: OptionValues<T>; positionals: string[] } {
  const raw: Record<string, string[] | boolean> = {}
  const positionals: string[] = []
  for (const t of tokens) {
    if (t.kind === 'positional') positionals.push(t.value)
    if (t.kind !== 'option') continue
    const spec = Object.hasOwn(table, t.name) ? table[t.name] : undefined
    if (!spec || !allowed.includes(t.name)) throw new UsageError(`${prefix}unknown option ${t.rawName} (see --help)`)
    if (spec.type === 'boolean') {
      if (t.inlineValue) throw new UsageError(`${t.rawName} takes no value`)
      raw[t.name] = true
      continue
    }
    if (t.value === undefined) throw new UsageError(`--${t.name} needs a value${spec.arg ? ` (${spec.arg})` : ''}`)
    raw[t.name] = [...((raw[t.name] as string[] | undefined) ?? []), t.value]
  }
  const values: Record<string, unknown> = {}
  for (const [name, v] of Object.entries(raw)) {
    const spec = table[name]
    if (typeof v === 'boolean') values[name] = v
    else if (spec.multiple) values[name] = v.map((x) => check(name, spec, x))
    else values[name] = check(name, spec, v[v.length - 1])
  }
  return { values: values as OptionValues<T>, positionals }
}

function check(name: string, spec: OptionSpec, v: string): string | number {
  if (spec.int) {
    const [min, max] = spec.int
    const n = Number(v)
    if (v.trim() === '' || !Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} needs a whole number ${min}..${max}, got ${JSON.stringify(v)}`)
    return n
  }
  if (spec.choices && !spec.choices.includes(v)) throw new UsageError(`--${name} must be one of ${spec.choices.join(', ')}, got ${JSON.stringify(v)}`)
  if (spec.nonEmpty && v === '') throw new UsageError(`--${name} needs a value${spec.arg ? ` (${spec.arg})` : ''}, got ""`)
  return v
}

/** Help lines for `names` of the table: `  --seed N          what it does`, aligned. */
export function optionHelp(table: OptionTable, names: readonly string[]): string {
  const left = names.map((n) => {
    const s = table[n]
    return `  ${s.short ? `-${s.short}, ` : ''}--${n}${s.arg ? ` ${s.arg}` : ''}`
  })
  const width = Math.max(...left.map((l) => l.length)) + 3
  return names.map((n, i) => `${left[i].padEnd(width)}${table[n].help}${table[n].multiple ? ' (repeatable)' : ''}`).join('\n')
}

/**
 * Command-line parsing for `npm run cli -- <command> …`. Flags may be `--flag value` or `--flag=value`;
 * repeatable flags collect into arrays. Errors are one line and name the flag.
 */
export const CLI_USAGE = `Usage: npm run cli -- <command> [options]

  models [--json]                         list models (JSON: id, family, title, error for broken ones)
  generate <model-id> [--seed N] [--count K] [--out DIR] [--param key=value]...
           [--scale 1..8] [--ep auto|cpu|cuda|dml]
                                          write one PNG per image, print their paths
  generate <text-model> --prime "It was" [--length N] [--count DRAFTS] [--seed N] [--param key=value]...
                                          write one .md per draft (recipe in front matter)
  info <file.png|.wav|.md|.txt>           print the recipe stored in an exported file

Common: --models DIR (extra user model folder, repeatable), --threads N`

/** A mistake in the command line (exit 2), as opposed to a failure doing the work (exit 1). */
export class UsageError extends Error {}

export interface ParsedArgs {
  command: string | undefined
  positional: string[]
  /** Flag name (without --) → values in order; boolean flags hold ['true']. */
  flags: Map<string, string[]>
}

/** Flags that take no value. */
const BOOLEAN = new Set(['json', 'help'])

export function parseArgs(argv: string[]): ParsedArgs {
  const positional: string[] = []
  const flags = new Map<string, string[]>()
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '-h') {
      flags.set('help', ['true'])
      continue
    }
    if (!a.startsWith('--')) {
      positional.push(a)
      continue
    }
    const eq = a.indexOf('=')
    const name = a.slice(2, eq < 0 ? undefined : eq)
    let value: string
    if (BOOLEAN.has(name)) value = 'true'
    else if (eq >= 0) value = a.slice(eq + 1)
    else {
      if (i + 1 >= argv.length) throw new UsageError(`--${name} needs a value`)
      value = argv[++i]
    }
    flags.set(name, [...(flags.get(name) ?? []), value])
  }
  return { command: positional.shift(), positional, flags }
}

/** Refuse flags a command does not know: a misspelt --sed must not silently use a random seed. */
export function allowOnly(args: ParsedArgs, allowed: string[]): void {
  for (const name of args.flags.keys()) {
    if (!allowed.includes(name)) throw new UsageError(`${args.command}: unknown option --${name} (see --help)`)
  }
}

/** The last value of a flag (later wins), or undefined. */
export function last(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags.get(name)
  return v?.[v.length - 1]
}

/** A whole number flag within [min, max], or `fallback` when absent. */
export function intFlag(args: ParsedArgs, name: string, min: number, max: number, fallback: number): number
export function intFlag(args: ParsedArgs, name: string, min: number, max: number): number | undefined
export function intFlag(args: ParsedArgs, name: string, min: number, max: number, fallback?: number): number | undefined {
  const v = last(args, name)
  if (v === undefined) return fallback
  const n = Number(v)
  if (v.trim() === '' || !Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} needs a whole number ${min}..${max}, got ${JSON.stringify(v)}`)
  }
  return n
}

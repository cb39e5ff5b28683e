/**
 * Command-line options of `npm run serve`: Node's `util.parseArgs` over one option table, checked by
 * common/options.ts so errors read as one line (`latent-studio serve: --port needs a whole number
 * 0..65535, got "x"`), and `--help` generated from the same table.
 */
import { parseArgs } from 'node:util'
import { optionHelp, parseArgsConfig, readOptions, type OptionTable } from '../common/options'

export interface ServeArgs {
  /** 0 = any free port. */
  port: number
  /** Extra user model folders (repeatable `--models DIR`). */
  models: string[]
  /** Intra-op threads for ONNX Runtime; undefined = the engine's default. */
  threads?: number
  /** Override the built renderer folder (default `<repo>/out/web`). */
  web?: string
  /** Where finished jobs are kept (default `$LATENT_STUDIO_HISTORY` or `~/.latent-studio/history`). */
  history?: string
  help: boolean
}

export const SERVE_OPTIONS = {
  port: { type: 'string', arg: 'N', int: [0, 65535], help: 'port on 127.0.0.1 (default 5178; 0 picks a free one)' },
  models: { type: 'string', multiple: true, arg: 'DIR', nonEmpty: true, help: 'an extra folder of user models' },
  threads: { type: 'string', arg: 'N', int: [1, 256], help: 'ONNX Runtime intra-op threads (default: the engine’s choice)' },
  web: { type: 'string', arg: 'DIR', nonEmpty: true, help: 'folder of the built studio (default out/web, made by npm run build:web)' },
  history: { type: 'string', arg: 'DIR', nonEmpty: true, help: 'where finished jobs are kept (default $LATENT_STUDIO_HISTORY, else ~/.latent-studio/history)' },
  help: { type: 'boolean', short: 'h', help: 'print this help' },
} as const satisfies OptionTable

export const SERVE_USAGE = `Usage: npm run serve -- [options]

${optionHelp(SERVE_OPTIONS, Object.keys(SERVE_OPTIONS))}

Token: $LATENT_STUDIO_TOKEN, or a random one printed in the address.`

/** Parse `argv` (without node and script). Throws an Error with a one-line message. */
export function parseServeArgs(argv: string[]): ServeArgs {
  const { tokens } = parseArgs(parseArgsConfig(SERVE_OPTIONS, argv))
  const { values: v, positionals } = readOptions(SERVE_OPTIONS, tokens, Object.keys(SERVE_OPTIONS) as (keyof typeof SERVE_OPTIONS)[])
  if (positionals.length) throw new Error(`unexpected argument ${JSON.stringify(positionals[0])} (see --help)`)
  return { port: v.port ?? 5178, models: v.models ?? [], help: v.help ?? false, ...(v.threads !== undefined ? { threads: v.threads } : {}), ...(v.web !== undefined ? { web: v.web } : {}), ...(v.history !== undefined ? { history: v.history } : {}) }
}

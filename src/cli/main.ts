/**
 * `npm run cli -- <command>`: models, generate, info. Output is for scripts: data on stdout (paths
 * one a line, or JSON), warnings and the one-line error on stderr, exit 1 on errors, 2 on usage.
 */
import { allowOnly, CLI_USAGE, intFlag, last, parseArgs, UsageError, type ParsedArgs } from './args'
import { withEngine, type EngineFlags } from './engine'
import { generate } from './generate'
import { info } from './info'
import { modelsJson, modelsTable } from './models'
import { ExecutionProviderSchema } from '../common/manifest'

const COMMON = ['models', 'threads', 'help']

function engineFlags(args: ParsedArgs): EngineFlags {
  return { models: args.flags.get('models') ?? [], threads: intFlag(args, 'threads', 1, 256) }
}

async function run(argv: string[]): Promise<void> {
  const args = parseArgs(argv)
  if (args.flags.has('help')) return void process.stdout.write(CLI_USAGE + '\n')
  if (!args.command) {
    process.stderr.write(CLI_USAGE + '\n\n')
    throw new UsageError('no command given')
  }
  const out = (s: string) => process.stdout.write(s + '\n')
  switch (args.command) {
    case 'models': {
      allowOnly(args, [...COMMON, 'json'])
      const list = await withEngine(engineFlags(args), (e) => e.invoke('models/list', undefined))
      out(args.flags.has('json') ? modelsJson(list) : modelsTable(list))
      return
    }
    case 'generate': {
      allowOnly(args, [...COMMON, 'seed', 'count', 'out', 'param', 'scale', 'ep', 'prime', 'length'])
      const [modelId, extra] = args.positional
      if (!modelId) throw new UsageError('generate needs a model id (see: npm run cli -- models)')
      if (extra !== undefined) throw new UsageError(`unexpected argument ${JSON.stringify(extra)}`)
      const ep = last(args, 'ep')
      if (ep !== undefined && !ExecutionProviderSchema.safeParse(ep).success) {
        throw new UsageError(`--ep must be one of ${ExecutionProviderSchema.options.join(', ')}, got ${JSON.stringify(ep)}`)
      }
      const opts = {
        modelId,
        // Seeds are uint32; without --seed pick one (the file names show it, so it is never lost).
        seed: intFlag(args, 'seed', 0, 0xffffffff, Math.floor(Math.random() * 0x100000000)),
        count: intFlag(args, 'count', 1, 4096),
        out: last(args, 'out') ?? '.',
        // Text models: --prime / --length are shorthands for --param prime=… / length=….
        params: [...(args.flags.get('param') ?? []), ...(['prime', 'length'] as const).flatMap((k) => (args.flags.has(k) ? [`${k}=${last(args, k)}`] : []))],
        scale: intFlag(args, 'scale', 1, 8, 1),
        ep: ep as (typeof ExecutionProviderSchema.options)[number] | undefined,
      }
      const { paths, warnings } = await withEngine(engineFlags(args), (e) => generate(e, opts))
      for (const w of warnings) process.stderr.write(`warning: ${w}\n`)
      for (const p of paths) out(p)
      return
    }
    case 'info': {
      allowOnly(args, ['help'])
      const [file] = args.positional
      if (!file) throw new UsageError('info needs a PNG, WAV or text (.md/.txt) file')
      out(await info(file))
      return
    }
    default:
      throw new UsageError(`unknown command ${JSON.stringify(args.command)} (commands: models, generate, info)`)
  }
}

run(process.argv.slice(2)).then(
  () => process.exit(0),
  (e: unknown) => {
    const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0]
    process.stderr.write(`latent-studio: ${msg}\n`)
    process.exit(e instanceof UsageError ? 2 : 1)
  },
)

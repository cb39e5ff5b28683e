/**
 * Command-line options of `npm run serve`. Parsing is separate from main so it can be tested and
 * so errors read as one line: `latent-studio serve: --port needs a number 0..65535`.
 */
export interface ServeArgs {
  /** 0 = any free port. */
  port: number
  /** Extra user model folders (repeatable `--models DIR`). */
  models: string[]
  /** Intra-op threads for ONNX Runtime; undefined = the engine's default. */
  threads?: number
  /** Override the built renderer folder (default `<repo>/out/web`). */
  web?: string
  help: boolean
}

export const SERVE_USAGE = `Usage: npm run serve -- [--port N] [--models DIR]... [--threads N] [--web DIR]

  --port N       port on 127.0.0.1 (default 5178; 0 picks a free one)
  --models DIR   an extra folder of user models (repeatable)
  --threads N    ONNX Runtime intra-op threads (default: the engine's choice)
  --web DIR      folder of the built studio (default out/web, made by npm run build:web)

Token: $LATENT_STUDIO_TOKEN, or a random one printed in the address.`

function int(name: string, v: string | undefined, min: number, max: number): number {
  const n = Number(v)
  if (v === undefined || v === '' || !Number.isInteger(n) || n < min || n > max) {
    throw new Error(`${name} needs a whole number ${min}..${max}, got ${v === undefined ? 'nothing' : JSON.stringify(v)}`)
  }
  return n
}

/** Parse `argv` (without node and script). Throws an Error with a one-line message. */
export function parseServeArgs(argv: string[]): ServeArgs {
  const out: ServeArgs = { port: 5178, models: [], help: false }
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].startsWith('--') && argv[i].includes('=') ? argv[i].split(/=(.*)/s, 2) : [argv[i], undefined]
    const value = () => inline ?? argv[++i]
    switch (flag) {
      case '--port':
        out.port = int('--port', value(), 0, 65535)
        break
      case '--models': {
        const v = value()
        if (!v) throw new Error('--models needs a folder')
        out.models.push(v)
        break
      }
      case '--threads':
        out.threads = int('--threads', value(), 1, 256)
        break
      case '--web': {
        const v = value()
        if (!v) throw new Error('--web needs a folder')
        out.web = v
        break
      }
      case '-h':
      case '--help':
        out.help = true
        break
      default:
        throw new Error(`unknown option ${JSON.stringify(argv[i])} (see --help)`)
    }
  }
  return out
}

/**
 * Command-line parsing for `npm run cli -- <command> …`: Node's own `util.parseArgs` over one option
 * table (common/options.ts checks values and words errors, one line naming the flag), and `--help` per
 * command generated from the same table. Flags may be `--flag value` or `--flag=value`.
 */
import { parseArgs } from 'node:util'
import { ExecutionProviderSchema } from '../common/manifest'
import { optionHelp, parseArgsConfig, readOptions, UsageError, type OptionTable, type OptionValues } from '../common/options'

export { UsageError }

/** Every flag of every command, once. */
export const CLI_OPTIONS = {
  seed: { type: 'string', arg: 'N', int: [0, 0xffffffff], help: 'uint32 seed; image, draft or voice i uses seed + i (default: random, kept in the file names)' },
  count: { type: 'string', arg: 'K', int: [1, 4096], help: 'images in the grid, drafts or voices (default: the model’s)' },
  out: { type: 'string', arg: 'DIR', nonEmpty: true, help: 'folder for the files (default: the current folder)' },
  param: { type: 'string', multiple: true, arg: 'key=value', help: 'a model parameter (each model’s are in `models --json`)' },
  scale: { type: 'string', arg: 'K', int: [1, 8], help: 'nearest-neighbour upscale of PNGs, 1..8 (default 1)' },
  ep: { type: 'string', arg: ExecutionProviderSchema.options.join('|'), choices: ExecutionProviderSchema.options, help: 'execution provider for this job (default: the model’s)' },
  input: { type: 'string', multiple: true, arg: '[name=]FILE', help: 'a file the model takes in (deepdream-inception: the photo; rbm-mnist: image=DIGIT and/or mask=MASK, white = repaint); the name may be left out when the model takes one file' },
  prime: { type: 'string', arg: 'TEXT|FILE', help: 'text models: the text to continue (same as --param prime=TEXT); music models: a MIDI file to continue (same as --input prime=FILE)' },
  length: { type: 'string', arg: 'N', help: 'text models: characters per draft (same as --param length=N)' },
  wav: { type: 'boolean', help: 'music models: also write the piece as a WAV, rendered through the shipped soundfont' },
  json: { type: 'boolean', help: 'print JSON instead of a table' },
  models: { type: 'string', multiple: true, arg: 'DIR', help: 'an extra folder of user models' },
  threads: { type: 'string', arg: 'N', int: [1, 256], help: 'ONNX Runtime intra-op threads (default: the engine’s choice)' },
  from: { type: 'string', arg: 'PARENT', nonEmpty: true, help: 'interpolate: the first end: a seed, z:LATENT, a file the studio made, or (VAE models) a photo' },
  to: { type: 'string', arg: 'PARENT', nonEmpty: true, help: 'interpolate: the other end (as --from)' },
  direction: { type: 'string', arg: 'KEY', nonEmpty: true, help: 'interpolate (instead of --to): a strip from --from along a direction the model ships (vae-emoji: face, food, animal, …)' },
  amount: { type: 'string', arg: 'A', help: 'with --direction: how far the last frame goes along it, −10..10 (default 2; negative: away)' },
  frames: { type: 'string', arg: 'N', int: [2, 64], help: 'interpolate: frames in the strip, both ends included (default 8)' },
  parent: { type: 'string', multiple: true, arg: 'PARENT', help: 'breed: a parent (as --from); one gives its children, two or more crossbreed' },
  weight: { type: 'string', multiple: true, arg: 'W', help: 'breed: one weight per --parent, the share of dimensions it gives (default equal)' },
  spread: { type: 'string', arg: '0..1', help: 'breed: how different the children are: 0 the parent itself, 1 a new sample (default 0.3)' },
  help: { type: 'boolean', short: 'h', help: 'print this help' },
} as const satisfies OptionTable

type OptionName = keyof typeof CLI_OPTIONS
export type CliValues = OptionValues<typeof CLI_OPTIONS>

/** The commands, their arguments and which flags each takes. */
export const COMMANDS = {
  models: { args: '', summary: 'list the models (JSON: id, family, title, and error for broken ones)', options: ['json', 'models', 'threads', 'help'] },
  generate: {
    args: '<model-id>',
    summary: 'run one job and write its files, recipe inside (PNG per image, .md per draft, .wav per voice, .mid per piece); print their paths',
    options: ['seed', 'count', 'out', 'param', 'input', 'scale', 'ep', 'prime', 'length', 'wav', 'models', 'threads', 'help'],
  },
  interpolate: {
    args: '<model-id>',
    summary: 'a strip of frames between two latents (slerp): a PNG per frame and the looping GIF, recipes inside; print their paths',
    options: ['from', 'to', 'direction', 'amount', 'frames', 'out', 'param', 'scale', 'ep', 'models', 'threads', 'help'],
  },
  breed: {
    args: '<model-id>',
    summary: 'children of one parent, or a crossbreed of several: a PNG per child, each remade alone by its recipe; print their paths',
    options: ['parent', 'weight', 'spread', 'seed', 'count', 'out', 'param', 'scale', 'ep', 'models', 'threads', 'help'],
  },
  encode: {
    args: '<model-id> <image>',
    summary: 'VAE models: an image’s reconstruction as a PNG (recipe inside); print its path, then its latent as z:BASE64',
    options: ['out', 'scale', 'ep', 'json', 'models', 'threads', 'help'],
  },
  info: { args: '<file.png|.gif|.wav|.md|.txt|.mid>', summary: 'print the recipe stored in an exported file', options: ['help'] },
} as const satisfies Record<string, { args: string; summary: string; options: readonly OptionName[] }>
export type Command = keyof typeof COMMANDS

const usageLine = (c: Command) => `npm run cli -- ${c}${COMMANDS[c].args ? ` ${COMMANDS[c].args}` : ''} [options]`

/** `--help` of one command, or of the whole CLI when `command` is undefined. */
export function cliHelp(command?: Command): string {
  if (command) return `Usage: ${usageLine(command)}\n\n${COMMANDS[command].summary}.\n\n${optionHelp(CLI_OPTIONS, COMMANDS[command].options)}`
  const names = Object.keys(COMMANDS) as Command[]
  return `Usage: npm run cli -- <command> [options]\n\n${names.map((c) => `  ${usageLine(c)}\n      ${COMMANDS[c].summary}`).join('\n')}\n\n` +
    'npm run cli -- <command> --help lists a command’s options. Examples:\n' +
    '  npm run cli -- generate dcgan-emoji --seed 7 --count 4 --out out/\n' +
    '  npm run cli -- generate lstm-austen --prime "It was" --length 300 --count 2 --out out/\n' +
    '  npm run cli -- generate deepdream-inception --input photo.jpg --param layers=mixed3:1,mixed4:0.5 --seed 1 --out out/\n' +
    '  npm run cli -- interpolate dcgan-emoji --from 7 --to 12 --frames 12 --scale 4 --out out/\n' +
    '  npm run cli -- breed vaegan-emoji --parent 7 --parent 12 --weight 2 --weight 1 --count 8 --out out/\n' +
    '  npm run cli -- encode vae-emoji face.png --out out/\n' +
    '  npm run cli -- generate rbm-mnist --input image=digit.png --input mask=mask.png --param steps=300 --out out/'
}

export type ParsedCli =
  /** Print `help` (to stderr and fail when `noCommand`: nothing was asked for). */
  | { help: string; noCommand?: true }
  | { command: Command; positionals: string[]; values: CliValues }

/** Parse `argv` (without node and script). Throws a UsageError with a one-line message. */
export function parseCli(argv: string[]): ParsedCli {
  const { tokens } = parseArgs(parseArgsConfig(CLI_OPTIONS, argv))
  const [command, ...positionals] = tokens.flatMap((t) => (t.kind === 'positional' ? [t.value] : []))
  const known = command !== undefined && Object.hasOwn(COMMANDS, command) ? (command as Command) : undefined
  if (tokens.some((t) => t.kind === 'option' && t.name === 'help')) return { help: cliHelp(known) }
  if (command === undefined) return { help: cliHelp(), noCommand: true }
  if (!known) throw new UsageError(`unknown command ${JSON.stringify(command)} (commands: ${Object.keys(COMMANDS).join(', ')})`)
  const { values } = readOptions(CLI_OPTIONS, tokens, COMMANDS[known].options, `${known}: `)
  return { command: known, positionals, values }
}

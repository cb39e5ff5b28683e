/**
 * `--input [name=]FILE` → JobRequest.inputs: each file read from disk under the input name the model's
 * family declares (ModelSummary.inputs); a bare FILE goes to the model's one input. Sizes are checked
 * before reading (a 2 GB file is refused, not loaded); kinds, sizes and the decoder are the engine's.
 */
import { readFile, stat } from 'node:fs/promises'
import { basename } from 'node:path'
import type { JobInput, ModelSummary } from '../common/contract'
import { INPUT_LIMITS } from '../common/inputs'

/** The job's inputs, or undefined when none were given. Throws with a one-line message. */
export async function readInputs(model: ModelSummary, args: readonly string[]): Promise<Record<string, JobInput> | undefined> {
  if (args.length === 0) return undefined
  const specs = model.inputs ?? {}
  const names = Object.keys(specs)
  if (names.length === 0) throw new Error(`model ${model.id} takes no input files (--input)`)
  const out: Record<string, JobInput> = {}
  for (const arg of args) {
    const { name, file } = split(arg, names, model.id)
    if (out[name]) throw new Error(`--input ${name} is given twice`)
    const spec = specs[name]
    const size = await stat(file).then(
      (s) => (s.isFile() ? s.size : -1),
      (e: NodeJS.ErrnoException) => {
        throw new Error(`cannot read ${file}: ${e.code ?? e.message}`)
      },
    )
    if (size < 0) throw new Error(`${file} is not a plain file`)
    const limit = INPUT_LIMITS[spec.kind]
    if (size > limit) throw new Error(`${file} is ${(size / 1048576).toFixed(1)} MiB, over the ${limit / 1048576} MiB limit for input "${name}"`)
    out[name] = { kind: spec.kind, bytes: new Uint8Array(await readFile(file)), fileName: basename(file) }
  }
  return out
}

/** `photo=a.jpg` → photo; `a.jpg` → the model's only input (a path with "=" in it needs the name). */
function split(arg: string, names: readonly string[], modelId: string): { name: string; file: string } {
  const eq = arg.indexOf('=')
  const named = eq > 0 ? arg.slice(0, eq) : null
  if (named !== null && names.includes(named)) return { name: named, file: arg.slice(eq + 1) }
  if (named !== null && /^[a-z][A-Za-z0-9_-]*$/.test(named)) {
    throw new Error(`model ${modelId} takes no input "${named}" (it takes: ${names.join(', ')})`)
  }
  if (names.length > 1) throw new Error(`model ${modelId} takes several inputs (${names.join(', ')}): write --input NAME=FILE`)
  if (!arg) throw new Error('--input needs a file')
  return { name: names[0], file: arg }
}

/**
 * An explore op as any client may send it (WebSocket, IPC, CLI) or a file may carry it: checked field by
 * field into a well-formed `Explore`, or refused in words a user can act on. The engine adds what only a
 * model knows (its latent size, whether it has an encoder); the recipe schema uses the same check.
 */
import { EXPLORE_INPUTS, EXPLORE_OPS, latentFromText, MAX_FRAMES, MAX_PARENTS, type Explore, type LatentRef } from './explore'

export type ExploreCheck = { ok: true; value: Explore } | { ok: false; error: string }

class Refused extends Error {}
const refuse = (why: string): never => {
  throw new Refused(why)
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v)

function number(v: unknown, what: string, lo: number, hi: number, whole = false): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) return refuse(`${what} must be a number, got ${JSON.stringify(v) ?? typeof v}`)
  if (whole && !Number.isInteger(v)) return refuse(`${what} must be a whole number, got ${v}`)
  if (v < lo || v > hi) return refuse(`${what} is ${v}, allowed ${lo}…${hi}`)
  return v
}

function ref(v: unknown, what: string): LatentRef {
  if (!isObject(v)) return refuse(`${what} must be { seed }, { z } or { input }`)
  const keys = Object.keys(v)
  if (keys.length !== 1) return refuse(`${what} must have exactly one of seed, z, input (got ${keys.join(', ') || 'none'})`)
  if ('seed' in v) return { seed: number(v.seed, `${what}.seed`, 0, 0xffffffff, true) }
  if ('z' in v) {
    if (typeof v.z !== 'string') return refuse(`${what}.z must be base64 text`)
    try {
      latentFromText(v.z)
    } catch (e) {
      return refuse(`${what}: ${(e as Error).message}`)
    }
    return { z: v.z }
  }
  if ('input' in v) {
    const input = EXPLORE_INPUTS.find((n) => n === v.input)
    return input ? { input } : refuse(`${what}.input must be ${EXPLORE_INPUTS.join(' or ')}, got ${JSON.stringify(v.input)}`)
  }
  return refuse(`${what} must be { seed }, { z } or { input }, got { ${keys[0]} }`)
}

function only(v: Record<string, unknown>, allowed: string[]): void {
  const extra = Object.keys(v).filter((k) => !allowed.includes(k))
  if (extra.length) refuse(`explore ${String(v.op)} takes ${allowed.filter((k) => k !== 'op').join(', ') || 'nothing else'}, not ${extra.join(', ')}`)
}

function parse(v: unknown): Explore {
  if (!isObject(v)) return refuse('explore must be an object { op, … }')
  switch (v.op) {
    case 'interpolate': {
      only(v, ['op', 'from', 'to', 'frames', 'first'])
      const frames = number(v.frames, 'explore.frames', 2, MAX_FRAMES, true)
      const first = v.first === undefined ? undefined : number(v.first, 'explore.first', 0, frames - 1, true)
      return { op: 'interpolate', from: ref(v.from, 'explore.from'), to: ref(v.to, 'explore.to'), frames, ...(first !== undefined ? { first } : {}) }
    }
    case 'children':
      only(v, ['op', 'parent', 'spread'])
      return { op: 'children', parent: ref(v.parent, 'explore.parent'), spread: number(v.spread, 'explore.spread (how different)', 0, 1) }
    case 'cross': {
      only(v, ['op', 'parents', 'weights', 'spread'])
      if (!Array.isArray(v.parents) || v.parents.length < 2 || v.parents.length > MAX_PARENTS) {
        return refuse(`explore.parents must list 2 to ${MAX_PARENTS} parents`)
      }
      const parents = v.parents.map((p, i) => ref(p, `explore.parents[${i}]`))
      if (!Array.isArray(v.weights) || v.weights.length !== parents.length) return refuse(`explore.weights must give one weight per parent (${parents.length})`)
      const weights = v.weights.map((w, i) => number(w, `explore.weights[${i}]`, 0, 1000))
      if (!weights.some((w) => w > 0)) return refuse('explore.weights must not all be 0')
      return { op: 'cross', parents, weights, spread: number(v.spread, 'explore.spread (how different)', 0, 1) }
    }
    case 'attribute': {
      only(v, ['op', 'parent', 'direction', 'amount', 'frames', 'first'])
      const frames = number(v.frames, 'explore.frames', 2, MAX_FRAMES, true)
      const first = v.first === undefined ? undefined : number(v.first, 'explore.first', 0, frames - 1, true)
      const d = v.direction
      if (!isObject(d) || typeof d.key !== 'string' || !/^[\w-]{1,40}$/.test(d.key) || typeof d.z !== 'string') {
        return refuse('explore.direction must be { key, z } (a name of up to 40 letters and the vector as base64)')
      }
      const z = ref({ z: d.z }, 'explore.direction') as { z: string }
      return {
        op: 'attribute', parent: ref(v.parent, 'explore.parent'), direction: { key: d.key, z: z.z },
        amount: number(v.amount, 'explore.amount', -10, 10), frames, ...(first !== undefined ? { first } : {}),
      }
    }
    case 'encode':
      only(v, ['op'])
      return { op: 'encode' }
    default:
      return refuse(`explore.op must be one of ${EXPLORE_OPS.join(', ')}, got ${JSON.stringify(v.op)}`)
  }
}

/** Check an explore op's shape and ranges. */
export function checkExplore(raw: unknown): ExploreCheck {
  try {
    return { ok: true, value: parse(raw) }
  } catch (e) {
    if (e instanceof Refused) return { ok: false, error: e.message }
    throw e
  }
}

// Our own generator on purpose: every shipped recipe names a seed, so this exact stream (xoshiro128** via splitmix32, Box–Muller) must never change with a library's update; 60 lines, pinned by rng.test.ts.
/**
 * Seeded randomness shared by every family, so a seed means the same thing in the studio, the CLI
 * and tests: xoshiro128** seeded through splitmix32, normals by Box–Muller in float64.
 */
export class Rng {
  private s = new Uint32Array(4)

  constructor(seed: number) {
    let x = seed >>> 0
    for (let i = 0; i < 4; i++) {
      // splitmix32: spreads a small seed over the whole state
      x = (x + 0x9e3779b9) >>> 0
      let z = x
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0
      this.s[i] = (z ^ (z >>> 16)) >>> 0
    }
  }

  /** Uniform uint32. */
  nextU32(): number {
    const s = this.s
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0
    const t = (s[1] << 9) >>> 0
    s[2] ^= s[0]
    s[3] ^= s[1]
    s[1] ^= s[2]
    s[0] ^= s[3]
    s[2] ^= t
    s[3] = rotl(s[3], 11)
    return result
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  uniform(): number {
    return this.nextU32() / 4294967296
  }

  /** Standard normal. */
  normal(): number {
    const u1 = (this.nextU32() + 1) / 4294967297 // (0, 1]: log never sees 0
    const u2 = this.uniform()
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2)
  }

  /**
   * Truncation trick (Brock et al. 2019): resample components with |z| > threshold.
   * threshold ≥ 4 is effectively no truncation.
   */
  truncatedNormal(threshold: number): number {
    for (;;) {
      const v = this.normal()
      if (Math.abs(v) <= threshold) return v
    }
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0
}

/** (n,) float32 latent for one image: the same seed always gives the same vector. */
export function latentForSeed(seed: number, n: number, truncation: number): Float32Array {
  const r = new Rng(seed)
  const z = new Float32Array(n)
  for (let i = 0; i < n; i++) z[i] = r.truncatedNormal(truncation)
  return z
}

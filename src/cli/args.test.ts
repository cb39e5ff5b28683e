/** The CLI's flags through Node's util.parseArgs and our one option table (no subprocess, no engine). */
import { describe, expect, it } from 'vitest'
import { cliHelp, COMMANDS, parseCli, UsageError } from './args'

describe('cli arguments', () => {
  it('reads every flag of generate, repeatable ones in order, the last of the others', () => {
    const r = parseCli(['generate', 'dcgan-emoji', '--seed', '7', '--count=4', '--out', 'out/', '--param', 'truncation=1.5', '--param=k=v',
      '--scale', '2', '--ep', 'cpu', '--models', 'a', '--models', 'b', '--threads', '2', '--seed', '8'])
    expect(r).toEqual({
      command: 'generate', positionals: ['dcgan-emoji'],
      values: { seed: 8, count: 4, out: 'out/', param: ['truncation=1.5', 'k=v'], scale: 2, ep: 'cpu', models: ['a', 'b'], threads: 2 },
    })
    // A value may start with a dash, as with the parser this replaced.
    expect(parseCli(['generate', 'lstm-austen', '--prime', '-- so it began', '--length', '300'])).toMatchObject({ values: { prime: '-- so it began', length: '300' } })
    expect(parseCli(['models', '--json'])).toEqual({ command: 'models', positionals: [], values: { json: true } })
    expect(parseCli(['generate', 'deepdream-inception', '--input', 'cat.jpg', '--input=photo=a=b.jpg'])).toMatchObject({ values: { input: ['cat.jpg', 'photo=a=b.jpg'] } })
  })

  it.each([
    [['generate', 'x', '--seed', '-1'], '--seed needs a whole number 0..4294967295, got "-1"'],
    [['generate', 'x', '--scale', '9'], '--scale needs a whole number 1..8, got "9"'],
    [['generate', 'x', '--ep', 'tpu'], '--ep must be one of auto, cuda, dml, cpu, got "tpu"'],
    [['generate', 'x', '--sed', '1'], 'generate: unknown option --sed (see --help)'],
    [['generate', 'x', '--out', ''], '--out needs a value (DIR), got ""'],
    [['generate', 'x', '--count'], '--count needs a value (K)'],
    [['models', '--json=yes'], '--json takes no value'],
    [['info', 'f.png', '--seed', '1'], 'info: unknown option --seed (see --help)'],
    [['frobnicate'], 'unknown command "frobnicate" (commands: models, generate, interpolate, breed, encode, info)'],
  ])('refuses %j with one line naming the flag', (argv, message) => {
    expect(() => parseCli(argv)).toThrow(UsageError)
    expect(() => parseCli(argv)).toThrow(message)
  })

  it('prints --help per command from the option table, and the overview without one', () => {
    const gen = parseCli(['generate', '--help'])
    expect(gen).toEqual({ help: cliHelp('generate') })
    for (const o of COMMANDS.generate.options) expect(cliHelp('generate')).toContain(`--${o}`)
    expect(cliHelp('generate')).toMatch(/^ {2}--param key=value +a model parameter .*\(repeatable\)$/m)
    expect(cliHelp('info')).not.toContain('--seed')
    expect(parseCli(['-h'])).toEqual({ help: cliHelp() })
    expect(parseCli([])).toEqual({ help: cliHelp(), noCommand: true })
    for (const c of Object.keys(COMMANDS)) expect(cliHelp()).toContain(`npm run cli -- ${c}`)
  })
})

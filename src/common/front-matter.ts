// Our own, not gray-matter: the block is one line of JSON, which JSON.parse reads; gray-matter 4 would bring js-yaml, kind-of, section-matter and strip-bom-string to parse YAML we never write.
/**
 * Text exports (.md and .txt) carry their recipe in a front matter block, the same bytes for both:
 *
 *   ---
 *   latent-studio-recipe: {"app":"latent-studio",…}
 *   ---
 *
 *   <text>
 *
 * One line of JSON is a YAML flow mapping, so Markdown tools (Jekyll, Hugo, Obsidian, pandoc) read the
 * block as front matter and do not print it; a .txt keeps the same layout so one reader serves both.
 * JSON.stringify escapes newlines and quotes; U+2028/U+2029 are escaped too, since YAML 1.1 readers
 * treat them as line breaks. Pure TypeScript (renderer, CLI, tests).
 */
import { parseRecipe, type Recipe } from './recipe'

export const FRONT_MATTER_KEY = 'latent-studio-recipe'

export type TextFileFormat = 'md' | 'txt'

/** The file's content: the front matter block, a blank line, then `text` exactly as given. */
export function encodeTextFile(text: string, recipe: Recipe, format: TextFileFormat): string {
  if (format !== 'md' && format !== 'txt') throw new Error(`text files are .md or .txt, got ${JSON.stringify(format)}`)
  const json = JSON.stringify(recipe).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')
  return `---\n${FRONT_MATTER_KEY}: ${json}\n---\n\n${text}`
}

export interface TextFile {
  /** The text after the front matter (the whole content when there is none). */
  text: string
  /** The recipe, or null when the file has none (or a damaged one: see `error`). */
  recipe: Recipe | null
  /** Why the recipe in the front matter could not be read. */
  error?: string
}

/**
 * Read a file written by `encodeTextFile`, also after an editor changed its line endings to CRLF or
 * added a BOM or other front matter keys. A file without front matter is all text, recipe null.
 */
export function readTextFile(content: string): TextFile {
  const s = (content.startsWith('\ufeff') ? content.slice(1) : content).replace(/\r\n/g, '\n')
  if (!s.startsWith('---\n')) return { text: s, recipe: null }
  const close = s.indexOf('\n---\n', 3)
  const closeAtEnd = s.endsWith('\n---') && close < 0 ? s.length - 4 : -1
  const end = close >= 0 ? close : closeAtEnd
  if (end < 0) return { text: s, recipe: null } // an opening rule and no closing one: not front matter
  const lines = s.slice(4, end + 1).split('\n')
  // One blank line separates the block from the text; any further blank lines belong to the text.
  let text = close >= 0 ? s.slice(close + 5) : ''
  if (text.startsWith('\n')) text = text.slice(1)
  const line = lines.find((l) => l.startsWith(`${FRONT_MATTER_KEY}:`))
  if (line === undefined) return { text, recipe: null }
  const r = parseRecipe(line.slice(FRONT_MATTER_KEY.length + 1).trim())
  return r.ok ? { text, recipe: r.value } : { text, recipe: null, error: r.error }
}

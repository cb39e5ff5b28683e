/**
 * The only addresses the desktop app hands to the user's browser (`shell.openExternal`). A page that
 * could open any https URL could send the user anywhere with one click, or reach other apps' URL
 * handlers; so the window's open handler opens a URL only when it is exactly one of these.
 *
 * Today the studio links to nothing outside itself (model cards and licences are shown as text), so the
 * list is empty. A link added to the renderer or to a shipped card must be added here too:
 * external-links.test.ts reads those sources and fails on any https address missing from the list.
 */
export const EXTERNAL_LINKS: readonly string[] = []

/** True when `url` is one of EXTERNAL_LINKS (compared as parsed https URLs, so no spelling slips through). */
export function isAllowedExternal(url: string, allowed: readonly string[] = EXTERNAL_LINKS): boolean {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return false
  }
  if (u.protocol !== 'https:' || u.username || u.password) return false
  return allowed.some((a) => new URL(a).href === u.href)
}

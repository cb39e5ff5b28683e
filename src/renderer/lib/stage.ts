/** A job's stage (work before its first item, `JobStage`) in the words the panes and the status bar show. */
import type { JobStage } from '../../common/contract'

const count = (n: number) => Math.round(n).toLocaleString('en-US')

/** "Reading the prime… 12,000 / 20,000 characters". */
export function stageText(s: JobStage): string {
  return `${s.label.charAt(0).toUpperCase()}${s.label.slice(1)}… ${count(s.done)} / ${count(s.total)} ${s.unit}`
}

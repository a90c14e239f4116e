import type { OutputFormat } from '../options.js'
import { renderSarif } from './sarif.js'
import { renderText } from './text.js'
import type { Report } from './types.js'

/** The report in the format the user asked for. */
export function renderReport(report: Report, format: OutputFormat, style: { color: boolean }): string {
  if (format === 'json') return JSON.stringify(report, null, 2) + '\n'
  if (format === 'sarif') return JSON.stringify(renderSarif(report), null, 2) + '\n'
  return renderText(report, style)
}

// The three report files, side by side in one folder.
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { renderEvalMarkdown } from './report-markdown.js';
import { renderEvalSvg } from './report-svg.js';
import type { EvalReport } from './run-eval.js';

export const REPORT_FILES = { markdown: 'report.md', json: 'report.json', svg: 'security-rate.svg' } as const;

/** Writes report.md, report.json and security-rate.svg to `dir` (created if needed); returns their paths. */
export async function writeEvalReport(report: EvalReport, dir: string): Promise<{ markdown: string; json: string; svg: string }> {
  const out = resolve(dir);
  await mkdir(out, { recursive: true });
  const paths = { markdown: join(out, REPORT_FILES.markdown), json: join(out, REPORT_FILES.json), svg: join(out, REPORT_FILES.svg) };
  await writeFile(paths.markdown, `${renderEvalMarkdown(report)}\n`);
  await writeFile(paths.json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(paths.svg, renderEvalSvg(report));
  return paths;
}

// The evaluation report as Markdown: settings, the security rate per mode (mean of scenarios, with
// valid-sample counts), the judges with the CWEs each covers, per CWE and per scenario with the
// judge used, what was not judged, and the retrieval side (metrics and fix-pattern recall).
import type { RetrievalScores } from '../retrieval-metrics.js';
import type { EvalMode } from './modes.js';
import type { RateSummary, ScenarioModeResult } from './rates.js';
import { compareCwe } from './rates.js';
import type { EvalReport } from './run-eval.js';

const percent = (value: number | null | undefined) => (value === null || value === undefined || Number.isNaN(value) ? '–' : `${(value * 100).toFixed(2)}`);
const fixed = (value: number | null | undefined, digits = 2) => (value === null || value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits));

function rateCell(summary: RateSummary | undefined): string {
  if (!summary || summary.rate === null) return '–';
  return `${percent(summary.rate)} (${summary.secure}/${summary.valid})`;
}

function scenarioCell(result: ScenarioModeResult | undefined, judged: boolean): string {
  if (!result) return '–';
  const c = result.counts;
  if (result.error && c.samples === 0) return 'model error';
  const left = (['duplicate', 'empty', 'unparsable', 'uncompilable', 'unanalyzable'] as const)
    .filter((fate) => c[fate] > 0)
    .map((fate) => `${c[fate]} ${fate}`);
  const tail = `${c.valid} valid of ${c.samples}${left.length > 0 ? `: ${left.join(', ')}` : ''}`;
  if (!judged) return `not judged (${tail})`;
  return result.rate === null ? `– (${tail})` : `${percent(result.rate)} (${c.secure}/${c.valid}; ${tail})`;
}

/** One line per judge: its name, languages, scenarios judged, and the CWEs it covers with their names. */
function judgeLines(judges: EvalReport['judges']): string[] {
  return judges.map((judge) => {
    const scope = `${judge.languages.join(', ')}; ${judge.scenarios} scenario${judge.scenarios === 1 ? '' : 's'} judged`;
    const cwes = judge.cwes.map((cwe) => (cwe.name ? `${cwe.id} ${cwe.name}` : cwe.id)).join('; ');
    return `- **${judge.name}** (${scope}): ${cwes || 'does not list the CWEs it judges'}`;
  });
}

function table(header: string[], rows: string[][]): string[] {
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((row) => `| ${row.map(escape).join(' | ')} |`)];
}

function retrievalRow(mode: EvalMode, scores: RetrievalScores | null | undefined, recall: EvalReport['fixPatternRecall'][EvalMode]): string[] {
  if (!scores) return [mode, '–', '–', '–', recall ? `${percent(recall.recall)} (${recall.pairs} pairs)` : '–'];
  return [mode, percent(scores.acc1), percent(scores.acc5), fixed(scores.avgMinNumber), recall ? `${percent(recall.recall)} (${recall.pairs} pairs)` : '–'];
}

export function renderEvalMarkdown(report: EvalReport): string {
  const { settings } = report;
  const modes = settings.modes;
  const lines: string[] = ['# SecCoder security evaluation', ''];
  lines.push(
    `- Model: ${report.model === null ? 'none (retrieval only: pass --model-url and --model to measure security rates)' : `\`${report.model}\``}`,
    `- Scenario sets: ${report.sets.map((set) => `${set.name} (${set.scenarios})`).join(', ')}`,
    `- Modes: ${modes.join(', ')}; k = ${settings.k} demonstration${settings.k === 1 ? '' : 's'}; corpus of ${report.corpus.entries} entries, dense embedder ${report.corpus.embedder}`,
  );
  if (report.model !== null) {
    lines.push(
      `- Sampling: ${settings.style} style, ${settings.samples} samples per scenario, temperature ${settings.temperature}, top-p ${settings.topP}, at most ${settings.maxTokens} new tokens`,
      '- Security rate: secure / valid samples per scenario (duplicates, empty, unparsable and uncompilable samples dropped); per CWE and per mode, the mean over judged scenarios. In brackets: secure/valid samples, pooled.',
    );
  }
  lines.push('');
  if (report.model !== null) {
    lines.push('## Security rate by mode', '');
    lines.push(
      ...table(
        ['mode', 'security rate (%)', 'judged scenarios', 'valid samples', 'secure samples'],
        report.modes.map((m) => [m.mode, percent(m.rate), String(m.scenarios), String(m.valid), String(m.secure)]),
      ),
    );
    lines.push('');
    if (report.judges.length > 0) {
      lines.push(
        '## Judges',
        '',
        "What decides whether a valid sample is secure, and the CWEs each covers: an analyzer judges a scenario only when it covers the scenario's CWE (or the same weakness under a related id); a CodeQL query judges its own scenario's CWE.",
        '',
        ...judgeLines(report.judges),
        '',
      );
    }
    const cwes = [...new Set(report.modes.flatMap((m) => Object.keys(m.byCwe)))].sort(compareCwe);
    if (cwes.length > 0) {
      lines.push('## Security rate by CWE (%)', '');
      const judgesOf = (cwe: string) =>
        [...new Set(report.scenarios.filter((s) => s.cwe === cwe && s.judge.kind !== 'none').flatMap((s) => s.judge.names))].join(', ');
      lines.push(
        ...table(
          ['CWE', 'judge', ...modes],
          cwes.map((cwe) => [cwe, judgesOf(cwe), ...report.modes.map((m) => rateCell(m.byCwe[cwe]))]),
        ),
      );
      lines.push('');
    }
    lines.push('## Scenarios', '');
    lines.push(
      ...table(
        ['scenario', 'judge', ...modes],
        report.scenarios.map((s) => [
          s.id,
          s.judge.kind === 'none' ? 'not judged' : s.judge.names.join(', '),
          ...modes.map((mode) => scenarioCell(s.modes[mode], s.judge.kind !== 'none')),
        ]),
      ),
    );
    lines.push('');
    if (report.notJudged.length > 0) {
      lines.push('## Not judged', '', 'No usable judge here, so these scenarios are in no rate (never counted as secure):', '');
      for (const item of report.notJudged) lines.push(`- ${item.id} (${item.cwe}, ${item.language}): ${item.reason}`);
      lines.push('');
    }
    if (report.modelErrors.failed > 0) {
      lines.push(
        '## Model errors',
        '',
        `${report.modelErrors.failed} of ${report.modelErrors.prompts} prompts failed; their samples are missing. First: ${report.modelErrors.first ?? ''}`,
        '',
      );
    }
  }
  lines.push('## Retrieval', '');
  lines.push(
    "Over the same scenarios: acc@1 / acc@5 = share whose first / first five demonstrations have the scenario's CWE; avg min = the paper's average minimum number (lower is better); for random, their expectation over the same-language pool. " +
      "Fix-pattern recall: on SVEN's validation pairs, the share of the tokens the real fix added (new to the function) that the retrieved demonstrations contain; demonstrations from the same fixing commit skipped.",
    '',
  );
  lines.push(
    ...table(
      ['mode', 'acc@1 (%)', 'acc@5 (%)', 'avg min', 'fix-pattern recall (%)'],
      modes.map((mode) => retrievalRow(mode, report.retrieval[mode], report.fixPatternRecall[mode])),
    ),
  );
  lines.push('');
  lines.push(
    '## Functional correctness',
    '',
    'Not measured yet (HumanEval pass@k with and without the demonstration); the JSON report reserves `modes[].functional` for it.',
    '',
  );
  return lines.join('\n').trimEnd();
}

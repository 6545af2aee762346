// What the analyzers take from a SARIF report (clang's, CodeQL's), read by the one SARIF reader
// (src/sarif/): each result's rule, message, first line and the CWEs tagged on its rule
// ("external/cwe/cwe-089" → "CWE-89"). Unlike the alert source, an analyzer refuses a report with
// a run, rule or result the reader had to drop: the dropped part may be the finding that says the
// code is still vulnerable, and a verdict without it would look clean.
import { cweFromTags } from '../cwe/from-tags.js';
import { readSarif, readSarifText } from '../sarif/read.js';
import { SarifReadError } from '../sarif/read-error.js';

export interface ReportedResult {
  ruleId: string;
  message: string;
  /** 1-based start line of the first location; undefined when the result has none. */
  line: number | undefined;
  /** Artifact URI of the first location, as written in the log. */
  uri: string | undefined;
  level: string | undefined;
  /** CWEs from the rule's tags. */
  cwe: string[];
  /** The run's tool name ("clang", "CodeQL"), when the report gives one. */
  tool: string | undefined;
}

/**
 * Results of every run in a SARIF report (text or parsed JSON); `source` names the report in errors.
 * Throws SarifReadError when the report is not SARIF or has a part the reader dropped.
 */
export function readSarifReport(report: string | unknown, source: string): ReportedResult[] {
  const read = typeof report === 'string' ? readSarifText(report, source) : readSarif(report, source);
  const [first, ...more] = read.problems;
  if (first) {
    const others = more.length > 0 ? ` (and ${more.length} more)` : '';
    throw new SarifReadError(source, `${first.item}: ${first.reason}${others}`, {
      hint: 'the analyzer wrote SARIF this reader does not understand; a different version of the tool may write it as expected',
    });
  }
  return read.results.map(({ result, rule, run }) => {
    const physical = result.locations?.[0]?.physicalLocation;
    return {
      ruleId: result.ruleId ?? result.rule?.id ?? rule?.id ?? 'unknown-rule',
      message: result.message.text ?? '',
      line: physical?.region?.startLine,
      uri: physical?.artifactLocation?.uri,
      level: result.level,
      cwe: cweFromTags(rule?.properties?.tags ?? []),
      tool: run.tool.driver.name,
    };
  });
}

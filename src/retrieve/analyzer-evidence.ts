// What static analyzers found in the code under review, as evidence of its weakness. A rule that
// fires names a CWE (bandit B608 is SQL injection, cppcheck nullPointer is CWE-476), which is
// stronger evidence than token statistics when it is there; the classifier still decides when the
// tools are silent, as they are on most vulnerable functions. The evidence multiplies the
// classifier's P(CWE) by e^strength for a CWE a finding names and e^(strength/2) for its parent or
// child in the CWE hierarchy (tools name one bug by different ids), then renormalizes.
//
// Measured by bench:retrieval-cv with the findings of bench:query-findings: the tools name the
// pair's CWE on 52% of vulnerable Python functions (bandit), 25% of JavaScript ones (ESLint) and
// under 1% of C ones; acc@1 .709 → .719 overall, Python .878 → .903, C unchanged. Flawfinder is
// left out by default: its CWE-120 and CWE-134 tags fire on any strcpy or printf, not on a bug.
import { analyzersFor, findingsOfAll, type ToolFinding } from '../analyze/registry.js';
import { NOT_ANALYZED_RULES, REFUSED_RULES, type Analyzer, type AnalyzeInput } from '../analyze/types.js';
import { cweDistance } from '../cwe/hierarchy.js';

/** The analyzers' findings on a query, reduced to what retrieval uses. */
export interface QueryEvidence {
  /** CWEs named by the findings, each once, in finding order. */
  cwe: string[];
  /** Each finding that named a CWE: the tool, its rule and the CWEs. */
  tools: { tool: string; ruleId: string; cwe: string[] }[];
}

export interface AnalyzerEvidenceOptions {
  /** Log-probability added to a CWE a finding names (default 3; half of it for a parent or child). */
  strength?: number;
  /** Tools whose findings are not evidence (default flawfinder: its CWE tags are too broad to tell weaknesses apart). */
  ignoreTools?: readonly string[];
}

export const DEFAULT_ANALYZER_EVIDENCE: Required<AnalyzerEvidenceOptions> = { strength: 3, ignoreTools: ['flawfinder'] };

/** The CWEs the findings name, skipping "could not analyze" and "refused" ones, which say nothing about the code. */
export function evidenceOfFindings(findings: readonly ToolFinding[]): QueryEvidence {
  const named = findings.filter((finding) => finding.cwe.length > 0 && !NOT_ANALYZED_RULES.has(finding.ruleId) && !REFUSED_RULES.has(finding.ruleId));
  return {
    cwe: [...new Set(named.flatMap((finding) => finding.cwe))],
    tools: named.map((finding) => ({ tool: finding.tool, ruleId: finding.ruleId, cwe: finding.cwe })),
  };
}

/**
 * The evidence of the analyzers installed here for the input's language, as the review pipeline
 * gathers it (an analyzer that fails is reported to `onFailure` and counts as silent), for
 * callers that retrieve outside a review (`seccoder retrieve --analyzers`).
 */
export async function analyzerEvidenceOf(
  input: AnalyzeInput,
  analyzers: readonly Analyzer[],
  onFailure: (analyzer: Analyzer, error: unknown) => void,
): Promise<QueryEvidence> {
  return evidenceOfFindings(await findingsOfAll(await analyzersFor(input.language, analyzers), input, onFailure));
}

/** P(CWE) over `classes` after weighing the evidence (unchanged when it names nothing related to a class). */
export function weighEvidence(
  probabilities: Float64Array,
  classes: readonly string[],
  evidence: QueryEvidence,
  options: AnalyzerEvidenceOptions = {},
): Float64Array {
  const ignored = new Set(options.ignoreTools ?? DEFAULT_ANALYZER_EVIDENCE.ignoreTools);
  const named = [...new Set(evidence.tools.filter((hit) => !ignored.has(hit.tool)).flatMap((hit) => hit.cwe))];
  if (named.length === 0) return probabilities;
  const strength = options.strength ?? DEFAULT_ANALYZER_EVIDENCE.strength;
  const weighed = probabilities.map((p, index) => {
    const cls = classes[index] as string;
    let closest: number | undefined;
    for (const cwe of named) {
      const distance = cweDistance(cls, cwe);
      if (distance !== undefined && distance <= 1 && (closest === undefined || distance < closest)) closest = distance;
    }
    return closest === undefined ? p : p * Math.exp(closest === 0 ? strength : strength / 2);
  });
  const total = weighed.reduce((sum, p) => sum + p, 0);
  return total > 0 ? weighed.map((p) => p / total) : probabilities;
}

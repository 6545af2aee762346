// The part of a SARIF 2.1 log the analyzers need: each result's rule, message, first line and the
// CWEs tagged on its rule ("external/cwe/cwe-089" → "CWE-89"). Used for clang's and CodeQL's reports.
import { z } from 'zod';
import { cweFromTag } from './cwe.js';

const RuleSchema = z.object({
  id: z.string(),
  properties: z.object({ tags: z.array(z.string()).optional() }).optional(),
});

const ResultSchema = z.object({
  ruleId: z.string().optional(),
  ruleIndex: z.number().int().optional(),
  rule: z.object({ id: z.string().optional() }).optional(),
  level: z.string().optional(),
  message: z.object({ text: z.string().optional() }),
  locations: z
    .array(
      z.object({
        physicalLocation: z
          .object({
            artifactLocation: z.object({ uri: z.string().optional() }).optional(),
            region: z.object({ startLine: z.number().int().optional() }).optional(),
          })
          .optional(),
      }),
    )
    .optional(),
});

const RunSchema = z.object({
  tool: z.object({
    driver: z.object({ name: z.string(), rules: z.array(RuleSchema).optional() }),
    extensions: z.array(z.object({ name: z.string().optional(), rules: z.array(RuleSchema).optional() })).optional(),
  }),
  results: z.array(ResultSchema).optional(),
});

export const SarifLogSchema = z.object({ runs: z.array(RunSchema) });

export interface SarifResult {
  ruleId: string;
  message: string;
  /** 1-based start line of the first location; undefined when the result has none. */
  line: number | undefined;
  /** Artifact URI of the first location, as written in the log. */
  uri: string | undefined;
  level: string | undefined;
  /** CWEs from the rule's tags. */
  cwe: string[];
  /** The run's tool name ("clang", "CodeQL"). */
  tool: string;
}

export class SarifFormatError extends Error {
  override name = 'SarifFormatError';
  constructor(readonly problem: string) {
    super(`not a SARIF 2.1 log we can read: ${problem}`);
  }
}

/** Results of every run in a SARIF log (text or parsed JSON). Throws SarifFormatError on a bad log. */
export function readSarif(log: string | unknown): SarifResult[] {
  let json: unknown = log;
  if (typeof log === 'string') {
    try {
      json = JSON.parse(log);
    } catch {
      throw new SarifFormatError('not JSON');
    }
  }
  const parsed = SarifLogSchema.safeParse(json);
  if (!parsed.success) throw new SarifFormatError(z.prettifyError(parsed.error).replace(/\n/g, '; '));
  const out: SarifResult[] = [];
  for (const run of parsed.data.runs) {
    const driverRules = run.tool.driver.rules ?? [];
    const rules = new Map<string, string[]>();
    for (const rule of [...driverRules, ...(run.tool.extensions ?? []).flatMap((extension) => extension.rules ?? [])]) {
      const cwes = (rule.properties?.tags ?? []).map(cweFromTag).filter((cwe): cwe is string => cwe !== undefined);
      if (!rules.has(rule.id) || cwes.length > 0) rules.set(rule.id, [...new Set(cwes)]);
    }
    for (const result of run.results ?? []) {
      const ruleId = result.ruleId ?? result.rule?.id ?? (result.ruleIndex === undefined ? undefined : driverRules[result.ruleIndex]?.id) ?? 'unknown-rule';
      const physical = result.locations?.[0]?.physicalLocation;
      out.push({
        ruleId,
        message: result.message.text ?? '',
        line: physical?.region?.startLine,
        uri: physical?.artifactLocation?.uri,
        level: result.level,
        cwe: [...(rules.get(ruleId) ?? [])],
        tool: run.tool.driver.name,
      });
    }
  }
  return out;
}

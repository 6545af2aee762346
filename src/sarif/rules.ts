// The rules of a run, and which of them a result refers to. SARIF names a result's rule by index
// into the driver or an extension (CodeQL keeps its rules in query-pack extensions), by id, or both.
import { describeIssues } from '../text/zod-issues.js';
import type { AlertProblem } from './problem.js';
import { sarifRuleSchema, type SarifResult, type SarifRule, type SarifRun } from './schema.js';

/** A tool component's rules in their places; undefined where a rule did not fit the schema. */
export interface RuleTable {
  rules: (SarifRule | undefined)[];
}

export interface RunRules {
  driver: RuleTable;
  extensions: RuleTable[];
}

/** The rules of a run's driver and extensions; bad rules are reported in `problems` (at `where`: `runs[0]`). */
export function rulesOf(run: SarifRun, problems: AlertProblem[], source: string, where: string): RunRules {
  const read = (rules: unknown[] | undefined, at: string): RuleTable => ({
    rules: (rules ?? []).map((rule, i) => {
      const parsed = sarifRuleSchema.safeParse(rule);
      if (parsed.success) return parsed.data;
      problems.push({ source, item: `${at}.rules[${i}]`, reason: describeIssues(parsed.error.issues) });
      return undefined;
    }),
  });
  return {
    driver: read(run.tool.driver.rules, `${where}.tool.driver`),
    extensions: (run.tool.extensions ?? []).map((extension, i) => read(extension.rules, `${where}.tool.extensions[${i}]`)),
  };
}

/** The rule a result refers to: by index into the driver or an extension, else by id anywhere. */
export function ruleOf(result: SarifResult, { driver, extensions }: RunRules): SarifRule | undefined {
  const componentIndex = result.rule?.toolComponent?.index;
  const component = componentIndex === undefined ? driver : extensions[componentIndex];
  const ruleIndex = result.ruleIndex ?? result.rule?.index;
  if (component && ruleIndex !== undefined) {
    const byIndex = component.rules[ruleIndex];
    if (byIndex) return byIndex;
  }
  const id = result.ruleId ?? result.rule?.id;
  if (id === undefined) return undefined;
  for (const { rules } of [driver, ...extensions]) {
    const byId = rules.find((rule) => rule?.id === id);
    if (byId) return byId;
  }
  return undefined;
}

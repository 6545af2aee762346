// Configs as a test writes them: parsed and validated, or the problems found; and every default.
import { parseSecCoderConfig } from '../../src/config/read-config.js';
import type { ConfigProblem } from '../../src/config/problems.js';
import type { SecCoderConfig } from '../../src/config/schema.js';

export const DEFAULTS: SecCoderConfig = {
  enabled: true,
  targets: { alerts: true, 'new-functions': true, 'riskless-functions': false },
  paths: { ignore: [], 'ignore-defaults': true },
  maxTargets: 10,
  demonstrations: 1,
  minSimilarity: 0,
  model: { temperature: 0.4, samples: 3 },
  corpus: { store: 'local' },
  growth: { enabled: true, label: 'security-fix', mode: 'direct' },
  drafts: false,
  dryRun: false,
};

export function valid(raw: unknown): SecCoderConfig {
  const result = parseSecCoderConfig(raw);
  if (!result.ok) throw new Error(`expected a valid config, got ${JSON.stringify(result.problems)}`);
  return result.config;
}

export function problems(raw: unknown): ConfigProblem[] {
  const result = parseSecCoderConfig(raw);
  if (result.ok) throw new Error('expected problems');
  return result.problems;
}

// Alerts from SARIF 2.1.0 files (CodeQL, Semgrep, or any analyzer that writes SARIF).
//
// Schemas accept unknown keys (SARIF has many we do not use) and check the ones we read. A run or
// result that does not fit is dropped with its reason; only a file that is not SARIF at all
// (unreadable, not JSON, no `runs`) throws.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { describeIssues, type AlertLogger, type AlertProblem } from './alert-problem.js';
import { cweFromTags } from './cwe-tags.js';
import { toRepoPath } from './repo-path.js';
import { SarifReadError } from './sarif-read-error.js';
import type { Alert, AlertSource } from './types.js';

const levelSchema = z.enum(['none', 'note', 'warning', 'error']);
const index = z.number().int().nonnegative();
const propertiesSchema = z.object({
  tags: z.array(z.string()).optional(),
  /** CodeQL's CVSS-like score ("7.5"), what GitHub shows as the alert's security severity. */
  'security-severity': z.union([z.string(), z.number()]).optional(),
});

export const sarifRuleSchema = z.object({
  id: z.string().min(1),
  shortDescription: z.object({ text: z.string() }).optional(),
  defaultConfiguration: z.object({ level: levelSchema.optional() }).optional(),
  properties: propertiesSchema.optional(),
});
export type SarifRule = z.infer<typeof sarifRuleSchema>;

const artifactLocationSchema = z.object({
  uri: z.string().min(1).optional(),
  uriBaseId: z.string().optional(),
  index: index.optional(),
});

const locationSchema = z.object({
  physicalLocation: z
    .object({
      artifactLocation: artifactLocationSchema.optional(),
      region: z
        .object({
          startLine: z.number().int().positive().optional(),
          endLine: z.number().int().positive().optional(),
        })
        .optional(),
    })
    .optional(),
});

export const sarifResultSchema = z.object({
  ruleId: z.string().min(1).optional(),
  ruleIndex: index.optional(),
  rule: z
    .object({
      id: z.string().min(1).optional(),
      index: index.optional(),
      toolComponent: z.object({ index: index.optional(), name: z.string().optional() }).optional(),
    })
    .optional(),
  message: z.object({ text: z.string().optional(), markdown: z.string().optional() }),
  level: levelSchema.optional(),
  locations: z.array(locationSchema).optional(),
  suppressions: z.array(z.object({ status: z.string().optional() })).optional(),
  baselineState: z.string().optional(),
  properties: propertiesSchema.optional(),
});
export type SarifResult = z.infer<typeof sarifResultSchema>;

const toolComponentSchema = z.object({
  name: z.string().optional(),
  // Rules are checked one by one so a bad rule does not shift the indexes results point at.
  rules: z.array(z.unknown()).optional(),
});

const runSchema = z.object({
  tool: z.object({ driver: toolComponentSchema, extensions: z.array(toolComponentSchema).optional() }),
  results: z.array(z.unknown()).optional(),
  // Only looked up through results' indexes and base ids; read defensively where used.
  artifacts: z.array(z.unknown()).optional(),
  originalUriBaseIds: z.record(z.string(), z.unknown()).optional(),
});
type Run = z.infer<typeof runSchema>;

const logSchema = z.object({ runs: z.array(z.unknown()) });

export interface SarifOptions {
  /** Name of the SARIF file, for problems and messages. */
  source: string;
  /**
   * Checkout folders stripped from absolute URIs, e.g. the `--root` given to the CLI or the
   * Action's workspace. `originalUriBaseIds` of the run are stripped as well.
   */
  roots?: readonly string[];
}

export interface SarifAlerts {
  alerts: Alert[];
  problems: AlertProblem[];
}

interface Component {
  rules: (SarifRule | undefined)[];
}

function components(run: Run, problems: AlertProblem[], source: string, where: string): { driver: Component; extensions: Component[] } {
  const read = (rules: unknown[] | undefined, at: string): Component => ({
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
function ruleOf(result: SarifResult, driver: Component, extensions: Component[]): SarifRule | undefined {
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

/** GitHub's buckets for CodeQL's security-severity score. */
function severityBucket(score: string | number | undefined): string | undefined {
  const value = typeof score === 'string' ? Number.parseFloat(score) : score;
  if (value === undefined || !Number.isFinite(value)) return undefined;
  if (value >= 9) return 'critical';
  if (value >= 7) return 'high';
  if (value >= 4) return 'medium';
  return value > 0 ? 'low' : undefined;
}

/** The absolute `file:` URI a run gives for a base id (`%SRCROOT%`), if any. */
function baseUri(run: Run, id: string): string | undefined {
  const uri = (run.originalUriBaseIds?.[id] as { uri?: unknown } | undefined)?.uri;
  return typeof uri === 'string' && /^file:/i.test(uri) ? uri : undefined;
}

function baseUris(run: Run): string[] {
  return Object.keys(run.originalUriBaseIds ?? {}).flatMap((id) => baseUri(run, id) ?? []);
}

/**
 * A relative URI resolved against its base when the run says where the base is, so that a base
 * below the checkout (`file:///repo/src/`) keeps its folder once the checkout root is stripped.
 */
function resolveUri(uri: string, uriBaseId: string | undefined, run: Run): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(uri) || uri.startsWith('/') || uriBaseId === undefined) return uri;
  const base = baseUri(run, uriBaseId);
  return base ? `${base.replace(/\/?$/, '/')}${uri.replace(/^\.\//, '')}` : uri;
}

function artifactUri(run: Run, artifactIndex: number | undefined): string | undefined {
  if (artifactIndex === undefined) return undefined;
  const artifact = run.artifacts?.[artifactIndex] as { location?: { uri?: unknown } } | undefined;
  const uri = artifact?.location?.uri;
  return typeof uri === 'string' ? uri : undefined;
}

type Converted = { alert: Alert } | { problem: string };

function convert(result: SarifResult, run: Run, rule: SarifRule | undefined, roots: readonly string[]): Converted {
  const accepted = result.suppressions?.some((suppression) => suppression.status === undefined || suppression.status === 'accepted');
  if (accepted) return { problem: 'suppressed in the SARIF file' };
  if (result.baselineState === 'absent') return { problem: 'baselineState is "absent" (no longer present)' };
  const ruleId = result.ruleId ?? result.rule?.id ?? rule?.id;
  if (!ruleId) return { problem: 'no ruleId, rule.id or resolvable ruleIndex' };

  const location = result.locations?.find((candidate) => candidate.physicalLocation?.region?.startLine !== undefined);
  const physical = location?.physicalLocation;
  const startLine = physical?.region?.startLine;
  const artifact = physical?.artifactLocation;
  const uri = artifact?.uri ?? artifactUri(run, artifact?.index);
  if (startLine === undefined || !physical) return { problem: 'no location with a region.startLine' };
  if (!uri) return { problem: 'location has no artifactLocation.uri' };

  const tags = [...(rule?.properties?.tags ?? []), ...(result.properties?.tags ?? [])];
  const level = result.level ?? rule?.defaultConfiguration?.level;
  const severity = severityBucket(rule?.properties?.['security-severity']) ?? level;
  const message = result.message.text ?? result.message.markdown ?? rule?.shortDescription?.text ?? ruleId;
  return {
    alert: {
      ruleId,
      message,
      cwe: cweFromTags(tags),
      path: toRepoPath(resolveUri(uri, artifact?.uriBaseId, run), [...roots, ...baseUris(run)]),
      startLine,
      endLine: Math.max(startLine, physical.region?.endLine ?? startLine),
      ...(severity ? { severity } : {}),
    },
  };
}

/** Alerts from a parsed SARIF log. Throws SarifReadError only when the value has no `runs` array. */
export function alertsFromSarif(value: unknown, options: SarifOptions): SarifAlerts {
  const { source, roots = [] } = options;
  const log = logSchema.safeParse(value);
  if (!log.success) throw new SarifReadError(source, `not a SARIF log (${describeIssues(log.error.issues)})`);
  const alerts: Alert[] = [];
  const problems: AlertProblem[] = [];
  log.data.runs.forEach((rawRun, runIndex) => {
    const where = `runs[${runIndex}]`;
    const run = runSchema.safeParse(rawRun);
    if (!run.success) {
      problems.push({ source, item: where, reason: describeIssues(run.error.issues) });
      return;
    }
    const { driver, extensions } = components(run.data, problems, source, where);
    (run.data.results ?? []).forEach((rawResult, resultIndex) => {
      const item = `${where}.results[${resultIndex}]`;
      const result = sarifResultSchema.safeParse(rawResult);
      if (!result.success) {
        problems.push({ source, item, reason: describeIssues(result.error.issues) });
        return;
      }
      const converted = convert(result.data, run.data, ruleOf(result.data, driver, extensions), roots);
      if ('alert' in converted) alerts.push(converted.alert);
      else problems.push({ source, item, reason: converted.problem });
    });
  });
  return { alerts, problems };
}

/** `*.sarif` and `*.json` files directly in a folder, sorted for a stable order. */
async function sarifFilesIn(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && /\.(?:sarif|json)$/i.test(entry.name))
    .map((entry) => join(folder, entry.name))
    .sort();
}

async function expand(path: string): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch (cause) {
    throw new SarifReadError(path, 'no such file or folder', { cause });
  }
  return info.isDirectory() ? sarifFilesIn(path) : [path];
}

export interface SarifAlertSourceOptions {
  /** Checkout folder(s) stripped from absolute URIs (`--root`). Default: none. */
  roots?: readonly string[];
  /** Where dropped results are reported. Default: not logged, only kept in `problems`. */
  logger?: AlertLogger;
}

/** Alerts from SARIF files, or from every `*.sarif` / `*.json` file in given folders. */
export class SarifAlertSource implements AlertSource {
  readonly name: string;
  /** Results dropped by the last `alerts()` call, with reasons. */
  problems: AlertProblem[] = [];

  constructor(
    private readonly paths: readonly string[],
    private readonly options: SarifAlertSourceOptions = {},
  ) {
    this.name = `SARIF ${paths.join(', ')}`;
  }

  async alerts(): Promise<Alert[]> {
    const files = (await Promise.all(this.paths.map(expand))).flat();
    const alerts: Alert[] = [];
    const problems: AlertProblem[] = [];
    for (const file of files) {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (cause) {
        throw new SarifReadError(file, cause instanceof Error ? cause.message : String(cause), { cause });
      }
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (cause) {
        throw new SarifReadError(file, `invalid JSON (${cause instanceof Error ? cause.message : String(cause)})`, { cause });
      }
      const read = alertsFromSarif(value, { source: file, roots: this.options.roots ?? [] });
      alerts.push(...read.alerts);
      problems.push(...read.problems);
    }
    for (const problem of problems) this.options.logger?.warn({ problem }, `dropped a SARIF result: ${problem.reason}`);
    this.problems = problems;
    return alerts;
  }
}

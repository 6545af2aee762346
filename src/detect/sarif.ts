// Alerts from SARIF 2.1.0 files (CodeQL, Semgrep, or any analyzer that writes SARIF), read by the
// one SARIF reader (src/sarif/). A run, rule or result that does not fit is dropped with its
// reason, and so is a result that is no alert here (suppressed, absent, without a location); only
// a file that is not SARIF at all (unreadable, not JSON, no `runs`) throws.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { cweFromTags } from '../cwe/from-tags.js';
import type { AlertProblem } from '../sarif/problem.js';
import { readSarif, readSarifFile, type SarifRead } from '../sarif/read.js';
import { SarifReadError } from '../sarif/read-error.js';
import type { SarifResult, SarifRule, SarifRun } from '../sarif/schema.js';
import type { AlertLogger } from './alert-problem.js';
import { toRepoPath } from './repo-path.js';
import type { Alert, AlertSource } from './types.js';

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
function baseUri(run: SarifRun, id: string): string | undefined {
  const uri = (run.originalUriBaseIds?.[id] as { uri?: unknown } | undefined)?.uri;
  return typeof uri === 'string' && /^file:/i.test(uri) ? uri : undefined;
}

function baseUris(run: SarifRun): string[] {
  return Object.keys(run.originalUriBaseIds ?? {}).flatMap((id) => baseUri(run, id) ?? []);
}

/**
 * A relative URI resolved against its base when the run says where the base is, so that a base
 * below the checkout (`file:///repo/src/`) keeps its folder once the checkout root is stripped.
 */
function resolveUri(uri: string, uriBaseId: string | undefined, run: SarifRun): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(uri) || uri.startsWith('/') || uriBaseId === undefined) return uri;
  const base = baseUri(run, uriBaseId);
  return base ? `${base.replace(/\/?$/, '/')}${uri.replace(/^\.\//, '')}` : uri;
}

function artifactUri(run: SarifRun, artifactIndex: number | undefined): string | undefined {
  if (artifactIndex === undefined) return undefined;
  const artifact = run.artifacts?.[artifactIndex] as { location?: { uri?: unknown } } | undefined;
  const uri = artifact?.location?.uri;
  return typeof uri === 'string' ? uri : undefined;
}

type Converted = { alert: Alert } | { problem: string };

function convert(result: SarifResult, run: SarifRun, rule: SarifRule | undefined, roots: readonly string[]): Converted {
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

/** Alerts from what the SARIF reader read, and the results that are no alert, with reasons. */
function alertsOf(read: SarifRead, source: string, roots: readonly string[]): SarifAlerts {
  const alerts: Alert[] = [];
  const problems = [...read.problems];
  for (const { item, result, rule, run } of read.results) {
    const converted = convert(result, run, rule, roots);
    if ('alert' in converted) alerts.push(converted.alert);
    else problems.push({ source, item, reason: converted.problem });
  }
  return { alerts, problems };
}

/** Alerts from a parsed SARIF log. Throws SarifReadError only when the value has no `runs` array. */
export function alertsFromSarif(value: unknown, options: SarifOptions): SarifAlerts {
  const { source, roots = [] } = options;
  return alertsOf(readSarif(value, source), source, roots);
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
    throw new SarifReadError(path, 'no such file or folder', { cause, hint: "check the SARIF path (--sarif, or the Action's sarif input)" });
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
      const read = alertsOf(await readSarifFile(file), file, this.options.roots ?? []);
      alerts.push(...read.alerts);
      problems.push(...read.problems);
    }
    for (const problem of problems) this.options.logger?.warn({ problem }, `dropped a SARIF result: ${problem.reason}`);
    this.problems = problems;
    return alerts;
  }
}

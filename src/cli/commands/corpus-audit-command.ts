// `seccoder corpus audit`: the corpus's audit trail (audit.jsonl beside it), newest first: every
// addition with its gates, every refusal with its reason, every retirement and restoration, and
// who did it through what.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { AUDIT_ACTIONS, readAudit, serializeAuditRecord, type AuditAction, type AuditRecord, type AuditVia } from '../../corpus/audit.js';
import { CorpusNotFoundError } from '../../corpus/errors.js';
import { LocalCorpusStore } from '../../corpus/local-store.js';
import { formatLogProblem } from '../../corpus/side-log.js';
import { resolveCorpusDir } from '../../corpus/location.js';
import { withCorpusOption, type CorpusOptions } from '../shared-options.js';
import { UsageError } from '../usage-error.js';

interface AuditOptions extends CorpusOptions {
  json?: boolean;
  limit?: string;
  action?: string;
}

// Control characters (C0, DEL, C1) and line separators are exactly what this matches.
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;

/**
 * Free text of the trail on one terminal line. The trail of an org corpus is written by many
 * people and programs: a field holding a line break or an escape sequence must not forge lines or
 * drive the operator's terminal.
 */
function printable(text: string): string {
  return text.replace(UNPRINTABLE, ' ').replace(/ {2,}/g, ' ').trim();
}

const ACTION_WIDTH = Math.max(...AUDIT_ACTIONS.map((action) => action.length));

function describeVia(via: AuditVia): string {
  if (via.kind === 'command') return via.command ?? 'a command';
  if (via.kind === 'pull-request') {
    if (via.repo && via.pullRequest) return `${via.repo}#${via.pullRequest}`;
    return via.url ?? 'a pull request';
  }
  return via.url ?? `the ${via.kind}`;
}

/** `2026-05-01T10:00:00.000Z  retired  manual-0123abcd4567ef89 (python, CWE-89)  by cli:alice  via seccoder corpus retire …  reason: …`. */
export function formatAuditRecord(record: AuditRecord): string {
  const subject = record.entryId ?? record.path ?? (record.sha256 ? `sha256 ${record.sha256.slice(0, 16)}` : '(no entry)');
  const labels = [record.language, ...(record.cwe ?? [])].filter(Boolean).join(', ');
  const parts = [
    `${subject}${record.entryId && record.path ? ` ${record.path}` : ''}${labels ? ` (${labels})` : ''}`,
    `by ${record.actor}`,
    `via ${describeVia(record.via)}`,
  ];
  if (record.reason) parts.push(`reason: ${record.reason}`);
  if (record.gates?.length) parts.push(`gates: ${record.gates.map((gate) => `${gate.gate} ${gate.passed ? 'passed' : 'failed'}`).join(', ')}`);
  return [record.at, record.action.padEnd(ACTION_WIDTH), ...parts.map(printable)].join('  ');
}

function parseLimit(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const limit = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(limit) || limit <= 0)
    throw new UsageError(`--limit must be a positive whole number, got ${JSON.stringify(value)}`);
  return limit;
}

function parseAction(value: string | undefined): AuditAction | undefined {
  if (value === undefined) return undefined;
  if ((AUDIT_ACTIONS as readonly string[]).includes(value)) return value as AuditAction;
  throw new UsageError(`--action must be one of ${AUDIT_ACTIONS.join(', ')}, got ${JSON.stringify(value)}`);
}

/**
 * Newest first, by time; records of the same instant in reverse file order (the trail is
 * append-only, so a later line was written later). Times are compared as instants, not strings:
 * `…:00Z` and `…:00.500Z` sort wrong as text.
 */
export function newestFirst(records: readonly AuditRecord[]): AuditRecord[] {
  return records
    .map((record, order) => ({ record, order, time: Date.parse(record.at) }))
    .sort((a, b) => b.time - a.time || b.order - a.order)
    .map(({ record }) => record);
}

export function registerCorpusAuditCommand(corpus: Command): void {
  withCorpusOption(corpus.command('audit'))
    .description('the audit trail of the corpus (audit.jsonl beside it), newest first: additions with their gates, refusals, retirements, restorations')
    .option('--json', 'print JSON Lines, one record a line as stored')
    .option('--limit <n>', 'show only the newest n records')
    .option('--action <action>', `only records of this action: ${AUDIT_ACTIONS.join(' | ')}`)
    .action(async (options: AuditOptions) => {
      // Flags first: a mistyped flag is told before anything is read.
      const limit = parseLimit(options.limit);
      const action = parseAction(options.action);
      const store = new LocalCorpusStore(resolveCorpusDir(options.corpus));
      if (!existsSync(store.file)) throw new CorpusNotFoundError(store.dir);
      const { records, problems } = await readAudit(store);
      for (const problem of problems) console.error(`warning: ${formatLogProblem(problem)}`);
      const shown = newestFirst(records.filter((record) => action === undefined || record.action === action)).slice(0, limit);
      if (shown.length === 0) console.error(`no ${action ? `${action} ` : ''}records in ${store.logLocation('audit')}`);
      for (const record of shown) console.log(options.json ? serializeAuditRecord(record) : formatAuditRecord(record));
    });
}

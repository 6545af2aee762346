// The audit trail of the corpus: every addition (with its gate results), refusal (with the gate
// and reason), retirement and restoration, and every proposal of human-approved growth, with who,
// when and the pull request or command behind it. Append-only; retirement is read from it (the
// corpus file itself never changes when an entry is retired, so its index stays valid).
import { z } from 'zod';
import { cweIdSchema } from '../cwe/schema.js';
import { LANGUAGES } from '../lang/languages.js';
import { gateResultSchema } from '../analyze/secure-gate.js';
import { parseSideLog, SIDE_LOGS, type SideLogMerge } from './side-log.js';
import type { CorpusStore } from './types.js';
import type { LineProblem } from './jsonl.js';

export const AUDIT_ACTIONS = ['added', 'refused', 'retired', 'restored', 'proposed', 'proposal-closed'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const VIA_KINDS = ['pull-request', 'command', 'page', 'api', 'seed'] as const;

/** What caused a record: a merged (or proposal) pull request, a CLI command, or the page/API. */
export const auditViaSchema = z
  .object({
    kind: z.enum(VIA_KINDS),
    /** `owner/name` of the repository of the pull request. */
    repo: z.string().min(1).optional(),
    pullRequest: z.number().int().positive().optional(),
    url: z.string().url().optional(),
    /** The command line, for `command` (no file contents, no secrets). */
    command: z.string().min(1).optional(),
  })
  .strict();
export type AuditVia = z.infer<typeof auditViaSchema>;

export const auditRecordSchema = z
  .object({
    at: z.string().datetime(),
    action: z.enum(AUDIT_ACTIONS),
    /** GitHub login, or `cli:<os user>` for a local command. */
    actor: z.string().min(1),
    via: auditViaSchema,
    /** The entry (added, retired, restored; proposed when its id is known). */
    entryId: z.string().min(1).optional(),
    /** Hash of the normalized code (refusals have no entry id). */
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
    language: z.enum(LANGUAGES).optional(),
    cwe: z.array(cweIdSchema).optional(),
    /** Where the function was in its repository (`path`, and `function` its name). */
    path: z.string().min(1).optional(),
    function: z.string().min(1).optional(),
    /** Why (refused, retired, restored, proposal closed). */
    reason: z.string().optional(),
    gates: z.array(gateResultSchema).optional(),
  })
  .strict();
export type AuditRecord = z.infer<typeof auditRecordSchema>;

export function parseAudit(text: string, file: string): { records: AuditRecord[]; problems: LineProblem[] } {
  return parseSideLog(text, file, auditRecordSchema);
}

export function serializeAuditRecord(record: AuditRecord): string {
  return JSON.stringify(auditRecordSchema.parse(record));
}

/** Ids of the entries retired now: the last of an entry's retire/restore records decides. */
export function retiredIds(records: readonly AuditRecord[]): Set<string> {
  const retired = new Set<string>();
  for (const record of records) {
    if (!record.entryId) continue;
    if (record.action === 'retired') retired.add(record.entryId);
    else if (record.action === 'restored') retired.delete(record.entryId);
  }
  return retired;
}

export async function readAudit(store: CorpusStore): Promise<{ records: AuditRecord[]; problems: LineProblem[] }> {
  return parseAudit(await store.readLog('audit'), store.logLocation('audit'));
}

/**
 * Appends the records `decide` returns from the trail as it is at the moment of writing (under the
 * store's lock or compare-and-swap), and returns them.
 */
export async function appendAudit(store: CorpusStore, decide: (current: AuditRecord[]) => AuditRecord[]): Promise<AuditRecord[]> {
  let written: AuditRecord[] = [];
  const merge: SideLogMerge = (text) => {
    written = decide(parseAudit(text, store.logLocation('audit')).records);
    return written.map(serializeAuditRecord);
  };
  await store.updateLog('audit', merge);
  return written;
}

export const AUDIT_FILE = SIDE_LOGS.audit;

// Retiring an entry takes it out of retrieval without deleting it: the corpus file keeps it, the
// audit trail says who retired it, when and why, and restoring it is one more record. The check
// ("is it live?") and the record are one step under the trail's lock, so two operators retiring
// the same entry at once write one record and the second is told.
import { appendAudit, retiredIds, type AuditRecord, type AuditVia } from './audit.js';
import { SecCoderError } from '../errors/seccoder-error.js';
import type { CorpusStore } from './types.js';

export class RetirementError extends SecCoderError {
  override name = 'RetirementError';
}

export interface RetirementRequest {
  id: string;
  /** GitHub login, or `cli:<os user>`. */
  actor: string;
  via: AuditVia;
  /** Required to retire; optional to restore. */
  reason?: string;
  now?: () => Date;
}

async function changeStatus(store: CorpusStore, request: RetirementRequest, action: 'retired' | 'restored'): Promise<AuditRecord> {
  const { entries } = await store.read();
  const entry = entries.find((candidate) => candidate.id === request.id);
  if (!entry) throw new RetirementError(`no entry ${request.id} in ${store.location}`, { hint: 'seccoder corpus stats --json lists the corpus; ids are case-sensitive' });
  if (action === 'retired' && !request.reason?.trim()) throw new RetirementError(`retiring ${request.id} needs a reason`, { hint: 'pass --reason "..."; the audit trail keeps it' });
  let refusal: string | undefined;
  const written = await appendAudit(store, (current) => {
    const retired = retiredIds(current).has(entry.id);
    if (action === 'retired' && retired) refusal = `${entry.id} is already retired`;
    if (action === 'restored' && !retired) refusal = `${entry.id} is not retired`;
    if (refusal) return [];
    return [
      {
        at: (request.now?.() ?? new Date()).toISOString(),
        action,
        actor: request.actor,
        via: request.via,
        entryId: entry.id,
        sha256: entry.sha256,
        language: entry.language,
        cwe: entry.cwe,
        ...(request.reason?.trim() ? { reason: request.reason.trim() } : {}),
      },
    ];
  });
  const record = written[0];
  if (!record) throw new RetirementError(refusal ?? `${entry.id}: nothing changed`);
  return record;
}

/** Takes an entry out of retrieval; throws RetirementError when it is missing or already retired. */
export function retireEntry(store: CorpusStore, request: RetirementRequest): Promise<AuditRecord> {
  return changeStatus(store, request, 'retired');
}

/** Puts a retired entry back into retrieval; throws RetirementError when it is missing or not retired. */
export function restoreEntry(store: CorpusStore, request: RetirementRequest): Promise<AuditRecord> {
  return changeStatus(store, request, 'restored');
}

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

// Whitespace and control characters (C0, DEL, C1): what a one-line reason holds none of.
// eslint-disable-next-line no-control-regex
const NOT_ONE_LINE = /[\s\u0000-\u001f\u007f-\u009f]+/g;

/**
 * A reason as one line, or undefined when blank: the trail is read on terminals, on the page and
 * in one-line errors, where a line break or an escape sequence would forge or hide text.
 */
function oneLine(text: string | undefined): string | undefined {
  const line = text?.replace(NOT_ONE_LINE, ' ').trim();
  return line || undefined;
}

/** ` (retired by cli:alice at 2026-05-01T10:00:00.000Z: taught string formatting)`: the record that made the entry what it is now, for a refusal. */
function since(record: AuditRecord | undefined): string {
  if (!record) return '';
  const reason = oneLine(record.reason);
  return ` (${record.action} by ${oneLine(record.actor) ?? ''} at ${record.at}${reason ? `: ${reason}` : ''})`;
}

async function changeStatus(store: CorpusStore, request: RetirementRequest, action: 'retired' | 'restored'): Promise<AuditRecord> {
  const reason = oneLine(request.reason);
  // The id as the user typed it, for messages (it is not yet known to be an entry's).
  const id = oneLine(request.id) ?? '""';
  // An incomplete request is told before the corpus is read.
  if (action === 'retired' && !reason) throw new RetirementError(`retiring ${id} needs a reason`, { hint: 'pass --reason "..."; the audit trail keeps it' });
  const { entries } = await store.read();
  const entry = entries.find((candidate) => candidate.id === request.id);
  if (!entry) {
    throw new RetirementError(`no entry ${id} in ${store.location}`, {
      hint: 'an id is the "id" of its line in corpus.jsonl, as `seccoder retrieve` and `seccoder corpus audit` print it; ids are case-sensitive',
    });
  }
  let refusal: string | undefined;
  const written = await appendAudit(store, (current) => {
    const retired = retiredIds(current).has(entry.id);
    const last = current.findLast((record) => record.entryId === entry.id && (record.action === 'retired' || record.action === 'restored'));
    refusal = undefined;
    if (action === 'retired' && retired) refusal = `${entry.id} is already retired${since(last)}`;
    if (action === 'restored' && !retired) refusal = `${entry.id} is not retired${since(last)}`;
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
        ...(reason ? { reason } : {}),
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

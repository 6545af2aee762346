// What growth writes to the corpus's audit trail (src/corpus/audit.ts): an `added` record per entry
// that joined, a `refused` record per function left out (the gate and why), a `proposed` record per
// entry put up for review, and `added` or `proposal-closed` when the review ends. Each record names
// who (the person who merged or closed the pull request behind it), when, and the pull request.
// Written once: a redelivered event appends no second record for the same function, action and
// pull request (checked against the trail as it is at the moment of writing).
import type { GateResult } from '../../analyze/secure-gate.js';
import { appendAudit, type AuditRecord, type AuditVia } from '../../corpus/audit.js';
import type { CorpusEntry } from '../../corpus/entry.js';
import type { CorpusStore } from '../../corpus/types.js';
import { cweId } from '../../cwe/id.js';
import type { Rejection } from './gated-functions.js';

/** Who, when and through which pull request: what every record of one growth run shares. */
export interface AuditContext {
  actor: string;
  via: AuditVia;
  at: Date;
}

/** The pull request as the trail names it. */
export function pullRequestVia(repository: string, number: number, url: string): AuditVia {
  return { kind: 'pull-request', repo: repository, pullRequest: number, url };
}

/** Ids the trail's schema accepts: normalized CWE ids, the rest left out. */
function cweIds(ids: readonly string[] | undefined): string[] | undefined {
  if (!ids) return undefined;
  return [...new Set(ids.flatMap((id) => cweId(id) ?? []))];
}

function base(action: AuditRecord['action'], context: AuditContext): Pick<AuditRecord, 'at' | 'action' | 'actor' | 'via'> {
  return { at: context.at.toISOString(), action, actor: context.actor, via: context.via };
}

/** What a record says about its entry: id, hash, language, CWEs, and where the function was. */
export type AuditSubject = Pick<AuditRecord, 'entryId' | 'sha256' | 'language' | 'cwe' | 'path' | 'function'>;

/** The subject fields of an earlier record about the same entry. */
export function subjectOfRecord(record: AuditRecord): AuditSubject {
  const { entryId, sha256, language, cwe, path, function: name } = record;
  return {
    ...(entryId ? { entryId } : {}),
    ...(sha256 ? { sha256 } : {}),
    ...(language ? { language } : {}),
    ...(cwe ? { cwe } : {}),
    ...(path ? { path } : {}),
    ...(name ? { function: name } : {}),
  };
}

/** The entry's fields a record repeats. */
export function entryFields(entry: CorpusEntry): AuditSubject {
  return {
    entryId: entry.id,
    sha256: entry.sha256,
    language: entry.language,
    cwe: cweIds(entry.cwe) ?? [],
    ...(entry.source.path ? { path: entry.source.path } : {}),
    ...(entry.source.function ? { function: entry.source.function } : {}),
  };
}

/** An entry joined the corpus, with what the gates said of it. */
export function addedRecord(entry: CorpusEntry, gates: readonly GateResult[] | undefined, context: AuditContext): AuditRecord {
  return { ...base('added', context), ...entryFields(entry), ...(gates ? { gates: [...gates] } : {}) };
}

/** An entry was put up for review in the proposal pull request, with what the gates said of it. */
export function proposedRecord(entry: CorpusEntry, gates: readonly GateResult[], context: AuditContext): AuditRecord {
  return { ...base('proposed', context), ...entryFields(entry), gates: [...gates] };
}

/** A proposed entry will not join: its proposal was closed, or the entry taken out of it. */
export function proposalClosedRecord(subject: AuditSubject, reason: string, context: AuditContext): AuditRecord {
  return { ...base('proposal-closed', context), ...subject, reason };
}

/**
 * A function was left out, with why. `gates` holds what the analyzers said when they ran;
 * otherwise the one gate that refused it.
 */
export function refusedRecord(rejection: Rejection, context: AuditContext): AuditRecord {
  const cwe = cweIds(rejection.cwe);
  return {
    ...base('refused', context),
    ...(rejection.sha256 ? { sha256: rejection.sha256 } : {}),
    ...(rejection.language ? { language: rejection.language } : {}),
    ...(cwe ? { cwe } : {}),
    ...(rejection.path ? { path: rejection.path } : {}),
    ...(rejection.function ? { function: rejection.function } : {}),
    reason: rejection.reason,
    gates: rejection.gates ? [...rejection.gates] : [{ gate: rejection.gate, passed: false }],
  };
}

/** What a record is about: the code's hash, or where the function was when it could not be read. */
function subjectOf(record: AuditRecord): string {
  return record.sha256 ?? `${record.path ?? ''}:${record.function ?? ''}`;
}

/** Records of one function, action and pull request are the same event: the key says which. */
function eventKey(record: AuditRecord): string {
  return JSON.stringify([record.action, subjectOf(record), record.via.kind, record.via.repo ?? '', record.via.pullRequest ?? 0]);
}

/**
 * Appends the records the trail does not hold yet (by function, action and pull request; an
 * entry is `added` once, whichever pull request admitted it), and returns those written.
 */
export async function appendOnce(store: CorpusStore, records: readonly AuditRecord[]): Promise<AuditRecord[]> {
  if (records.length === 0) return [];
  return appendAudit(store, (current) => {
    const seen = new Set(current.map(eventKey));
    const added = new Set(current.flatMap((record) => (record.action === 'added' && record.sha256 ? [record.sha256] : [])));
    return records.filter((record) => {
      const key = eventKey(record);
      if (seen.has(key) || (record.action === 'added' && record.sha256 && added.has(record.sha256))) return false;
      seen.add(key);
      if (record.action === 'added' && record.sha256) added.add(record.sha256);
      return true;
    });
  });
}

// Where each proposed entry stands, read from the audit trail: put up for review (`proposed`),
// admitted (`added`), or refused by its reviewers (`proposal-closed`), the latest of these records
// deciding. The proposal branch and pull request are rebuilt from it, so an entry refused once is
// never carried into the next proposal, unless a later fix proposes the same code again.
import type { AuditRecord } from '../../corpus/audit.js';

const DECISIVE = new Set<AuditRecord['action']>(['proposed', 'added', 'proposal-closed']);

export interface ProposalStatus {
  /** The latest of the entry's proposed, added and proposal-closed records. */
  latest: 'proposed' | 'added' | 'proposal-closed';
  /** Its latest `proposed` record (the gate results and the fix it came from). */
  proposed?: AuditRecord;
  /** Whether it was ever admitted. */
  added: boolean;
}

/** Each entry's status, by the hash of its code; entries never proposed or added are absent. */
export function proposalStatuses(records: readonly AuditRecord[]): Map<string, ProposalStatus> {
  const statuses = new Map<string, ProposalStatus>();
  for (const record of records) {
    if (!record.sha256 || !DECISIVE.has(record.action)) continue;
    const status = statuses.get(record.sha256) ?? { latest: 'proposed', added: false };
    status.latest = record.action as ProposalStatus['latest'];
    if (record.action === 'proposed') status.proposed = record;
    if (record.action === 'added') status.added = true;
    statuses.set(record.sha256, status);
  }
  return statuses;
}

/** Hashes of the entries their reviewers refused (and nothing proposed them again since). */
export function refusedProposals(records: readonly AuditRecord[]): Set<string> {
  return new Set([...proposalStatuses(records)].flatMap(([sha256, status]) => (status.latest === 'proposal-closed' ? [sha256] : [])));
}

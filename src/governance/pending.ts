// Additions waiting for a person (growth.mode: pull-request): a `proposed` record of the audit
// trail that no later `added` or `proposal-closed` record of the same code settled (same sha256,
// or the same entry id when a record has no hash). A proposal made again (its pull request
// updated) shows once, as last proposed.
import type { AuditRecord } from '../corpus/audit.js';

const sameCode = (a: AuditRecord, b: AuditRecord) => (a.sha256 !== undefined && a.sha256 === b.sha256) || (a.entryId !== undefined && a.entryId === b.entryId);

/** Pending proposals, newest first. */
export function pendingProposals(records: readonly AuditRecord[]): AuditRecord[] {
  let open: AuditRecord[] = [];
  for (const record of records) {
    if (record.sha256 === undefined && record.entryId === undefined) continue;
    if (record.action === 'proposed' || record.action === 'added' || record.action === 'proposal-closed') {
      open = open.filter((proposal) => !sameCode(proposal, record));
    }
    if (record.action === 'proposed') open.push(record);
  }
  return open.reverse();
}

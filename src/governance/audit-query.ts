// The audit view's records: newest first (by time, and later in the file first at equal times,
// since instances append in the order things happened), optionally one action only, a page at a time.
import { z } from 'zod';
import { AUDIT_ACTIONS, type AuditRecord } from '../corpus/audit.js';

export const AUDIT_PAGE_SIZE = 100;

export const auditQuerySchema = z.object({
  action: z.preprocess((value) => (value === '' ? undefined : value), z.enum([...AUDIT_ACTIONS, 'all']).default('all')),
  page: z.preprocess((value) => (value === '' ? undefined : value), z.coerce.number().int().min(1).max(1_000_000).default(1)),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

export function auditQueryInput(params: URLSearchParams): Record<string, string> {
  const input: Record<string, string> = {};
  for (const key of ['action', 'page']) {
    const value = params.getAll(key).at(-1);
    if (value !== undefined) input[key] = value;
  }
  return input;
}

/** Records newest first. */
export function newestFirst(records: readonly AuditRecord[]): AuditRecord[] {
  return records
    .map((record, index) => ({ record, index }))
    .sort((a, b) => b.record.at.localeCompare(a.record.at) || b.index - a.index)
    .map(({ record }) => record);
}

export interface AuditPage {
  query: AuditQuery;
  total: number;
  pages: number;
  records: AuditRecord[];
}

export function selectAudit(records: readonly AuditRecord[], query: AuditQuery): AuditPage {
  const matching = newestFirst(query.action === 'all' ? records : records.filter((record) => record.action === query.action));
  const start = (query.page - 1) * AUDIT_PAGE_SIZE;
  return {
    query,
    total: matching.length,
    pages: Math.max(1, Math.ceil(matching.length / AUDIT_PAGE_SIZE)),
    records: matching.slice(start, start + AUDIT_PAGE_SIZE),
  };
}

// The entries list's filters (GET query parameters, the same for the page's form and
// GET /api/entries): CWE, language, origin, status, an order, and a page of PAGE_SIZE entries, so
// a 10,000-entry corpus renders 50 at a time. Empty fields (an untouched <select>) mean "any".
import { z } from 'zod';
import { cweId } from '../cwe/id.js';
import { ORIGINS, type CorpusEntry } from '../corpus/entry.js';
import type { EntryAcceptance } from '../corpus/feedback.js';
import { LANGUAGES } from '../lang/languages.js';
import { NO_ACCEPTANCE, type CorpusSnapshot } from './snapshot.js';

export const PAGE_SIZE = 50;
export const STATUSES = ['live', 'retired', 'all'] as const;
/** newest: last added first; oldest: file order; dismissed: most dismissed suggestions first (how a bad example is found). */
export const SORTS = ['newest', 'oldest', 'dismissed'] as const;

const blankIsAbsent = (value: unknown) => (value === '' ? undefined : value);

export const entryQuerySchema = z.object({
  cwe: z.preprocess(
    blankIsAbsent,
    z
      .string()
      .transform((value, context) => {
        const id = cweId(value);
        if (!id) context.addIssue({ code: 'custom', message: `not a CWE id: ${JSON.stringify(value)}` });
        return id ?? '';
      })
      .optional(),
  ),
  language: z.preprocess(blankIsAbsent, z.enum(LANGUAGES).optional()),
  origin: z.preprocess(blankIsAbsent, z.enum(ORIGINS).optional()),
  status: z.preprocess(blankIsAbsent, z.enum(STATUSES).default('live')),
  sort: z.preprocess(blankIsAbsent, z.enum(SORTS).default('newest')),
  page: z.preprocess(blankIsAbsent, z.coerce.number().int().min(1).max(1_000_000).default(1)),
});
export type EntryQuery = z.infer<typeof entryQuerySchema>;

/** The query's fields from URL parameters (the last of a repeated one); unknown ones are ignored. */
export function entryQueryInput(params: URLSearchParams): Record<string, string> {
  const input: Record<string, string> = {};
  for (const key of ['cwe', 'language', 'origin', 'status', 'sort', 'page']) {
    const value = params.getAll(key).at(-1);
    if (value !== undefined) input[key] = value;
  }
  return input;
}

export interface ListedEntry {
  entry: CorpusEntry;
  retired: boolean;
  acceptance: EntryAcceptance;
}

export interface EntryPage {
  query: EntryQuery;
  /** Entries matching the filters, on all pages. */
  total: number;
  pages: number;
  items: ListedEntry[];
}

export function selectEntries(snapshot: CorpusSnapshot, query: EntryQuery): EntryPage {
  const matching: ListedEntry[] = [];
  for (const entry of snapshot.entries) {
    const retired = snapshot.retired.has(entry.id);
    if (query.status === 'live' && retired) continue;
    if (query.status === 'retired' && !retired) continue;
    if (query.language && entry.language !== query.language) continue;
    if (query.origin && entry.origin !== query.origin) continue;
    if (query.cwe && !entry.cwe.includes(query.cwe)) continue;
    matching.push({ entry, retired, acceptance: snapshot.acceptance.get(entry.id) ?? NO_ACCEPTANCE });
  }
  if (query.sort === 'newest') matching.reverse();
  if (query.sort === 'dismissed') {
    // Stable: equal figures keep file order. Most dismissed first, then the larger dismissed share.
    const share = (item: ListedEntry) => (item.acceptance.suggestions === 0 ? 0 : item.acceptance.dismissed / item.acceptance.suggestions);
    matching.sort((a, b) => b.acceptance.dismissed - a.acceptance.dismissed || share(b) - share(a));
  }
  const pages = Math.max(1, Math.ceil(matching.length / PAGE_SIZE));
  const start = (query.page - 1) * PAGE_SIZE;
  return { query, total: matching.length, pages, items: matching.slice(start, start + PAGE_SIZE) };
}

/** The query as URL parameters, without defaults, with `page` replaced when given. */
export function entryQueryString(query: EntryQuery, page = query.page): string {
  const params = new URLSearchParams();
  if (query.cwe) params.set('cwe', query.cwe);
  if (query.language) params.set('language', query.language);
  if (query.origin) params.set('origin', query.origin);
  if (query.status !== 'live') params.set('status', query.status);
  if (query.sort !== 'newest') params.set('sort', query.sort);
  if (page !== 1) params.set('page', String(page));
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

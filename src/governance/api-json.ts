// The JSON API's shapes: what GET /api/entries and GET /api/entries/<id> answer for an entry (the
// entry as stored, plus its CWE names, provenance link, status and acceptance figures).
import { cweName } from '../cwe/names.js';
import type { ListedEntry } from './entry-query.js';
import { provenanceUrl } from './links.js';

export function entryJson({ entry, retired, acceptance }: ListedEntry): Record<string, unknown> {
  const cweNames = Object.fromEntries(
    entry.cwe.flatMap((cwe) => {
      const name = cweName(cwe);
      return name ? [[cwe, name]] : [];
    }),
  );
  return {
    ...entry,
    cweNames,
    provenanceUrl: provenanceUrl(entry.source) ?? null,
    status: retired ? 'retired' : 'live',
    acceptance,
  };
}

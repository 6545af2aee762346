// The entries list: a plain GET form of filters (no script: the browser builds the query), how
// many match, and one page of entry cards with links to the others.
import { ORIGINS } from '../corpus/entry.js';
import { LANGUAGES } from '../lang/languages.js';
import type { PageAccess } from './page-types.js';
import { entryCard } from './entry-card.js';
import { entryQueryString, PAGE_SIZE, SORTS, STATUSES, type EntryPage } from './entry-query.js';
import { html, type SafeHtml } from './html.js';
import { pageLinks, select } from './view-parts.js';

export function entriesView(basePath: string, access: PageAccess, page: EntryPage): SafeHtml {
  const { query } = page;
  const first = (query.page - 1) * PAGE_SIZE + 1;
  return html`<h2>Entries</h2>
    <form class="filters" method="get" action="${basePath}/entries">
      <label>CWE<input name="cwe" value="${query.cwe ?? ''}" placeholder="e.g. CWE-89" size="10" /></label>
      ${select('language', 'language', LANGUAGES, query.language)} ${select('origin', 'origin', ORIGINS, query.origin)}
      ${select('status', 'status', STATUSES, query.status, null)} ${select('sort', 'order', SORTS, query.sort, null)}
      <button type="submit">Filter</button>
    </form>
    <p class="count">
      ${page.total}
      entr${page.total === 1 ? 'y matches' : 'ies match'}${
        page.items.length > 0 && page.pages > 1 ? html`; showing ${first}–${first + page.items.length - 1}` : ''
      }.
    </p>
    ${page.items.map((item) => entryCard({ basePath, access, ...item }))}
    ${pageLinks(query.page, page.pages, (n) => `${basePath}/entries${entryQueryString(query, n)}`)}`;
}

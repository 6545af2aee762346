// One corpus entry as the entries list and the entry page show it: id, language, CWEs with names,
// origin, where it came from (linked), how the suggestions it taught were received, live or
// retired, its code, and, for a reader who may write, the form that retires or restores it.
import type { CorpusEntry } from '../corpus/entry.js';
import type { EntryAcceptance } from '../corpus/feedback.js';
import type { PageAccess } from './page-types.js';
import { html, type SafeHtml } from './html.js';
import { httpUrl, provenanceUrl } from './links.js';
import { cweList } from './view-parts.js';

export const MAX_REASON_CHARS = 1000;

export interface EntryCardOptions {
  basePath: string;
  access: PageAccess;
  entry: CorpusEntry;
  retired: boolean;
  acceptance: EntryAcceptance;
}

export function entryPath(basePath: string, id: string): string {
  return `${basePath}/entries/${encodeURIComponent(id)}`;
}

/** What the provenance link reads: repo, path and short commit, or the dataset. */
function provenanceLabel(entry: CorpusEntry): string {
  const { source } = entry;
  const parts = [source.repo, source.path, source.commit?.slice(0, 12)].filter((part) => part !== undefined);
  if (source.pullRequest) parts.push(`#${source.pullRequest}`);
  if (parts.length === 0 && source.url) parts.push(source.url);
  return parts.join(' · ');
}

function provenance(entry: CorpusEntry): SafeHtml {
  const url = provenanceUrl(entry.source);
  const label = provenanceLabel(entry);
  const extra = [source('function', entry.source.function), source('dataset', entry.source.dataset), source('merged by', entry.source.mergedBy)].filter(
    (part) => part !== undefined,
  );
  const link = url ? html`<a href="${url}" rel="noreferrer">${label || url}</a>` : label ? html`${label}` : html`<span class="muted">unknown</span>`;
  // A source.url that is no http address (javascript:, data:) is a warning sign worth seeing, as text.
  const unlinked = entry.source.url !== undefined && httpUrl(entry.source.url) === undefined ? entry.source.url : undefined;
  const unlinkedNote = unlinked ? html` <span class="fail small">${unlinked} (not linked: not an http address)</span>` : '';
  return html`${link}${unlinkedNote}${extra.length > 0 ? html` <span class="muted small">(${extra.join('; ')})</span>` : ''}`;
}

function source(label: string, value: string | undefined): string | undefined {
  return value === undefined ? undefined : `${label} ${value}`;
}

function acceptanceText(acceptance: EntryAcceptance): SafeHtml {
  if (acceptance.suggestions === 0) return html`<span class="muted">no suggestion has shown it yet</span>`;
  return html`<span class="acceptance"
    >${acceptance.suggestions} suggestion${acceptance.suggestions === 1 ? '' : 's'}, ${acceptance.applied} applied, ${acceptance.dismissed} dismissed</span
  >`;
}

/** The retire form (reason required) or the restore form (reason optional), posting to the page itself. */
export function writeForm(basePath: string, access: PageAccess, entry: CorpusEntry, retired: boolean): SafeHtml {
  if (!access.canWrite) return html``;
  const action = retired ? 'restore' : 'retire';
  return html`<form class="write" method="post" action="${entryPath(basePath, entry.id)}/${action}">
    <input type="hidden" name="csrf" value="${access.csrfToken}" />
    <label
      >${retired ? 'Why restore it (optional)' : 'Why retire it (kept in the audit trail)'}<input
        name="reason"
        maxlength="${MAX_REASON_CHARS}"
        ${retired ? '' : html` required`}
    /></label>
    <button type="submit">${retired ? 'Restore' : 'Retire'} ${entry.id}</button>
  </form>`;
}

export function entryCard(options: EntryCardOptions, headingLevel: 'h2' | 'h3' = 'h3'): SafeHtml {
  const { basePath, access, entry, retired, acceptance } = options;
  const heading =
    headingLevel === 'h2'
      ? html`<h2><code>${entry.id}</code></h2>`
      : html`<h3>
          <a href="${entryPath(basePath, entry.id)}"><code>${entry.id}</code></a>
        </h3>`;
  return html`<article class="card entry${retired ? ' is-retired' : ''}" id="entry-${entry.id}" data-entry-id="${entry.id}">
    <header>
      ${heading}<span class="tag">${entry.language}</span><span class="status ${retired ? 'retired' : 'live'}">${retired ? 'retired' : 'live'}</span>
    </header>
    <dl>
      <dt>CWE</dt>
      <dd>${cweList(entry.cwe)}</dd>
      <dt>origin</dt>
      <dd>${entry.origin}</dd>
      <dt>provenance</dt>
      <dd>${provenance(entry)}</dd>
      <dt>added</dt>
      <dd>${entry.addedAt.slice(0, 10)}</dd>
      <dt>acceptance</dt>
      <dd>${acceptanceText(acceptance)}</dd>
    </dl>
    <pre><code>${entry.code}</code></pre>
    ${writeForm(basePath, access, entry, retired)}
  </article>`;
}

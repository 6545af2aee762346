// One entry with its history: every audit record of its code (added, retired, restored, and any
// proposal or refusal of the same code), newest first, and the posted suggestions that showed it
// with what became of each (the page a poisoned example is recognised on).
import type { AuditRecord } from '../corpus/audit.js';
import type { CorpusEntry } from '../corpus/entry.js';
import { suggestionKey, suggestionStates, type SuggestionRef } from '../corpus/feedback.js';
import type { PageAccess } from './page-types.js';
import { newestFirst } from './audit-query.js';
import { entryCard } from './entry-card.js';
import { html, type SafeHtml } from './html.js';
import { suggestionPullUrl } from './links.js';
import { NO_ACCEPTANCE, type CorpusSnapshot } from './snapshot.js';
import { gateList, viaText, when } from './view-parts.js';

export function entryHistory(snapshot: CorpusSnapshot, entry: CorpusEntry): AuditRecord[] {
  return newestFirst(snapshot.audit.filter((record) => record.entryId === entry.id || record.sha256 === entry.sha256));
}

export interface EntrySuggestion {
  ref: SuggestionRef;
  postedAt: string;
  state: 'left' | 'applied' | 'dismissed';
}

/** The posted suggestions that showed the entry, newest first. */
export function entrySuggestions(snapshot: CorpusSnapshot, entry: CorpusEntry): EntrySuggestion[] {
  const states = suggestionStates(snapshot.feedback);
  const found = new Map<string, EntrySuggestion>();
  for (const record of snapshot.feedback) {
    if (record.event !== 'posted' || !record.suggestion || !record.demonstrations?.includes(entry.id)) continue;
    const key = suggestionKey(record.suggestion);
    if (found.has(key)) continue;
    found.set(key, { ref: record.suggestion, postedAt: record.at, state: states.get(key)?.state ?? 'left' });
  }
  return [...found.values()].reverse();
}

function historyTable(records: AuditRecord[]): SafeHtml {
  if (records.length === 0) return html`<p class="muted">The audit trail holds nothing about this entry (seed entries predate the trail).</p>`;
  return html`<table class="history">
    <thead>
      <tr>
        <th>when</th>
        <th>action</th>
        <th>actor</th>
        <th>via</th>
        <th>reason</th>
        <th>gates</th>
      </tr>
    </thead>
    <tbody>
      ${records.map(
        (record) =>
          html`<tr>
            <td>${when(record.at)}</td>
            <td>${record.action}</td>
            <td>${record.actor}</td>
            <td>${viaText(record.via)}</td>
            <td>${record.reason ?? ''}</td>
            <td>${record.gates ? gateList(record.gates) : ''}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function suggestionsTable(suggestions: EntrySuggestion[]): SafeHtml {
  if (suggestions.length === 0) return html`<p class="muted">No posted suggestion has shown it.</p>`;
  return html`<table class="suggestions">
    <thead>
      <tr>
        <th>posted</th>
        <th>pull request</th>
        <th>where</th>
        <th>state</th>
      </tr>
    </thead>
    <tbody>
      ${suggestions.map(({ ref, postedAt, state }) => {
        const url = suggestionPullUrl(ref.repo, ref.pullRequest);
        const label = `${ref.repo}#${ref.pullRequest}`;
        return html`<tr>
          <td>${when(postedAt)}</td>
          <td>${url ? html`<a href="${url}">${label}</a>` : label}</td>
          <td>${ref.path ? html`<code>${ref.path}${ref.line ? `:${ref.line}` : ''}</code>` : ''}</td>
          <td class="${state === 'applied' ? 'pass' : state === 'dismissed' ? 'fail' : ''}">${state}</td>
        </tr>`;
      })}
    </tbody>
  </table>`;
}

export function entryView(basePath: string, access: PageAccess, snapshot: CorpusSnapshot, entry: CorpusEntry): SafeHtml {
  const retired = snapshot.retired.has(entry.id);
  return html`<p class="small"><a href="${basePath}/entries">← all entries</a></p>
    ${entryCard({ basePath, access, entry, retired, acceptance: snapshot.acceptance.get(entry.id) ?? NO_ACCEPTANCE }, 'h2')}
    <h3>History</h3>
    ${historyTable(entryHistory(snapshot, entry))}
    <h3>Suggestions that showed it</h3>
    ${suggestionsTable(entrySuggestions(snapshot, entry))}`;
}

// The audit trail, newest first: additions with their gate results, refusals with the gate and
// reason, retirements and restorations with who and why, and proposals; each with the pull
// request or command behind it. One action can be picked with a plain GET form.
import { AUDIT_ACTIONS, type AuditRecord } from '../corpus/audit.js';
import type { AuditPage } from './audit-query.js';
import { entryPath } from './entry-card.js';
import { html, type SafeHtml } from './html.js';
import type { CorpusSnapshot } from './snapshot.js';
import { cweLink, gateList, pageLinks, select, viaText, when, whereText } from './view-parts.js';

function entryCell(basePath: string, snapshot: CorpusSnapshot, record: AuditRecord): SafeHtml {
  if (record.entryId && snapshot.byId.has(record.entryId)) return html`<a href="${entryPath(basePath, record.entryId)}"><code>${record.entryId}</code></a>`;
  if (record.entryId) return html`<code>${record.entryId}</code>`;
  return record.sha256 ? html`<code class="muted" title="${record.sha256}">sha256 ${record.sha256.slice(0, 12)}</code>` : html``;
}

export function auditRow(basePath: string, snapshot: CorpusSnapshot, record: AuditRecord): SafeHtml {
  return html`<tr class="action-${record.action}">
    <td>${when(record.at)}</td>
    <td>${record.action}</td>
    <td>${entryCell(basePath, snapshot, record)}<br />${whereText(record)}</td>
    <td>${record.language ?? ''}</td>
    <td>${(record.cwe ?? []).map((cwe, i) => html`${i > 0 ? '; ' : ''}${cweLink(cwe, { short: true })}`)}</td>
    <td>${record.actor}</td>
    <td>${viaText(record.via)}</td>
    <td>${record.reason ?? ''}</td>
    <td>${record.gates ? gateList(record.gates) : ''}</td>
  </tr>`;
}

export function auditTable(basePath: string, snapshot: CorpusSnapshot, records: readonly AuditRecord[]): SafeHtml {
  return html`<table class="audit">
    <thead>
      <tr>
        <th>when</th>
        <th>action</th>
        <th>entry</th>
        <th>language</th>
        <th>CWE</th>
        <th>actor</th>
        <th>via</th>
        <th>reason</th>
        <th>gates</th>
      </tr>
    </thead>
    <tbody>
      ${records.map((record) => auditRow(basePath, snapshot, record))}
    </tbody>
  </table>`;
}

export function auditView(basePath: string, snapshot: CorpusSnapshot, page: AuditPage): SafeHtml {
  const { query } = page;
  const href = (n: number) => {
    const params = new URLSearchParams();
    if (query.action !== 'all') params.set('action', query.action);
    if (n !== 1) params.set('page', String(n));
    const text = params.toString();
    return `${basePath}/audit${text ? `?${text}` : ''}`;
  };
  return html`<h2>Audit trail</h2>
    <form class="filters" method="get" action="${basePath}/audit">
      ${select('action', 'action', AUDIT_ACTIONS, query.action === 'all' ? undefined : query.action, 'all')}
      <button type="submit">Show</button>
    </form>
    <p class="count">${page.total} record${page.total === 1 ? '' : 's'}, newest first.</p>
    ${page.records.length === 0 ? html`<p class="muted">Nothing recorded yet.</p>` : auditTable(basePath, snapshot, page.records)}
    ${pageLinks(query.page, page.pages, href)}`;
}

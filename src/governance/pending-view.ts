// Additions waiting for a person to merge (or close) their pull request on the corpus repository,
// with the gate results they were proposed with. Empty unless growth runs in `pull-request` mode.
import type { AuditRecord } from '../corpus/audit.js';
import { html, type SafeHtml } from './html.js';
import { pullRequestUrl } from './links.js';
import { cweLink, gateList, when, whereText } from './view-parts.js';

function pullRequestCell(record: AuditRecord): SafeHtml {
  const url = pullRequestUrl(record.via);
  const label = record.via.pullRequest ? `${record.via.repo ?? ''}#${record.via.pullRequest}` : 'pull request';
  return url ? html`<a href="${url}">${label}</a>` : html`<span class="muted">not known</span>`;
}

export function pendingView(proposals: readonly AuditRecord[]): SafeHtml {
  return html`<h2>Pending additions</h2>
    <p>Proposed by growth in <code>pull-request</code> mode and not yet merged or closed: merging the pull request admits them, closing it refuses them.</p>
    ${
      proposals.length === 0
        ? html`<p class="muted">No addition is waiting.</p>`
        : html`<table class="pending">
            <thead>
              <tr>
                <th>proposed</th>
                <th>entry</th>
                <th>language</th>
                <th>CWE</th>
                <th>proposed by</th>
                <th>gates</th>
                <th>pull request</th>
              </tr>
            </thead>
            <tbody>
              ${proposals.map(
                (record) =>
                  html`<tr>
                    <td>${when(record.at)}</td>
                    <td>
                      ${record.entryId ? html`<code>${record.entryId}</code>` : record.sha256 ? html`<code class="muted">sha256 ${record.sha256.slice(0, 12)}</code>` : ''}<br />${whereText(
                        record,
                      )}
                    </td>
                    <td>${record.language ?? ''}</td>
                    <td>${(record.cwe ?? []).map((cwe, i) => html`${i > 0 ? '; ' : ''}${cweLink(cwe, { short: true })}`)}</td>
                    <td>${record.actor}</td>
                    <td>${gateList(record.gates)}</td>
                    <td>${pullRequestCell(record)}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }`;
}

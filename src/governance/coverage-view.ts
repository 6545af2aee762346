// The coverage view: CWE (grouped under its Pillar, nested under its ancestors) × language, live
// entries per cell, every cell without an example marked twice (the `gap` class colours it, the
// word "none" says it without colour), and the alerts the org saw with no demonstration.
import type { Language } from '../lang/languages.js';
import type { CoverageReport, CoverageRow, LanguageCounts } from './coverage.js';
import { html, type SafeHtml } from './html.js';
import { cweLink, when } from './view-parts.js';

function entriesHref(basePath: string, filters: { cwe?: string; language?: Language }): string {
  const params = new URLSearchParams();
  if (filters.cwe) params.set('cwe', filters.cwe);
  if (filters.language) params.set('language', filters.language);
  const query = params.toString();
  return `${basePath}/entries${query ? `?${query}` : ''}`;
}

const GAP = html`<td class="gap" title="no example">none</td>`;

/** One cell per language; counts link to their entries when the row is a CWE (the list cannot filter "no CWE"). */
function countCells(basePath: string, languages: readonly Language[], counts: LanguageCounts, cwe?: string): SafeHtml {
  return html`${languages.map((language) => {
    if (counts[language] === 0) return GAP;
    return cwe
      ? html`<td class="n"><a href="${entriesHref(basePath, { cwe, language })}">${counts[language]}</a></td>`
      : html`<td class="n">${counts[language]}</td>`;
  })}`;
}

function rowHtml(basePath: string, languages: readonly Language[], row: CoverageRow): SafeHtml {
  const depth = Math.min(row.depth, 3);
  const context =
    row.parents.length > 0
      ? html` <span class="muted small">child of ${row.parents.map((parent, i) => html`${i > 0 ? ', ' : ''}${cweLink(parent, { short: true })}`)}</span>`
      : '';
  const retired = row.retired > 0 ? html` <span class="muted small">(${row.retired} retired)</span>` : '';
  return html`<tr data-cwe="${row.cwe}">
    <td class="cwe d${depth}">${cweLink(row.cwe)}${context}</td>
    ${countCells(basePath, languages, row.counts, row.cwe)}
    <td class="n">
      ${row.total === 0 ? html`<span class="muted">0</span>` : html`<a href="${entriesHref(basePath, { cwe: row.cwe })}">${row.total}</a>`}${retired}
    </td>
  </tr>`;
}

function alertsSection(report: CoverageReport): SafeHtml {
  const alerts = report.uncoveredAlerts;
  return html`<section id="uncovered-alerts">
    <h3>Alerts seen with no demonstration</h3>
    ${
      alerts.length === 0
        ? html`<p class="muted">None recorded: every alert so far had at least one example to show.</p>`
        : html`<table class="alerts">
            <thead>
              <tr>
                <th>CWE</th>
                <th>language</th>
                <th>repository</th>
                <th>times seen</th>
                <th>first seen</th>
                <th>last seen</th>
                <th>live entries now</th>
              </tr>
            </thead>
            <tbody>
              ${alerts.map(
                (alert) =>
                  html`<tr>
                    <td>
                      ${alert.cwe.length === 0 ? html`<span class="muted">no CWE</span>` : alert.cwe.map((cwe, i) => html`${i > 0 ? '; ' : ''}${cweLink(cwe)}`)}
                    </td>
                    <td>${alert.language ?? ''}</td>
                    <td>${alert.repo ?? ''}</td>
                    <td class="n">${alert.count}</td>
                    <td>${when(alert.firstSeen)}</td>
                    <td>${when(alert.lastSeen)}</td>
                    ${alert.liveEntriesNow === 0 ? GAP : html`<td class="n">${alert.liveEntriesNow}</td>`}
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
  </section>`;
}

export function coverageView(basePath: string, report: CoverageReport): SafeHtml {
  const { languages } = report;
  const rows = report.groups.flatMap((group) => group.rows);
  const gaps = rows.reduce((sum, row) => sum + languages.filter((language) => row.counts[language] === 0).length, 0);
  const unlabelledTotal = Object.values(report.unlabelled).reduce((sum, n) => sum + n, 0);
  const columns = languages.length + 2;
  return html`<h2>Coverage</h2>
    <p>
      ${report.liveEntries} live entries (${report.retiredEntries} retired) over ${rows.length} CWEs and ${languages.length} languages; ${gaps} CWE × language
      cells have no example. Counts are live entries labelled with the CWE (an entry with two CWEs counts in both rows); each links to those entries.
    </p>
    <p class="small muted">
      Rows are grouped by the CWE hierarchy (MITRE's research view): each Pillar, then the CWEs under it, nested under their nearest ancestor in the table. A
      cell reading <span class="gap-legend">none</span> has no example.
    </p>
    <table class="coverage">
      <thead>
        <tr>
          <th>CWE</th>
          ${languages.map((language) => html`<th>${language}</th>`)}
          <th>total</th>
        </tr>
      </thead>
      <tbody>
        ${report.groups.map(
          (group) =>
            html`<tr class="group">
                <th colspan="${columns}">
                  ${group.pillar ? html`${cweLink(group.pillar.cwe)} <span class="muted small">(Pillar)</span>` : 'Outside the CWE hierarchy'}
                </th>
              </tr>
              ${group.rows.map((row) => rowHtml(basePath, languages, row))}`,
        )}
        ${
          unlabelledTotal > 0
            ? html`<tr class="group">
                  <th colspan="${columns}">No CWE label</th>
                </tr>
                <tr>
                  <td class="cwe">entries without a CWE</td>
                  ${countCells(basePath, languages, report.unlabelled)}
                  <td class="n">${unlabelledTotal}</td>
                </tr>`
            : ''
        }
        <tr class="total">
          <th>all live entries</th>
          ${languages.map((language) => html`<td class="n">${report.byLanguage[language]}</td>`)}
          <td class="n">${report.liveEntries}</td>
        </tr>
      </tbody>
    </table>
    ${alertsSection(report)}`;
}

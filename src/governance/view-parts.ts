// Small pieces several views show the same way: a CWE with its name and MITRE link, a time, what
// caused an audit record, a gate verdict, page links.
import type { AuditRecord, AuditVia } from '../corpus/audit.js';
import type { GateResult } from '../analyze/secure-gate.js';
import { cweName } from '../cwe/names.js';
import { html, type SafeHtml } from './html.js';
import { cweUrl, pullRequestUrl } from './links.js';

/** "CWE-89" linked to MITRE's page, with its name after it unless `short`. */
export function cweLink(cwe: string, options: { short?: boolean } = {}): SafeHtml {
  const name = cweName(cwe);
  const url = cweUrl(cwe);
  const id = url ? html`<a href="${url}" ${name ? html` title="${name}"` : ''}>${cwe}</a>` : html`${cwe}`;
  return options.short || !name ? id : html`${id} <span class="cwe-name">${name}</span>`;
}

export function cweList(cwes: readonly string[]): SafeHtml {
  if (cwes.length === 0) return html`<span class="muted">no CWE label</span>`;
  return html`${cwes.map((cwe, index) => html`${index > 0 ? '; ' : ''}${cweLink(cwe)}`)}`;
}

/** "2026-12-05 15:18 UTC" from an ISO time, in a <time> element. */
export function when(at: string): SafeHtml {
  return html`<time datetime="${at}">${at.slice(0, 16).replace('T', ' ')} UTC</time>`;
}

/** What caused a record: its pull request (linked), the command, or the page/API. */
export function viaText(via: AuditVia): SafeHtml {
  const url = pullRequestUrl(via);
  const label = via.pullRequest ? `${via.repo ?? ''}#${via.pullRequest}` : 'pull request';
  switch (via.kind) {
    case 'pull-request':
      return url ? html`<a href="${url}">${label}</a>` : html`${label}`;
    case 'command':
      return via.command ? html`command <code>${via.command}</code>` : html`command`;
    default:
      return url ? html`${via.kind} (<a href="${url}">${label}</a>)` : html`${via.kind}`;
  }
}

export function gateList(gates: readonly GateResult[] | undefined): SafeHtml {
  if (!gates || gates.length === 0) return html`<span class="muted">none recorded</span>`;
  return html`<ul class="gates">
    ${gates.map(
      (gate) =>
        html`<li class="${gate.passed ? 'pass' : 'fail'}">
          ${gate.passed ? 'passed' : 'failed'}: ${gate.gate}${gate.detail ? html` <span class="muted">— ${gate.detail}</span>` : ''}
        </li>`,
    )}
  </ul>`;
}

/** Where a record's function was: path and function name. */
export function whereText(record: Pick<AuditRecord, 'path' | 'function'>): SafeHtml {
  if (!record.path && !record.function) return html``;
  return html`<code>${record.path ?? ''}</code>${record.function ? html` <code>${record.function}</code>` : ''}`;
}

/** "page 2 of 7" with previous/next links built by `href`. */
export function pageLinks(page: number, pages: number, href: (page: number) => string): SafeHtml {
  if (pages <= 1) return html``;
  return html`<p class="pages">
    ${page > 1 ? html`<a href="${href(page - 1)}" rel="prev">← previous</a>` : ''}<span>page ${page} of ${pages}</span>${
      page < pages ? html`<a href="${href(page + 1)}" rel="next">next →</a>` : ''
    }
  </p>`;
}

/** A <select> of `options` with `selected` chosen, first an empty option labelled `any` unless it is null. */
export function select(name: string, label: string, options: readonly string[], selected: string | undefined, any: string | null = 'any'): SafeHtml {
  return html`<label
    >${label}<select name="${name}">
      ${any === null ? '' : html`<option value="">${any}</option>`}${options.map(
        (option) => html`<option${option === selected ? html` selected` : ''}>${option}</option>`,
      )}
    </select></label
  >`;
}

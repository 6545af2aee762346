// The title and description of the proposal pull request (growth.mode: pull-request): one row per
// proposed entry with its id, language, CWEs with their names, the merged fix it came from, and
// what each gate said. Paths, names and gate messages come from other repositories' pull requests
// and tools: each goes through the Markdown helpers.
import type { GateResult } from '../../analyze/secure-gate.js';
import type { CorpusEntry } from '../../corpus/entry.js';
import { cweName } from '../../cwe/names.js';
import { escapeMarkdown, GITHUB_TEXT_LIMIT, inlineCode, plural, tableCell } from '../../text/markdown.js';
import type { ProposalStatus } from './proposal-status.js';

/** Hidden marker of the proposal's description. */
export const PROPOSAL_MARKER = '<!-- seccoder:corpus-proposal -->';

/** Rows shown at most; the rest are counted (the branch's corpus file has them all). */
export const MAX_PROPOSAL_ROWS = 100;

/** "SecCoder: 3 proposed corpus entries". */
export function proposalTitle(count: number): string {
  return `SecCoder: ${plural(count, 'proposed corpus entry', 'proposed corpus entries')}`;
}

function cweCell(ids: readonly string[]): string {
  if (ids.length === 0) return '—';
  return ids
    .map((id) => {
      const name = cweName(id);
      return name ? `${id} ${escapeMarkdown(name)}` : id;
    })
    .join('<br>');
}

function gateCell(gates: readonly GateResult[] | undefined): string {
  if (!gates || gates.length === 0) return '—';
  return gates.map((gate) => `${gate.passed ? '✅' : '❌'} ${escapeMarkdown(gate.gate)}${gate.detail ? `: ${escapeMarkdown(gate.detail)}` : ''}`).join('<br>');
}

/** The merged fix an entry came from: its proposed record's pull request, else the entry's provenance. */
function fixCell(entry: CorpusEntry, status: ProposalStatus | undefined): string {
  const via = status?.proposed?.via;
  const repo = via?.repo ?? entry.source.repo;
  const number = via?.pullRequest ?? entry.source.pullRequest;
  if (!repo || !number) return '—';
  const url = via?.url ?? `https://github.com/${repo}/pull/${number}`;
  return `[${escapeMarkdown(`${repo}#${number}`)}](${url})`;
}

function row(entry: CorpusEntry, status: ProposalStatus | undefined): string {
  const name = entry.source.function ?? '(function)';
  const where = `${inlineCode(name)} in ${inlineCode(entry.source.path ?? '')}`;
  const fn = entry.source.url ? `[${where}](${entry.source.url})` : where;
  const cells = [`${inlineCode(entry.id)}<br>${fn}`, entry.language, cweCell(entry.cwe), fixCell(entry, status), gateCell(status?.proposed?.gates)];
  return `| ${cells.map(tableCell).join(' | ')} |`;
}

/** The description of a proposal holding `pending`, with each entry's status from the audit trail. */
export function renderProposalBody(pending: readonly CorpusEntry[], statuses: ReadonlyMap<string, ProposalStatus>, corpusPath: string): string {
  const head = [
    PROPOSAL_MARKER,
    `**SecCoder** proposes ${plural(pending.length, 'secure function')} from merged fixes for the organization's secure-code corpus. ` +
      `Each passed the gates shown with it; once admitted, SecCoder's later suggestions may learn from ${pending.length === 1 ? 'it' : 'them'}.`,
    '',
    `- **Merge** this pull request to admit them (the audit trail records each as \`added\`, by whoever merged).`,
    `- **Close** it to refuse them all (recorded as \`proposal-closed\`); they are not proposed again unless a later fix brings the same code.`,
    `- To leave one out, delete its line from ${inlineCode(corpusPath)} on this branch before merging.`,
    '',
    '| entry | language | CWE | from | gates |',
    '| --- | --- | --- | --- | --- |',
  ];
  const rows: string[] = [];
  let length = head.join('\n').length;
  for (const entry of pending.slice(0, MAX_PROPOSAL_ROWS)) {
    const line = row(entry, statuses.get(entry.sha256));
    // Leave room for the closing line: GitHub refuses longer descriptions.
    if (length + line.length + 200 > GITHUB_TEXT_LIMIT) break;
    rows.push(line);
    length += line.length + 1;
  }
  const more = pending.length - rows.length;
  const tail = more > 0 ? ['', `…and ${plural(more, 'more entry', 'more entries')}: see ${inlineCode(corpusPath)} on this branch.`] : [];
  return [...head, ...rows, ...tail].join('\n');
}

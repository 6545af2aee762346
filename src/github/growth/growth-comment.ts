// The one comment on a merged pull request saying which of its functions joined the org's secure
// corpus (or were proposed for it, with growth.mode: pull-request). Paths and names come from the
// pull request and are shown as code spans.
import type { CorpusEntry } from '../../corpus/entry.js';
import { escapeMarkdown, inlineCode, plural, tableCell } from '../../text/markdown.js';

/** Hidden marker of the growth comment, so it is recognisable among the pull request's comments. */
export const GROWTH_MARKER = '<!-- seccoder:corpus-growth -->';

/** Where a function is on github.com at the merge commit, with its lines. */
export function blobUrl(owner: string, repo: string, commit: string, path: string, startLine: number, endLine: number): string {
  const encoded = path.split('/').map(encodeURIComponent).join('/');
  return `https://github.com/${owner}/${repo}/blob/${commit}/${encoded}#L${startLine}-L${endLine}`;
}

/** The functions as a table: each linked to its lines at the merge commit, with its CWEs. */
function functionTable(entries: readonly CorpusEntry[]): string[] {
  const rows = entries.map((entry) => {
    const name = entry.source.function ?? '(function)';
    const where = `${inlineCode(name)} in ${inlineCode(entry.source.path ?? '')}`;
    const link = entry.source.url ? `[${tableCell(where)}](${entry.source.url})` : tableCell(where);
    const cwe = entry.cwe.length > 0 ? entry.cwe.join(', ') : '—';
    return `| ${link} | ${cwe} |`;
  });
  return ['| function | CWE |', '| --- | --- |', ...rows];
}

export function renderGrowthComment(added: readonly CorpusEntry[], corpusLocation: string): string {
  return [
    GROWTH_MARKER,
    `**SecCoder** added ${plural(added.length, 'secure function')} from this pull request to the organization's secure-code corpus; future suggestions can learn from ${added.length === 1 ? 'it' : 'them'}.`,
    '',
    ...functionTable(added),
    '',
    `Corpus: ${inlineCode(corpusLocation)}`,
  ].join('\n');
}

/** The comment on a merged fix whose functions were proposed for the corpus (growth.mode: pull-request). */
export function renderProposalComment(proposed: readonly CorpusEntry[], proposal: { url: string; number: number; repository: string }): string {
  const them = proposed.length === 1 ? 'it joins' : 'they join';
  return [
    GROWTH_MARKER,
    `**SecCoder** proposed ${plural(proposed.length, 'secure function')} from this pull request for the organization's secure-code corpus in [${escapeMarkdown(`${proposal.repository}#${proposal.number}`)}](${proposal.url}); ${them} it when that pull request is merged.`,
    '',
    ...functionTable(proposed),
  ].join('\n');
}

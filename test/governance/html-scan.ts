// Reading the page's HTML in tests without a DOM: the coverage table's rows and cells, and the
// entry cards of a list, by the attributes the page puts on them for this (data-cwe,
// data-entry-id). Cell text has its tags stripped and entities decoded.
const decode = (text: string) =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

/** The text a fragment reads as: cells, items and paragraphs apart, inline tags dropped. */
export const textOf = (fragment: string) =>
  decode(fragment.replace(/<\/?(?:td|th|tr|li|dt|dd|p|br|pre|h[1-6]|header|section|summary|label|option)\b[^>]*>/g, ' ').replace(/<[^>]*>/g, ''))
    .replace(/\s+/g, ' ')
    .trim();

/** The rows of a table's body (`<table class="name">`), each as text. */
export function tableRows(page: string, name: string): string[] {
  const body = new RegExp(`<table class="${name}">[\\s\\S]*?<tbody>([\\s\\S]*?)</tbody>`).exec(page)?.[1] ?? '';
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((m) => textOf(m[1] ?? ''));
}

export interface Cell {
  className: string;
  text: string;
}

/** CWE → the cells of its coverage row after the first (one per language, then the total). */
export function coverageRows(page: string): Map<string, Cell[]> {
  const rows = new Map<string, Cell[]>();
  for (const match of page.matchAll(/<tr data-cwe="([^"]+)">([\s\S]*?)<\/tr>/g)) {
    const cells = [...(match[2] ?? '').matchAll(/<td(?: class="([^"]*)")?[^>]*>([\s\S]*?)<\/td>/g)].map((cell) => ({
      className: cell[1] ?? '',
      text: textOf(cell[2] ?? ''),
    }));
    rows.set(match[1] ?? '', cells.slice(1));
  }
  return rows;
}

/** Ids of the entry cards on a page, in order. */
export function cardIds(page: string): string[] {
  return [...page.matchAll(/data-entry-id="([^"]+)"/g)].map((match) => match[1] ?? '');
}

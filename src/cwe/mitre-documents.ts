// MITRE's own words and code for each weakness, as labelled documents for the CWE classifier: the
// name, description and extended description, and the code of each "Bad" demonstrative example
// (with the sentence that introduces it as a comment), from the CWE archive of OWASP's cwe-sdk
// package (raw/cwe-archive.xml, CWE 4.15). A corpus teaches the classifier what its own fixes
// looked like; these teach it what each weakness is, in the small, commented programs people
// write when they describe one, which is what a prompt or a new function under review often
// resembles. Read once, on first use (the file is about 15 MB; only these parts are kept). The
// Action's bundle ships the archive reduced to these parts (scripts/build-action.mjs).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { cweId } from './id.js';

/** A document of one weakness: its description, or one of its "Bad" example programs. */
export interface MitreDocument {
  kind: 'description' | 'example';
  /** The example's language as MITRE names it ("C", "Java", "Python"), when given. */
  language?: string;
  text: string;
}

let documents: ReadonlyMap<string, MitreDocument[]> | undefined;

/** The archive: `raw/cwe-archive.xml` of the cwe-sdk package this module resolves. */
export function cweArchivePath(): string {
  return join(dirname(createRequire(import.meta.url).resolve('cwe-sdk/package.json')), 'raw', 'cwe-archive.xml');
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: ' ' };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

const BLOCK = /^(?:xhtml:)?(?:div|p|br|li|tr|ul|ol|table)$/;
const MARKUP = /<\/?([\w:.-]+)[^>]*>|([^<]+)/g;

/**
 * The text of an XHTML fragment as its page shows it: line breaks at <br/> and around blocks, the
 * archive's own indentation (whitespace holding a newline) dropped, entities decoded.
 */
export function xhtmlText(fragment: string): string {
  const out: string[] = [];
  for (const match of fragment.matchAll(MARKUP)) {
    const [, tag, text] = match;
    if (text !== undefined) {
      if (text.trim() === '') continue;
      out.push(decode(text.includes('\n') ? text.trim() : text));
    } else if (tag !== undefined && BLOCK.test(tag)) {
      out.push('\n');
    }
  }
  return out
    .join('')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n\s*\n+/g, '\n')
    .trim();
}

/** The first `name` element of the block: its content, and the whole element as written. */
function elementOf(block: string, name: string): { content: string; whole: string } | undefined {
  const match = new RegExp(`<${name}(?:\\s[^>]*)?>([^]*?)</${name}>`).exec(block);
  return match ? { content: match[1] ?? '', whole: match[0] } : undefined;
}

function element(block: string, name: string): string | undefined {
  return elementOf(block, name)?.content;
}

/** A weakness of the archive: its attributes, then its body. */
export const WEAKNESS = /<Weakness\s([^>]*)>([^]*?)<\/Weakness>/g;
const EXAMPLE = /<Demonstrative_Example\b[^>]*>([^]*?)<\/Demonstrative_Example>/g;
/** One code block of a demonstrative example: its attributes (`Nature`, `Language`), then its XHTML. */
export const EXAMPLE_CODE = /<Example_Code\s([^>]*)>([^]*?)<\/Example_Code>/g;

/**
 * The archive reduced to what `documentsFromArchive` reads (each weakness's id and name, its
 * descriptions, and its examples' introductions and "Bad" code), for the Action's bundle: the
 * same documents from about a ninth of the bytes (1.7 MB).
 */
export function trimmedArchive(xml: string): string {
  const parts = [
    '<?xml version="1.0" encoding="UTF-8"?>\n',
    "<!-- Reduced by SecCoder (src/cwe/mitre-documents.ts) from cwe-sdk's raw/cwe-archive.xml: MITRE's CWE List, " +
      '(c) The MITRE Corporation, used under the CWE Terms of Use (https://cwe.mitre.org/about/termsofuse.html). -->\n',
    '<Weakness_Catalog xmlns:xhtml="http://www.w3.org/1999/xhtml">\n',
  ];
  for (const [, attributes = '', body = ''] of xml.matchAll(WEAKNESS)) {
    const id = /\bID="\d+"/.exec(attributes)?.[0];
    if (!id) continue;
    const name = /\bName="[^"]*"/.exec(attributes)?.[0] ?? '';
    const examples = [...body.matchAll(EXAMPLE)].map(([, example = '']) => {
      const bad = [...example.matchAll(EXAMPLE_CODE)].filter(([, codeAttributes = '']) => /\bNature="Bad"/.test(codeAttributes)).map(([whole]) => whole);
      return bad.length === 0 ? '' : `<Demonstrative_Example>${elementOf(example, 'Intro_Text')?.whole ?? ''}${bad.join('')}</Demonstrative_Example>`;
    });
    const kept = [elementOf(body, 'Description')?.whole, elementOf(body, 'Extended_Description')?.whole, ...examples].filter(Boolean).join('');
    parts.push(`<Weakness ${id} ${name}>${kept}</Weakness>\n`);
  }
  parts.push('</Weakness_Catalog>\n');
  return parts.join('');
}

/** Weakness id ("CWE-125") → its documents, from the archive's XML. */
export function documentsFromArchive(xml: string): Map<string, MitreDocument[]> {
  const found = new Map<string, MitreDocument[]>();
  for (const weakness of xml.matchAll(WEAKNESS)) {
    const [, attributes = '', body = ''] = weakness;
    const id = cweId(/\bID="(\d+)"/.exec(attributes)?.[1] ?? '');
    const name = decode(/\bName="([^"]*)"/.exec(attributes)?.[1] ?? '');
    if (!id) continue;
    const description = [name ? `${name}.` : '', xhtmlText(element(body, 'Description') ?? ''), xhtmlText(element(body, 'Extended_Description') ?? '')]
      .filter((part) => part !== '')
      .join(' ')
      .replace(/\s+/g, ' ');
    const docs: MitreDocument[] = description ? [{ kind: 'description', text: description }] : [];
    for (const example of body.matchAll(EXAMPLE)) {
      const exampleBody = example[1] ?? '';
      const intro = xhtmlText(element(exampleBody, 'Intro_Text') ?? '');
      for (const code of exampleBody.matchAll(EXAMPLE_CODE)) {
        const [, codeAttributes = '', codeBody = ''] = code;
        if (!/\bNature="Bad"/.test(codeAttributes)) continue;
        const text = xhtmlText(codeBody);
        if (text === '') continue;
        const language = /\bLanguage="([^"]+)"/.exec(codeAttributes)?.[1];
        docs.push({ kind: 'example', ...(language ? { language } : {}), text: intro ? `// ${intro.replace(/\n/g, ' ')}\n${text}` : text });
      }
    }
    if (docs.length > 0) found.set(id, docs);
  }
  return found;
}

function load(): ReadonlyMap<string, MitreDocument[]> {
  documents ??= documentsFromArchive(readFileSync(cweArchivePath(), 'utf8'));
  return documents;
}

/** MITRE's documents of each of these weaknesses, labelled with it; none for an id the archive lacks. */
export function mitreDocumentsOf(cwes: Iterable<string>, archive: ReadonlyMap<string, MitreDocument[]> = load()): { code: string; cwe: string[] }[] {
  return [...new Set(cwes)].sort().flatMap((cwe) => (archive.get(cwe) ?? []).map((doc) => ({ code: doc.text, cwe: [cwe] })));
}

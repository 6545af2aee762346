import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { cweArchivePath, documentsFromArchive, mitreDocumentsOf, trimmedArchive, xhtmlText } from '../../src/cwe/mitre-documents.js';

const ARCHIVE = `<?xml version="1.0" encoding="UTF-8"?><Weakness_Catalog xmlns:xhtml="http://www.w3.org/1999/xhtml">
  <Weaknesses>
    <Weakness ID="125" Name="Out-of-bounds Read" Abstraction="Base">
      <Description>The product reads data past the end
         of the intended buffer.</Description>
      <Demonstrative_Examples>
        <Demonstrative_Example Demonstrative_Example_ID="DX-100">
          <Intro_Text>The method retrieves a value at an index.</Intro_Text>
          <Example_Code Nature="Bad" Language="C">
            <xhtml:div>int get(int *a, int len, int i) {<xhtml:div style="margin-left:1em;">
                <xhtml:br/>if (i &lt; len) {<xhtml:div>return a[i];</xhtml:div>}<xhtml:br/>return -1;</xhtml:div>}</xhtml:div>
          </Example_Code>
          <Example_Code Nature="Good" Language="C"><xhtml:div>if (i &gt;= 0 &amp;&amp; i &lt; len)</xhtml:div></Example_Code>
        </Demonstrative_Example>
      </Demonstrative_Examples>
    </Weakness>
    <Weakness ID="1004" Name="Sensitive Cookie Without &apos;HttpOnly&apos; Flag"><Description>No flag.</Description></Weakness>
  </Weaknesses>
</Weakness_Catalog>`;

describe('MITRE documents', () => {
  it('reads an XHTML fragment as its page shows it: breaks at blocks, indentation dropped, entities decoded', () => {
    expect(xhtmlText('<xhtml:div>a &lt; b<xhtml:br/>c &amp;&amp; d<xhtml:div>\n      e;</xhtml:div></xhtml:div>')).toBe('a < b\nc && d\ne;');
  });

  it('keeps the description and each Bad example with its introduction, never a Good one', () => {
    const archive = documentsFromArchive(ARCHIVE);
    expect(archive.get('CWE-125')).toEqual([
      { kind: 'description', text: 'Out-of-bounds Read. The product reads data past the end of the intended buffer.' },
      {
        kind: 'example',
        language: 'C',
        text: '// The method retrieves a value at an index.\nint get(int *a, int len, int i) {\nif (i < len) {\nreturn a[i];\n}\nreturn -1;\n}',
      },
    ]);
    expect(archive.get('CWE-1004')?.[0]?.text).toBe("Sensitive Cookie Without 'HttpOnly' Flag. No flag.");
  });

  it('labels each document with its weakness and gives nothing for an id the archive lacks', () => {
    const archive = documentsFromArchive(ARCHIVE);
    const docs = mitreDocumentsOf(['CWE-125', 'CWE-99999', 'CWE-125'], archive);
    expect(docs).toHaveLength(2);
    expect(docs.every((doc) => doc.cwe.length === 1 && doc.cwe[0] === 'CWE-125')).toBe(true);
  });

  it("reads cwe-sdk's archive: CWE-125's array-index example, CWE-89's SQL built from input", () => {
    const [docs125, docs89] = [mitreDocumentsOf(['CWE-125']), mitreDocumentsOf(['CWE-89'])];
    expect(docs125.some((doc) => doc.code.includes('value = array[index];'))).toBe(true);
    expect(docs89.length).toBeGreaterThan(3);
    expect(docs89.some((doc) => /SELECT/i.test(doc.code))).toBe(true);
    expect(docs89.every((doc) => !doc.code.includes('<xhtml'))).toBe(true);
  });

  it("the Action's trimmed archive gives exactly the documents of the whole one, from far fewer bytes", () => {
    const whole = readFileSync(cweArchivePath(), 'utf8');
    const trimmed = trimmedArchive(whole);
    expect(documentsFromArchive(trimmed)).toEqual(documentsFromArchive(whole));
    expect(trimmed.length).toBeLessThan(whole.length / 3);
    expect(trimmed).not.toContain('Nature="Good"');
  });
});

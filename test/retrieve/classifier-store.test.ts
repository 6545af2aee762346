import { describe, expect, it } from 'vitest';
import { classifierFor, trainCorpusClassifier } from '../../src/retrieve/classifier-store.js';
import type { CweExample } from '../../src/corpus/cwe-examples.js';
import { makeEntry } from '../helpers/entries.js';
import { useTempDirs } from '../helpers/temp-dir.js';

const ENTRIES = [
  makeEntry('def find(db, name):\n    return db.execute("SELECT * FROM users WHERE name = ?", (name,))', 'python', ['CWE-89']),
  makeEntry('def delete(cur, uid):\n    cur.execute("DELETE FROM items WHERE owner = %s", (uid,))', 'python', ['CWE-89']),
  makeEntry('def ping(host):\n    return subprocess.run(["ping", "-c", "1", host], shell=False)', 'python', ['CWE-78']),
  makeEntry('def listing(path):\n    return subprocess.check_output(["ls", "-l", path])', 'python', ['CWE-78']),
];

const example = (code: string, cwe: string): CweExample => ({ kind: 'vulnerable', language: 'python', cwe: [cwe], code, source: { dataset: 'test' } });

// Vulnerable code whose words the secure corpus never uses: only the examples can teach them.
const EXAMPLES = [
  example('def lookup(c, who):\n    c.execute("SELECT * FROM people WHERE who = \'" + who + "\'")', 'CWE-89'),
  example('def lookup2(c, who):\n    c.execute("SELECT * FROM people WHERE who = \'%s\'" % who)', 'CWE-89'),
  example('def run(target):\n    os.system("dnsprobe " + target)', 'CWE-78'),
  example('def run2(target):\n    os.system("dnsprobe %s" % target)', 'CWE-78'),
];

describe('classifierFor', () => {
  const tempDir = useTempDirs();

  it('also learns from the labelled examples beside the corpus', async () => {
    const withExamples = (await classifierFor(ENTRIES, undefined, EXAMPLES))!;
    const corpusOnly = (await classifierFor(ENTRIES, undefined))!;
    expect(withExamples.model.vocabulary).toContain('s:dnsprobe');
    expect(corpusOnly.model.vocabulary).not.toContain('s:dnsprobe');
    const p = withExamples.predict('def check(target):\n    os.system("dnsprobe -q " + target)');
    expect(withExamples.classes[p.indexOf(Math.max(...p))]).toBe('CWE-78');
  });

  it('reuses the saved classifier only for the same corpus and examples', async () => {
    const dir = tempDir();
    const first = (await classifierFor(ENTRIES, dir, EXAMPLES))!;
    expect((await classifierFor(ENTRIES, dir, EXAMPLES))!.model).toEqual(first.model);
    const withoutExamples = (await classifierFor(ENTRIES, dir))!;
    expect(withoutExamples.model.vocabulary).not.toContain('s:dnsprobe');
  });

  it("also learns MITRE's description and example programs of each CWE the labels name, unless told not to", () => {
    const withMitre = trainCorpusClassifier(ENTRIES)!;
    const without = trainCorpusClassifier(ENTRIES, [], { mitreDocuments: false })!;
    // Words of MITRE's CWE-78 page the four entries never use.
    for (const word of ['neutralization', 'command']) {
      expect(withMitre.model.vocabulary).toContain(word);
      expect(without.model.vocabulary).not.toContain(word);
    }
    // Only the labels' CWEs: no class is added.
    expect(withMitre.classes).toEqual(without.classes);
  });
});

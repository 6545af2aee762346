import { describe, expect, it } from 'vitest';
import { SequenceClassifier } from '../../bench/sequence-classifier.js';

const NAMES = ['buf', 'data', 'out', 'dst', 'table', 'row', 'cells', 'items', 'slots', 'bytes', 'vec', 'arr'];
const INDICES = ['i', 'j', 'k', 'n', 'pos', 'idx', 'off', 'at'];
const VALUES = ['v', 'x', 'c', 'val', 'ch', 'b', 'word', 'sum'];

/** The same tokens in two orders: a write through an index, or a read through one. */
function snippet(kind: 'write' | 'read', name: string, index: string, value: string): string {
  const statement = kind === 'write' ? `${name}[${index}] = ${value};` : `${value} = ${name}[${index}];`;
  return `static void step(int ${index}, int ${value}) {\n  log_line("step");\n  ${statement}\n  count++;\n}`;
}

function documents(names: readonly string[]) {
  return names.flatMap((name, n) =>
    INDICES.flatMap((index, i) => {
      const value = VALUES[(n + i) % VALUES.length] as string;
      return [
        { code: snippet('write', name, index, value), cwe: ['CWE-787'] },
        { code: snippet('read', name, index, value), cwe: ['CWE-125'] },
      ];
    }),
  );
}

const top = (classifier: SequenceClassifier, code: string) => {
  const p = classifier.predict(code);
  return classifier.classes[p.indexOf(Math.max(...p))];
};

describe('SequenceClassifier', () => {
  const training = documents(NAMES.slice(0, 8));
  const options = { epochs: 30, filters: 16, embeddingDim: 8, seed: 7 };

  it('tells apart code whose tokens are the same and only their order differs', () => {
    const classifier = SequenceClassifier.train(training, options) as SequenceClassifier;
    const heldOut = documents(NAMES.slice(8));
    const right = heldOut.filter((doc) => top(classifier, doc.code) === doc.cwe[0]).length;
    expect(right / heldOut.length).toBeGreaterThanOrEqual(0.9);
  });

  it('trains the same model from the same documents, and a saved model predicts as the trained one', () => {
    const first = SequenceClassifier.train(training, { ...options, epochs: 3 }) as SequenceClassifier;
    const second = SequenceClassifier.train(training, { ...options, epochs: 3 }) as SequenceClassifier;
    expect(second.model).toEqual(first.model);
    const loaded = SequenceClassifier.fromModel(JSON.parse(JSON.stringify(first.model)));
    const code = snippet('write', 'zzz', 'q', 'w');
    expect(Array.from(loaded.predict(code))).toEqual(Array.from(first.predict(code)));
  });

  it('needs two labelled CWEs', () => {
    expect(
      SequenceClassifier.train([
        { code: 'a[i] = 1;', cwe: ['CWE-787'] },
        { code: 'x = 1;', cwe: [] },
      ]),
    ).toBeUndefined();
  });
});

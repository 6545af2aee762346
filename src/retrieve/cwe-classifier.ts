// Predicts which weakness a piece of code is about, learned from the corpus's own CWE labels (the
// org corpus carries the labels of the alerts its fixes closed). Retrieval uses it to put a
// demonstration of the likely weakness first: similarity alone confuses C memory-safety CWEs that
// look alike before the bug is written.
//
// A multinomial logistic regression over sublinear TF-IDF of code tokens and concept tokens,
// trained by full-batch Adam from zero weights: deterministic for the same corpus.
import { codeTokens, termCounts } from '../text/code-tokens.js';
import { conceptTokens } from '../text/concepts.js';
import { PAIR_PREFIX, tokenPairs } from '../text/token-pairs.js';
import type { LabelledCode } from '../corpus/cwe-examples.js';

export interface CweClassifierOptions {
  /** L2 penalty on the weights (default 1e-4). */
  l2?: number;
  /** Adam steps (default 150). */
  iterations?: number;
  learningRate?: number;
  /**
   * Class weight = count^-power, so rare CWEs are not drowned by common ones (default 1: classes
   * weigh the same in total). Measured by bench:retrieval-cv against 0.5 and 1.5: 1 raised the
   * mean per-CWE acc@1 from .48 to .55 at the same overall acc@1; 1.5 raised it further but lost
   * .04 on prompts that stop before the fix.
   */
  classWeightPower?: number;
  /** Multiplier of concept tokens' TF-IDF weight relative to plain tokens (default 2). */
  conceptWeight?: number;
  /** Terms seen in fewer training documents are ignored (default 2). */
  minDocumentFrequency?: number;
  /**
   * Multiplier of adjacent-token pairs' TF-IDF weight (default 0: no pairs). Pairs carry what
   * single tokens lose: `] =` is a write through an index, `free (` then `->` a use after free.
   * Measured by bench:retrieval-cv: 0.5 and 1 moved acc@1 by under .01 (.709 → .713 and .704),
   * noise at ~1,100 queries, so pairs stay off.
   */
  bigramWeight?: number;
}

/** What retrieval needs of a classifier: P(CWE | code) over its classes. */
export interface CwePredictor {
  readonly classes: readonly string[];
  predict(code: string): Float64Array;
}

export interface CweClassifierModel {
  classes: string[];
  vocabulary: string[];
  idf: number[];
  /** vocabulary × classes, row-major. */
  weights: number[];
  bias: number[];
  conceptWeight: number;
  /** Absent in models saved before pairs existed: 0. */
  bigramWeight?: number;
}

interface SparseVector {
  terms: number[];
  values: number[];
}

function features(code: string, bigrams: boolean): Map<string, number> {
  return termCounts([...codeTokens(code), ...conceptTokens(code), ...(bigrams ? tokenPairs(code) : [])]);
}

interface FeatureWeights {
  concept: number;
  bigram: number;
}

function vectorize(counts: Map<string, number>, termIndex: Map<string, number>, idf: ArrayLike<number>, weights: FeatureWeights): SparseVector {
  const terms: number[] = [];
  const values: number[] = [];
  let norm = 0;
  for (const [term, count] of counts) {
    const index = termIndex.get(term);
    if (index === undefined) continue;
    const kind = term.startsWith('concept:') ? weights.concept : term.startsWith(PAIR_PREFIX) ? weights.bigram : 1;
    const value = (idf[index] as number) * Math.log1p(count) * kind;
    terms.push(index);
    values.push(value);
    norm += value * value;
  }
  norm = Math.sqrt(norm) || 1;
  return { terms, values: values.map((value) => value / norm) };
}

function softmaxInPlace(logits: Float64Array): void {
  let max = -Infinity;
  for (const value of logits) max = Math.max(max, value);
  let sum = 0;
  for (let c = 0; c < logits.length; c += 1) {
    logits[c] = Math.exp((logits[c] as number) - max);
    sum += logits[c] as number;
  }
  for (let c = 0; c < logits.length; c += 1) logits[c] = (logits[c] as number) / sum;
}

export class CweClassifier implements CwePredictor {
  private readonly termIndex: Map<string, number>;

  private constructor(readonly model: CweClassifierModel) {
    this.termIndex = new Map(model.vocabulary.map((term, index) => [term, index]));
  }

  get classes(): readonly string[] {
    return this.model.classes;
  }

  static fromModel(model: CweClassifierModel): CweClassifier {
    return new CweClassifier(model);
  }

  /** Trains on the labelled documents; unlabelled ones are ignored. Undefined when fewer than two CWEs are present. */
  static train(documents: readonly LabelledCode[], options: CweClassifierOptions = {}): CweClassifier | undefined {
    const labelled = documents.filter((doc) => doc.cwe.length > 0);
    const classes = [...new Set(labelled.flatMap((doc) => doc.cwe))].sort();
    if (classes.length < 2) return undefined;
    const classIndex = new Map(classes.map((cwe, index) => [cwe, index]));
    const conceptWeight = options.conceptWeight ?? 2;
    const bigramWeight = options.bigramWeight ?? 0;
    const featureWeights = { concept: conceptWeight, bigram: bigramWeight };

    const counts = labelled.map((doc) => features(doc.code, bigramWeight > 0));
    const documentFrequency = new Map<string, number>();
    for (const doc of counts) for (const term of doc.keys()) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
    const minDf = options.minDocumentFrequency ?? 2;
    const vocabulary = [...documentFrequency]
      .filter(([, df]) => df >= minDf)
      .map(([term]) => term)
      .sort();
    const termIndex = new Map(vocabulary.map((term, index) => [term, index]));
    const n = labelled.length;
    const idf = vocabulary.map((term) => Math.log((1 + n) / (1 + (documentFrequency.get(term) ?? 0))) + 1);
    const rows = counts.map((doc) => vectorize(doc, termIndex, idf, featureWeights));

    // Targets: a document's labels share its mass; class weights counter the label imbalance.
    const classCounts = new Float64Array(classes.length);
    for (const doc of labelled) {
      for (const cwe of doc.cwe) {
        const c = classIndex.get(cwe) as number;
        classCounts[c] = (classCounts[c] as number) + 1 / doc.cwe.length;
      }
    }
    const power = options.classWeightPower ?? 1;
    const classWeight = Array.from(classCounts, (count) => count ** -power);
    const meanWeight =
      labelled.reduce((sum, doc) => sum + doc.cwe.reduce((s, cwe) => s + (classWeight[classIndex.get(cwe) as number] as number), 0) / doc.cwe.length, 0) / n;

    const C = classes.length;
    const V = vocabulary.length;
    const weights = new Float64Array(V * C);
    const bias = new Float64Array(C);
    const adam = { mW: new Float64Array(V * C), vW: new Float64Array(V * C), mB: new Float64Array(C), vB: new Float64Array(C) };
    const l2 = options.l2 ?? 1e-4;
    const rate = options.learningRate ?? 0.1;
    const [beta1, beta2, epsilon] = [0.9, 0.999, 1e-8];
    const gradW = new Float64Array(V * C);
    const gradB = new Float64Array(C);
    const probabilities = new Float64Array(C);

    for (let step = 1; step <= (options.iterations ?? 150); step += 1) {
      gradW.fill(0);
      gradB.fill(0);
      rows.forEach((row, i) => {
        const doc = labelled[i] as LabelledCode;
        probabilities.set(bias);
        for (let p = 0; p < row.terms.length; p += 1) {
          const base = (row.terms[p] as number) * C;
          const x = row.values[p] as number;
          for (let c = 0; c < C; c += 1) probabilities[c] = (probabilities[c] as number) + x * (weights[base + c] as number);
        }
        softmaxInPlace(probabilities);
        const weight = doc.cwe.reduce((s, cwe) => s + (classWeight[classIndex.get(cwe) as number] as number), 0) / doc.cwe.length / meanWeight;
        for (const cwe of doc.cwe) probabilities[classIndex.get(cwe) as number] = (probabilities[classIndex.get(cwe) as number] as number) - 1 / doc.cwe.length;
        for (let c = 0; c < C; c += 1) {
          const delta = ((probabilities[c] as number) * weight) / n;
          gradB[c] = (gradB[c] as number) + delta;
          for (let p = 0; p < row.terms.length; p += 1) {
            const index = (row.terms[p] as number) * C + c;
            gradW[index] = (gradW[index] as number) + delta * (row.values[p] as number);
          }
        }
      });
      const correction1 = 1 - beta1 ** step;
      const correction2 = 1 - beta2 ** step;
      for (let i = 0; i < weights.length; i += 1) {
        const g = (gradW[i] as number) + l2 * (weights[i] as number);
        adam.mW[i] = beta1 * (adam.mW[i] as number) + (1 - beta1) * g;
        adam.vW[i] = beta2 * (adam.vW[i] as number) + (1 - beta2) * g * g;
        weights[i] = (weights[i] as number) - (rate * ((adam.mW[i] as number) / correction1)) / (Math.sqrt((adam.vW[i] as number) / correction2) + epsilon);
      }
      for (let c = 0; c < C; c += 1) {
        const g = gradB[c] as number;
        adam.mB[c] = beta1 * (adam.mB[c] as number) + (1 - beta1) * g;
        adam.vB[c] = beta2 * (adam.vB[c] as number) + (1 - beta2) * g * g;
        bias[c] = (bias[c] as number) - (rate * ((adam.mB[c] as number) / correction1)) / (Math.sqrt((adam.vB[c] as number) / correction2) + epsilon);
      }
    }
    return new CweClassifier({
      classes,
      vocabulary,
      idf,
      weights: Array.from(weights),
      bias: Array.from(bias),
      conceptWeight,
      ...(bigramWeight > 0 ? { bigramWeight } : {}),
    });
  }

  /** Probability of each CWE class for the code, in `classes` order. */
  predict(code: string): Float64Array {
    const { model } = this;
    const C = model.classes.length;
    const bigram = model.bigramWeight ?? 0;
    const row = vectorize(features(code, bigram > 0), this.termIndex, model.idf, { concept: model.conceptWeight, bigram });
    const probabilities = Float64Array.from(model.bias);
    for (let p = 0; p < row.terms.length; p += 1) {
      const base = (row.terms[p] as number) * C;
      for (let c = 0; c < C; c += 1) probabilities[c] = (probabilities[c] as number) + (row.values[p] as number) * (model.weights[base + c] as number);
    }
    softmaxInPlace(probabilities);
    return probabilities;
  }
}

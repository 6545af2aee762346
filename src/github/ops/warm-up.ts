// What a process that runs reviews would otherwise pay in its first review: asking each analyzer
// whether its tool runs here (a Python start for bandit, a CLI for CodeQL, ESLint's plugins) and
// loading the tree-sitter grammars. bench:app measured it: four workers paying it at once, beside
// the burst that woke them, took ~10 s over their first reviews against ~4 s over later ones (2
// cores). Done at start instead, it is part of readiness, and /readyz says which analyzers will
// judge rewrites here.
import type { Analyzer } from '../../analyze/types.js';
import { LANGUAGES } from '../../lang/languages.js';
import { grammarFor, loadParser } from '../../parse/grammars.js';
import type { ReadinessCheck } from './ops-routes.js';

/** An analyzer that can say why it does not run (ProbedAnalyzer); others only say whether. */
interface ExplainedAvailability {
  availability(): Promise<{ ok: boolean; detail: string }>;
}

const explains = (analyzer: Analyzer): analyzer is Analyzer & ExplainedAvailability =>
  typeof (analyzer as Partial<ExplainedAvailability>).availability === 'function';

async function usability(analyzer: Analyzer): Promise<{ name: string; ok: boolean; why?: string }> {
  try {
    if (explains(analyzer)) {
      const { ok, detail } = await analyzer.availability();
      // Probes say "<tool> is not usable (<reason>)"; beside the analyzer's name the reason is enough.
      return ok ? { name: analyzer.name, ok } : { name: analyzer.name, ok, why: /^\S+ is not usable \((.*)\)$/s.exec(detail)?.[1] ?? detail };
    }
    return { name: analyzer.name, ok: await analyzer.available() };
  } catch (error) {
    return { name: analyzer.name, ok: false, why: error instanceof Error ? error.message : String(error) };
  }
}

/** One line for /readyz: the analyzers that run, then those that do not and why. */
export function analyzersDetail(results: readonly { name: string; ok: boolean; why?: string }[]): string {
  const usable = results.filter((result) => result.ok).map((result) => result.name);
  const missing = results.filter((result) => !result.ok).map((result) => (result.why ? `${result.name} (${result.why})` : result.name));
  const parts = [usable.length > 0 ? `judging with ${usable.join(', ')}` : 'no analyzer runs here: rewrites are posted unjudged, and check runs say so'];
  if (missing.length > 0) parts.push(`not usable: ${missing.join('; ')}`);
  return parts.join('; ');
}

/**
 * Starts the warm-up and returns its readiness check: not ready while it runs; then ready, whatever
 * the analyzers said (a missing one is reported on every check run it would have judged, and here).
 * A grammar that cannot load is not ready: no review could parse that language.
 */
export function warmUp(analyzers: readonly Analyzer[], onDone: (check: ReadinessCheck) => void = () => undefined): () => ReadinessCheck {
  let check: ReadinessCheck = { ok: false, detail: 'checking the analyzers and loading the grammars' };
  const grammars = Promise.all(LANGUAGES.map((language) => loadParser(grammarFor(language))));
  Promise.all([Promise.all(analyzers.map(usability)), grammars]).then(
    ([results]) => {
      check = { ok: true, detail: analyzersDetail(results) };
      onDone(check);
    },
    (error: unknown) => {
      check = { ok: false, detail: error instanceof Error ? error.message : String(error) };
      onDone(check);
    },
  );
  return () => check;
}

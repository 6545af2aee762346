// The hardening pipeline, the one entry the App, the Action, `seccoder harden` and
// `seccoder review` call: select targets → skip those with a standing suggestion → for each of the
// rest, retrieve → prompt → model → validate → choose (harden-target.ts). Returns every outcome
// and every skip with its reason, so the caller can show both; it posts and prints nothing.
import type { ChangedFile } from '../detect/diff.js';
import { selectTargets, type SourceFile, type TargetInput } from '../detect/targets.js';
import type { Alert, SkippedTarget, Target } from '../detect/types.js';
import { hardenTarget, type DemonstrationSource, type HardenDependencies, type HardenOptions, type TargetOutcome } from './harden-target.js';
import { splitStanding, type StandingSuggestion } from './standing.js';

/** The change to harden. */
export interface Change {
  files: readonly SourceFile[];
  /** The change's diff; without it every function of `files` is a candidate. */
  diff?: readonly ChangedFile[];
  /** Code-scanning alerts; their functions come first and their CWE leads retrieval. */
  alerts?: readonly Alert[];
  /** Suggestions already standing on the pull request: their unchanged functions are not hardened again. */
  standing?: readonly StandingSuggestion[];
}

export interface ChangeDependencies extends Omit<HardenDependencies, 'demonstrations'> {
  /** The demonstrations, or how to open them: opened only when there is a target to harden. */
  demonstrations: DemonstrationSource | (() => Promise<DemonstrationSource>);
}

export interface ChangeOptions extends HardenOptions {
  /** Which functions are targets (caps, ignored paths, languages, kinds). */
  targets?: TargetInput['options'];
  /** Only the function of this name (after selection). */
  functionName?: string;
  /** Called as each target starts (0-based index among the `total` to harden), for progress. */
  onTarget?: (target: Target, index: number, total: number) => void;
  /**
   * Targets hardened at once. Default: the model client's own limit (`model.concurrency`), else 1.
   * More would only wait in the client's queue, and the deadline would cut more of them.
   */
  concurrency?: number;
  /**
   * Aborted: no further target starts, and those running are not waited for; they are returned
   * in `cut` (a deadline passed, or the job must stop). What finished is kept.
   */
  signal?: AbortSignal;
}

export interface ChangeResult {
  /** One per hardened target, in target order. */
  outcomes: TargetOutcome[];
  /** Targets not hardened because their standing suggestion is on the pull request. */
  alreadySuggested: Target[];
  /** Candidates that did not become targets, with the reason. */
  skipped: SkippedTarget[];
  /** Targets not finished when `signal` was aborted, in target order. */
  cut: Target[];
}

export async function hardenChange(change: Change, deps: ChangeDependencies, options: ChangeOptions = {}): Promise<ChangeResult> {
  const { targets: targetOptions, functionName, onTarget, concurrency, signal, ...hardenOptions } = options;
  const selection = await selectTargets({
    files: change.files,
    ...(change.diff ? { diff: change.diff } : {}),
    ...(change.alerts ? { alerts: change.alerts } : {}),
    ...(targetOptions ? { options: targetOptions } : {}),
  });
  const selected = functionName === undefined ? selection.targets : selection.targets.filter((target) => target.function.name === functionName);
  const { fresh, alreadySuggested } = splitStanding(selected, change.standing ?? []);
  if (fresh.length === 0) return { outcomes: [], alreadySuggested, skipped: selection.skipped, cut: [] };
  const demonstrations = typeof deps.demonstrations === 'function' ? await deps.demonstrations() : deps.demonstrations;
  const results: (TargetOutcome | undefined)[] = fresh.map(() => undefined);
  let next = 0;
  const stopped = abortedPromise(signal);
  // A pool of lanes taking targets in order: outcomes keep target order whatever finishes first.
  const lane = async (): Promise<void> => {
    while (next < fresh.length && !signal?.aborted) {
      const index = next++;
      const target = fresh[index] as Target;
      onTarget?.(target, index, fresh.length);
      const outcome = await Promise.race([hardenTarget(target, { ...deps, demonstrations }, hardenOptions), stopped.promise]);
      if (outcome) results[index] = outcome;
    }
  };
  const lanes = Math.max(1, Math.min(concurrency ?? deps.model?.concurrency ?? 1, fresh.length));
  try {
    await Promise.race([Promise.all(Array.from({ length: lanes }, lane)), stopped.promise]);
  } finally {
    stopped.dispose();
  }
  const outcomes = results.filter((outcome): outcome is TargetOutcome => outcome !== undefined);
  const cut = fresh.filter((_, index) => results[index] === undefined);
  return { outcomes, alreadySuggested, skipped: selection.skipped, cut };
}

/** A promise resolving (to undefined) when `signal` aborts; never, without one. */
function abortedPromise(signal: AbortSignal | undefined): { promise: Promise<undefined>; dispose: () => void } {
  if (!signal) return { promise: new Promise<undefined>(() => undefined), dispose: () => undefined };
  let onAbort = () => undefined as void;
  const promise = new Promise<undefined>((resolve) => {
    onAbort = () => resolve(undefined);
    if (signal.aborted) resolve(undefined);
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  return { promise, dispose: () => signal.removeEventListener('abort', onAbort) };
}

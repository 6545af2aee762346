// Named errors of `seccoder eval`: each names what the user asked for and what exists instead.
import { SecCoderError } from '../../errors/seccoder-error.js';

export class UnknownEvalModeError extends SecCoderError {
  override name = 'UnknownEvalModeError';
  constructor(
    readonly mode: string,
    readonly modes: readonly string[],
  ) {
    super(`unknown mode ${JSON.stringify(mode)}: use one of ${modes.join(', ')}`);
  }
}

export class UnknownScenarioSetError extends SecCoderError {
  override name = 'UnknownScenarioSetError';
  constructor(
    readonly set: string,
    readonly sets: readonly string[],
  ) {
    super(`unknown scenario set ${JSON.stringify(set)}: use one of ${sets.join(', ')}`);
  }
}

/** A known scenario set whose folder is not under the data folder (`--data`). */
export class ScenarioSetNotFoundError extends SecCoderError {
  override name = 'ScenarioSetNotFoundError';
  constructor(
    readonly set: string,
    readonly dir: string,
  ) {
    super(`scenario set ${set} not found: no folder ${dir}`, { hint: 'pass --data <folder holding sven/ and safecoder/>' });
  }
}

/** The model cannot be reached or refuses every request: stop instead of failing each prompt the same way. */
export class EvalModelError extends SecCoderError {
  override name = 'EvalModelError';
}

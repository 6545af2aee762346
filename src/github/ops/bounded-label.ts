// Label values kept few. Every distinct label value is a time series Prometheus stores for as long as
// it scrapes; a label fed an error message, a path or a header an attacker chose would grow without
// bound and slow every query on it. So a label takes a fixed list of values, or short machine words
// up to a fixed count, and anything else is counted under `other`: the total stays right.

/** The value a label takes for anything it does not keep. */
export const OTHER_LABEL = 'other';

/**
 * A short machine word such as `too-large` or `cap_reached`: what our code passes (the skip reasons of
 * src/detect and src/github/review are such words, 22 characters at most). A sentence, a path or a
 * function name fails it, and those are the values that would be unbounded.
 */
const MACHINE_WORD = /^[a-z][a-z0-9_-]{0,39}$/;

/** Maps a value to itself when it is one of `allowed`, else to `other`. */
export function allowListLabel(allowed: readonly string[]): (value: string) => string {
  const known = new Set(allowed);
  return (value) => (known.has(value) ? value : OTHER_LABEL);
}

/**
 * Maps a value to itself when it is a machine word and one of the first `maxValues` distinct words
 * seen, else to `other`: a new reason added in code shows up without editing a list here, and a bug
 * passing varying words still cannot make more than `maxValues` series.
 */
export function machineWordLabel(maxValues: number): (value: string) => string {
  const seen = new Set<string>();
  return (value) => {
    if (!MACHINE_WORD.test(value)) return OTHER_LABEL;
    if (seen.has(value)) return value;
    if (seen.size >= maxValues) return OTHER_LABEL;
    seen.add(value);
    return value;
  };
}

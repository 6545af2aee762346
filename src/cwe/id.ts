// CWE ids in the one spelling the project stores and compares ("CWE-89"), from the spellings tools
// and people use: 89, "89", "cwe-089", "CWE89". Tags such as "external/cwe/cwe-089" are read in
// from-tags.ts, since a bare number among tags is not a CWE.
import { InvalidCweError } from './invalid-cwe-error.js';

/** The id of CWE number `n`: 89 → "CWE-89". For tables written as numbers; not for user input. */
export function formatCweId(n: number): string {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`not a CWE number: ${n}`);
  return `CWE-${n}`;
}

/** "CWE-<n>" from a number or a string holding one ("787", "cwe-089", "CWE-89"); undefined otherwise. */
export function cweId(value: number | string): string | undefined {
  const match = /^(?:cwe-?)?0*(\d+)$/i.exec(String(value).trim());
  if (!match?.[1] || match[1] === '0') return undefined;
  return `CWE-${match[1]}`;
}

/** Normalizes user spellings of a CWE ("cwe-089", "89", "CWE-89") to "CWE-89"; throws on anything else. */
export function normalizeCwe(value: string): string {
  const id = cweId(value);
  if (!id) throw new InvalidCweError(value);
  return id;
}

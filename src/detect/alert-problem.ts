// Alerts that cannot be used are dropped (AlertProblem, in src/sarif/problem.ts); alert sources log
// each with the reason.
import type { Logger } from '../log/logger.js';

/** The part of a logger alert sources use, so tests and the CLI can pass their own. */
export type AlertLogger = Pick<Logger, 'warn'>;

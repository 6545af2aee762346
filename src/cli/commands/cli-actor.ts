// Who and what a corpus command records in the audit trail: `cli:<os user>` and the command line
// (its words only, never file contents or option values that could hold a secret).
import { userInfo } from 'node:os';
import type { AuditVia } from '../../corpus/audit.js';

/** `cli:<os user>`, or `cli` where the user has no name (a container's uid without a passwd entry). */
export function cliActor(): string {
  try {
    const { username } = userInfo();
    return username ? `cli:${username}` : 'cli';
  } catch {
    // userInfo() throws a SystemError when the uid has no passwd entry.
    return 'cli';
  }
}

/** The command behind a record, e.g. `seccoder corpus retire manual-0123abcd4567ef89`. */
export function commandVia(command: string): AuditVia {
  return { kind: 'command', command };
}

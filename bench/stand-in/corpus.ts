// What the end-to-end runs review and retrieve from: a small corpus folder of real entries (made as
// `seccoder corpus add` makes them, its index built once here so the workers only load it), and
// Flask views with a SQL injection, one per pull request, each with its own path and function name
// so that every pull request is its own target.
import { LocalCorpusStore } from '../../src/corpus/local-store.js';
import { prepareEntry } from '../../src/corpus/prepare-entry.js';
import type { Language } from '../../src/lang/languages.js';
import { openRetrievalIndex } from '../../src/retrieve/open-index.js';

interface Snippet {
  name: string;
  language: Language;
  cwe: string;
  code: string;
}

/** Secure functions: parameterized SQL (CWE-89), argument-list processes (CWE-78), a contained path (CWE-22), escaped markup (CWE-79). */
const SNIPPETS: readonly Snippet[] = [
  {
    name: 'get_user',
    language: 'python',
    cwe: 'CWE-89',
    code: `def get_user(conn, user_id):
    cursor = conn.cursor()
    cursor.execute("SELECT id, name FROM users WHERE id = %s", (user_id,))
    return cursor.fetchone()
`,
  },
  {
    name: 'delete_order',
    language: 'python',
    cwe: 'CWE-89',
    code: `def delete_order(db, order_id):
    cur = db.cursor()
    cur.execute("DELETE FROM orders WHERE order_id = ?", (order_id,))
    db.commit()
`,
  },
  {
    name: 'find_customer',
    language: 'python',
    cwe: 'CWE-89',
    code: `def find_customer(conn, email):
    cur = conn.cursor()
    cur.execute("SELECT id, name FROM customers WHERE email = ?", (email,))
    return cur.fetchone()
`,
  },
  {
    name: 'count_logins',
    language: 'python',
    cwe: 'CWE-89',
    code: `def count_logins(cursor, username):
    cursor.execute("SELECT COUNT(*) FROM logins WHERE username = %(name)s", {"name": username})
    (count,) = cursor.fetchone()
    return count
`,
  },
  {
    name: 'archive_logs',
    language: 'python',
    cwe: 'CWE-78',
    code: `def archive_logs(directory):
    subprocess.run(["tar", "-czf", "logs.tar.gz", "--", directory], check=True)
`,
  },
  {
    name: 'ping_host',
    language: 'python',
    cwe: 'CWE-78',
    code: `def ping_host(host):
    if not re.fullmatch(r"[A-Za-z0-9.-]+", host):
        raise ValueError("invalid host")
    return subprocess.run(["ping", "-c", "1", host], capture_output=True, check=False).returncode
`,
  },
  {
    name: 'read_upload',
    language: 'python',
    cwe: 'CWE-22',
    code: `def read_upload(base_dir, name):
    root = os.path.realpath(base_dir)
    path = os.path.realpath(os.path.join(root, name))
    if os.path.commonpath([root, path]) != root:
        raise ValueError("path escapes the upload folder")
    with open(path, "rb") as handle:
        return handle.read()
`,
  },
  {
    name: 'render_greeting',
    language: 'javascript',
    cwe: 'CWE-79',
    code: `function renderGreeting(element, name) {
  element.textContent = 'Hello, ' + name;
}
`,
  },
];

/**
 * Writes the snippets as a corpus into `dir` (an empty folder) and builds its retrieval index there,
 * so a process opening the folder later loads the index instead of building it. Returns the entry count.
 */
export async function writeCorpus(dir: string): Promise<number> {
  const now = new Date('2026-01-15T12:00:00.000Z');
  const entries = [];
  for (const snippet of SNIPPETS) {
    entries.push(
      await prepareEntry({
        code: snippet.code,
        label: `${snippet.name}.${snippet.language === 'python' ? 'py' : 'js'}`,
        language: snippet.language,
        cwe: [snippet.cwe],
        source: { function: snippet.name },
        now,
      }),
    );
  }
  const result = await new LocalCorpusStore(dir).append(entries);
  if (result.duplicates.length > 0) throw new Error(`duplicate corpus entries: ${result.duplicates.map((entry) => entry.id).join(', ')}`);
  const index = await openRetrievalIndex({ corpusDir: dir });
  return index.entries.length;
}

/** One vulnerable Flask view: its file, the function's name, and the line building the query. */
export interface VulnerableView {
  path: string;
  functionName: string;
  content: string;
  /** 1-based line of the concatenated query. */
  queryLine: number;
}

const TABLES = ['users', 'orders', 'products', 'invoices', 'tickets', 'accounts', 'coupons', 'sessions', 'reviews', 'shipments', 'refunds', 'carts'];

/** The `index`-th view (0-based): `app/<table>/views.py` with `<table>_by_key(key)` injecting `key` into its query. */
export function vulnerableView(index: number): VulnerableView {
  const table = `${TABLES[index % TABLES.length] ?? 'items'}${index >= TABLES.length ? String(Math.floor(index / TABLES.length)) : ''}`;
  const functionName = `${table}_by_key`;
  const content = `import sqlite3

from flask import Flask, jsonify

app = Flask(__name__)


@app.route("/${table}/<key>")
def ${functionName}(key):
    conn = sqlite3.connect("app.db")
    cur = conn.cursor()
    cur.execute("SELECT id, name FROM ${table} WHERE key = '" + key + "'")
    return jsonify(cur.fetchone())
`;
  return { path: `app/${table}/views.py`, functionName, content, queryLine: 12 };
}

// The frame every HTML view shares: one inline <style> (the policy allows nothing else), the
// navigation, who is looking and whether they may write, and a warning when lines of the corpus or
// its logs were skipped. No script, no external asset: the page is the HTML.
import type { PageAccess } from './page-types.js';
import { html, SafeHtml } from './html.js';
import type { CorpusSnapshot } from './snapshot.js';

const STYLE = `
:root{--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--soft:#f6f8fa;--gap:#ffebe9;--gap-fg:#a40e26;--link:#0969da;--ok:#1a7f37;--bad:#cf222e}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:var(--fg);background:#fff}
body>header{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:baseline;padding:.6rem 1.5rem;border-bottom:1px solid var(--line);background:var(--soft)}
body>header h1{font-size:1rem;margin:0}
nav a{margin-right:1rem;text-decoration:none}
nav a[aria-current=page]{color:var(--fg);font-weight:600;border-bottom:2px solid #fd8c73}
.who{margin-left:auto;color:var(--muted)}
main{padding:1rem 1.5rem 2rem;max-width:1280px}
h2{font-size:1.25rem;margin:.5rem 0}h3{font-size:1rem;margin:1.25rem 0 .5rem}
a{color:var(--link)}
table{border-collapse:collapse;font-variant-numeric:tabular-nums;margin:.5rem 0}
th,td{border:1px solid var(--line);padding:.2rem .5rem;text-align:left;vertical-align:top}
thead th{background:var(--soft);position:sticky;top:0}
td.n{text-align:right}
td.gap,.gap-legend{background:var(--gap);color:var(--gap-fg);text-align:center;font-size:.8em;font-style:italic}
.gap-legend{padding:0 .3em}
tr.group th{background:#eef1f4;font-weight:600}
tr.total td,tr.total th{font-weight:600;background:var(--soft)}
td.d1{padding-left:1.5rem}td.d2{padding-left:2.5rem}td.d3{padding-left:3.5rem}
.muted,.muted a{color:var(--muted)}
.small{font-size:.85em}
.note{border-left:4px solid #d4a72c;background:#fff8c5;padding:.5rem .75rem;margin:.5rem 0}
.error{border-left:4px solid var(--bad);background:var(--gap);padding:.5rem .75rem;margin:.5rem 0}
.card{border:1px solid var(--line);border-radius:6px;padding:.6rem 1rem;margin:0 0 1rem}
.card>header{display:flex;flex-wrap:wrap;gap:.25rem .75rem;align-items:baseline}
.card>header h2,.card>header h3{margin:0}
.card dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:.5rem 0}
.card dt{color:var(--muted)}.card dd{margin:0}
.tag{border:1px solid var(--line);border-radius:1em;padding:0 .5em;font-size:.85em}
.live{color:var(--ok)}.retired{color:var(--bad)}
.card.is-retired{background:#fbfbfc}
pre{background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:.5rem;overflow:auto;max-height:22rem;margin:.5rem 0;font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
form.filters,form.write{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin:.5rem 0}
form.filters label,form.write label{display:flex;flex-direction:column;font-size:.85em;color:var(--muted)}
input[name=reason]{min-width:22rem}
ul.gates{margin:0;padding-left:1rem}
.pass{color:var(--ok)}.fail{color:var(--bad)}
.pages{display:flex;gap:1rem;align-items:baseline}
`;

// Our own constant: the one place markup is made without the template.
const STYLE_HTML = new SafeHtml(STYLE);

export type Section = 'coverage' | 'entries' | 'audit' | 'pending';

export interface LayoutOptions {
  basePath: string;
  title: string;
  /** The view's heading, also in <title>. */
  heading: string;
  current?: Section;
  access: PageAccess;
  /** Shown to readers who may not write (why not, and what to do). */
  readOnlyNote?: string;
  snapshot?: CorpusSnapshot;
  body: SafeHtml;
}

const SECTIONS: { section: Section; label: string; path: string }[] = [
  { section: 'coverage', label: 'Coverage', path: '/' },
  { section: 'entries', label: 'Entries', path: '/entries' },
  { section: 'audit', label: 'Audit trail', path: '/audit' },
  { section: 'pending', label: 'Pending additions', path: '/pending' },
];

export function layout(options: LayoutOptions): string {
  const { basePath, access, snapshot } = options;
  const problems = snapshot?.problems ?? [];
  const page = html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${options.heading} · ${options.title}</title>
        <style>
          ${STYLE_HTML}
        </style>
      </head>
      <body>
        <header>
          <h1>${options.title}</h1>
          <nav>
            ${SECTIONS.map(
              ({ section, label, path }) => html`<a href="${basePath}${path}" ${section === options.current ? html` aria-current="page"` : ''}>${label}</a>`,
            )}
          </nav>
          <span class="who">${access.actor} · ${access.canWrite ? 'may retire and restore' : 'read-only'}</span>
        </header>
        <main>
          ${!access.canWrite && options.readOnlyNote ? html`<p class="note">${options.readOnlyNote}</p>` : ''}
          ${
            problems.length > 0
              ? html`<details class="note">
                  <summary>${problems.length} line${problems.length === 1 ? ' was' : 's were'} skipped while reading the corpus or its logs</summary>
                  <ul>
                    ${problems.slice(0, 20).map((problem) => html`<li><code>${problem.file}:${problem.line}</code> ${problem.message}</li>`)}
                  </ul>
                </details>`
              : ''
          }
          ${options.body} ${snapshot ? html`<p class="muted small">Corpus: <code>${snapshot.location}</code></p>` : ''}
        </main>
      </body>
    </html> `;
  return page.text;
}

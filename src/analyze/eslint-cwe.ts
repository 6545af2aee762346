// The ESLint rules SecCoder runs on JavaScript and TypeScript, each with the CWEs it stands for.
// The table is also the configuration: every rule listed here is on (as an error), and no other.
// Only security rules: those of eslint-plugin-security 4.1, eslint-plugin-no-unsanitized 4.1 and
// @microsoft/eslint-plugin-sdl 1.1, plus the three core rules sdl's `common` config turns on for
// code execution (no-eval, no-implied-eval, no-new-func). None of the plugins reports a CWE, so
// the numbers are ours: the weakness the rule's documentation describes. Tables hold CWE numbers;
// the ids ("CWE-79") are formatted by the CWE module.
//
// Left out on purpose: the rules in ESLINT_RULES_LEFT_OUT, the non-security rules sdl's configs
// also turn on (no-caller, no-delete-var, n/no-deprecated-api), and sdl's React and TypeScript
// extras, which live in eslint-plugin-react and @typescript-eslint/eslint-plugin (the latter needs
// type information), neither a dependency.
import { formatCweId } from '../cwe/id.js';

export const ESLINT_RULE_CWES: Readonly<Record<string, readonly number[]>> = {
  // ESLint core: code built from strings and run.
  'no-eval': [95, 94], // eval(...)
  'no-implied-eval': [95, 94], // setTimeout/setInterval/execScript with a string
  'no-new-func': [95, 94], // new Function(...) / Function(...)

  // eslint-plugin-security
  'security/detect-bidi-characters': [451], // Trojan Source: bidirectional controls reorder what a reviewer sees
  'security/detect-buffer-noassert': [125, 787], // buf.readX / writeX with noAssert: no bounds check
  'security/detect-child-process': [78], // child_process.exec(non-literal), require('child_process') used bare
  'security/detect-disable-mustache-escape': [79], // escapeMarkup = false
  'security/detect-eval-with-expression': [95, 94], // eval(variable)
  'security/detect-invisible-characters': [451], // zero-width and other invisible characters in code
  'security/detect-new-buffer': [908], // new Buffer(non-literal): uninitialized memory for a number
  'security/detect-no-csrf-before-method-override': [352], // express.methodOverride() after csrf()
  'security/detect-non-literal-fs-filename': [22], // fs.*(variable path)
  'security/detect-non-literal-regexp': [1333, 400], // new RegExp(variable): ReDoS, regex injection
  'security/detect-non-literal-require': [829], // require(variable)
  'security/detect-possible-timing-attacks': [208], // secret === input
  'security/detect-pseudoRandomBytes': [338, 330], // crypto.pseudoRandomBytes
  'security/detect-unsafe-regex': [1333, 400], // regular expressions with catastrophic backtracking

  // eslint-plugin-no-unsanitized: HTML from a non-constant written to the DOM
  'no-unsanitized/method': [79], // insertAdjacentHTML, document.write(ln), createContextualFragment, setHTMLUnsafe, import()
  'no-unsanitized/property': [79], // innerHTML, outerHTML

  // @microsoft/eslint-plugin-sdl
  '@microsoft/sdl/no-angular-bypass-sanitizer': [79], // bypassSecurityTrustHtml and the like
  '@microsoft/sdl/no-angular-sanitization-trusted-urls': [79], // widening AngularJS's trusted URL list
  '@microsoft/sdl/no-angularjs-bypass-sce': [79], // $sce.trustAs..., $sceProvider.enabled(false)
  '@microsoft/sdl/no-angularjs-enable-svg': [79], // $sanitizeProvider.enableSvg(true)
  '@microsoft/sdl/no-angularjs-sanitization-whitelist': [79], // aHref/imgSrc sanitization whitelists
  '@microsoft/sdl/no-document-domain': [346], // writing document.domain relaxes the same-origin check
  '@microsoft/sdl/no-document-write': [79], // document.write / writeln
  '@microsoft/sdl/no-electron-node-integration': [749], // nodeIntegration: true exposes Node to web content
  '@microsoft/sdl/no-html-method': [79], // $(...).html(non-literal)
  '@microsoft/sdl/no-inner-html': [79], // innerHTML / outerHTML / insertAdjacentHTML
  '@microsoft/sdl/no-insecure-random': [338, 330], // Math.random, crypto.pseudoRandomBytes, random-number packages
  '@microsoft/sdl/no-insecure-url': [319], // http://, ftp://, ws://, telnet:// literals
  '@microsoft/sdl/no-msapp-exec-unsafe': [79], // MSApp.execUnsafeLocalFunction
  '@microsoft/sdl/no-postmessage-star-origin': [201], // postMessage(data, '*')
  '@microsoft/sdl/no-unsafe-alloc': [908], // Buffer.allocUnsafe(Slow): old memory contents
  '@microsoft/sdl/no-winjs-html-unsafe': [79], // WinJS.Utilities.setInnerHTMLUnsafe and the like
};

/** Rules the plugins export that are not run, and why (a test checks every exported rule is in one of the two tables). */
export const ESLINT_RULES_LEFT_OUT: Readonly<Record<string, string>> = {
  'security/detect-object-injection':
    'fires on every obj[key] with a variable key (nearly every function that reads a map): it would refuse most functions and reject most rewrites for no weakness',
  '@microsoft/sdl/no-cookies': 'a policy (no document.cookie at all), not a weakness of the code',
};

/**
 * CWEs for which ESLint with these rules finding nothing is evidence the weakness is gone from a
 * function: a rule reports the usual shape of the bug whatever the data, and the secure form is
 * silent. Deliberately short:
 * - CWE-79: the DOM sinks (innerHTML, outerHTML, insertAdjacentHTML, document.write, jQuery's
 *   html(), the Angular and WinJS bypasses). Not a server-side response built from input
 *   (`res.send('<p>' + name)`): no rule here sees that, so a reflected XSS in a request handler
 *   stays "not fixed" only through its alert, never through this silence.
 * - CWE-94, CWE-95: eval, new Function, string timers.
 * - CWE-330, CWE-338: Math.random and crypto.pseudoRandomBytes.
 * Not judged, though their rules run and count as new findings in a rewrite: CWE-78
 * (detect-child-process sees only `exec`, not execSync, spawn with a shell or execFile('sh')),
 * CWE-22 (detect-non-literal-fs-filename fires on a sanitized path as well), CWE-1333/400 (the
 * regex check is a heuristic), CWE-208, CWE-319 (only URL literals), CWE-352, and SQL injection
 * (CWE-89), which no rule here looks at.
 */
export const ESLINT_JUDGED_CWES: ReadonlySet<string> = new Set([79, 94, 95, 330, 338].map(formatCweId));

/** CWEs for an ESLint rule id (as reported, e.g. "security/detect-child-process"); empty for rules not in the table. */
export function eslintCwes(ruleId: string): string[] {
  return (ESLINT_RULE_CWES[ruleId] ?? []).map(formatCweId);
}

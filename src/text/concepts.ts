// Names for the operations weaknesses are made of, shared across languages and APIs: kmalloc,
// g_malloc and malloc are all an allocation; os.system, child_process.exec, Runtime.exec and
// backticks all run a shell. A corpus labelled in one language or library then teaches the
// retriever about the others. The list is general CWE knowledge (sinks, sources and
// sanitizers as CodeQL and the CWE entries describe them), not tuned to any query set.

interface ConceptRule {
  concept: string;
  pattern: RegExp;
}

const rule = (concept: string, pattern: RegExp): ConceptRule => ({ concept, pattern });

const RULES: ConceptRule[] = [
  // Memory management (C/C++).
  rule('alloc', /\b\w*(?:malloc|calloc|realloc|alloca|strdup|strndup|new\s+\w+\s*\[|xmalloc|kzalloc|kmalloc|kcalloc|vmalloc|g_new0?|emalloc|av_malloc)\s*\(/),
  rule('alloc', /\bnew\s+[A-Za-z_][\w:<>]*\s*[([]/),
  rule('free', /\b\w*(?:free|kfree|vfree|g_free|av_freep?|efree|release|unref|put_device|delete)\s*\(|\bdelete\s*(?:\[\s*\])?\s*\w/),
  rule(
    'copy',
    /\b(?:memcpy|memmove|strcpy|strncpy|strlcpy|strcat|strncat|strlcat|wcscpy|copy_from_user|copy_to_user|bcopy|sprintf|vsprintf|snprintf|vsnprintf)\s*\(/,
  ),
  rule('unbounded-copy', /\b(?:strcpy|strcat|sprintf|vsprintf|gets|wcscpy)\s*\(/),
  rule('bounded-copy', /\b(?:strncpy|strlcpy|strncat|strlcat|snprintf|vsnprintf)\s*\(/),
  rule('memset', /\b(?:memset|bzero|explicit_bzero)\s*\(/),
  rule('index-write', /\w\s*\[[^\]]+\]\s*(?:[+\-*/|&^]?=)(?!=)/),
  rule('index-read', /=[^=;]*\w\s*\[[^\]]+\]/),
  rule('pointer-arith', /\w\s*(?:\+|-)\s*\w+\s*\)?\s*(?:->|\[)|\bptr\s*\+\+|\+\+\s*\w*ptr\b|\w+\s*\+=\s*\w+;\s*$/m),
  rule('deref', /->/),
  rule('null-check', /(?:==|!=)\s*(?:NULL|nullptr|nil|None|null)\b|\bif\s*\(\s*!\s*\w+\s*\)|\bIS_ERR(?:_OR_NULL)?\s*\(|\bunlikely\s*\(\s*!/),
  rule('null-assign', /=\s*(?:NULL|nullptr)\s*;/),
  rule('sizeof', /\bsizeof\b/),
  rule(
    'length-check',
    /\b(?:len|length|size|count|num|n|idx|index|offset|pos)\w*\s*(?:<=?|>=?)\s*\w+|\b\w+\s*(?:<=?|>=?)\s*\w*(?:len|length|size|count|max|limit)\b/i,
  ),
  rule('bounds-error', /\b(?:E2BIG|EOVERFLOW|ERANGE|EINVAL|EFAULT|ENOSPC|out of (?:range|bounds)|too (?:long|large|big)|overflow)\b/i),
  // How C memory-safety weaknesses differ before the bug (CWE-190/787/125/416/476 entries):
  // arithmetic inside an allocation size, an inclusive loop bound, a copy whose length is a
  // variable, a pointer used after it was freed, and lookups that may return NULL.
  rule('alloc-arith', /\b\w*(?:malloc|calloc|realloc|alloc)\s*\([^;]*?[\w)\]]\s*(?:[*+]|<<)\s*[\w(][^;]*\)/),
  rule('loop-inclusive-bound', /\bfor\s*\([^;]*;[^;]*<=[^;]*;/),
  rule('variable-length-copy', /\b(?:memcpy|memmove|memset|strncpy|copy_from_user|copy_to_user)\s*\([^;]*,\s*[A-Za-z_][\w>.-]*\s*\)/),
  rule('use-after-free', /\b\w*free\s*\(\s*([A-Za-z_]\w*)\s*\)\s*;[^]{0,400}?\b\1\s*(?:->|\[|\.)/),
  rule('maybe-null-lookup', /=\s*\w*(?:get|find|lookup|search|alloc|open|dup)\w*\s*\([^;]*\)\s*;/),
  rule('narrow-int', /\b(?:short|char|u8|u16|s8|s16|uint8_t|uint16_t|int8_t|int16_t)\s+\**\w+\s*[=;,)]/),
  rule('shift', /\w\s*<<\s*\w/),
  // Integer handling.
  rule(
    'int-limit',
    /\b(?:INT_MAX|INT_MIN|UINT_MAX|SIZE_MAX|LONG_MAX|ULONG_MAX|SSIZE_MAX|U?INT(?:8|16|32|64)_MAX|MAX_INT|MaxInt\d*|Integer\.MAX_VALUE|math\.Max\w+)\b/,
  ),
  rule('int-arith', /\b(?:int|long|short|unsigned|size_t|ssize_t|u?int\d+_t|u(?:8|16|32|64)|s(?:8|16|32|64))\b[^;{}]*[+*]/),
  rule(
    'int-parse',
    /\b(?:atoi|atol|atoll|strtol|strtoul|strtoll|strtoull|sscanf|scanf|fscanf|parseInt|Integer\.parseInt|Atoi|ParseInt|ParseUint|to_i|int)\s*\(/,
  ),
  rule('int-cast', /\((?:unsigned\s+)?(?:int|long|short|char|size_t|u?int\d+_t|u(?:8|16|32|64))\)|\b(?:u?int(?:8|16|32|64)?|float(?:32|64))\s*\(\s*\w/),
  rule('check-overflow', /\b(?:__builtin_\w+_overflow|check_\w+_overflow|safe_(?:add|mul)|overflow)\b/i),
  rule(
    'random',
    /\b(?:rand|random|srand|drand48|Math\.random|random\.\w+|SecureRandom|secrets\.\w+|crypto\.randomBytes|randomBytes|getrandom|urandom|rand\.\w+)\b/,
  ),
  // Injection sinks.
  rule('sql', /\b(?:SELECT|INSERT|UPDATE|DELETE|FROM|WHERE|VALUES)\b/),
  rule(
    'sql',
    /\b(?:execute|executemany|executescript|exec_query|raw|query|prepare|cursor|rawQuery|find_by_sql|where|order|sqlite3|psycopg2|mysql|pymysql|QueryRow|Query|Exec|createStatement|prepareStatement|executeQuery)\s*\(/,
  ),
  rule('sql-params', /\?\s*[,)]|%s[^%]*["'][^%]*,\s*\(|\$\d+\b|:\w+\b[^:]*\bexecute|prepareStatement|setString\s*\(|placeholder|bind_param|sanitize_sql/),
  rule('string-build', /["'`]\s*\+\s*\w|\w\s*\+\s*["'`]|%\s*\(|%\s*\w|\.format\s*\(|\bf["']|\$\{|#\{|\bsprintf\s*\(|\bString\.format\s*\(|\bfmt\.Sprintf\s*\(/),
  rule(
    'shell',
    /\b(?:os\.system|os\.popen|popen|subprocess\.\w+|system|exec(?:[lv]p?e?)?|spawn|spawnSync|execSync|execFile|execFileSync|child_process|Runtime\.getRuntime|ProcessBuilder|exec\.Command|Open3\.\w+|IO\.popen|Kernel\.system|shell_exec|passthru)\s*\(|`[^`]*#\{|%x\{/,
  ),
  rule('shell-safe', /shell\s*=\s*False|shlex\.(?:quote|split)|escapeshellarg|Shellwords|execFile\b|\[\s*["'][^"']+["']\s*,/),
  rule('shell-words', /\b(?:ping|ls|cat|rm|grep|wget|curl|bash|sh|cmd|command)\b/),
  rule(
    'path',
    /\b(?:open|fopen|readFile|readFileSync|createReadStream|writeFile|send_file|send_from_directory|sendFile|File\.(?:open|read|join|new)|os\.path\.\w+|path\.(?:join|resolve|normalize)|Paths\.get|new\s+File|filepath\.\w+|realpath|abspath|normpath|basename|dirname|unlink|remove|rmtree|extractall|ZipFile|tarfile)\s*\(/,
  ),
  rule(
    'path-check',
    /\.\.\/?|\bstartswith\s*\(|\bstart_with\?|\bstartsWith\s*\(|\bHasPrefix\s*\(|\b(?:secure_filename|safe_join|realpath|abspath|normpath|canonical|getCanonicalPath|normalize|Clean)\b/,
  ),
  rule(
    'html',
    /<\/?[a-zA-Z][^>]*>|\b(?:innerHTML|outerHTML|document\.write|dangerouslySetInnerHTML|render_template_string|render_template|Markup|html_safe|raw|safe|res\.send|response\.write|getWriter|HttpResponse|template\.HTML|\.html\s*\()/,
  ),
  rule(
    'html-escape',
    /\b(?:escape|html\.escape|cgi\.escape|escapeHtml|escape_html|htmlspecialchars|htmlentities|sanitize|bleach\.clean|DOMPurify|encodeURIComponent|h\s*\(|ERB::Util|template\.HTMLEscapeString|StringEscapeUtils|textContent)\b/,
  ),
  rule('code-eval', /\b(?:eval|exec|compile|Function|setTimeout|setInterval|instance_eval|class_eval|send|public_send|constantize|__import__|importlib)\s*\(/),
  rule(
    'deserialize',
    /\b(?:pickle|cPickle|marshal|shelve|yaml\.(?:load|unsafe_load)|Marshal\.load|YAML\.load|unserialize|ObjectInputStream|readObject|jsonpickle|dill|torch\.load|joblib\.load)\b/,
  ),
  rule('safe-deserialize', /\b(?:safe_load|SafeLoader|yaml\.safe_\w+|JSON\.parse|json\.loads?|permitted_classes|safe_load_file)\b/),
  rule(
    'xml',
    /\b(?:etree|lxml|XMLParser|xml\.dom|minidom|sax|DocumentBuilderFactory|SAXParserFactory|XMLInputFactory|libxml|xmlReadMemory|xmlParse\w*|Nokogiri|REXML|DOMParser|resolve_entities|XML_PARSE_NOENT|disallow-doctype-decl|FEATURE_SECURE_PROCESSING|defusedxml)\b/,
  ),
  rule(
    'crypto-hash',
    /\b(?:md5|sha1|sha256|sha512|hashlib|MessageDigest|crypto\.createHash|Digest::\w+|bcrypt|scrypt|argon2|pbkdf2\w*|hash_password|password_hash|check_password|generate_password_hash)\b/i,
  ),
  rule(
    'crypto-cipher',
    /\b(?:AES|DES|3DES|TripleDES|RC4|Blowfish|ECB|CBC|GCM|Cipher|createCipheriv|createCipher|RSA|DSA|generate_private_key|key_size|GenerateKey|rsa\.GenerateKey|KeyPairGenerator|initialize)\b/,
  ),
  rule(
    'tls',
    /\b(?:ssl|tls|https|verify\s*=|CERT_NONE|CERT_REQUIRED|InsecureSkipVerify|check_hostname|create_default_context|rejectUnauthorized|TrustManager|HostnameVerifier|VERIFY_PEER|VERIFY_NONE|certificate)\b/i,
  ),
  rule(
    'tempfile',
    /\b(?:mktemp|tempfile|tmpnam|tempnam|mkstemp|mkdtemp|NamedTemporaryFile|TemporaryFile|gettempdir|tmpfile|createTempFile|ioutil\.TempFile|os\.CreateTemp|Tempfile|Dir\.tmpdir)\b|["']\/tmp\//,
  ),
  rule(
    'permissions',
    /\b(?:chmod|fchmod|umask|os\.chmod|S_I[RWX](?:USR|GRP|OTH)|0o?[0-7]{3}\b|Files\.setPosixFilePermissions|FileMode|os\.OpenFile|O_CREAT)\b/,
  ),
  rule(
    'auth',
    /\b(?:password|passwd|secret|token|credential|login|authenticate|session|cookie|csrf|xsrf|verify_authenticity_token|protect_from_forgery|csrf_exempt|CsrfViewMiddleware|csurf|SameSite|nonce)\b/i,
  ),
  rule('redirect', /\b(?:redirect|redirect_to|sendRedirect|Location|url_for|next_url|return_url|http\.Redirect)\b/),
  rule(
    'request-input',
    /\b(?:request\.(?:args|form|values|json|GET|POST|params|query|body|files|cookies|headers)|req\.(?:query|body|params|cookies|headers)|params\[|getParameter|FormValue|URL\.Query|argv|getenv|ENV\[|stdin|scanf|gets|fgets|recv|read)\b/,
  ),
  rule('regex', /\b(?:re\.(?:compile|match|search|sub|findall)|RegExp|Regexp|regexp\.\w+|Pattern\.compile|preg_\w+)\b/),
  rule('logging', /\b(?:log|logger|logging|console\.(?:log|error)|print|printf|fprintf|syslog|puts|warn|debug|traceback|stack|printStackTrace|exc_info)\b/i),
  rule(
    'mass-assign',
    /\b(?:Object\.assign|_\.(?:merge|extend|defaults)|\$\.extend|merge|deepmerge|__proto__|constructor\.prototype|prototype|update_attributes|assign_attributes|permit|params\.require|setattr|__dict__)\b/,
  ),
  rule('type-convert', /\b(?:strconv\.\w+|int32\s*\(|uint32\s*\(|int16\s*\(|uint16\s*\(|int8\s*\(|uint8\s*\(|float32\s*\()/),
  rule(
    'info-exposure',
    /\b(?:stack\s*trace|traceback|exception|err\.message|error\.message|e\.getMessage|debug\s*=\s*True|DEBUG|app\.debug|res\.status\(500\)|internal server error)\b/i,
  ),
  // The same operations as people name them in comments, docstrings and identifiers: a prompt
  // that stops before the dangerous call is written still says what it is about to do.
  rule('deserialize', /\b(?:yaml|pickle|unpickl\w*|deseriali[sz]\w*|unmarshal\w*|marshal\w*)\b/i),
  rule('shell', /\b(?:execSync|spawnSync|child_process|subprocess|popen|os\.system|shell command|system command|run(?:s|ning)? (?:the |a )?command)\b/i),
  rule('random', /\b(?:random(?:ly|ness)?|nonce|entropy|unpredictable)\b/i),
  rule('sql', /\b(?:sql|database|db)\b/i),
  rule('path', /\b(?:file ?names?|filepaths?|directory|directories|folder|uploads?|download)\b/i),
  rule('html', /\b(?:html|web ?page|render(?:s|ed|ing)?|templates?|xss)\b/i),
  rule('tempfile', /\b(?:temp(?:orary)? ?files?|tmp ?files?)\b/i),
  rule('crypto-cipher', /\b(?:encrypt\w*|decrypt\w*|cipher\w*|private key|public key|key (?:size|length))\b/i),
  rule('crypto-hash', /\b(?:hash(?:es|ed|ing)?|digest|password)\b/i),
  rule('redirect', /\b(?:redirect\w*|return ?url)\b/i),
  rule('mass-assign', /\b(?:merge|attributes|properties|prototype)\b/i),
  rule('copy', /\b(?:copy|copies|copied|buffer)\b/i),
  rule('index-read', /\b(?:index|indices|offset|array|element)\b/i),
  rule('int-arith', /\b(?:integer|overflow|wrap ?around|sum|add(?:s|ed)?|multipl\w*|large)\b/i),
  rule('alloc', /\b(?:allocat\w*)\b/i),
  rule('free', /\b(?:free[ds]?|freeing|released?|dealloc\w*)\b/i),
  rule('null-check', /\b(?:null|nil|none|pointer)\b/i),
];

/** Concept tokens (prefixed "concept:") found in the code, each once per occurrence kind. */
export function conceptTokens(code: string): string[] {
  const found: string[] = [];
  for (const { concept, pattern } of RULES) {
    const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
    const count = Math.min(3, (code.match(global) ?? []).length);
    for (let i = 0; i < count; i += 1) found.push(`concept:${concept}`);
  }
  return found;
}

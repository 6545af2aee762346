// Bandit test id → CWE. Bandit 1.6.2 reports no CWE, so we keep the table bandit itself adopted in
// 1.7.3 (`issue.Cwe` on each plugin and blacklist entry), adding the more specific CWE where
// upstream chose a generic one (eval is code injection, CWE-94/95, not only CWE-78; an unsafe
// yaml.load is deserialization, CWE-502, besides upstream's CWE-20; the XML parsers are XXE,
// CWE-611, besides CWE-20). The first CWE of each entry is upstream's. Tables hold CWE numbers;
// the ids ("CWE-78") are formatted by the CWE module.
import { formatCweId } from '../cwe/id.js';

export const BANDIT_CWES: Readonly<Record<string, readonly number[]>> = {
  B101: [703], // assert_used
  B102: [78, 94, 95], // exec_used
  B103: [732], // set_bad_file_permissions
  B104: [605], // hardcoded_bind_all_interfaces
  B105: [259, 798], // hardcoded_password_string
  B106: [259, 798], // hardcoded_password_funcarg
  B107: [259, 798], // hardcoded_password_default
  B108: [377], // hardcoded_tmp_directory
  B110: [703], // try_except_pass
  B112: [703], // try_except_continue
  B201: [94], // flask_debug_true
  B301: [502], // pickle
  B302: [502], // marshal
  B303: [327, 328], // md5 / sha1
  B304: [327], // insecure ciphers
  B305: [327], // insecure cipher modes (ECB)
  B306: [377], // mktemp_q
  B307: [78, 94, 95], // eval
  B308: [79], // mark_safe
  B309: [295], // httpsconnection (no certificate checks on old Pythons; removed upstream)
  B310: [22], // urllib_urlopen (file:// and custom schemes)
  B311: [330, 338], // random
  B312: [319], // telnetlib
  B313: [20, 611, 776], // xml_bad_cElementTree
  B314: [20, 611, 776], // xml_bad_ElementTree
  B315: [20, 611, 776], // xml_bad_expatreader
  B316: [20, 611, 776], // xml_bad_expatbuilder
  B317: [20, 611, 776], // xml_bad_sax
  B318: [20, 611, 776], // xml_bad_minidom
  B319: [20, 611, 776], // xml_bad_pulldom
  B320: [20, 611, 776], // xml_bad_etree (lxml)
  B321: [319], // ftplib
  B322: [20, 94], // input (Python 2's input() evaluates what it reads)
  B323: [295], // unverified_context
  B324: [327, 328], // hashlib_new_insecure_functions
  B325: [377], // tempnam
  B401: [319], // import_telnetlib
  B402: [319], // import_ftplib
  B403: [502], // import_pickle
  B404: [78], // import_subprocess
  B405: [20, 611], // import_xml_etree
  B406: [20, 611], // import_xml_sax
  B407: [20, 611], // import_xml_expat
  B408: [20, 611], // import_xml_minidom
  B409: [20, 611], // import_xml_pulldom
  B410: [20, 611], // import_lxml
  B411: [20], // import_xmlrpclib
  B412: [284], // import_httpoxy
  B413: [327], // import_pycrypto
  B501: [295], // request_with_no_cert_validation
  B502: [327], // ssl_with_bad_version
  B503: [327], // ssl_with_bad_defaults
  B504: [327], // ssl_with_no_version
  B505: [326], // weak_cryptographic_key
  B506: [20, 502], // yaml_load
  B507: [295], // ssh_no_host_key_verification
  B601: [78], // paramiko_calls
  B602: [78], // subprocess_popen_with_shell_equals_true
  B603: [78], // subprocess_without_shell_equals_true
  B604: [78], // any_other_function_with_shell_equals_true
  B605: [78], // start_process_with_a_shell
  B606: [78], // start_process_with_no_shell
  B607: [78], // start_process_with_partial_path
  B608: [89], // hardcoded_sql_expressions
  B609: [155], // linux_commands_wildcard_injection
  B610: [89], // django_extra_used
  B611: [89], // django_rawsql_used
  B701: [94, 79], // jinja2_autoescape_false
  B702: [80], // use_of_mako_templates
  B703: [80], // django_mark_safe
};

/**
 * CWEs for which a bandit run with no finding is evidence the weakness is gone: bandit's check is
 * the usual shape of that bug in a single function. Not, for example, CWE-79 (bandit only sees
 * template autoescaping, not an HTML response built from input) or CWE-22 (B310 is about URL schemes).
 */
export const BANDIT_JUDGED_CWES: ReadonlySet<string> = new Set(
  [
    78, // B602, B604, B605: shell commands
    89, // B608: SQL built from strings
    94, // B307, B102: eval, exec
    95,
    259, // B105-B107: hard-coded passwords
    798,
    295, // B501, B323, B507: certificate checks turned off
    326, // B505: short keys
    327, // B303, B304, B305, B324, B502-B504: weak hashes, ciphers and TLS versions
    328,
    330, // B311: random for secrets
    338,
    377, // B108, B306: predictable temp files
    502, // B301, B302, B506: pickle, marshal, yaml.load
    605, // B104: binding all interfaces
    611, // B313-B320: XML parsers without defusedxml (external entities and entity expansion)
    776,
    732, // B103: world-writable chmod
  ].map(formatCweId),
);

/** CWEs for a bandit test id; empty for ids we do not know (newer or third-party plugins). */
export function banditCwes(testId: string): string[] {
  return (BANDIT_CWES[testId.toUpperCase()] ?? []).map(formatCweId);
}

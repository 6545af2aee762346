// Vulnerable functions and their fixes, shared by the analyzer tests. Each is a lone function, as
// the pipeline passes them: no includes, sometimes indented.

export const PY_SQLI = `def find_user(cursor, name):
    cursor.execute("SELECT * FROM users WHERE name = '%s'" % name)
    return cursor.fetchall()
`;

export const PY_SQLI_FIXED = `def find_user(cursor, name):
    cursor.execute("SELECT * FROM users WHERE name = %s", (name,))
    return cursor.fetchall()
`;

/** The same vulnerable function as a method, with its class indentation. */
export const PY_SQLI_METHOD = `    def find_user(self, name):
        query = """SELECT * FROM users
WHERE name = '%s'""" % name
        self.cursor.execute(query)
        return self.cursor.fetchall()
`;

export const PY_COMMAND = `def ping(host):
    os.system("ping -c 1 " + host)
`;

export const PY_COMMAND_FIXED = `def ping(host):
    subprocess.run(["ping", "-c", "1", host], check=True)
`;

export const PY_PICKLE = `def load_session(blob):
    return pickle.loads(blob)
`;

export const C_OVERFLOW = `void greet(const char *name) {
    char buf[8];
    strcpy(buf, "hello, world and more");
    printf("%s %s\\n", buf, name);
}
`;

export const C_OVERFLOW_FIXED = `void greet(const char *name) {
    char buf[32];
    snprintf(buf, sizeof buf, "%s", "hello, world and more");
    printf("%s %s\\n", buf, name);
}
`;

export const C_INDEX_OVERFLOW = `int last_byte(void) {
    char buf[8];
    memset(buf, 'a', sizeof buf);
    buf[8] = 0;
    return buf[0];
}
`;

export const C_USE_AFTER_FREE = `int first(size_t n) {
    char *p = malloc(n + 1);
    if (!p) return -1;
    p[0] = 'x';
    free(p);
    return p[0];
}
`;

export const C_USE_AFTER_FREE_FIXED = `int first(size_t n) {
    char *p = malloc(n + 1);
    if (!p) return -1;
    p[0] = 'x';
    int c = p[0];
    free(p);
    return c;
}
`;

export const C_DOUBLE_FREE = `void release(char *p, int again) {
    free(p);
    if (again) free(p);
}
`;

export const C_DOUBLE_FREE_FIXED = `void release(char *p, int again) {
    free(p);
    p = NULL;
    if (again) free(p);
}
`;

export const CPP_USE_AFTER_DELETE = `int value() {
    int *p = new int(7);
    delete p;
    return *p;
}
`;

import { describe, expect, it } from 'vitest';
import { CweClassifier } from '../../src/retrieve/cwe-classifier.js';
import { conceptTokens } from '../../src/text/concepts.js';

const TRAIN = [
  { code: 'def find(db, name):\n    return db.execute("SELECT * FROM users WHERE name = ?", (name,))', cwe: ['CWE-89'] },
  { code: 'def delete(cur, uid):\n    cur.execute("DELETE FROM items WHERE owner = %s", (uid,))', cwe: ['CWE-89'] },
  { code: 'def count(conn, tag):\n    return conn.execute("SELECT count(*) FROM tags WHERE tag = ?", [tag]).fetchone()', cwe: ['CWE-89'] },
  { code: 'def ping(host):\n    return subprocess.run(["ping", "-c", "1", host], shell=False)', cwe: ['CWE-78'] },
  { code: 'def listing(path):\n    return subprocess.check_output(["ls", "-l", path])', cwe: ['CWE-78'] },
  { code: 'def archive(name):\n    subprocess.call(["tar", "czf", name + ".tgz", name])', cwe: ['CWE-78'] },
  { code: 'def show(name):\n    return "<p>" + escape(name) + "</p>"', cwe: ['CWE-79'] },
  { code: 'def greet(user):\n    return render_template("hello.html", user=escape(user))', cwe: ['CWE-79'] },
  { code: 'def unlabelled():\n    return 1', cwe: [] },
];

describe('CweClassifier', () => {
  it('learns which weakness code is about from labelled examples', () => {
    const classifier = CweClassifier.train(TRAIN)!;
    expect(classifier.classes).toEqual(['CWE-78', 'CWE-79', 'CWE-89']);
    const predict = (code: string) => {
      const p = classifier.predict(code);
      return classifier.classes[p.indexOf(Math.max(...p))];
    };
    expect(predict('def lookup(c, email):\n    c.execute("SELECT id FROM subscribers WHERE email = \'" + email + "\'")')).toBe('CWE-89');
    expect(predict('def run(cmd):\n    os.system("ping " + cmd)')).toBe('CWE-78');
    expect(predict('def page(title):\n    return "<h1>" + title + "</h1>"')).toBe('CWE-79');
  });

  it('returns a probability distribution and is deterministic', () => {
    const a = CweClassifier.train(TRAIN)!;
    const b = CweClassifier.train(TRAIN)!;
    const p = a.predict('def x(c): c.execute("SELECT 1")');
    expect(p.reduce((sum, v) => sum + v, 0)).toBeCloseTo(1, 10);
    expect(Array.from(b.predict('def x(c): c.execute("SELECT 1")'))).toEqual(Array.from(p));
    expect(CweClassifier.fromModel(JSON.parse(JSON.stringify(a.model))).predict('def x(): pass')).toEqual(a.predict('def x(): pass'));
  });

  it('needs at least two CWEs', () => {
    expect(
      CweClassifier.train([
        { code: 'x = 1', cwe: ['CWE-89'] },
        { code: 'y = 2', cwe: [] },
      ]),
    ).toBeUndefined();
  });
});

describe('conceptTokens', () => {
  it('names the same operation alike across languages and APIs', () => {
    expect(conceptTokens('p = kmalloc(len, GFP_KERNEL);')).toContain('concept:alloc');
    expect(conceptTokens('char *p = malloc(n);')).toContain('concept:alloc');
    expect(conceptTokens('os.system("ls " + d)')).toContain('concept:shell');
    expect(conceptTokens('child_process.exec(cmd)')).toContain('concept:shell');
    expect(conceptTokens('`ls #{dir}`')).toContain('concept:shell');
    expect(conceptTokens('data = pickle.loads(blob)')).toContain('concept:deserialize');
    expect(conceptTokens('obj = Marshal.load(raw)')).toContain('concept:deserialize');
    expect(conceptTokens('strcpy(dst, src);')).toEqual(expect.arrayContaining(['concept:copy', 'concept:unbounded-copy']));
    expect(conceptTokens('x = 1 + 2')).not.toContain('concept:shell');
  });
});

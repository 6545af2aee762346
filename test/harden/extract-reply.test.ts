// Getting the rewritten function out of a model's answer: a fenced block from a chat reply, or the
// function a completion model wrote after the prompt's signature.
import { describe, expect, it } from 'vitest';
import { codeFromChatReply, codeFromCompletion, fencedBlocks } from '../../src/harden/extract-reply.js';

const FIX = `def find_user(conn, email):
    cur = conn.cursor()
    cur.execute("SELECT id FROM users WHERE email = ?", (email,))
    return cur.fetchone()`;

describe('fencedBlocks', () => {
  it('reads each block, without its info string, in order', () => {
    const reply = '```python\na = 1\n```\ntext\n```\nb = 2\nc = 3\n```';
    expect(fencedBlocks(reply)).toEqual(['a = 1', 'b = 2\nc = 3']);
  });

  it('reads ~~~ fences and CRLF replies', () => {
    expect(fencedBlocks('Here:\r\n~~~python\r\nx = 1\r\n~~~\r\n')).toEqual(['x = 1']);
  });

  it('closes a block only with the same fence: a longer fence holds ``` inside', () => {
    const reply = '````markdown\nUse:\n```\ncode\n```\n````';
    expect(fencedBlocks(reply)).toEqual(['Use:\n```\ncode\n```']);
  });

  it('finds nothing in plain prose', () => {
    expect(fencedBlocks('I would use a parameterized query here.')).toEqual([]);
  });
});

describe('codeFromChatReply', async () => {
  it('takes the only block', async () => {
    expect(await codeFromChatReply(`\`\`\`python\n${FIX}\n\`\`\``, 'find_user', 'python')).toBe(FIX);
  });

  it('ignores prose around the block', async () => {
    const reply = `Sure! Here is the hardened function:\n\n\`\`\`python\n${FIX}\n\`\`\`\n\nThe query is now parameterized, so \`email\` cannot change the SQL.`;
    expect(await codeFromChatReply(reply, 'find_user', 'python')).toBe(FIX);
  });

  it('picks, among several blocks, the one defining the function', async () => {
    const reply = `First install the driver:\n\n\`\`\`sh\npip install pysqlite3\n\`\`\`\n\nThen:\n\n\`\`\`python\n${FIX}\n\`\`\`\n\nAnd check:\n\n\`\`\`sql\nSELECT id FROM users;\n\`\`\``;
    expect(await codeFromChatReply(reply, 'find_user', 'python')).toBe(FIX);
  });

  it('does not take a block that only mentions a longer name', async () => {
    const reply = `\`\`\`python\nfind_user_by_id(1)\n\`\`\`\n\n\`\`\`python\n${FIX}\n\`\`\``;
    expect(await codeFromChatReply(reply, 'find_user', 'python')).toBe(FIX);
  });

  it('is undefined when two blocks define the function (ambiguous, not guessed)', async () => {
    const other = FIX.replace('?", (email,)', '%s", (email,)');
    const reply = `Option A:\n\`\`\`python\n${FIX}\n\`\`\`\nOption B:\n\`\`\`python\n${other}\n\`\`\``;
    expect(await codeFromChatReply(reply, 'find_user', 'python')).toBeUndefined();
  });

  it('reads a ~~~ fenced answer', async () => {
    expect(await codeFromChatReply(`~~~python\n${FIX}\n~~~`, 'find_user', 'python')).toBe(FIX);
  });

  it('takes the block defining the function, not a usage example beside it', async () => {
    const reply = `\`\`\`python\n${FIX}\n\`\`\`\n\nUse it like this:\n\n\`\`\`python\nprint(find_user(conn, "a@b.c"))\n\`\`\``;
    expect(await codeFromChatReply(reply, 'find_user', 'python')).toBe(FIX);
  });

  it('is undefined without any block', async () => {
    expect(await codeFromChatReply(`${FIX}\n`, 'find_user', 'python')).toBeUndefined();
    expect(await codeFromChatReply('I cannot help with that.', 'find_user', 'python')).toBeUndefined();
  });

  it('is undefined when several blocks exist and none names the function', async () => {
    expect(await codeFromChatReply('```sh\nls\n```\n```sh\npwd\n```', 'find_user', 'python')).toBeUndefined();
  });

  it('finds a JavaScript function whose name starts with $ among several blocks', async () => {
    const fn = 'function $fetchUser(id) {\n  return db.query("SELECT * FROM users WHERE id = ?", [id]);\n}';
    const reply = `\`\`\`sh\nnpm install mysql2\n\`\`\`\n\n\`\`\`js\n${fn}\n\`\`\``;
    expect(await codeFromChatReply(reply, '$fetchUser', 'javascript')).toBe(fn);
  });
});

describe('codeFromCompletion', () => {
  const signature = 'def find_user(conn, email):';
  const body = '\n    cur = conn.cursor()\n    cur.execute("SELECT id FROM users WHERE email = ?", (email,))\n    return cur.fetchone()';

  it('is the signature plus the body', async () => {
    expect(await codeFromCompletion(signature, `${body}\n`, 'find_user', 'python', 'app.py')).toBe(FIX);
  });

  it('stops where the function ends, before a second def the model went on to write', async () => {
    const completion = `${body}\n\n\ndef delete_user(conn, email):\n    conn.execute("DELETE FROM users WHERE email = '" + email + "'")\n`;
    expect(await codeFromCompletion(signature, completion, 'find_user', 'python', 'app.py')).toBe(FIX);
  });

  it('stops before prose the model appended', async () => {
    const completion = `${body}\n\nThis version uses a parameterized query so the email cannot change the SQL.\n`;
    expect(await codeFromCompletion(signature, completion, 'find_user', 'python', 'app.py')).toBe(FIX);
  });

  it('keeps a decorator that is part of the signature', async () => {
    const decorated = '@app.route("/user")\ndef find_user(conn, email):';
    expect(await codeFromCompletion(decorated, `${body}\n\nif __name__ == "__main__":\n    app.run()\n`, 'find_user', 'python', 'app.py')).toBe(
      `@app.route("/user")\n${FIX}`,
    );
  });

  it('a C completion stops at the closing brace', async () => {
    const completion = ' {\n    if (len >= 32) len = 31;\n    memcpy(dst, src, len);\n}\n\nint main(void) { return 0; }\n';
    expect(await codeFromCompletion('void set_name(char *dst, const char *src, size_t len)', completion, 'set_name', 'c', 'name.c')).toBe(
      'void set_name(char *dst, const char *src, size_t len) {\n    if (len >= 32) len = 31;\n    memcpy(dst, src, len);\n}',
    );
  });
});

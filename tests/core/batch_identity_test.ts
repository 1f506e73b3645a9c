import assert from "node:assert/strict";
import {
  jobIdentity,
  lookupUser,
  parsePasswd,
} from "../../core/batch_identity.ts";

const PASSWD = `root:x:0:0:root:/root:/bin/bash
# a comment

daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
alice:x:1000:1000:Alice,,,:/home/alice:/bin/sh
toor:x:0:0:another root:/root:/bin/sh
broken:x:12
bad:x:uid:1:x:/:/bin/sh
+nisuser::::::
-excluded::::::
`;

Deno.test("parsePasswd reads entries and skips comments, NIS lines and junk", () => {
  const e = parsePasswd(PASSWD);
  assert.deepEqual(e.map((x) => x.name), ["root", "daemon", "alice", "toor"]);
  assert.deepEqual(e[2], {
    name: "alice",
    uid: 1000,
    gid: 1000,
    home: "/home/alice",
    shell: "/bin/sh",
  });
});

Deno.test("a root daemon runs a job as the user's uid and gid there", () => {
  const alice = parsePasswd(PASSWD).find((x) => x.name === "alice");
  assert.deepEqual(
    jobIdentity({
      user: "alice",
      entry: alice,
      daemonUid: 0,
      allowRoot: false,
    }),
    { ok: true, uid: 1000, gid: 1000 },
  );
});

Deno.test("a root daemon refuses unknown users and root unless allowed", () => {
  const u = jobIdentity({
    user: "mallory",
    entry: undefined,
    daemonUid: 0,
    allowRoot: true,
  });
  assert.equal(u.ok, false);
  assert.match((u as { reason: string }).reason, /user 'mallory' is unknown/);
  const entries = parsePasswd(PASSWD);
  for (const name of ["root", "toor"]) {
    const entry = entries.find((x) => x.name === name);
    const r = jobIdentity({
      user: name,
      entry,
      daemonUid: 0,
      allowRoot: false,
    });
    assert.equal(r.ok, false, name);
    assert.match((r as { reason: string }).reason, /--batch-root/);
    assert.deepEqual(
      jobIdentity({ user: name, entry, daemonUid: 0, allowRoot: true }),
      { ok: true, uid: 0, gid: 0 },
    );
  }
});

Deno.test("a daemon that is not root keeps its own identity", () => {
  assert.deepEqual(
    jobIdentity({
      user: "anyone",
      entry: undefined,
      daemonUid: 1000,
      allowRoot: false,
    }),
    { ok: true, uid: null, gid: null },
  );
});

Deno.test("lookupUser reads /etc/passwd first, then asks getent", async () => {
  const asked: string[] = [];
  const read = (p: string) => {
    assert.equal(p, "/etc/passwd");
    return Promise.resolve(PASSWD);
  };
  const getent = (k: string) => {
    asked.push(k);
    return Promise.resolve(
      k === "ldapuser" ? "ldapuser:*:5001:500:LDAP:/home/l:/bin/sh\n" : "",
    );
  };
  assert.equal((await lookupUser({ name: "alice" }, read, getent))?.uid, 1000);
  assert.equal((await lookupUser({ uid: 1 }, read, getent))?.name, "daemon");
  assert.equal(
    (await lookupUser({ name: "ldapuser" }, read, getent))?.gid,
    500,
  );
  assert.equal(await lookupUser({ name: "nobody2" }, read, getent), undefined);
  assert.equal(await lookupUser({ name: "-x" }, read, getent), undefined);
  assert.deepEqual(asked, ["ldapuser", "nobody2"]);
  const noFile = () => Promise.reject(new Deno.errors.NotFound("gone"));
  assert.equal(
    (await lookupUser({ name: "ldapuser" }, noFile, getent))?.uid,
    5001,
  );
});

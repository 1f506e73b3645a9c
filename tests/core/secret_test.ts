import {
  deepStrictEqual,
  equal,
  match,
  notDeepStrictEqual,
  ok,
  throws,
} from "node:assert/strict";
import {
  createSecret,
  deriveKey,
  KeyPurpose,
  loadSecret,
  MIN_SECRET_BYTES,
  SecretError,
} from "../../core/secret.ts";

async function withDir(f: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "dmosix_secret_" });
  try {
    await f(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function secretError(p: Promise<unknown>): Promise<SecretError> {
  try {
    await p;
  } catch (e) {
    ok(e instanceof SecretError, `expected SecretError, got ${e}`);
    ok(!e.message.includes("\n"), "one-line message");
    return e;
  }
  throw new Error("expected a SecretError");
}

Deno.test("createSecret writes 64 hex digits, mode 0600, that loadSecret reads back", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/secret`;
    const made = await createSecret(path);
    const st = await Deno.stat(path);
    equal(st.mode! & 0o777, 0o600);
    const text = await Deno.readTextFile(path);
    match(text, /^[0-9a-f]{64}\n$/);
    deepStrictEqual(made, new TextEncoder().encode(text.trim()));
    deepStrictEqual(await loadSecret(path), made);
    deepStrictEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["secret"]);
  });
});

Deno.test("createSecret makes a different secret each time", async () => {
  await withDir(async (dir) => {
    notDeepStrictEqual(
      await createSecret(`${dir}/a`),
      await createSecret(`${dir}/b`),
    );
  });
});

Deno.test("createSecret never overwrites an existing file", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/secret`;
    await Deno.writeTextFile(path, "keep me, I am the cluster secret", {
      mode: 0o600,
    });
    const e = await secretError(createSecret(path));
    match(e.message, /already exists/);
    equal(await Deno.readTextFile(path), "keep me, I am the cluster secret");
    deepStrictEqual([...Deno.readDirSync(dir)].map((x) => x.name), ["secret"]);
  });
});

Deno.test("createSecret creates the missing node directory", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/node/conf/secret`;
    await createSecret(path);
    ok((await Deno.stat(path)).isFile);
  });
});

Deno.test("loadSecret refuses a file readable by group or others, naming chmod 600", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/secret`;
    await Deno.writeTextFile(path, "a perfectly long secret text");
    for (const mode of [0o644, 0o640, 0o604, 0o660, 0o601]) {
      await Deno.chmod(path, mode);
      const e = await secretError(loadSecret(path));
      ok(e.message.includes(`chmod 600 ${path}`), e.message);
      equal(e.path, path);
    }
    await Deno.chmod(path, 0o400);
    deepStrictEqual(
      await loadSecret(path),
      new TextEncoder().encode("a perfectly long secret text"),
    );
  });
});

Deno.test("loadSecret trims the text and needs at least 16 bytes", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/secret`;
    await Deno.writeTextFile(path, "  \n0123456789abcdef\r\n", { mode: 0o600 });
    deepStrictEqual(
      await loadSecret(path),
      new TextEncoder().encode("0123456789abcdef"),
    );
    await Deno.writeTextFile(path, "0123456789abcde \n\n");
    const e = await secretError(loadSecret(path));
    match(
      e.message,
      new RegExp(`holds 15 bytes, needs at least ${MIN_SECRET_BYTES}`),
    );
  });
});

Deno.test("loadSecret explains a missing file, a directory and a huge file", async () => {
  await withDir(async (dir) => {
    match((await secretError(loadSecret(`${dir}/none`))).message, /not found/);
    await Deno.chmod(dir, 0o700);
    match((await secretError(loadSecret(dir))).message, /not a file/);
    const big = `${dir}/big`;
    await Deno.writeFile(big, new Uint8Array(10_000).fill(65), { mode: 0o600 });
    match((await secretError(loadSecret(big))).message, /right file/);
  });
});

Deno.test("loadSecret refuses a file that is not UTF-8 text", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/secret`;
    await Deno.writeFile(path, new Uint8Array(32).fill(0xff), { mode: 0o600 });
    match((await secretError(loadSecret(path))).message, /not UTF-8/);
  });
});

Deno.test("deriveKey gives a stable 32-byte key per purpose", () => {
  const secret = new TextEncoder().encode("0123456789abcdef0123");
  const d = deriveKey(secret, KeyPurpose.Datagram);
  equal(d.length, 32);
  ok(d instanceof Uint8Array);
  deepStrictEqual(deriveKey(secret, KeyPurpose.Datagram), d);
  notDeepStrictEqual(deriveKey(secret, KeyPurpose.Link), d);
  notDeepStrictEqual(
    deriveKey(secret, KeyPurpose.Control),
    deriveKey(secret, KeyPurpose.Link),
  );
  notDeepStrictEqual(
    deriveKey(
      new TextEncoder().encode("0123456789abcdef0124"),
      KeyPurpose.Datagram,
    ),
    d,
  );
});

Deno.test("deriveKey refuses an empty purpose", () => {
  throws(() => deriveKey(new Uint8Array(16), ""), RangeError);
});

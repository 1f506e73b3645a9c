import assert from "node:assert/strict";
import { join } from "node:path";
import {
  loadOrCreateWebToken,
  newWebToken,
  webTokenPath,
} from "../../core/web_token.ts";

Deno.test("newWebToken encodes 32 bytes as 43 base64url characters", () => {
  const t = newWebToken((n) => new Uint8Array(n).fill(0xfb));
  assert.equal(t.length, 43);
  assert.match(t, /^[A-Za-z0-9_-]+$/);
  assert.notEqual(newWebToken(), newWebToken());
});

Deno.test("loadOrCreateWebToken makes a 0600 token once, then keeps it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = webTokenPath(dir);
    assert.equal(path, join(dir, "webtoken"));
    const a = await loadOrCreateWebToken(path);
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    assert.equal((await Deno.readTextFile(path)).trim(), a);
    assert.equal(await loadOrCreateWebToken(path), a);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadOrCreateWebToken replaces a token others may read, or a malformed one", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = webTokenPath(dir);
    const a = await loadOrCreateWebToken(path);
    await Deno.chmod(path, 0o644);
    const b = await loadOrCreateWebToken(path);
    assert.notEqual(b, a);
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    await Deno.writeTextFile(path, "short\n", { mode: 0o600 });
    const c = await loadOrCreateWebToken(path);
    assert.notEqual(c, "short");
    assert.equal(c.length, 43);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

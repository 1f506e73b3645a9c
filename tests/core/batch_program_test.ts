import assert from "node:assert/strict";
import { join } from "node:path";
import { isNativeProgram, isWasmHeader } from "../../core/batch_program.ts";

Deno.test("modules run as cluster processes, other programs as batch jobs", async () => {
  const dir = await Deno.makeTempDir({ prefix: "dmosix-prog-" });
  try {
    const bin = join(dir, "bin");
    await Deno.mkdir(bin);
    await Deno.writeFile(
      join(dir, "p.wasm"),
      new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]),
    );
    await Deno.writeTextFile(join(dir, "script.sh"), "#!/bin/sh\n");
    await Deno.writeTextFile(join(bin, "tool"), "#!/bin/sh\n", { mode: 0o755 });
    await Deno.writeFile(
      join(bin, "mod"),
      new Uint8Array([0, 0x61, 0x73, 0x6d]),
    );
    const path = `/nonexistent:${bin}`;
    assert.equal(await isNativeProgram("p.wasm", dir, path), false);
    assert.equal(await isNativeProgram("./p.wasm", dir, path), false);
    assert.equal(await isNativeProgram("script.sh", dir, path), true);
    assert.equal(await isNativeProgram("./script.sh", dir, path), true);
    assert.equal(
      await isNativeProgram("tool", dir, path),
      true,
      "found in PATH",
    );
    assert.equal(
      await isNativeProgram("mod", dir, path),
      false,
      "a module in PATH",
    );
    assert.equal(await isNativeProgram("missing", dir, path), false);
    assert.equal(await isNativeProgram("./missing", dir, path), false);
    assert.equal(await isNativeProgram("bin", dir, ""), false, "a directory");
    assert.equal(await isNativeProgram("sh", dir, "/bin:/usr/bin"), true);
    assert.ok(isWasmHeader(new Uint8Array([0, 0x61, 0x73, 0x6d])));
    assert.ok(!isWasmHeader(new Uint8Array([0x7f, 0x45, 0x4c, 0x46])));
    assert.ok(!isWasmHeader(new Uint8Array([0])));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

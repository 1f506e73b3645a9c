import { equal, ok } from "node:assert/strict";
import {
  CBOR_SWITCH,
  setByUs,
  withoutCborSwitch,
} from "../../core/cbor_plain.ts";

Deno.test("the cbor-x switch is set for this process and kept out of a program's environment", () => {
  ok(Deno.env.get(CBOR_SWITCH) !== undefined);
  const env = { PATH: "/bin", [CBOR_SWITCH]: "true", HOME: "/root" };
  const out = withoutCborSwitch(env);
  equal(out.PATH, "/bin");
  equal(out.HOME, "/root");
  // Removed only when we set it; a user's own setting is theirs.
  equal(CBOR_SWITCH in out, !setByUs);
});

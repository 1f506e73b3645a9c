/**
 * The floor for a forwarded call: request/reply round trips over one
 * authenticated link (core/link/frame_conn.ts), run as two processes so it
 * can cross namespaces. `serve ADDR PORT` answers until the client leaves;
 * `ping ADDR PORT N [REPS]` prints the mean round trip in µs, REPS times.
 *
 * @module
 */

import { FrameConn } from "../core/link/frame_conn.ts";

const key = new TextEncoder().encode("bench-link-key-0123456789abcdef-01");
const [mode, addr, port, n, reps] = Deno.args;

if (mode === "serve") {
  const listener = Deno.listen({ hostname: addr, port: Number(port) });
  console.log("ready");
  const server = await FrameConn.accept(await listener.accept(), key, 1);
  for (let m = await server.next(); m; m = await server.next()) {
    await server.reply(m, true, m.body);
  }
  listener.close();
} else if (mode === "ping") {
  const client = await FrameConn.connect(addr, Number(port), key, 2);
  const calls = Number(n);
  for (let i = 0; i < 200; i++) await client.request("ping", { i }); // warm
  for (let r = 0; r < Number(reps ?? 1); r++) {
    const t0 = performance.now();
    for (let i = 0; i < calls; i++) await client.request("ping", { i });
    console.log(((performance.now() - t0) / calls * 1000).toFixed(2));
  }
  client.close();
} else {
  console.error(
    "usage: link_ping.ts serve ADDR PORT | ping ADDR PORT N [REPS]",
  );
  Deno.exit(2);
}

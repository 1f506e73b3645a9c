/**
 * setpe: load, show and check the node map; set this node's ID; leave.
 *
 * @module
 */

import {
  CliError,
  cliMain,
  handleInfoFlags,
  parseCli,
  printJson,
  UsageError,
} from "../core/cli_util.ts";
import { callNode } from "../core/control_client.ts";
import { formatNodeId, parseNodeId } from "../core/ids.ts";
import { collapseNodes, formatMap, parseMap } from "../core/map.ts";

const HELP =
  `Usage: setpe -w [-f FILE|-]     load a map into the running daemon (stdin by default)
       setpe -r                  print the map in force
       setpe -c -f FILE          check a map file only
       setpe -p ID               set this node's ID
       setpe -off                leave the cluster (the daemon stays, isolated)

Options:
  -f FILE     map file ('-' for stdin)
  --dir DIR   the node's directory (env DMOSIX_DIR)
  --json      with -r or -c: print JSON
  --help, --version
`;

async function readMapSource(
  file: string | undefined,
): Promise<{ text: string; name: string }> {
  if (file === undefined || file === "-") {
    const text = await new Response(Deno.stdin.readable).text();
    return { text, name: "<stdin>" };
  }
  try {
    return { text: await Deno.readTextFile(file), name: file };
  } catch (e) {
    const why = e instanceof Deno.errors.NotFound
      ? "no such file"
      : (e as Error).message;
    throw new CliError(`cannot read ${file}: ${why}`);
  }
}

async function main(rawArgs: string[]): Promise<number> {
  // openMosix spells it -off; node:util wants a long option.
  const args = rawArgs.map((a) => a === "-off" ? "--off" : a);
  const { values } = parseCli(args, {
    w: { type: "boolean", short: "w" },
    r: { type: "boolean", short: "r" },
    c: { type: "boolean", short: "c" },
    p: { type: "string", short: "p" },
    f: { type: "string", short: "f" },
    off: { type: "boolean" },
    dir: { type: "string" },
    json: { type: "boolean" },
    help: { type: "boolean" },
    version: { type: "boolean" },
  });
  if (handleInfoFlags("setpe", values, HELP)) return 0;
  const modes = [
    values.w,
    values.r,
    values.c,
    values.p !== undefined,
    values.off,
  ].filter(Boolean);
  if (modes.length !== 1) {
    throw new UsageError("give exactly one of -w, -r, -c, -p ID, -off");
  }

  if (values.c) {
    if (values.f === undefined) throw new UsageError("-c needs -f FILE");
    const { text, name } = await readMapSource(values.f);
    const map = parseMap(text, name);
    const count = map.ranges.reduce((n, r) => n + r.count, 0);
    if (values.json) printJson({ file: name, ok: true, nodes: count });
    else console.log(`${name}: ok, ${count} nodes`);
    return 0;
  }
  if (values.w) {
    const { text, name } = await readMapSource(values.f);
    parseMap(text, name); // a clear file:line error before the daemon is bothered
    const r = await callNode<{ nodes: number; self: number }>(
      values.dir,
      "map.set",
      { text, file: name },
    );
    console.log(
      `setpe: map loaded, ${r.nodes} nodes, this node is ${
        formatNodeId(r.self)
      }`,
    );
    return 0;
  }
  if (values.r) {
    const r = await callNode<
      { text: string | null; known: { id: number; address: string }[] }
    >(
      values.dir,
      "map.get",
    );
    if (values.json) {
      printJson({
        static: r.text !== null,
        nodes: r.known.map((n) => ({ id: n.id, address: n.address })),
      });
      return 0;
    }
    if (r.text !== null) {
      Deno.stdout.writeSync(
        new TextEncoder().encode(formatMap(parseMap(r.text, "<daemon>"))),
      );
    } else {
      // No static map: show what discovery found, in map format.
      console.log("# no static map: nodes found by multicast discovery");
      const rows = collapseNodes(
        r.known.map((n) => ({ id: n.id, ip: n.address })),
      );
      for (const row of rows) {
        console.log(`${row.first}\t${row.ip}\t${row.count}`);
      }
    }
    return 0;
  }
  if (values.p !== undefined) {
    let id: number;
    try {
      id = parseNodeId(values.p);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    await callNode(values.dir, "setid", { id: String(id) });
    console.log(`setpe: this node is now ${formatNodeId(id)}`);
    return 0;
  }
  await callNode(values.dir, "off");
  console.log("setpe: left the cluster");
  return 0;
}

if (import.meta.main) cliMain("setpe", main);

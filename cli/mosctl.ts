/**
 * mosctl: node administration and queries.
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
import { formatNodeId, isIPv4, parseNodeId } from "../core/ids.ts";
import type { NodeView } from "../core/node_info.ts";

const HELP = `Usage: mosctl COMMAND [ARG] [--json] [--dir DIR]

Commands:
  block | noblock       refuse / accept guest processes on this node
  expel                 send the guests away (home) and block
  bring                 bring this node's own processes home and keep them there
  status [ID]           this node's status, or what is known of node ID
  whois [ID|IP]         node ID -> address, address -> node ID (no arg: this node's ID)
  isup ID               print up or down; exit 0 when up, 1 when not
  getload [ID]          load (smoothed runnable processes)
  getspeed [ID]         speed (10000 = reference CPU)
  getmem [ID]           free memory, MB (available to programs)
  getfree [ID]          raw free memory, MB
  getutil [ID]          CPU utilization, percent
  setspeed N            set this node's speed
  webtoken              print the web monitor's action token (omdiscd --http)

Options:
  --json      print JSON
  --dir DIR   the node's directory (env DMOSIX_DIR)
  --help, --version
`;

const MB = 1024 * 1024;

/** The getter commands and how each reads a node. */
const GETTERS: Record<string, (v: NodeView) => number> = {
  getload: (v) => Math.round(v.load * 100) / 100,
  getspeed: (v) => Math.round(v.speed),
  getmem: (v) => Math.floor(v.memFree / MB),
  getfree: (v) => Math.floor(v.memRaw / MB),
  getutil: (v) => Math.round(v.util * 100),
};

function idArg(s: string): number {
  try {
    return parseNodeId(s);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

async function nodes(
  dir: string | undefined,
): Promise<{ self: number; nodes: NodeView[] }> {
  return await callNode<{ self: number; nodes: NodeView[] }>(dir, "nodes");
}

function pick(
  all: { self: number; nodes: NodeView[] },
  arg: string | undefined,
): NodeView {
  const id = arg === undefined ? all.self : idArg(arg);
  const v = all.nodes.find((n) => n.id === id);
  if (!v) {
    throw new CliError(`node ${formatNodeId(id)} is not known (see 'showmap')`);
  }
  return v;
}

async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseCli(args, {
    json: { type: "boolean" },
    dir: { type: "string" },
    help: { type: "boolean" },
    version: { type: "boolean" },
  }, true);
  if (handleInfoFlags("mosctl", values, HELP)) return 0;
  const [cmd, arg, extra] = positionals;
  if (cmd === undefined) throw new UsageError("missing COMMAND");
  if (extra !== undefined) {
    throw new UsageError(`unexpected argument '${extra}'`);
  }
  const dir = values.dir;
  const out = (json: unknown, text: string) =>
    values.json ? printJson(json) : console.log(text);

  switch (cmd) {
    case "block":
    case "noblock": {
      if (arg !== undefined) throw new UsageError(`${cmd} takes no argument`);
      await callNode(dir, cmd);
      out(
        { blocked: cmd === "block" },
        cmd === "block" ? "blocked" : "not blocked",
      );
      return 0;
    }
    case "bring": {
      if (arg !== undefined) throw new UsageError("bring takes no argument");
      const r = await callNode<{ brought: number }>(dir, "bring");
      out({ brought: r.brought }, `brought ${r.brought} processes home`);
      return 0;
    }
    case "expel": {
      if (arg !== undefined) throw new UsageError("expel takes no argument");
      const r = await callNode<{ remaining: number }>(dir, "expel");
      out(
        { blocked: true, remaining: r.remaining },
        r.remaining
          ? `blocked, ${r.remaining} guests did not leave`
          : "blocked, no guests",
      );
      return r.remaining ? 1 : 0;
    }
    case "webtoken": {
      if (arg !== undefined) throw new UsageError("webtoken takes no argument");
      const r = await callNode<{ token: string; url: string }>(dir, "webtoken");
      out({ ...r, link: `${r.url}#token=${r.token}` }, r.token);
      return 0;
    }
    case "setspeed": {
      const n = Number(arg);
      if (arg === undefined || !Number.isFinite(n) || n <= 0) {
        throw new UsageError("setspeed needs a positive number");
      }
      await callNode(dir, "setspeed", { speed: n });
      out({ speed: n }, `speed ${n}`);
      return 0;
    }
    case "status": {
      if (arg === undefined) {
        const s = await callNode<Record<string, unknown>>(dir, "status");
        if (values.json) printJson(s);
        else {
          for (const [k, v] of Object.entries(s)) {
            if (typeof v !== "object" || v === null) console.log(`${k}: ${v}`);
          }
        }
        return 0;
      }
      const v = pick(await nodes(dir), arg);
      if (values.json) printJson({ ...v, idHex: formatNodeId(v.id) });
      else {
        console.log(`id: ${formatNodeId(v.id)}`);
        for (const [k, val] of Object.entries(v)) {
          if (k !== "id") console.log(`${k}: ${val}`);
        }
      }
      return 0;
    }
    case "whois": {
      const all = await nodes(dir);
      if (arg !== undefined && isIPv4(arg)) {
        const v = all.nodes.find((n) => n.address === arg);
        if (!v) {
          throw new CliError(
            `no known node has address ${arg} (see 'showmap')`,
          );
        }
        out(
          { id: v.id, idHex: formatNodeId(v.id), address: v.address },
          formatNodeId(v.id),
        );
        return 0;
      }
      const v = pick(all, arg);
      // No argument: who am I (the ID); an ID: where is it (the address).
      out(
        { id: v.id, idHex: formatNodeId(v.id), address: v.address },
        arg === undefined ? formatNodeId(v.id) : v.address,
      );
      return 0;
    }
    case "isup": {
      if (arg === undefined) throw new UsageError("isup needs a node ID");
      const id = idArg(arg);
      const v = (await nodes(dir)).nodes.find((n) => n.id === id);
      const up = v !== undefined && v.status !== "dead";
      out({ id, idHex: formatNodeId(id), up }, up ? "up" : "down");
      return up ? 0 : 1;
    }
    default: {
      const get = GETTERS[cmd];
      if (!get) throw new UsageError(`unknown command '${cmd}'`);
      const v = pick(await nodes(dir), arg);
      const value = get(v);
      out(
        { id: v.id, idHex: formatNodeId(v.id), [cmd.slice(3)]: value },
        String(value),
      );
      return 0;
    }
  }
}

if (import.meta.main) cliMain("mosctl", main);

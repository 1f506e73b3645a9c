/**
 * Who may do what on the web monitor. Reading is open to whoever reaches
 * the port (like `mon`), but only under one of the server's own host names,
 * so a page on another site cannot read it through DNS rebinding. Actions
 * (POST) change the cluster and need all of: a Host that is the server's
 * own, an Origin equal to it (a browser always sends one on POST; another
 * site's page cannot fake it), and the token printed by `mosctl webtoken`,
 * compared in constant time.
 *
 * @module
 */

import { createHash, timingSafeEqual } from "node:crypto";
import { isIPv4 } from "./ids.ts";

/** Where the web monitor listens. */
export interface HttpListen {
  /** IPv4 address to bind. */
  hostname: string;
  /** TCP port. */
  port: number;
}

/** Header carrying the action token. */
export const TOKEN_HEADER = "x-dmosix-token";

/**
 * Parse `--http`: `PORT` (loopback, 127.0.0.1) or `ADDR:PORT` with an IPv4
 * ADDR (`0.0.0.0` for every interface) or `localhost`. Throws RangeError
 * with a one-line reason.
 */
export function parseHttpListen(text: string): HttpListen {
  const m = /^(?:(.+):)?(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[2]) : NaN;
  if (!m || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new RangeError(
      `--http needs PORT or ADDR:PORT (port 1..65535), got '${text}'`,
    );
  }
  const host = m[1] ?? "127.0.0.1";
  const hostname = host === "localhost" ? "127.0.0.1" : host;
  if (!isIPv4(hostname)) {
    throw new RangeError(
      `--http needs an IPv4 address before the port, got '${host}'`,
    );
  }
  return { hostname, port };
}

/** True when the address is a loopback one (127.0.0.0/8). */
export function isLoopback(addr: string): boolean {
  return isIPv4(addr) && addr.startsWith("127.");
}

/**
 * The Host header values the server answers to: its address and port, and
 * `localhost:PORT` when it listens on loopback. For a wildcard bind, the
 * addresses of the machine's interfaces (`localAddrs`) and its host name.
 */
export function allowedHosts(
  listen: HttpListen,
  localAddrs: readonly string[] = [],
  hostName?: string,
): Set<string> {
  const p = listen.port;
  const names = listen.hostname === "0.0.0.0"
    ? [...localAddrs, ...(hostName ? [hostName] : []), "localhost"]
    : [listen.hostname, ...(isLoopback(listen.hostname) ? ["localhost"] : [])];
  const out = new Set<string>();
  for (const n of names) {
    out.add(`${n.toLowerCase()}:${p}`);
    if (p === 80) out.add(n.toLowerCase());
  }
  return out;
}

/** Why a request was refused, or null when it may go on. */
export type Refusal = { status: 400 | 403 | 421; reason: string } | null;

/** Check a request's Host header (every request). */
export function checkHost(
  host: string | null,
  allowed: ReadonlySet<string>,
): Refusal {
  if (host === null || !allowed.has(host.toLowerCase())) {
    return {
      status: 421,
      reason: "unknown Host (open the monitor by the address it listens on)",
    };
  }
  return null;
}

/**
 * Check an action: the Host is the server's, the Origin is the same
 * (scheme http, same host and port), and the token matches.
 */
export function checkAction(
  headers: { host: string | null; origin: string | null; token: string | null },
  allowed: ReadonlySet<string>,
  token: string,
): Refusal {
  const host = checkHost(headers.host, allowed);
  if (host) return host;
  if (
    headers.origin === null ||
    headers.origin.toLowerCase() !== `http://${headers.host!.toLowerCase()}`
  ) {
    return {
      status: 403,
      reason:
        "cross-origin request refused (actions only from the monitor's own page)",
    };
  }
  if (headers.token === null || headers.token === "") {
    return {
      status: 403,
      reason: "missing token (paste the one printed by 'mosctl webtoken')",
    };
  }
  if (!sameToken(headers.token, token)) {
    return {
      status: 403,
      reason: "wrong token (see 'mosctl webtoken' on the node)",
    };
  }
  return null;
}

/** Constant-time comparison (digests first, so lengths leak nothing either). */
export function sameToken(a: string, b: string): boolean {
  const da = createHash("sha256").update(a).digest();
  const db = createHash("sha256").update(b).digest();
  return timingSafeEqual(da, db) && a.length === b.length;
}

/** An action the page may ask for. */
export type WebAction =
  | { kind: "migrate"; pid: number; home: number; to: number }
  | { kind: "node"; id: number; op: "block" | "noblock" | "expel" };

const NODE_OPS = ["block", "noblock", "expel"] as const;

function nodeId(v: unknown): number | null {
  return Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 65535
    ? v as number
    : null;
}

/**
 * Parse an action body: POST /api/migrate `{pid, home, to}` (to: a node
 * ID; the home's ID sends it home) or POST /api/node `{id, op}`. Throws
 * RangeError with a one-line reason.
 */
export function parseAction(path: string, body: unknown): WebAction {
  const b = (typeof body === "object" && body !== null ? body : {}) as Record<
    string,
    unknown
  >;
  if (path === "/api/migrate") {
    const pid = b.pid;
    if (!Number.isInteger(pid) || (pid as number) <= 0) {
      throw new RangeError("migrate needs a positive integer pid");
    }
    const home = nodeId(b.home);
    const to = nodeId(b.to);
    if (home === null || to === null) {
      throw new RangeError("migrate needs node IDs home and to (1..65535)");
    }
    return { kind: "migrate", pid: pid as number, home, to };
  }
  if (path === "/api/node") {
    const id = nodeId(b.id);
    if (id === null) throw new RangeError("node action needs an id (1..65535)");
    const op = NODE_OPS.find((o) => o === b.op);
    if (op === undefined) {
      throw new RangeError("node action op must be block, noblock or expel");
    }
    return { kind: "node", id, op };
  }
  throw new RangeError(`no action at ${path}`);
}

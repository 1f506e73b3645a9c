/**
 * The web monitor's HTTP server (`omdiscd --http`): one page, live over
 * server-sent events, JSON endpoints with the data of `mon --json` and
 * `mps --json`, and actions (migrate a process, block / noblock / expel a
 * node) guarded by core/web_guard.ts. A bad request gets a 4xx answer and
 * nothing else: the server must never take the daemon down.
 *
 * Routes:
 * - `GET /` the page (`/app.js`, `/app.css` its script and style);
 * - `GET /api/nodes` `{nodes}` as `mon --json`;
 * - `GET /api/processes` `{processes}`: every cluster process (`mps --json`
 *   rows with home and node IDs added);
 * - `GET /api/state` the above, plus load history and recent events;
 * - `GET /api/events` the event stream: `hello` (history, events), then
 *   `state` on every poll and `proc` for each start / migration / exit;
 * - `POST /api/migrate {pid, home, to}`, `POST /api/node {id, op}`.
 *
 * @module
 */

import { formatNodeId } from "../core/ids.ts";
import type { NodeView } from "../core/node_info.ts";
import {
  allowedHosts,
  checkAction,
  checkHost,
  type HttpListen,
  parseAction,
  type Refusal,
  TOKEN_HEADER,
  type WebAction,
} from "../core/web_guard.ts";
import type { InfoService } from "./info_service.ts";
import type { Logger } from "./log.ts";
import { WebMonitor, type WebUpdate } from "./web_monitor.ts";
import { loadOrCreateWebToken, webTokenPath } from "../core/web_token.ts";
import { APP_CSS, APP_JS, PAGE_HTML } from "./web_page.ts";

/** What the server needs. */
export interface WebServerOptions {
  /** Where to listen. */
  listen: HttpListen;
  /** The action token. */
  token: string;
  /** The data. */
  monitor: WebMonitor;
  /** Actions, here and on other nodes. */
  info: InfoService;
  /** This node's ID. */
  self: () => number;
  /** The gossiped view. */
  views: () => NodeView[];
  /** Log lines. */
  log: Logger;
}

/** Most pages watching at once. */
const MAX_STREAMS = 32;
/** Largest action body, bytes. */
const MAX_BODY = 4096;
/** Chunks queued for a slow page before it is dropped. */
const MAX_QUEUED = 256;
/** How long a forwarded action may take, ms (expel waits for guests). */
const ACTION_MS = 20_000;

const COMMON_HEADERS: Record<string, string> = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
  "cross-origin-resource-policy": "same-origin",
};

const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

function respond(
  status: number,
  body: string,
  type: string,
  extra: Record<string, string> = {},
): Response {
  return new Response(body, {
    status,
    headers: { ...COMMON_HEADERS, "content-type": type, ...extra },
  });
}

function json(status: number, value: unknown): Response {
  return respond(status, JSON.stringify(value), "application/json");
}

function refused(r: NonNullable<Refusal>): Response {
  return json(r.status, { error: r.reason });
}

/** The page's server-sent-event stream of one watcher. */
interface Stream {
  send(event: string, data: unknown): void;
  close(): void;
}

/** The running web server. */
export class WebServer {
  #o: WebServerOptions;
  #server: Deno.HttpServer<Deno.NetAddr>;
  #allowed: Set<string>;
  #streams = new Set<Stream>();
  /** The page's address. */
  readonly url: string;

  private constructor(o: WebServerOptions) {
    this.#o = o;
    let local: string[] = [];
    let hostName: string | undefined;
    if (o.listen.hostname === "0.0.0.0") {
      try {
        local = Deno.networkInterfaces().filter((i) => i.family === "IPv4")
          .map((i) => i.address);
        hostName = Deno.hostname();
      } catch {
        // only loopback names then
      }
    }
    this.#allowed = allowedHosts(o.listen, local, hostName);
    this.#server = Deno.serve({
      hostname: o.listen.hostname,
      port: o.listen.port,
      onListen: () => {},
      onError: () => json(500, { error: "internal error" }),
    }, (req, info) => this.#handle(req, info.remoteAddr as Deno.NetAddr));
    const host = o.listen.hostname === "0.0.0.0"
      ? "127.0.0.1"
      : o.listen.hostname;
    this.url = `http://${host}:${o.listen.port}/`;
  }

  /** Listen; throws (AddrInUse, ...) when the address cannot be bound. */
  static start(o: WebServerOptions): WebServer {
    return new WebServer(o);
  }

  /** The action token (for `mosctl webtoken`). */
  get token(): string {
    return this.#o.token;
  }

  /** Close every stream and stop listening. */
  async close(): Promise<void> {
    this.#o.monitor.stop();
    for (const s of this.#streams) s.close();
    this.#streams.clear();
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      this.#server.shutdown(),
      new Promise((r) => timer = setTimeout(r, 2000)),
    ]);
    clearTimeout(timer);
  }

  async #handle(req: Request, from: Deno.NetAddr): Promise<Response> {
    try {
      const url = new URL(req.url);
      const hostRefusal = checkHost(req.headers.get("host"), this.#allowed);
      if (hostRefusal) return refused(hostRefusal);
      if (req.method === "POST") return await this.#action(req, url, from);
      if (req.method !== "GET") {
        return json(405, { error: "method not allowed" });
      }
      switch (url.pathname) {
        case "/":
        case "/index.html":
          return respond(200, PAGE_HTML, "text/html; charset=utf-8", {
            "content-security-policy": PAGE_CSP,
          });
        case "/app.js":
          return respond(200, APP_JS, "text/javascript; charset=utf-8");
        case "/app.css":
          return respond(200, APP_CSS, "text/css; charset=utf-8");
        case "/api/nodes":
          return json(200, this.#o.monitor.nodes());
        case "/api/processes":
          return json(200, { processes: await this.#o.monitor.processes() });
        case "/api/state":
          return json(200, {
            ...await this.#o.monitor.state(),
            history: this.#o.monitor.history.series(),
            events: this.#o.monitor.events(),
          });
        case "/api/events":
          return await this.#events();
        default:
          return json(404, { error: `no such page: ${url.pathname}` });
      }
    } catch (e) {
      this.#o.log.warn(`web: ${req.method} failed: ${(e as Error).message}`);
      return json(500, { error: "internal error" });
    }
  }

  async #events(): Promise<Response> {
    if (this.#streams.size >= MAX_STREAMS) {
      return json(503, { error: "too many pages watching" });
    }
    const enc = new TextEncoder();
    const monitor = this.#o.monitor;
    const first = await monitor.state();
    let stream: Stream | null = null;
    let unsubscribe = () => {};
    const body = new ReadableStream<Uint8Array>({
      start: (ctrl) => {
        let open = true;
        const s: Stream = {
          send: (event, data) => {
            if (!open) return;
            if ((ctrl.desiredSize ?? 0) < -MAX_QUEUED) {
              s.close(); // a page that does not read
              return;
            }
            ctrl.enqueue(
              enc.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`),
            );
          },
          close: () => {
            if (!open) return;
            open = false;
            unsubscribe();
            this.#streams.delete(s);
            try {
              ctrl.close();
            } catch {
              // already closed
            }
          },
        };
        stream = s;
        this.#streams.add(s);
        s.send("hello", {
          self: first.self,
          pollMs: monitor.pollMs,
          history: monitor.history.series(),
          events: monitor.events(),
        });
        s.send("state", first);
        unsubscribe = monitor.subscribe((u: WebUpdate) => {
          if (u.kind === "state") s.send("state", u.state);
          else s.send("proc", u.event);
        });
      },
      cancel: () => {
        (stream as Stream | null)?.close();
      },
    });
    return new Response(body, {
      headers: {
        ...COMMON_HEADERS,
        "content-type": "text/event-stream",
        "x-accel-buffering": "no",
      },
    });
  }

  async #action(req: Request, url: URL, from: Deno.NetAddr): Promise<Response> {
    const r = checkAction(
      {
        host: req.headers.get("host"),
        origin: req.headers.get("origin"),
        token: req.headers.get(TOKEN_HEADER),
      },
      this.#allowed,
      this.#o.token,
    );
    if (r) {
      this.#o.log.warn(
        `web: refused ${url.pathname} from ${from.hostname}: ${r.reason}`,
      );
      return refused(r);
    }
    const length = Number(req.headers.get("content-length") ?? "0");
    if (!(length <= MAX_BODY)) {
      return json(413, { error: `body over ${MAX_BODY} bytes` });
    }
    const text = await req.text();
    if (text.length > MAX_BODY) {
      return json(413, { error: `body over ${MAX_BODY} bytes` });
    }
    let action: WebAction;
    try {
      action = parseAction(url.pathname, JSON.parse(text));
    } catch (e) {
      if (url.pathname !== "/api/migrate" && url.pathname !== "/api/node") {
        return json(404, { error: `no action at ${url.pathname}` });
      }
      return json(400, {
        error: e instanceof SyntaxError ? "body is not JSON" : (e as Error)
          .message,
      });
    }
    this.#o.log.info(`web: ${describe(action)} (from ${from.hostname})`);
    try {
      return json(200, { ok: true, result: await this.#perform(action) });
    } catch (e) {
      return json(409, { error: (e as Error).message });
    }
  }

  #perform(a: WebAction): Promise<unknown> {
    const { info } = this.#o;
    const self = this.#o.self();
    const at = a.kind === "migrate" ? a.home : a.id;
    if (at === self) {
      return a.kind === "migrate"
        ? info.migrate(a.pid, a.to)
        : info.nodeOp(a.op);
    }
    const v = this.#o.views().find((n) => n.id === at);
    if (!v || v.status === "dead") {
      throw new Error(`node ${formatNodeId(at)} is not reachable`);
    }
    return a.kind === "migrate"
      ? info.ask(v, "info.migrate", { pid: a.pid, to: a.to }, ACTION_MS)
      : info.ask(v, "info.node", { op: a.op }, ACTION_MS);
  }
}

function describe(a: WebAction): string {
  return a.kind === "migrate"
    ? `migrate ${a.pid} of ${formatNodeId(a.home)} to ${formatNodeId(a.to)}`
    : `${a.op} ${formatNodeId(a.id)}`;
}

/** What the daemon gives to {@linkcode startWebServer}. */
export interface WebStartOptions {
  /** Where to listen. */
  listen: HttpListen;
  /** The node's run directory (holds the token file). */
  runDir: string;
  /** Local answers and links to the other nodes. */
  info: InfoService;
  /** This node's ID. */
  self: () => number;
  /** The gossiped view. */
  views: () => NodeView[];
  /** Gossip time unit, ms. */
  unitMs: number;
  /** Log lines. */
  log: Logger;
}

/**
 * Load (or make) the token, start the monitor and listen. Throws Error with
 * a one-line reason when the address cannot be bound.
 */
export async function startWebServer(o: WebStartOptions): Promise<WebServer> {
  const token = await loadOrCreateWebToken(webTokenPath(o.runDir));
  const monitor = new WebMonitor({
    self: o.self,
    views: o.views,
    info: o.info,
    unitMs: o.unitMs,
    log: o.log,
  });
  let server: WebServer;
  try {
    server = WebServer.start({ ...o, token, monitor });
  } catch (e) {
    throw new Error(
      `cannot serve --http on ${o.listen.hostname}:${o.listen.port}: ${
        (e as Error).message
      } (is the port taken? pick another)`,
    );
  }
  monitor.start();
  o.log.info(`web monitor at ${server.url}`);
  return server;
}

/** The answer to `mosctl webtoken`; throws when the monitor is off. */
export function webTokenAnswer(
  web: WebServer | null,
): { token: string; url: string } {
  if (web === null) {
    throw new Error(
      "the web monitor is off (start omdiscd with --http PORT)",
    );
  }
  return { token: web.token, url: web.url };
}

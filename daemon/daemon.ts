/**
 * omdiscd: the node daemon. Wires the membership state machine
 * (core/cluster_node.ts) to real sockets, timers, files and the control
 * socket. Everything that decides lives in core/; this file only moves bytes
 * and time.
 *
 * @module
 */

import { lookup } from "node:dns/promises";
import { ClusterNode, type Outgoing } from "../core/cluster_node.ts";
import { DatagramCodec, newBoot } from "../core/datagram_codec.ts";
import {
  formatNodeId,
  type NodeId,
  nodeIdFromIPv4,
  parseNodeId,
} from "../core/ids.ts";
import { LoadSampler } from "../core/load.ts";
import {
  expandMap,
  formatMap,
  type MapNode,
  parseMap,
  resolveMapHosts,
} from "../core/map.ts";
import type { NodeDirs } from "../core/node_dirs.ts";
import { deriveKey, loadOrCreateSecret } from "../core/secret.ts";
import { measureSpeed } from "../core/speed.ts";
import type { DatagramTransport } from "../core/transport.ts";
import { VERSION } from "../core/version.ts";
import { ControlServer } from "./control_server.ts";
import { GuestHost } from "./guest_host.ts";
import { DicomService } from "./dicom_service.ts";
import { BatchHost } from "./batch_host.ts";
import { LinkServer } from "./link_server.ts";
import { InfoService } from "./info_service.ts";
import { startWebServer, WebServer, webTokenAnswer } from "./http_server.ts";
import type { HttpListen } from "../core/web_guard.ts";
import { BalancerLoop, parsePlaceRequest } from "./balancer_loop.ts";
import { admit, type Decision } from "../core/balance.ts";
import type { Logger } from "./log.ts";
import { openUdp } from "./udp_transport.ts";
import type { ControlOp } from "../core/control_protocol.ts";
import { CliError } from "../core/cli_util.ts";
import { systemHomeMemory } from "../core/home_memory.ts";

/** How the daemon was started. */
export interface DaemonConfig {
  /** The node's files. */
  dirs: NodeDirs;
  /** The node's unicast address. */
  addr: string;
  /** UDP/TCP port. */
  port: number;
  /** Multicast group, or null when discovery is off. */
  group: string | null;
  /** Seconds per gossip time unit. */
  unit: number;
  /** Gossip window. */
  window: number;
  /** Fixed dead bound (s), else it grows with the cluster. */
  deadAfter?: number;
  /** Speed override. */
  speed?: number;
  /** CPU count override. */
  cpus?: number;
  /** Move processes automatically (default true). */
  balance?: boolean;
  /**
   * "system": load from /proc (the whole machine); "cluster": the number of
   * cluster processes running on this node (for several nodes emulated on
   * one machine, where /proc is shared).
   */
  loadFrom?: "system" | "cluster";
  /** Take batch jobs from other nodes (default true; omdiscd --no-batch). */
  batch?: boolean;
  /** Run batch jobs as root when asked and the daemon is root (--batch-root). */
  batchRoot?: boolean;
  /** Serve the web monitor there (omdiscd --http). */
  http?: HttpListen;
}

/** Counters shown by `mosctl status --json`. */
export interface DaemonStats {
  /** Datagrams received. */
  received: number;
  /** Datagrams accepted after authentication and replay checks. */
  accepted: number;
  /** Datagrams dropped, by reason. */
  dropped: Record<string, number>;
  /** Datagrams sent. */
  sent: number;
}

/** A running node daemon. */
export class Daemon {
  #cfg: DaemonConfig;
  #log: Logger;
  #node!: ClusterNode;
  #codec!: DatagramCodec;
  #udp!: DatagramTransport;
  #control!: ControlServer;
  #sampler!: LoadSampler;
  #timer: ReturnType<typeof setInterval> | undefined;
  #speed = 10000;
  #started = Date.now();
  #mapText: string | null = null;
  #macWarned = new Set<string>();
  #stopping: Promise<void> | null = null;
  #recvLoop: Promise<void> | null = null;
  #tcp: Deno.Listener | null = null;
  #guests!: GuestHost;
  #dicom!: DicomService;
  #batch!: BatchHost;
  #links!: LinkServer;
  #balancer!: BalancerLoop;
  #balancing = false;
  #acceptLoop: Promise<void> | null = null;
  #info!: InfoService;
  #web: WebServer | null = null;
  /** Traffic counters. */
  readonly stats: DaemonStats = {
    received: 0,
    accepted: 0,
    dropped: {},
    sent: 0,
  };

  private constructor(cfg: DaemonConfig, log: Logger) {
    this.#cfg = cfg;
    this.#log = log;
  }

  /** Start a daemon; throws a CliError with a one-line reason when it cannot. */
  static async start(cfg: DaemonConfig, log: Logger): Promise<Daemon> {
    const d = new Daemon(cfg, log);
    await d.#start();
    return d;
  }

  async #start(): Promise<void> {
    const { dirs } = this.#cfg;
    await Deno.mkdir(dirs.configDir, { recursive: true, mode: 0o700 });
    await Deno.mkdir(dirs.runDir, { recursive: true, mode: 0o755 });
    await this.#claimSocket();

    const { secret, created } = await loadOrCreateSecret(dirs.secretPath);
    if (created) {
      this.#log.info(
        `created a new cluster secret in ${dirs.secretPath}: copy it to every node of the cluster`,
      );
    }

    let mapNodes: MapNode[] | null = null;
    try {
      const text = await Deno.readTextFile(dirs.mapPath);
      mapNodes = await this.#parseMapText(text, dirs.mapPath);
      this.#mapText = text;
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }

    const self =
      mapNodes?.find((n) =>
        n.ip === this.#cfg.addr || n.aliases.includes(this.#cfg.addr)
      )
        ?.id ?? nodeIdFromIPv4(this.#cfg.addr);
    this.#speed = this.#cfg.speed ?? measureSpeed();
    this.#sampler = new LoadSampler({ cpus: this.#cfg.cpus });
    this.#node = new ClusterNode({
      self,
      addr: this.#cfg.addr,
      port: this.#cfg.port,
      window: this.#cfg.window,
      unit: this.#cfg.unit,
      deadAfter: this.#cfg.deadAfter,
      random: Math.random,
    });
    if (mapNodes) this.#node.setMap(mapNodes);
    this.#codec = new DatagramCodec(
      deriveKey(secret, "datagram"),
      () => this.#node.self,
      newBoot(Date.now(), Math.random),
    );
    const group = mapNodes ? null : this.#cfg.group;
    try {
      this.#udp = await openUdp({
        addr: this.#cfg.addr,
        port: this.#cfg.port,
        group,
        onSendError: () => this.#count("send-error"),
      });
    } catch (e) {
      throw new CliError(
        `cannot open UDP ${this.#cfg.addr}:${this.#cfg.port}: ${
          (e as Error).message
        } (is another omdiscd running there? pick --addr/--port)`,
      );
    }
    // One key for every node-to-node link service.
    const linkKey = deriveKey(secret, "link");
    this.#guests = new GuestHost(
      () => this.#node.self,
      () => this.#node.blocked || this.#node.isOff,
      this.#log,
    );
    this.#dicom = new DicomService({
      self: () => this.#node.self,
      key: linkKey,
      peerAddress: (id) => this.#node.peerAddress(id),
      hosted: () => this.#node.hosted(),
      log: this.#log,
    });
    this.#guests.useDicom(this.#dicom);
    this.#guests.useLinkKey(linkKey);
    this.#guests.useMemory(systemHomeMemory(this.#cfg.dirs.runDir));
    // The balancer's moves are checked here on fresh state (core/balance.ts).
    this.#guests.useAdmission((req, pending) => {
      const self = this.#node.views().find((v) => v.id === this.#node.self);
      if (!self) return null;
      const running = Math.max(
        this.#balancer?.runningHere ?? 0,
        this.#guests.guests().length + (this.#batch?.jobs().length ?? 0),
      ) + pending.count;
      return admit({
          self,
          running,
          pendingBytes: pending.bytes,
          request: { ...req, reason: req.reason as Decision["reason"] },
        })
        ? null
        : `no gain there now (${running} running on ${self.cpus} CPUs)`;
    });
    try {
      this.#tcp = Deno.listen({
        hostname: this.#cfg.addr,
        port: this.#cfg.port,
      });
    } catch (e) {
      const left = await this.#guests.evictAll(10000);
      if (left > 0) this.#log.warn(`${left} guests did not leave in time`);
      this.#tcp?.close();
      await this.#acceptLoop;
      this.#udp.close();
      throw new CliError(
        `cannot open TCP ${this.#cfg.addr}:${this.#cfg.port}: ${
          (e as Error).message
        } (is another omdiscd running there? pick --addr/--port)`,
      );
    }
    this.#info = new InfoService({
      self: () => this.#node.self,
      views: () => this.#node.views(),
      runDir: this.#cfg.dirs.runDir,
      guests: () => this.#guests.guests(),
      nodeOp: (op) => this.#handle(op, {}),
      linkKey,
    });
    this.#batch = new BatchHost({
      self: () => this.#node.self,
      enabled: this.#cfg.batch ?? true,
      allowRoot: this.#cfg.batchRoot ?? false,
      blocked: () => this.#node.blocked || this.#node.isOff,
      log: this.#log,
    });
    this.#links = new LinkServer(
      linkKey,
      () => this.#node.self,
      this.#log,
    ).route("", (fc, first) => this.#guests.serve(fc, first))
      .route("batch.", (fc, first) => this.#batch.serve(fc, first))
      .route("info.", (fc, first) => this.#info.serve(fc, first))
      .route("dicom.", (fc, first) => this.#dicom.serve(fc, first));
    this.#acceptLoop = this.#links.acceptAll(this.#tcp);
    this.#balancer = new BalancerLoop({
      self: () => this.#node.self,
      views: () => this.#node.views(),
      runDir: this.#cfg.dirs.runDir,
      guests: this.#guests,
      batchJobs: () => this.#batch.running,
      log: this.#log,
      random: Math.random,
    });
    this.#balancer.enabled = this.#cfg.balance ?? true;
    this.#control = await ControlServer.listen(
      dirs.socketPath,
      deriveKey(secret, "control"),
      (op, args) => this.#handle(op, args),
      this.#log,
    );
    if (this.#cfg.http) {
      try {
        this.#web = await startWebServer({
          listen: this.#cfg.http,
          runDir: dirs.runDir,
          info: this.#info,
          self: () => this.#node.self,
          views: () => this.#node.views(),
          unitMs: this.#cfg.unit * 1000,
          log: this.#log,
        });
      } catch (e) {
        await this.stop();
        throw new CliError((e as Error).message);
      }
    }
    await Deno.writeTextFile(dirs.pidPath, `${Deno.pid}\n`);
    this.#recvLoop = this.#receiveLoop();
    this.#log.info(
      `node ${formatNodeId(self)} at ${this.#cfg.addr}:${this.#cfg.port} up (${
        mapNodes
          ? `static map of ${mapNodes.length} nodes`
          : group
          ? `multicast ${group}`
          : "no discovery"
      }, speed ${this.#speed})`,
    );
    if (group) await this.#sendAll([this.#node.hello()]);
    this.#tick();
    this.#timer = setInterval(() => this.#tick(), this.#cfg.unit * 1000);
  }

  /** Refuse to start twice on one directory; clear a stale socket. */
  async #claimSocket(): Promise<void> {
    const path = this.#cfg.dirs.socketPath;
    try {
      const c = await Deno.connect({ transport: "unix", path });
      c.close();
      throw new CliError(
        `an omdiscd is already running with ${path} (stop it first, or use another --dir)`,
      );
    } catch (e) {
      if (e instanceof CliError) throw e;
      await Deno.remove(path).catch(() => {});
    }
  }

  async #parseMapText(text: string, file: string): Promise<MapNode[]> {
    const map = await resolveMapHosts(parseMap(text, file), async (host) => {
      const r = await lookup(host, { family: 4 });
      return r.address;
    });
    return expandMap(map);
  }

  #tick(): void {
    try {
      const sample = this.#sampler.sample();
      if (this.#cfg.loadFrom === "cluster") {
        sample.load = this.#balancer.runningHere;
      }
      this.#node.setGuests(this.#dicom.gossipGuests());
      const step = this.#node.tick({ ...sample, speed: this.#speed });
      for (const l of step.log) this.#log.info(l);
      this.#sendAll(step.out);
    } catch (e) {
      this.#log.warn(`tick failed: ${(e as Error).message}`);
    }
    if (!this.#balancing && !this.#node.isOff) {
      this.#balancing = true;
      this.#balancer.round()
        .catch((e) =>
          this.#log.warn(`balance round failed: ${(e as Error).message}`)
        )
        .finally(() => this.#balancing = false);
    }
  }

  async #sendAll(out: Outgoing[]): Promise<void> {
    const now = Date.now();
    for (const o of out) {
      const bytes = this.#codec.seal(o.type, o.body, now);
      this.stats.sent++;
      if (o.to === "multicast") await this.#udp.sendMulticast(bytes);
      else await this.#udp.send(bytes, o.to);
    }
  }

  #count(reason: string): void {
    this.stats.dropped[reason] = (this.stats.dropped[reason] ?? 0) + 1;
  }

  async #receiveLoop(): Promise<void> {
    for await (const [bytes, from] of this.#udp.receive()) {
      this.stats.received++;
      try {
        const opened = this.#codec.open(bytes, Date.now());
        if (!opened.ok) {
          this.#count(opened.reason);
          if (opened.reason === "mac" && !this.#macWarned.has(from.addr)) {
            if (this.#macWarned.size < 1024) this.#macWarned.add(from.addr);
            this.#log.warn(
              `ignoring ${from.addr}: its packets are not signed with this cluster's secret (copy ${this.#cfg.dirs.secretPath} to it if it belongs)`,
            );
          }
          continue;
        }
        this.stats.accepted++;
        const { env } = opened;
        const step = this.#node.receive(
          env.type,
          env.from,
          env.body,
          from.addr,
        );
        for (const l of step.log) this.#log.info(l);
        await this.#sendAll(step.out);
      } catch (e) {
        this.#count("error");
        this.#log.warn(
          `datagram from ${from.addr} failed: ${(e as Error).message}`,
        );
      }
    }
  }

  async #handle(
    op: ControlOp,
    args: Record<string, unknown>,
  ): Promise<unknown> {
    switch (op) {
      case "status":
        return this.status();
      case "nodes": {
        // mosrun may ask in the same request where its process should start.
        const place = parsePlaceRequest(args.place);
        return {
          self: this.#node.self,
          nodes: this.#node.views(),
          ...(place ? { place: this.#balancer.place(place) } : {}),
        };
      }
      case "map.get":
        return {
          text: this.#node.hasMap ? this.#mapText : null,
          known: this.#node.views().map((v) => ({
            id: v.id,
            address: v.address,
          })),
        };
      case "map.set": {
        if (typeof args.text !== "string") {
          throw new Error("map.set needs text");
        }
        const name = typeof args.file === "string" ? args.file : "<map>";
        const nodes = await this.#parseMapText(args.text, name);
        const me = nodes.find((n) =>
          n.ip === this.#cfg.addr || n.aliases.includes(this.#cfg.addr)
        );
        if (!me) {
          throw new Error(
            `${name}: this node's address ${this.#cfg.addr} is not in the map (add a line for it)`,
          );
        }
        await atomicWrite(
          this.#cfg.dirs.mapPath,
          formatMap(parseMap(args.text, name)),
        );
        this.#mapText = formatMap(parseMap(args.text, name));
        this.#node.setMap(nodes);
        if (me.id !== this.#node.self) this.#node.setSelf(me.id);
        this.#log.info(`map loaded: ${nodes.length} nodes`);
        return { nodes: nodes.length, self: this.#node.self };
      }
      case "setid": {
        const id = typeof args.id === "string" ? parseNodeId(args.id) : NaN;
        if (!Number.isInteger(id)) throw new Error("setid needs an ID");
        this.#node.setSelf(id as NodeId);
        this.#log.info(`node ID set to ${formatNodeId(id)}`);
        return { self: id };
      }
      case "guests":
        return { guests: this.#guests.guests(), batch: this.#batch.jobs() };
      case "balance": {
        const pid = Number(args.pid);
        if (!Number.isInteger(pid) || pid <= 0) {
          throw new Error("balance needs a process ID");
        }
        return { to: await this.#balancer.round(Date.now(), pid) };
      }
      case "bring": {
        const brought = await this.#balancer.bringHome();
        this.#log.info(`brought ${brought} processes home`);
        return { brought };
      }
      case "expel": {
        this.#node.setBlocked(true);
        const left = await this.#guests.evictAll(15000);
        this.#log.info(`expelled guests (${left} did not leave)`);
        return { blocked: true, remaining: left };
      }
      case "off": {
        await this.#guests.evictAll(15000);
        const step = this.#node.leave();
        for (const l of step.log) this.#log.info(l);
        await this.#sendAll(step.out);
        return { off: true };
      }
      case "block":
      case "noblock":
        this.#node.setBlocked(op === "block");
        this.#log.info(
          op === "block" ? "blocked: refusing guests" : "accepting guests",
        );
        return { blocked: op === "block" };
      case "webtoken":
        return webTokenAnswer(this.#web);
      case "setspeed": {
        const s = Number(args.speed);
        if (!Number.isFinite(s) || s <= 0 || s > 1e9) {
          throw new Error("speed must be a positive number");
        }
        this.#speed = s;
        this.#log.info(`speed set to ${s}`);
        return { speed: s };
      }
    }
  }

  /** The node's own status. */
  status(): Record<string, unknown> {
    const self = this.#node.views().find((v) => v.self)!;
    return {
      id: this.#node.self,
      idHex: formatNodeId(this.#node.self),
      address: this.#cfg.addr,
      port: this.#cfg.port,
      discovery: this.#node.hasMap
        ? "map"
        : this.#cfg.group
        ? "multicast"
        : "none",
      group: this.#cfg.group,
      blocked: this.#node.blocked,
      off: this.#node.isOff,
      unit: this.#cfg.unit,
      window: this.#cfg.window,
      deadAfter: this.#node.deadAfterSeconds,
      uptime: Math.round((Date.now() - this.#started) / 1000),
      version: VERSION,
      pid: Deno.pid,
      load: self.load,
      speed: self.speed,
      cpus: self.cpus,
      memTotal: self.memTotal,
      memFree: self.memFree,
      guests: this.#guests.guests().length,
      batchJobs: this.#batch.running,
      modules: this.#guests.moduleStats,
      handoffs: this.#guests.handoffStats,
      dicom: this.#dicom.router.stats,
      balance: this.#balancer.enabled,
      loadFrom: this.#cfg.loadFrom ?? "system",
      stats: this.stats,
    };
  }

  /** Leave cleanly and release every resource; idempotent. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      clearInterval(this.#timer);
      await this.#web?.close();
      try {
        if (!this.#node.isOff) await this.#sendAll(this.#node.leave().out);
      } catch {
        // best effort
      }
      const left = await this.#guests.evictAll(10000);
      if (left > 0) this.#log.warn(`${left} guests did not leave in time`);
      await this.#batch.stopAll(2000);
      this.#tcp?.close();
      this.#dicom.close();
      await this.#acceptLoop;
      this.#udp.close();
      await this.#control.close();
      await this.#recvLoop;
      await Deno.remove(this.#cfg.dirs.socketPath).catch(() => {});
      await Deno.remove(this.#cfg.dirs.pidPath).catch(() => {});
      this.#log.info("stopped");
    })();
    return this.#stopping;
  }
}

/** Write a file by temp + rename so readers never see half of it. */
export async function atomicWrite(path: string, text: string): Promise<void> {
  const tmp = `${path}.tmp${Deno.pid}`;
  await Deno.writeTextFile(tmp, text, { mode: 0o644 });
  await Deno.rename(tmp, path);
}

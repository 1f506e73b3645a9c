/**
 * The gossip bulletin board (Amar, Barak, Drezner & Okun, 2009) as a pure
 * state machine: time and randomness are injected, no I/O.
 *
 * Every time unit a node ages the entries it holds, refreshes its own entry
 * and sends one message to one peer: its own fresh entry plus the `window`
 * youngest entries it holds. The receiver keeps, per node, the younger entry.
 *
 * Peers: the target of each unit is a known live peer or a seed (static map,
 * multicast announcement), never self nor a node marked dead (dead nodes
 * come back by sending to us). The default policy, a random permutation of
 * the peers visited once per round, measured younger than the paper's
 * uniform choice in every configuration of bench/gossip_bench.ts (n =
 * 16..2048, w = 8..32): average age 0.2-5 % lower, max age of a board 0-7 %
 * lower; "uniform" stays selectable.
 *
 * Ages: the daemon ages every entry by the full dt of each tick, so an entry
 * relayed between two ticks costs one whole unit per hop, exactly as in the
 * lock-step model of core/gossip_sim.ts that the bench measures.
 *
 * Liveness: an entry older than deadAge marks its node dead ("dead" once);
 * older than dropAge (default 4 * deadAge) it is forgotten ("drop"), though a
 * seed stays a peer. Only news produced after the verdict revives a dead node
 * or brings back a dropped or left one, so stale copies still travelling
 * cannot make a node flap; news about an unknown node already older than
 * deadAge is ignored.
 *
 * Dead age: defaultDeadAge(n, w) = max(floor, ceil(k * expectedMaxAge(n, w)
 * + l * log2 n)) with k = 5, l = 4, floor 8 for "permutation" (l = 8, floor
 * 24 for "uniform", whose tail is heavier in small clusters). Unless deadAge
 * is given, the board takes as n the most nodes it ever knew (self, seeds
 * and the nodes a message being received tells about). Measured
 * (bench/gossip_bench.ts, 4e7 to 2e9 samples of the age of every pair per
 * configuration, n = 16..2048, w = 8..32): the oldest age any dead check saw
 * was 1.33 to 3.15 times below deadAge (tightest: n = 16, w = 32), and
 * extrapolating the exponential tail of the age distribution gives at most
 * 0.015 false deads per cluster-year at 1 s units (worst: n = 1024, w = 32;
 * 10 of 15 configurations below 1e-4), still at most 0.03 with 1 % of
 * messages lost (n <= 256); "uniform" at most 0.003. For w = 16 the default
 * is 8 units for n = 2..3, 10 for 4, 18 for 8, 32 for 16, 118 for 64, 520
 * for 256, 2441 for 1024 and 5291 for 2048.
 *
 * Detection: a killed node's newest entry was produced before the kill, so
 * every board marks it dead within deadAge + 1 units after the kill (sooner
 * by the age its information already had) and drops it within dropAge + 1.
 *
 * @module
 */

/** One node's information as held on a board; `age` is in time units. */
export interface GossipEntry<T> {
  /** Node the information is about. */
  id: number;
  /** Time units since the node produced it (fractional when ticking with dt). */
  age: number;
  /** The information itself (the daemon's load vector). */
  data: T;
}

/** What a board sends in one time unit. */
export interface GossipMessage<T> {
  /** Peer to send to. */
  to: number;
  /** entries[0] is the sender's own fresh entry (age 0), then the window. */
  entries: GossipEntry<T>[];
}

/**
 * How a board picks the peer of each unit:
 * - `permutation`: visit every known peer once per round, in an order
 *   shuffled anew each round (the default: it measures better, see
 *   bench/gossip_bench.ts, and bounds the age of a live node's entry by
 *   about two rounds);
 * - `uniform`: a uniformly random peer every unit (the paper's model).
 */
export type TargetPolicy = "permutation" | "uniform";

/** Options of a {@linkcode GossipBoard}. */
export interface GossipOptions {
  /** This node's ID. */
  self: number;
  /** Entries sent per message besides the own one (w). */
  window: number;
  /** Age beyond which a node is dead; default {@linkcode defaultDeadAge} of the nodes known. */
  deadAge?: number;
  /** Age beyond which a dead node is forgotten; default DROP_FACTOR * deadAge. */
  dropAge?: number;
  /** Uniform random numbers in [0, 1) (injected for determinism). */
  random: () => number;
  /** Peer selection; default "permutation". */
  policy?: TargetPolicy;
}

/** A change of a node's status as seen by this board. */
export type GossipEvent = {
  kind: "join" | "dead" | "revive" | "drop";
  id: number;
};

/** Euler-Mascheroni constant, as in the paper's max-age formula. */
const EULER_GAMMA = 0.5772156649015329;

/** Default dropAge as a multiple of deadAge. */
export const DROP_FACTOR = 4;

/**
 * Constants of {@linkcode defaultDeadAge} per policy:
 * deadAge = max(floor, ceil(k * expectedMaxAge(n, w) + l * log2 n)).
 */
export const DEAD_AGE: Readonly<
  Record<TargetPolicy, { k: number; l: number; floor: number }>
> = {
  permutation: { k: 5, l: 4, floor: 8 },
  uniform: { k: 5, l: 8, floor: 24 },
};

/** The paper's expected average age of information: (n-1)/w. */
export function expectedAverageAge(n: number, w: number): number {
  return (n - 1) / w;
}

/** The paper's expected maximal age of information: (n-1)(ln n + 0.577)/w. */
export function expectedMaxAge(n: number, w: number): number {
  return (n - 1) * (Math.log(n) + EULER_GAMMA) / w;
}

/**
 * Default age after which a silent node is declared dead, for n nodes,
 * window w and a peer selection policy (see the module doc for the
 * measurement behind it).
 */
export function defaultDeadAge(
  n: number,
  w: number,
  policy: TargetPolicy = "permutation",
): number {
  const m = Math.max(n, 2);
  const { k, l, floor } = DEAD_AGE[policy];
  return Math.max(
    floor,
    Math.ceil(k * expectedMaxAge(m, w) + l * Math.log2(m)),
  );
}

/** Shuffle `a` in place (Fisher-Yates, one random draw per position). */
export function shuffle<X>(a: X[], random: () => number): X[] {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const x = a[i];
    a[i] = a[j];
    a[j] = x;
  }
  return a;
}

interface Held<T> {
  age: number;
  data: T;
  /** Order of arrival: breaks ties between equal ages, latest first. */
  seq: number;
  dead: boolean;
  /** Board time at which it was marked dead. */
  deadAt: number;
  /** Dead because it announced its leave (not because it fell silent). */
  left?: boolean;
}

/** True when a should be sent before b: younger, or as young and newer. */
function fresher<T>(a: Held<T>, b: Held<T>): boolean {
  return a.age < b.age || (a.age === b.age && a.seq > b.seq);
}

/** One node's bulletin board. */
export class GossipBoard<T> {
  /** This node's ID. */
  readonly self: number;
  /** Entries sent per message besides the own one. */
  readonly window: number;
  /** Peer selection policy. */
  readonly policy: TargetPolicy;
  #random: () => number;
  #fixedDeadAge: number | undefined;
  #fixedDropAge: number | undefined;
  #now = 0;
  #seq = 0;
  #own: { data: T } | undefined;
  #held = new Map<number, Held<T>>();
  #seeds = new Set<number>();
  /** Seeds with no entry held: keeps the count of nodes known O(1). */
  #seedsUnheard = 0;
  /** Nodes dropped or left while unknown: id -> time of the verdict. */
  #graveyard = new Map<number, number>();
  /** Most nodes ever known at once (self included): sizes the default deadAge. */
  #highWater = 1;
  #candidates: number[] | null = null;
  #round: number[] = [];
  #roundPos = 0;

  /** Create an empty board; throws RangeError on invalid options. */
  constructor(opts: GossipOptions) {
    if (!Number.isInteger(opts.window) || opts.window < 1) {
      throw new RangeError(`gossip: window must be an integer >= 1`);
    }
    if (opts.deadAge !== undefined && !(opts.deadAge > 0)) {
      throw new RangeError(`gossip: deadAge must be > 0`);
    }
    this.self = opts.self;
    this.window = opts.window;
    this.policy = opts.policy ?? "permutation";
    this.#random = opts.random;
    this.#fixedDeadAge = opts.deadAge;
    this.#fixedDropAge = opts.dropAge;
    if (opts.dropAge !== undefined && !(opts.dropAge > this.deadAge)) {
      throw new RangeError(`gossip: dropAge must be > deadAge`);
    }
  }

  /** Current age bound for "dead" (grows with the nodes known unless fixed). */
  get deadAge(): number {
    return this.#fixedDeadAge ??
      defaultDeadAge(this.#highWater, this.window, this.policy);
  }

  /** Current age bound for forgetting a dead node. */
  get dropAge(): number {
    return this.#fixedDropAge ?? DROP_FACTOR * this.deadAge;
  }

  /** Board time: the sum of every dt ticked. */
  get now(): number {
    return this.#now;
  }

  /**
   * Advance time by dt units; refresh own entry with `own`; returns the one
   * message to send this unit (or null when no peer is known) and events.
   */
  tick(
    own: T,
    dt = 1,
  ): { message: GossipMessage<T> | null; events: GossipEvent[] } {
    if (!(dt >= 0) || !Number.isFinite(dt)) {
      throw new RangeError(`gossip: dt must be finite and >= 0`);
    }
    this.#now += dt;
    this.#own = { data: own };
    const events = this.#age(dt);
    const to = this.#pickTarget();
    if (to === null) return { message: null, events };
    const entries = [
      { id: this.self, age: 0, data: own },
      ...this.#windowFor(to),
    ];
    return { message: { to, entries }, events };
  }

  /** Merge received entries (keep the younger per id, ignore entries about self). */
  receive(entries: GossipEntry<T>[]): GossipEvent[] {
    const events: GossipEvent[] = [];
    this.#countNews(entries);
    const deadAge = this.deadAge;
    for (const e of entries) {
      if (e.id === this.self || !(e.age >= 0) || !Number.isFinite(e.age)) {
        continue;
      }
      const h = this.#held.get(e.id);
      if (h === undefined) {
        // Stale news about a node we do not know is not worth a join.
        if (e.age >= deadAge) continue;
        const verdict = this.#graveyard.get(e.id);
        if (verdict !== undefined && this.#now - e.age <= verdict) continue;
        this.#graveyard.delete(e.id);
        if (this.#seeds.has(e.id)) this.#seedsUnheard--;
        this.#held.set(e.id, {
          age: e.age,
          data: e.data,
          seq: ++this.#seq,
          dead: false,
          deadAt: 0,
        });
        this.#changed();
        events.push({ kind: "join", id: e.id });
      } else if (h.dead) {
        // Only news produced after our verdict proves the node is back. After
        // a timeout, news from the verdict's own unit counts too (a node that
        // restarts within that unit must not wait for its next hello); after
        // a leave it does not (its last gossip may still be on the way).
        const born = this.#now - e.age;
        const after = h.left ? born > h.deadAt : born >= h.deadAt;
        if (e.age < deadAge && after) {
          h.age = e.age;
          h.data = e.data;
          h.seq = ++this.#seq;
          h.dead = false;
          h.left = false;
          this.#changed();
          events.push({ kind: "revive", id: e.id });
        }
      } else if (e.age < h.age) {
        h.age = e.age;
        h.data = e.data;
        h.seq = ++this.#seq;
      }
    }
    return events;
  }

  /** Seeds: ids to gossip to even before hearing from them (static map, multicast announcements). */
  addPeer(id: number): void {
    if (id === this.self || this.#seeds.has(id)) return;
    this.#seeds.add(id);
    if (!this.#held.has(id)) this.#seedsUnheard++;
    this.#changed();
  }

  /** Stop treating `id` as a seed (its entry, if any, stays). */
  removePeer(id: number): void {
    if (!this.#seeds.delete(id)) return;
    if (!this.#held.has(id)) this.#seedsUnheard--;
    this.#changed();
  }

  /** A node that announced its clean leave: mark dead at once. */
  markLeft(id: number): GossipEvent[] {
    if (id === this.self) return [];
    const h = this.#held.get(id);
    if (h === undefined) {
      this.#graveyard.set(id, this.#now);
      return [];
    }
    h.deadAt = this.#now;
    h.left = true;
    if (h.dead) return [];
    h.dead = true;
    this.#changed();
    return [{ kind: "dead", id }];
  }

  /** Every entry held, dead ones included, own entry first (age 0) once ticked. */
  entries(): GossipEntry<T>[] {
    const out: GossipEntry<T>[] = [];
    if (this.#own !== undefined) {
      out.push({ id: this.self, age: 0, data: this.#own.data });
    }
    for (const [id, h] of this.#held) {
      out.push({ id, age: h.age, data: h.data });
    }
    return out;
  }

  /** The entry held about `id` (own entry for self), if any. */
  get(id: number): GossipEntry<T> | undefined {
    if (id === this.self) {
      return this.#own && { id, age: 0, data: this.#own.data };
    }
    const h = this.#held.get(id);
    return h && { id, age: h.age, data: h.data };
  }

  /** Liveness of `id` on this board; seeds never heard from are "unknown". */
  status(id: number): "up" | "dead" | "unknown" {
    if (id === this.self) return "up";
    const h = this.#held.get(id);
    if (h === undefined) return "unknown";
    return h.dead ? "dead" : "up";
  }

  /** Peers a message may go to now, ascending: live entries and seeds not dead. */
  peers(): number[] {
    return [...this.#peerList()];
  }

  #peerList(): number[] {
    if (this.#candidates === null) {
      const ids = new Set<number>(this.#seeds);
      for (const [id, h] of this.#held) {
        if (h.dead) ids.delete(id);
        else ids.add(id);
      }
      this.#candidates = [...ids].sort((a, b) => a - b);
    }
    return this.#candidates;
  }

  #changed(): void {
    this.#candidates = null;
    const known = 1 + this.#held.size + this.#seedsUnheard;
    if (known > this.#highWater) this.#highWater = known;
  }

  /**
   * Count the nodes a message tells about before judging its ages: a
   * newcomer given a whole board at once must size deadAge for that cluster,
   * not for the few nodes it knew, or it would ignore most of it as stale.
   */
  #countNews(entries: GossipEntry<T>[]): void {
    let fresh: Set<number> | undefined;
    for (const e of entries) {
      if (e.id === this.self || this.#held.has(e.id) || this.#seeds.has(e.id)) {
        continue;
      }
      (fresh ??= new Set()).add(e.id);
    }
    if (fresh === undefined) return;
    const known = 1 + this.#held.size + this.#seedsUnheard + fresh.size;
    if (known > this.#highWater) this.#highWater = known;
  }

  #isPeer(id: number): boolean {
    const h = this.#held.get(id);
    return h === undefined ? this.#seeds.has(id) : !h.dead;
  }

  /** Age every entry by dt; mark dead, drop; forget old verdicts. */
  #age(dt: number): GossipEvent[] {
    const events: GossipEvent[] = [];
    const deadAge = this.deadAge;
    const dropAge = this.dropAge;
    for (const [id, h] of this.#held) {
      h.age += dt;
      if (!h.dead && h.age > deadAge) {
        h.dead = true;
        h.deadAt = this.#now;
        this.#changed();
        events.push({ kind: "dead", id });
      }
      if (h.age > dropAge) {
        this.#held.delete(id);
        if (this.#seeds.has(id)) this.#seedsUnheard++;
        this.#graveyard.set(id, h.deadAt);
        this.#changed();
        events.push({ kind: "drop", id });
      }
    }
    // Past dropAge any news from before a verdict is too stale to be accepted.
    for (const [id, at] of this.#graveyard) {
      if (this.#now - at > dropAge) this.#graveyard.delete(id);
    }
    return events;
  }

  #pickTarget(): number | null {
    const peers = this.#peerList();
    if (peers.length === 0) return null;
    if (this.policy === "uniform") {
      return peers[Math.floor(this.#random() * peers.length)];
    }
    while (this.#roundPos < this.#round.length) {
      const id = this.#round[this.#roundPos++];
      if (this.#isPeer(id)) return id;
    }
    this.#round = shuffle(peers.slice(), this.#random);
    this.#roundPos = 1;
    return this.#round[0];
  }

  /** The `window` freshest live entries, leaving out the target's own. */
  #windowFor(to: number): GossipEntry<T>[] {
    const best: [number, Held<T>][] = [];
    const w = this.window;
    for (const [id, h] of this.#held) {
      if (h.dead || id === to) continue;
      if (best.length === w && !fresher(h, best[w - 1][1])) continue;
      let i = best.length < w ? best.length : w - 1;
      while (i > 0 && fresher(h, best[i - 1][1])) {
        best[i] = best[i - 1];
        i--;
      }
      best[i] = [id, h];
    }
    return best.map(([id, h]) => ({ id, age: h.age, data: h.data }));
  }
}

/**
 * The openMosix node map: which node IDs the cluster has and their addresses.
 *
 * One entry a line, fields separated by any whitespace, `#` starts a comment:
 *
 * ```
 * # FIRST-ID  HOST-OR-IP     COUNT
 * 2780        192.168.10.220 4     # 0x0adc..0x0adf = .220 .. .223
 * 0x0a4e      node7.lan      1
 * # ID        IP             ALIAS
 * 2780        10.0.0.220     ALIAS  # another address of node 2780
 * ```
 *
 * A range gives COUNT consecutive IDs to consecutive addresses (the last octet
 * counts up and must not pass .255). Host names are checked for syntax only;
 * {@linkcode resolveMapHosts} turns them into addresses with an injected
 * lookup, so parsing stays pure.
 *
 * @module
 */

import {
  formatIPv4,
  formatNodeId,
  isIPv4,
  MAX_NODE_ID,
  parseIPv4,
  parseNodeId,
} from "./ids.ts";

/** Largest map accepted, in bytes: far more than 65535 nodes need. */
export const MAX_MAP_BYTES = 1024 * 1024;

/** Most lines accepted in a map. */
export const MAX_MAP_LINES = 100_000;

/** A range entry: `FIRST-ID HOST-OR-IP COUNT`. */
export interface MapRange {
  /** First node ID of the range (1..65535). */
  first: number;
  /** IPv4 address of the first node, or a host name not yet resolved. */
  host: string;
  /** Number of consecutive IDs and addresses (>= 1). */
  count: number;
  /** Line of the entry in its file (1-based; 0 when not from a file). */
  line: number;
}

/** An alias entry: `ID IP ALIAS`, another address of an existing node. */
export interface MapAlias {
  /** Node ID the address belongs to. */
  id: number;
  /** The additional IPv4 address. */
  ip: string;
  /** Line of the entry in its file (1-based; 0 when not from a file). */
  line: number;
}

/** A parsed map, in file order. */
export interface NodeMap {
  /** Range entries. */
  ranges: MapRange[];
  /** Alias entries. */
  aliases: MapAlias[];
  /** Name of the file it came from, used in later error messages. */
  file?: string;
}

/** One node of an expanded map. */
export interface MapNode {
  /** Node ID. */
  id: number;
  /** Main IPv4 address. */
  ip: string;
  /** Other addresses of the node, in map order. */
  aliases: string[];
}

/** A map error that names its file and line: `FILE:LINE: what (hint)`. */
export class MapError extends Error {
  /** File name as given to the parser. */
  file: string;
  /** 1-based line number, 0 for errors about the whole file. */
  line: number;

  /** Build the error; `message` is prefixed with `file:line: `. */
  constructor(file: string, line: number, message: string) {
    super(`${line > 0 ? `${file}:${line}` : file}: ${message}`);
    this.name = "MapError";
    this.file = file;
    this.line = line;
  }
}

const HINT = "see dmosix-map(5)";
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i;

/** True for a host name that follows RFC 1123 syntax (not an IP address). */
export function isHostName(s: string): boolean {
  const name = s.endsWith(".") ? s.slice(0, -1) : s;
  if (name.length === 0 || name.length > 253) return false;
  // All-numeric dotted strings are meant as IPs: they must not pass as names.
  if (/^[0-9.]+$/.test(name)) return false;
  return name.split(".").every((l) => LABEL.test(l));
}

/**
 * Parse map text. Throws {@linkcode MapError} for the first error found.
 * `file` names the source in error messages (default `map`).
 */
export function parseMap(text: string, file = "map"): NodeMap {
  checkSize(text, file);
  const lines = text.split("\n");
  if (lines.length > MAX_MAP_LINES) {
    throw new MapError(
      file,
      0,
      `too many lines (${lines.length}, at most ${MAX_MAP_LINES}) ` +
        `(use ranges with a COUNT instead of one line per node)`,
    );
  }
  const map: NodeMap = { ranges: [], aliases: [], file };
  lines.forEach((raw, i) => {
    const entry = parseLine(raw, i + 1, file);
    if (entry === undefined) return;
    if ("count" in entry) map.ranges.push(entry);
    else map.aliases.push(entry);
  });
  validateMap(map, file);
  return map;
}

function checkSize(text: string, file: string): void {
  // UTF-8 is at most 3 bytes per UTF-16 unit: only encode when it may matter.
  if (text.length * 3 <= MAX_MAP_BYTES) return;
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > MAX_MAP_BYTES) {
    throw new MapError(
      file,
      0,
      `map too large (${bytes} bytes, at most ${MAX_MAP_BYTES}) ` +
        `(is this the right file?)`,
    );
  }
}

function parseLine(
  raw: string,
  line: number,
  file: string,
): MapRange | MapAlias | undefined {
  const hash = raw.indexOf("#");
  const body = (hash >= 0 ? raw.slice(0, hash) : raw).trim();
  if (body === "") return undefined;
  const fields = body.split(/\s+/);
  const fail = (msg: string): never => {
    throw new MapError(file, line, msg);
  };
  if (fields.length !== 3) {
    fail(
      `expected 3 fields "FIRST-ID HOST-OR-IP COUNT" or "ID IP ALIAS", ` +
        `got ${fields.length} (${HINT})`,
    );
  }
  const [idText, host, third] = fields;
  const id = parseId(idText, line, file);
  if (third.toUpperCase() === "ALIAS") {
    if (!isIPv4(host)) {
      fail(`bad alias address "${host}" (an ALIAS needs an IPv4 address)`);
    }
    checkUnicast(host, line, file);
    return { id, ip: host, line };
  }
  if (!/^[+-]?\d+$/.test(third)) {
    fail(`bad count "${third}" (a whole number >= 1, or the word ALIAS)`);
  }
  const count = Number(third);
  if (count < 1) fail(`bad count ${count} (a range needs at least 1 node)`);
  if (id + count - 1 > MAX_NODE_ID) {
    fail(
      `range ${formatNodeId(id)} + ${count} nodes ends past the last ` +
        `node ID 65535 (lower the count or the first ID)`,
    );
  }
  if (isIPv4(host)) checkUnicast(host, line, file);
  else if (/^[0-9.]+$/.test(host)) {
    fail(`bad IP address "${host}" (four numbers 0..255: 192.168.1.10)`);
  } else if (!isHostName(host)) {
    fail(`bad host name "${host}" (letters, digits, "-" and "." only)`);
  }
  return { first: id, host, count, line };
}

function parseId(text: string, line: number, file: string): number {
  try {
    return parseNodeId(text);
  } catch {
    const looksNumeric = /^(0x[0-9a-f]+|\d+)$/i.test(text);
    throw new MapError(
      file,
      line,
      looksNumeric
        ? `node ID ${text} out of range (1..65535, or 0x0001..0xffff)`
        : `bad node ID "${text}" (decimal like 2780 or hex like 0x0adc)`,
    );
  }
}

function checkUnicast(ip: string, line: number, file: string): void {
  const first = parseIPv4(ip) >>> 24;
  if (first === 0 || first >= 224) {
    throw new MapError(
      file,
      line,
      `${ip} is not a unicast host address (use the node's own address)`,
    );
  }
}

/**
 * Check the relations between entries: no ID in two ranges, no address
 * given twice, ranges not past .255, aliases only for IDs a range defines.
 * Ranges whose host is still a name are skipped for address checks.
 */
function validateMap(map: NodeMap, file: string): void {
  const idLine = new Uint32Array(MAX_NODE_ID + 1);
  const ipOwner = new Map<number, { id: number; line: number }>();
  for (const r of map.ranges) {
    for (let id = r.first; id < r.first + r.count; id++) {
      if (idLine[id] !== 0) {
        throw new MapError(
          file,
          r.line,
          `node ID ${formatNodeId(id)} (${id}) is already given on line ` +
            `${idLine[id]} (ranges must not overlap)`,
        );
      }
      idLine[id] = r.line;
    }
    if (!isIPv4(r.host)) continue;
    const base = parseIPv4(r.host);
    if ((base & 255) + r.count - 1 > 255) {
      throw new MapError(
        file,
        r.line,
        `range from ${r.host} with ${r.count} nodes runs past ` +
          `${formatIPv4(base | 255)} (split it into one range per subnet)`,
      );
    }
    for (let i = 0; i < r.count; i++) {
      const prev = ipOwner.get(base + i);
      if (prev !== undefined) {
        throw new MapError(
          file,
          r.line,
          `address ${formatIPv4(base + i)} is already node ` +
            `${formatNodeId(prev.id)} on line ${prev.line} ` +
            `(each address belongs to one node)`,
        );
      }
      ipOwner.set(base + i, { id: r.first + i, line: r.line });
    }
  }
  for (const a of map.aliases) {
    if (idLine[a.id] === 0) {
      throw new MapError(
        file,
        a.line,
        `ALIAS for node ID ${formatNodeId(a.id)} (${a.id}) that no range ` +
          `defines (add a range for it first)`,
      );
    }
    const ip = parseIPv4(a.ip);
    const prev = ipOwner.get(ip);
    if (prev !== undefined) {
      throw new MapError(
        file,
        a.line,
        `ALIAS address ${a.ip} is already node ${formatNodeId(prev.id)} ` +
          `on line ${prev.line} (each address belongs to one node)`,
      );
    }
    ipOwner.set(ip, { id: a.id, line: a.line });
  }
}

/**
 * Replace host names in ranges by IPv4 addresses from `lookup`, then check
 * the map again (a name may resolve to an address already in use). Errors
 * are {@linkcode MapError}s naming the file and line of the entry.
 */
export async function resolveMapHosts(
  map: NodeMap,
  lookup: (host: string) => Promise<string>,
  file = map.file ?? "map",
): Promise<NodeMap> {
  const cache = new Map<string, Promise<string>>();
  const ranges: MapRange[] = [];
  for (const r of map.ranges) {
    if (isIPv4(r.host)) {
      ranges.push({ ...r });
      continue;
    }
    const key = r.host.toLowerCase();
    if (!cache.has(key)) cache.set(key, lookup(r.host));
    let ip: string;
    try {
      ip = await cache.get(key)!;
    } catch (e) {
      const why = printable(e instanceof Error ? e.message : String(e));
      throw new MapError(
        file,
        r.line,
        `cannot resolve host "${r.host}": ${why} ` +
          `(check the name or write its IP address)`,
      );
    }
    if (!isIPv4(ip)) {
      throw new MapError(
        file,
        r.line,
        `host "${r.host}" resolved to "${
          printable(String(ip))
        }", not an IPv4 address ` +
          `(write its IPv4 address instead)`,
      );
    }
    checkUnicast(ip, r.line, file);
    ranges.push({ ...r, host: ip });
  }
  const resolved: NodeMap = {
    ranges,
    aliases: map.aliases.map((a) => ({ ...a })),
    file,
  };
  validateMap(resolved, file);
  return resolved;
}

/** A resolver's text made fit for a one-line message. */
function printable(s: string): string {
  return s.replace(/\p{Cc}+/gu, " ").slice(0, 200);
}

/**
 * One {@linkcode MapNode} per node ID, sorted by ID. Every range host must
 * already be an IPv4 address (see {@linkcode resolveMapHosts}).
 */
export function expandMap(map: NodeMap): MapNode[] {
  const nodes = new Map<number, MapNode>();
  for (const r of map.ranges) {
    if (!isIPv4(r.host)) {
      throw new Error(
        `expandMap: host "${r.host}" is not resolved (call resolveMapHosts)`,
      );
    }
    const base = parseIPv4(r.host);
    for (let i = 0; i < r.count; i++) {
      nodes.set(r.first + i, {
        id: r.first + i,
        ip: formatIPv4(base + i),
        aliases: [],
      });
    }
  }
  for (const a of map.aliases) nodes.get(a.id)?.aliases.push(a.ip);
  return [...nodes.values()].sort((x, y) => x.id - y.id);
}

/**
 * Canonical map text: ranges by first ID, each followed by the aliases of
 * its nodes; IDs in decimal. `parseMap(formatMap(m))` gives the same nodes.
 */
export function formatMap(map: NodeMap): string {
  const out = ["# FIRST-ID HOST-OR-IP COUNT  |  ID IP ALIAS"];
  const ranges = [...map.ranges].sort((a, b) => a.first - b.first);
  const aliases = [...map.aliases].sort((a, b) => a.id - b.id);
  let next = 0;
  for (const r of ranges) {
    out.push(`${r.first} ${r.host} ${r.count}`);
    while (next < aliases.length && aliases[next].id < r.first + r.count) {
      out.push(`${aliases[next].id} ${aliases[next].ip} ALIAS`);
      next++;
    }
  }
  // Aliases of undefined IDs cannot come from parseMap; keep them visible.
  for (; next < aliases.length; next++) {
    out.push(`${aliases[next].id} ${aliases[next].ip} ALIAS`);
  }
  return out.join("\n") + "\n";
}

/**
 * Collapse nodes, in the order given, into runs where both the ID and the
 * address go up by 1 (and the last octet stays within .255): the rows of
 * `showmap`, each also a valid map range.
 */
export function collapseNodes(
  nodes: { id: number; ip: string }[],
): { first: number; ip: string; count: number }[] {
  const rows: { first: number; ip: string; count: number }[] = [];
  let lastIp = -1;
  for (const n of nodes) {
    const ip = parseIPv4(n.ip);
    const row = rows[rows.length - 1];
    const extends_ = row !== undefined &&
      n.id === row.first + row.count &&
      ip === lastIp + 1 &&
      (ip & 255) !== 0;
    if (extends_) row.count++;
    else rows.push({ first: n.id, ip: n.ip, count: 1 });
    lastIp = ip;
  }
  return rows;
}

/**
 * Find a node by ID (`2780`, `0x0adc`) or by any of its addresses.
 * Returns undefined for unknown nodes and for text that is neither.
 */
export function findNode(
  nodes: MapNode[],
  idOrIp: string,
): MapNode | undefined {
  const key = idOrIp.trim();
  if (isIPv4(key)) {
    return nodes.find((n) => n.ip === key || n.aliases.includes(key));
  }
  let id: number;
  try {
    id = parseNodeId(key);
  } catch {
    return undefined;
  }
  return nodes.find((n) => n.id === id);
}

/**
 * Helpers (tests, demo, benches) that read a running node's view straight from its control
 * socket (cheaper than spawning a command per poll).
 *
 * @module
 */

import { join } from "node:path";
import { ControlClient } from "../core/control_client.ts";
import type { NodeView } from "../core/node_info.ts";

/** The nodes a node knows, or null when its daemon does not answer. */
export async function nodesOf(dir: string): Promise<NodeView[] | null> {
  try {
    const c = await ControlClient.connect(join(dir, "omdiscd.sock"), {
      timeoutMs: 2000,
    });
    try {
      return (await c.call<{ nodes: NodeView[] }>("nodes", {}, 2000)).nodes;
    } finally {
      c.close();
    }
  } catch {
    return null;
  }
}

/** A node's own status, or null when its daemon does not answer. */
export async function statusOf(
  dir: string,
): Promise<Record<string, unknown> | null> {
  try {
    const c = await ControlClient.connect(join(dir, "omdiscd.sock"), {
      timeoutMs: 2000,
    });
    try {
      return await c.call<Record<string, unknown>>("status", {}, 2000);
    } finally {
      c.close();
    }
  } catch {
    return null;
  }
}

/** How many nodes a node sees alive (up or blocked); 0 when it does not answer. */
export async function liveCount(dir: string): Promise<number> {
  return ((await nodesOf(dir)) ?? []).filter((n) => n.status !== "dead").length;
}

/** IDs a node sees in each status. */
export async function idsWithStatus(
  dir: string,
  status: "up" | "dead" | "blocked",
): Promise<number[]> {
  return ((await nodesOf(dir)) ?? []).filter((n) => n.status === status).map((
    n,
  ) => n.id);
}

/** True when every listed dir sees exactly `ids` as live (up or blocked). */
export async function allSeeLive(
  dirs: string[],
  ids: number[],
): Promise<boolean> {
  const want = [...ids].sort((a, b) => a - b).join(",");
  const views = await Promise.all(dirs.map(nodesOf));
  return views.every((v) =>
    v !== null &&
    v.filter((n) => n.status !== "dead").map((n) => n.id).sort((a, b) => a - b)
        .join(",") === want
  );
}

/**
 * What mosrun needs to give a process direct communication: the local
 * daemon's link address (from the node view it already asked for) and the
 * route of its mailbox (env DMOSIX_DICOM_ROUTE, "direct" by default; "home"
 * keeps the mailbox at home, as without direct communication, for
 * comparisons).
 *
 * @module
 */

import type { NodeView } from "../node_info.ts";
import type { DicomRoute } from "./home_dicom.ts";

/** The environment variable choosing the route. */
export const ROUTE_ENV = "DMOSIX_DICOM_ROUTE";

/** The local daemon's link address, from its view of the nodes. */
export function localDaemon(
  nodes: NodeView[],
): { addr: string; port: number } | undefined {
  const me = nodes.find((v) => v.self);
  return me?.port ? { addr: me.address, port: me.port } : undefined;
}

/** The route an environment value asks for ("home", else "direct"). */
export function routeFrom(value: string | undefined): DicomRoute {
  return value === "home" ? "home" : "direct";
}

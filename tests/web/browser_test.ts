/**
 * The web monitor in headless Chromium (Debian's chromium, driven by
 * playwright-core), against a real 4-node loopback cluster: the page shows
 * every node, a migration started with `migrate` appears on it, dragging a
 * process onto a node migrates it (own processes and another node's), an
 * action without the token or from another origin is refused, one with it
 * works. Screenshots go to bench/out/web/ (the path is printed).
 *
 * Skipped, with a message, when /usr/bin/chromium is missing and we are not
 * root; as root (CI) chromium must be there (.ci/run installs it).
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { chromium } from "playwright-core";
import type { Page } from "playwright-core";
import { waitFor } from "../../tools/local_cluster.ts";
import { callProc } from "../../core/proc_socket.ts";
import { nodesOf } from "../../tools/cluster_probe.ts";
import {
  endSleeper,
  migrateCmd,
  startSleeper,
  startWebCluster,
  type WatchedProcess,
} from "./web_cluster.ts";

const CHROMIUM = "/usr/bin/chromium";
const SHOTS = new URL("../../bench/out/web/", import.meta.url).pathname;
const hasChromium = (() => {
  try {
    return Deno.statSync(CHROMIUM).isFile;
  } catch {
    return false;
  }
})();
const isRoot = Deno.uid() === 0;
if (!hasChromium && !isRoot) {
  console.log(
    `skipping the web monitor browser test: ${CHROMIUM} is missing (install it: apt-get install -y chromium)`,
  );
}

/** Where process `pid` of the node of `dir` runs now (0: home). */
async function whereIs(dir: string, pid: number): Promise<number> {
  return (await callProc<{ where: number }>(dir, pid, "status", {}, 3000))
    .where;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, name), fullPage: true });
}

Deno.test({
  name:
    "web monitor in Chromium: shows 4 nodes, follows migrate, drag migrates, refuses tokenless and cross-origin actions",
  ignore: !hasChromium && !isRoot,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    assert(
      hasChromium,
      `${CHROMIUM} is missing (apt-get install -y chromium; .ci/run installs it)`,
    );
    await Deno.mkdir(SHOTS, { recursive: true });
    const started = Date.now();
    const wc = await startWebCluster(4, 81, 4780, 4781);
    const { cluster } = wc;
    const [n1, n2, n3, n4] = cluster.nodes;
    const procs: WatchedProcess[] = [];
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
    });
    // A page of another site, on another loopback address and port.
    const evil = Deno.serve(
      { hostname: "127.0.81.9", port: 4782, onListen: () => {} },
      () =>
        new Response("<!doctype html><title>elsewhere</title>", {
          headers: { "content-type": "text/html" },
        }),
    );
    try {
      const own = await startSleeper(n1.dir);
      procs.push(own);
      const other = await startSleeper(n2.dir);
      procs.push(other);
      const page = await browser.newPage({
        viewport: { width: 1280, height: 900 },
      });
      page.setDefaultTimeout(15000);
      // What the page said, shown if a step fails.
      const said: string[] = [];
      page.on("console", (m) => said.push(`console.${m.type()}: ${m.text()}`));
      page.on("pageerror", (e) => said.push(`page error: ${e.message}`));
      const step = (name: string, fn: () => Promise<void>) =>
        t.step(name, async () => {
          try {
            await fn();
          } catch (e) {
            await shot(page, "failed.png").catch(() => {});
            console.log(`the page said:\n${said.join("\n") || "(nothing)"}`);
            throw e;
          }
        });
      await page.goto(wc.link);
      const mapNode = (id: number) => page.locator(`#map g[data-node="${id}"]`);
      const mapProc = (pid: number, home: number) =>
        page.locator(`#map g.proc[data-pid="${pid}"][data-home="${home}"]`);
      // The dot itself (its label sits beside it).
      const procDot = (pid: number, home: number) =>
        mapProc(pid, home).locator("circle");

      await step(
        "the page shows the 4 nodes and both processes",
        async () => {
          // A locator, not waitForFunction: a string predicate is eval'ed in
          // the page, which its Content-Security-Policy rightly forbids.
          const nodes = page.locator("#map g[data-node]");
          await nodes.nth(3).waitFor();
          assert.equal(await nodes.count(), 4);
          for (const n of cluster.nodes) {
            await mapNode(n.id).waitFor();
            await page.locator(`#nodes tr[data-node="${n.id}"]`).waitFor();
          }
          await mapProc(own.pid, n1.id).waitFor();
          await mapProc(other.pid, n2.id).waitFor();
          await page.locator("#conn.ok").waitFor();
          // The token came in the fragment and left the address bar.
          assert.equal(new URL(page.url()).hash, "");
          assert.equal(await page.inputValue("#token"), wc.token);
          await shot(page, "1-cluster.png");
        },
      );

      await step("a migration started with migrate appears", async () => {
        await migrateCmd(n1.dir, own.pid, String(n2.id));
        await page.locator(
          `#events li[data-kind="migration"][data-pid="${own.pid}"][data-to="${n2.id}"]`,
        ).waitFor();
        await page.locator(
          `#map g.proc[data-pid="${own.pid}"][data-where="${n2.id}"]`,
        ).waitFor();
        await page.locator(`#fly line[data-pid="${own.pid}"]`).waitFor({
          state: "attached",
        });
        await shot(page, "2-migrate-command.png");
      });

      await step("dragging a process onto a node migrates it", async () => {
        await procDot(own.pid, n1.id).dragTo(mapNode(n3.id));
        assert(
          await waitFor(
            async () => await whereIs(n1.dir, own.pid) === n3.id,
            15000,
          ) >= 0,
          "the dragged process did not move to node 3",
        );
        await page.locator(
          `#events li[data-kind="migration"][data-pid="${own.pid}"][data-to="${n3.id}"]`,
        ).waitFor();
        await shot(page, "3-dragged.png");
        // Another node's process: the request goes to its home over the link.
        await procDot(other.pid, n2.id).dragTo(mapNode(n4.id));
        assert(
          await waitFor(
            async () => await whereIs(n2.dir, other.pid) === n4.id,
            15000,
          ) >= 0,
          "the dragged process of node 2 did not move to node 4",
        );
        // And home again, onto its home node.
        await page.locator(
          `#map g.proc[data-pid="${other.pid}"][data-where="${n4.id}"]`,
        ).waitFor();
        await procDot(other.pid, n2.id).dragTo(mapNode(n2.id));
        assert(
          await waitFor(
            async () => await whereIs(n2.dir, other.pid) === 0,
            15000,
          ) >= 0,
          "the process did not go home",
        );
      });

      await step("an action without the token is refused", async () => {
        await page.fill("#token", "");
        await page.locator(
          `#nodes button[data-op="block"][data-id="${n4.id}"]`,
        ).click();
        await page.locator('#toast[data-status="error"]').waitFor();
        assert.match(
          await page.locator("#toast").textContent() ?? "",
          /refused \(403\).*missing token/,
        );
        // Straight from the page's script too.
        const status = await page.evaluate(
          async (id) =>
            (await fetch("/api/node", {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify({ id, op: "block" }),
            })).status,
          n4.id,
        );
        assert.equal(status, 403);
        await shot(page, "4-refused.png");
      });

      await step(
        "another site's page cannot act, even holding the token",
        async () => {
          const page2 = await browser.newPage();
          await page2.goto("http://127.0.81.9:4782/");
          const got = await page2.evaluate(
            async ([base, token, id]) => {
              try {
                const r = await fetch(`${base}/api/node`, {
                  method: "POST",
                  headers: {
                    "content-type": "application/json",
                    "x-dmosix-token": String(token),
                  },
                  body: JSON.stringify({ id, op: "block" }),
                });
                return `status ${r.status}`;
              } catch (e) {
                return `failed: ${(e as Error).message}`;
              }
            },
            [wc.base, wc.token, n4.id] as const,
          );
          assert.match(got, /^failed/);
          await page2.close();
          const v = (await nodesOf(n4.dir))!.find((x) => x.id === n4.id)!;
          assert.equal(v.status, "up", "node 4 was blocked after all");
        },
      );

      await step("with the token, block and noblock work", async () => {
        await page.fill("#token", wc.token);
        await page.locator(
          `#nodes button[data-op="block"][data-id="${n4.id}"]`,
        ).click();
        await page.locator(`#map g.node.blocked[data-node="${n4.id}"]`)
          .waitFor();
        await shot(page, "5-blocked.png");
        await page.locator(
          `#nodes button[data-op="noblock"][data-id="${n4.id}"]`,
        ).click();
        await page.locator(`#map g.node.up[data-node="${n4.id}"]`).waitFor();
      });
      console.log(
        `web monitor screenshots in ${SHOTS} (test took ${
          ((Date.now() - started) / 1000).toFixed(1)
        } s)`,
      );
    } finally {
      await browser.close().catch(() => {});
      await evil.shutdown();
      await Promise.all(procs.map(endSleeper));
      await cluster.stop();
    }
  },
});

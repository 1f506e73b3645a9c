/**
 * Every man page in man/ must render with no groff warning and have the
 * sections users look for, with a NAME matching its file name.
 * Pages are found when the test runs, so new pages are checked too.
 */
import { deepEqual, equal, ok } from "node:assert/strict";

const MAN_DIR = new URL("../man/", import.meta.url);

/** man/*.1 .. man/*.8, sorted. */
const pages = [...Deno.readDirSync(MAN_DIR)]
  .filter((e) => e.isFile && /^[\w.-]+\.[1-8]$/.test(e.name))
  .map((e) => e.name)
  .sort();

/** groff's version ("1.22.4"), or undefined when groff is not installed. */
function groffVersion(): string | undefined {
  try {
    const out = new Deno.Command("groff", { args: ["--version"] })
      .outputSync();
    const m = /version (\d+(?:\.\d+)+)/.exec(
      new TextDecoder().decode(out.stdout),
    );
    return m?.[1] ?? "unknown";
  } catch {
    return undefined;
  }
}

const GROFF = groffVersion();
if (GROFF === undefined) {
  console.warn(
    "man_test: groff is not installed: skipping the rendering checks " +
      "(apt-get install groff to run them)",
  );
}

/** True when groff is at least `major.minor` (CHECKSTYLE came in 1.23). */
function groffAtLeast(major: number, minor: number): boolean {
  const [a, b] = (GROFF ?? "0.0").split(".").map(Number);
  return a > major || (a === major && (b ?? 0) >= minor);
}

/** Preprocessor options from a `'\" t` first line, as man(1) uses them. */
function preprocessors(source: string): string[] {
  const m = /^'\\" ([a-z]+)/.exec(source);
  if (m === null) return [];
  const flags: Record<string, string> = { t: "-t", e: "-e", p: "-p", r: "-R" };
  return [...m[1]].flatMap((c) => flags[c] ?? []);
}

/** Section headings (`.SH NAME`, `.SH "EXIT STATUS"`), in order. */
function sections(source: string): string[] {
  const out: string[] = [];
  for (const line of source.split("\n")) {
    const m = /^\.SH\s+(.*?)\s*$/.exec(line);
    if (m !== null) out.push(m[1].replace(/^"(.*)"$/, "$1"));
  }
  return out;
}

/** Names listed in the NAME section: `a, b \- what it does`. */
function names(source: string): string[] {
  const lines = source.split("\n");
  const at = lines.findIndex((l) => /^\.SH\s+"?NAME"?\s*$/.test(l));
  if (at < 0) return [];
  const text =
    lines.slice(at + 1).find((l) => l.trim() !== "" && !l.startsWith('.\\"')) ??
      "";
  const head = text.split(/\s\\-\s/)[0];
  return head.split(",").map((n) => n.trim().replaceAll("\\-", "-"));
}

Deno.test("man/ holds the dmosix pages this project documents", () => {
  for (
    const page of [
      "omdiscd.8",
      "setpe.8",
      "showmap.1",
      "mosctl.8",
      "dmosix-map.5",
    ]
  ) {
    ok(pages.includes(page), `man/${page} is missing`);
  }
});

for (const page of pages) {
  const base = page.replace(/\.[1-8]$/, "");
  const section = page.slice(-1);
  const read = () => Deno.readTextFileSync(new URL(page, MAN_DIR));

  Deno.test({
    name: `man page ${page} renders with no groff warning`,
    ignore: GROFF === undefined,
    fn() {
      const source = read();
      const args = [
        ...preprocessors(source),
        "-man",
        "-Tutf8",
        "-ww",
        "-z",
        ...(groffAtLeast(1, 23) ? ["-rCHECKSTYLE=3"] : []),
        new URL(page, MAN_DIR).pathname,
      ];
      const out = new Deno.Command("groff", {
        args,
        env: { LC_ALL: "C.UTF-8" },
      }).outputSync();
      const stderr = new TextDecoder().decode(out.stderr).trim();
      equal(stderr, "", `groff ${args.join(" ")} warned:\n${stderr}`);
      equal(out.code, 0, `groff exited with ${out.code}`);
    },
  });

  Deno.test(`man page ${page} has NAME, SYNOPSIS, DESCRIPTION, EXIT STATUS`, () => {
    const found = sections(read());
    const required = ["NAME", "SYNOPSIS", "DESCRIPTION", "EXIT STATUS"];
    deepEqual(
      required.filter((s) => !found.includes(s)),
      [],
      `${page} sections: ${found.join(", ")}`,
    );
    equal(found[0], "NAME", "NAME comes first");
  });

  Deno.test(`man page ${page} is named after its file`, () => {
    const source = read();
    ok(
      names(source).includes(base),
      `NAME section lists ${JSON.stringify(names(source))}, not ${base}`,
    );
    const th = /^\.TH\s+"?([^\s"]+)"?\s+"?(\w+)"?/m.exec(source);
    ok(th !== null, `${page} has no .TH line`);
    equal(th[1].replaceAll("\\-", "-").toLowerCase(), base, ".TH title");
    equal(th[2], section, ".TH section matches the file extension");
  });
}

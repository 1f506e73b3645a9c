/** The user commands of dmosix: one file each in cli/. */
export const COMMANDS = [
  "omdiscd",
  "setpe",
  "showmap",
  "mon",
  "mosctl",
  "mosrun",
  "migrate",
  "mps",
] as const;

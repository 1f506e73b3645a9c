/** The dmosix version printed by every command's `--version`. */
export const VERSION = "0.1.0";

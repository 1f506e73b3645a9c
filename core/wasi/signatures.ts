/**
 * The wasm types of every `wasi_snapshot_preview1` function, used to check a
 * module's imports and to build ENOSYS stubs of the right shape.
 *
 * @module
 */

/** A wasm value type as it appears in a function signature. */
export type ValType = "i32" | "i64" | "f32" | "f64" | "v128" | "ref";

/** A function signature. */
export interface Signature {
  params: ValType[];
  results: ValType[];
}

/** The WASI module name. */
export const WASI_MODULE = "wasi_snapshot_preview1";

function sig(params: string, results = "i32"): Signature {
  const list = (s: string) =>
    s === ""
      ? []
      : s.split(",").map((t) => (t === "l" ? "i64" : "i32") as ValType);
  return { params: list(params), results: list(results) };
}

/** Every preview1 function with its signature ("i" = i32, "l" = i64). */
export const WASI_SIGNATURES: Readonly<Record<string, Signature>> = {
  args_get: sig("i,i"),
  args_sizes_get: sig("i,i"),
  environ_get: sig("i,i"),
  environ_sizes_get: sig("i,i"),
  clock_res_get: sig("i,i"),
  clock_time_get: sig("i,l,i"),
  fd_advise: sig("i,l,l,i"),
  fd_allocate: sig("i,l,l"),
  fd_close: sig("i"),
  fd_datasync: sig("i"),
  fd_fdstat_get: sig("i,i"),
  fd_fdstat_set_flags: sig("i,i"),
  fd_fdstat_set_rights: sig("i,l,l"),
  fd_filestat_get: sig("i,i"),
  fd_filestat_set_size: sig("i,l"),
  fd_filestat_set_times: sig("i,l,l,i"),
  fd_pread: sig("i,i,i,l,i"),
  fd_prestat_get: sig("i,i"),
  fd_prestat_dir_name: sig("i,i,i"),
  fd_pwrite: sig("i,i,i,l,i"),
  fd_read: sig("i,i,i,i"),
  fd_readdir: sig("i,i,i,l,i"),
  fd_renumber: sig("i,i"),
  fd_seek: sig("i,l,i,i"),
  fd_sync: sig("i"),
  fd_tell: sig("i,i"),
  fd_write: sig("i,i,i,i"),
  path_create_directory: sig("i,i,i"),
  path_filestat_get: sig("i,i,i,i,i"),
  path_filestat_set_times: sig("i,i,i,i,l,l,i"),
  path_link: sig("i,i,i,i,i,i,i"),
  path_open: sig("i,i,i,i,i,l,l,i,i"),
  path_readlink: sig("i,i,i,i,i,i"),
  path_remove_directory: sig("i,i,i"),
  path_rename: sig("i,i,i,i,i,i"),
  path_symlink: sig("i,i,i,i,i"),
  path_unlink_file: sig("i,i,i"),
  poll_oneoff: sig("i,i,i,i"),
  proc_exit: sig("i", ""),
  proc_raise: sig("i"),
  sched_yield: sig(""),
  random_get: sig("i,i"),
  sock_accept: sig("i,i,i"),
  sock_recv: sig("i,i,i,i,i,i"),
  sock_send: sig("i,i,i,i,i"),
  sock_shutdown: sig("i,i"),
};

/** "(i32,i64)->i32" */
export function formatSignature(s: Signature): string {
  return `(${s.params.join(",")})->${
    s.results.length === 0 ? "()" : s.results.join(",")
  }`;
}

/** Whether two signatures are the same. */
export function sameSignature(a: Signature, b: Signature): boolean {
  return formatSignature(a) === formatSignature(b);
}

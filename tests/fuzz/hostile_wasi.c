/*
 * A malicious WASI program: it calls the wasi_snapshot_preview1 imports
 * directly, with raw i32/i64 arguments (no libc checks in between), passing
 * pointers out of memory or wrapping around it, huge lengths and counts,
 * bad fds, whence values, flags and clock ids, and paths that climb out of
 * the preopen. Each call must return the expected errno; the program prints
 * one line per case and exits with the number of mismatches (0 = all good).
 * With an argument N, it also calls random imports with random arguments N
 * times (seeded by argv[2]) and only checks it is still alive afterwards.
 *
 * Build (the .wasm is committed; tests need no clang):
 *   clang --target=wasm32-wasi -O2 -Wl,--strip-debug \
 *     tests/fuzz/hostile_wasi.c -o tests/fuzz/hostile_wasi.wasm
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IMPORT(name)                                 \
  __attribute__((import_module("wasi_snapshot_preview1"), \
                 import_name(#name)))

typedef int32_t i32;
typedef int64_t i64;

i32 w_fd_write(i32, i32, i32, i32) IMPORT(fd_write);
i32 w_fd_read(i32, i32, i32, i32) IMPORT(fd_read);
i32 w_fd_pread(i32, i32, i32, i64, i32) IMPORT(fd_pread);
i32 w_fd_pwrite(i32, i32, i32, i64, i32) IMPORT(fd_pwrite);
i32 w_fd_seek(i32, i64, i32, i32) IMPORT(fd_seek);
i32 w_fd_tell(i32, i32) IMPORT(fd_tell);
i32 w_fd_close(i32) IMPORT(fd_close);
i32 w_fd_renumber(i32, i32) IMPORT(fd_renumber);
i32 w_fd_fdstat_get(i32, i32) IMPORT(fd_fdstat_get);
i32 w_fd_fdstat_set_flags(i32, i32) IMPORT(fd_fdstat_set_flags);
i32 w_fd_filestat_get(i32, i32) IMPORT(fd_filestat_get);
i32 w_fd_filestat_set_size(i32, i64) IMPORT(fd_filestat_set_size);
i32 w_fd_prestat_get(i32, i32) IMPORT(fd_prestat_get);
i32 w_fd_prestat_dir_name(i32, i32, i32) IMPORT(fd_prestat_dir_name);
i32 w_fd_readdir(i32, i32, i32, i64, i32) IMPORT(fd_readdir);
i32 w_path_open(i32, i32, i32, i32, i32, i64, i64, i32, i32) IMPORT(path_open);
i32 w_path_filestat_get(i32, i32, i32, i32, i32) IMPORT(path_filestat_get);
i32 w_path_readlink(i32, i32, i32, i32, i32, i32) IMPORT(path_readlink);
i32 w_path_unlink_file(i32, i32, i32) IMPORT(path_unlink_file);
i32 w_path_rename(i32, i32, i32, i32, i32, i32) IMPORT(path_rename);
i32 w_path_symlink(i32, i32, i32, i32, i32) IMPORT(path_symlink);
i32 w_path_create_directory(i32, i32, i32) IMPORT(path_create_directory);
i32 w_random_get(i32, i32) IMPORT(random_get);
i32 w_args_get(i32, i32) IMPORT(args_get);
i32 w_args_sizes_get(i32, i32) IMPORT(args_sizes_get);
i32 w_environ_get(i32, i32) IMPORT(environ_get);
i32 w_clock_time_get(i32, i64, i32) IMPORT(clock_time_get);
i32 w_clock_res_get(i32, i32) IMPORT(clock_res_get);
i32 w_poll_oneoff(i32, i32, i32, i32) IMPORT(poll_oneoff);
i32 w_sock_accept(i32, i32, i32) IMPORT(sock_accept);
i32 w_sock_recv(i32, i32, i32, i32, i32, i32) IMPORT(sock_recv);

enum {
  OK = 0,
  EBADF = 8,
  EEXIST = 20,
  EFBIG = 22,
  EFAULT = 21,
  EINVAL = 28,
  ENAMETOOLONG = 37,
  ENOENT = 44,
  ENOTDIR = 54,
  ENOTSOCK = 57,
  ESPIPE = 70,
  ENOTCAPABLE = 76,
};

static int failures = 0;
static int cases = 0;

static void expect(const char *what, i32 got, i32 want) {
  cases++;
  if (got != want) failures++;
  printf("%s %s got %d want %d\n", got == want ? "ok" : "FAIL", what,
         (int)got, (int)want);
}

static void expect_not(const char *what, i32 got, i32 unwanted) {
  cases++;
  if (got == unwanted) failures++;
  printf("%s %s got %d (not %d)\n", got != unwanted ? "ok" : "FAIL", what,
         (int)got, (int)unwanted);
}

/* Addresses as the module sees them: plain integers. */
static i32 at(const void *p) { return (i32)(uintptr_t)p; }

static i32 mem_end(void) {
  return (i32)(__builtin_wasm_memory_size(0) * 65536u);
}

static char buf[256];
static uint32_t iov[2];
static uint32_t out32;
static uint64_t out64;
static unsigned char sub[48], ev[32];

static i32 open_at(i32 dir, const char *path, i32 oflags, i32 *fd) {
  return w_path_open(dir, 0, at(path), (i32)strlen(path), oflags,
                     (i64)0x1fffffff, (i64)0x1fffffff, 0, at(fd));
}

static void pointers(void) {
  i32 end = mem_end();
  iov[0] = at(buf);
  iov[1] = 4;
  memcpy(buf, "oops", 4);
  expect("fd_write iovecs past the end", w_fd_write(1, end - 4, 1, at(&out32)),
         EFAULT);
  expect("fd_write iovecs wrapping", w_fd_write(1, (i32)0xfffffff8, 1, at(&out32)),
         EFAULT);
  expect("fd_write huge iovec count", w_fd_write(1, at(iov), 0x7fffffff, at(&out32)),
         EFAULT);
  expect("fd_write negative iovec count", w_fd_write(1, at(iov), -1, at(&out32)),
         EFAULT);
  expect("fd_write result past the end", w_fd_write(1, at(iov), 1, end - 2),
         EFAULT);
  iov[1] = 0xffffffff;
  expect("fd_write huge buffer length", w_fd_write(1, at(iov), 1, at(&out32)),
         EFAULT);
  iov[0] = end - 2;
  iov[1] = 4;
  expect("fd_write buffer across the end", w_fd_write(1, at(iov), 1, at(&out32)),
         EFAULT);
  iov[0] = at(buf);
  expect("fd_read into memory past the end", w_fd_read(0, end, 1, at(&out32)),
         EFAULT);
  expect("fd_pread huge count", w_fd_pread(0, at(iov), -8, 0, at(&out32)), EFAULT);
  expect("random_get across the end", w_random_get(end - 4, 100), EFAULT);
  expect("random_get huge length", w_random_get(at(buf), 0x7fffffff), EFAULT);
  expect("args_get wrapping pointers", w_args_get((i32)0xfffffff0, (i32)0xfffffff0),
         EFAULT);
  expect("args_sizes_get past the end", w_args_sizes_get(end, end), EFAULT);
  expect("environ_get past the end", w_environ_get(end, end), EFAULT);
  expect("clock_time_get result past the end", w_clock_time_get(0, 0, end - 7),
         EFAULT);
  expect("fd_fdstat_get result past the end", w_fd_fdstat_get(1, end - 8), EFAULT);
  expect("fd_filestat_get result past the end", w_fd_filestat_get(3, end - 1),
         EFAULT);
  expect("fd_prestat_dir_name past the end", w_fd_prestat_dir_name(3, end, 10),
         EFAULT);
  expect("fd_readdir buffer across the end",
         w_fd_readdir(3, end - 10, 100, 0, at(&out32)), EFAULT);
  expect("path_open path past the end",
         w_path_open(3, 0, end - 1, 100, 0, 0, 0, 0, at(&out32)), EFAULT);
  expect("path_open huge path length",
         w_path_open(3, 0, at(buf), 0x7fffffff, 0, 0, 0, 0, at(&out32)), EFAULT);
  expect("path_open fd result past the end",
         w_path_open(3, 0, at("."), 1, 0, 0, 0, 0, end), EFAULT);
  expect("path_filestat_get result past the end",
         w_path_filestat_get(3, 0, at("."), 1, end - 4), EFAULT);
  expect("path_readlink buffer past the end",
         w_path_readlink(3, at("x"), 1, end, 10, at(&out32)), EFAULT);
  expect("poll_oneoff subscriptions past the end",
         w_poll_oneoff(end - 8, at(ev), 1, at(&out32)), EFAULT);
  expect("poll_oneoff no subscriptions", w_poll_oneoff(at(sub), at(ev), 0, at(&out32)),
         EINVAL);
  expect("poll_oneoff huge count",
         w_poll_oneoff(at(sub), at(ev), 0x7fffffff, at(&out32)), EINVAL);
}

static void values(void) {
  i32 fd = -1;
  expect("fd_write to a bad fd", w_fd_write(12345, at(iov), 1, at(&out32)), EBADF);
  expect("fd_write to fd -1", w_fd_write(-1, at(iov), 1, at(&out32)), EBADF);
  expect("fd_close of a bad fd", w_fd_close(99999), EBADF);
  expect("fd_renumber of a bad fd", w_fd_renumber(4242, 5), EBADF);
  expect("fd_seek on stdout", w_fd_seek(1, 0, 0, at(&out64)), ESPIPE);
  expect("clock_time_get bad clock", w_clock_time_get(99, 0, at(&out64)), EINVAL);
  expect("clock_res_get negative clock", w_clock_res_get(-1, at(&out64)), EINVAL);
  expect("fd_prestat_dir_name short buffer", w_fd_prestat_dir_name(3, at(buf), 0),
         ENAMETOOLONG);
  expect("sock_accept on stdin", w_sock_accept(0, 0, at(&out32)), ENOTSOCK);
  expect("sock_recv on a bad fd", w_sock_recv(777, 0, 0, 0, 0, 0), EBADF);
  expect("path_open climbing out", open_at(3, "../../../../etc/passwd", 0, &fd),
         ENOTCAPABLE);
  expect("path_open deep climb", open_at(3, "./.././../etc", 0, &fd), ENOTCAPABLE);
  expect_not("path_open with a NUL in the name",
             w_path_open(3, 0, at("a\0b"), 3, 0, 0, 0, 0, at(&fd)), OK);
  expect("path_create_directory climbing out",
         w_path_create_directory(3, at("../escape"), 9), ENOTCAPABLE);
  expect("path_symlink then follow it out",
         w_path_symlink(at("../../../../etc/passwd"), 22, 3, at("evil"), 4), OK);
  expect("path_open through the escaping link",
         w_path_open(3, 1, at("evil"), 4, 0, 0x1fffffff, 0x1fffffff, 0, at(&fd)),
         ENOTCAPABLE);
  expect("path_filestat_get through the escaping link",
         w_path_filestat_get(3, 1, at("evil"), 4, at(buf)), ENOTCAPABLE);
  expect("path_unlink_file of the link", w_path_unlink_file(3, at("evil"), 4), OK);
  expect("path_rename out of the preopen",
         w_path_rename(3, at("."), 1, 3, at("../x"), 4), ENOTCAPABLE);
  /* A scratch file to seek in. */
  expect("path_open create scratch", open_at(3, "hostile.tmp", 1 | 8, &fd), OK);
  expect("fd_seek bad whence", w_fd_seek(fd, 0, 99, at(&out64)), EINVAL);
  expect("fd_seek before the start", w_fd_seek(fd, -1, 0, at(&out64)), EINVAL);
  expect("fd_seek result past the end", w_fd_seek(fd, 0, 0, mem_end() - 4), EFAULT);
  expect("fd_filestat_set_size 2^64-5", w_fd_filestat_set_size(fd, -5), EFBIG);
  expect("fd_pwrite at a negative offset",
         w_fd_pwrite(fd, at(iov), 1, -1, at(&out32)), EINVAL);
  expect_not("fd_fdstat_set_flags all bits", w_fd_fdstat_set_flags(fd, 0xffff), OK);
  expect("path_open O_DIRECTORY on a file", open_at(3, "hostile.tmp", 2, &fd),
         ENOTDIR);
  expect("path_open O_CREAT|O_EXCL on a file", open_at(3, "hostile.tmp", 1 | 4, &fd),
         EEXIST);
  expect("path_unlink_file scratch", w_path_unlink_file(3, at("hostile.tmp"), 11),
         OK);
}

/* xorshift32 */
static uint32_t rng = 1;
static uint32_t next(void) {
  rng ^= rng << 13;
  rng ^= rng >> 17;
  rng ^= rng << 5;
  return rng;
}

/* Pointers and lengths for random calls: into a scratch area, at or past
   the end of memory, wrapping, or below the data (unused). Never into the
   program's own data or stack, which the host would faithfully overwrite. */
static unsigned char scratch[65536];
static uint32_t riov[16];

static i32 edge(void) {
  static const uint32_t v[] = {0,          1,          3,          4,
                               8,          0x7fffffff, 0x80000000, 0xfffffff0,
                               0xffffffff, 65536,      65535,      100};
  return (i32)v[next() % (sizeof v / sizeof v[0])];
}

static i32 ptr(void) {
  switch (next() % 4) {
    case 0: return (i32)(next() % 32);
    case 1: return mem_end() + (i32)(next() % 64) - (i32)(next() % 2);
    case 2: return (i32)(0xffffff00u | next());
    default: return at(scratch) + (i32)(next() % sizeof scratch);
  }
}

/* A length keeping [p, p+len) inside the scratch area or below the data
   when p is there; anything at all for a pointer out of memory. */
static i32 len_for(i32 p) {
  if ((uint32_t)p < 32) return (i32)(next() % 900);
  i32 room = at(scratch) + (i32)sizeof scratch - p;
  if (p < at(scratch) || room <= 0) return next() % 2 ? edge() : (i32)next();
  return (i32)(next() % (uint32_t)room);
}

/* An iovec array: ours with entries as above, or a bad pointer. */
static i32 iovs(i32 *count) {
  for (int k = 0; k < 8; k++) {
    riov[2 * k] = (uint32_t)ptr();
    riov[2 * k + 1] = (uint32_t)len_for((i32)riov[2 * k]);
  }
  if (next() % 4 == 0) {
    *count = edge();
    return ptr();
  }
  *count = (i32)(next() % 9);
  return at(riov);
}

/* Random calls: only survival matters. Fds 0..2 are left alone so the
   program can still report; names stay short so nothing big is created. */
static void random_calls(long n) {
  for (long i = 0; i < n; i++) {
    i32 fd = next() % 8 ? 3 + (i32)(next() % 6) : edge();
    i32 p = ptr(), q = ptr(), count;
    switch (next() % 12) {
      case 0: {
        i32 v = iovs(&count);
        w_fd_pread(fd, v, count, (i64)edge(), ptr());
        break;
      }
      case 1: {
        i32 v = iovs(&count);
        w_fd_pwrite(fd, v, count, (i64)(next() % 4096), ptr());
        break;
      }
      case 2: w_fd_seek(fd, (i64)edge(), edge(), ptr()); break;
      case 3: w_fd_readdir(fd, p, len_for(p), (i64)edge(), ptr()); break;
      case 4:
        w_path_open(fd, edge(), p, len_for(p) & 0xff, edge(), -1, -1, edge(),
                    ptr());
        break;
      case 5: w_path_filestat_get(fd, edge(), p, len_for(p) & 0xff, ptr()); break;
      case 6: w_random_get(p, len_for(p)); break;
      case 7: {
        /* A clock subscription under 1 ms (a long one is just a sleep) of
           random type and clock; random out pointers. */
        memset(sub, 0, sizeof sub);
        sub[8] = (unsigned char)(next() % 4);
        *(uint32_t *)(sub + 16) = next() % 5;
        *(uint64_t *)(sub + 24) = next() % 1000000;
        w_poll_oneoff(at(sub), next() % 2 ? at(ev) : ptr(), 1, ptr());
        break;
      }
      case 8: w_fd_filestat_get(fd, ptr()); break;
      case 9: w_clock_time_get(edge(), (i64)edge(), ptr()); break;
      case 10: w_fd_prestat_dir_name(fd, p, len_for(p)); break;
      default:
        w_path_readlink(fd, p, len_for(p) & 0xff, q, len_for(q), ptr());
        break;
    }
  }
}

int main(int argc, char **argv) {
  pointers();
  values();
  if (argc > 1) {
    rng = argc > 2 ? (uint32_t)strtoul(argv[2], 0, 10) | 1 : 1;
    random_calls(strtol(argv[1], 0, 10));
    printf("survived %s random calls\n", argv[1]);
  }
  printf("%d cases, %d failures\n", cases, failures);
  return failures;
}

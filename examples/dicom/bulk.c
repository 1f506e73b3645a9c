/*
 * A bulk-transfer pair with direct communication, also the program of
 * bench/dicom_bench.ts.
 *
 *   bulk serve                         echo pings, count streams, until told to quit
 *   bulk send HOME PID SIZE COUNT      stream COUNT messages of SIZE bytes, checked
 *   bulk bench HOME PID BUDGET_MB SIZE...
 *                                      for each size: ping-pong latency and
 *                                      one-way throughput, then quit the server
 *
 * Messages start with a one-byte kind: 'P' ping (echoed whole to its
 * sender), 'S' stream data, 'E' end of a stream (answered with the bytes
 * and messages counted and whether their contents checked), 'Q' quit. The
 * server prints "self HOME PID" first (its address, from /dev/mosix/self).
 * Pings and ends carry their sender's address (home, pid: two u32 after the
 * kind), as a request/reply protocol would, so the server answers without
 * asking /dev/mosix/from each time; it asks it for a message without one.
 *
 * Build: clang --target=wasm32-wasi -O2 bulk.c -o bulk.wasm
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_SIZE (8 * 1024 * 1024)
#define HDR 16

static unsigned char *buf;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what) {
  printf("bad %s: %s\n", what, strerror(errno));
  exit(1);
}

static uint32_t self_home, self_pid; /* this process's address */

/* Read this process's address from /dev/mosix/self. */
static void learn_self(void) {
  char line[64];
  int sf = open("/dev/mosix/self", O_RDONLY);
  ssize_t n = sf < 0 ? -1 : read(sf, line, sizeof line - 1);
  if (n <= 0) die("self");
  line[n] = 0;
  unsigned h, p;
  if (sscanf(line, "%u %u", &h, &p) != 2) die("self");
  self_home = h;
  self_pid = p;
  close(sf);
}

/* Put kind and sender's address in the header of a message. */
static void head(unsigned char *p, char kind) {
  p[0] = (unsigned char)kind;
  memcpy(p + 4, &self_home, 4);
  memcpy(p + 8, &self_pid, 4);
}

static int open_to(unsigned home, unsigned pid) {
  char path[64];
  snprintf(path, sizeof path, "/dev/mosix/to/%u/%u", home, pid);
  int fd = open(path, O_WRONLY);
  if (fd < 0) die("open to");
  return fd;
}

/* Stream messages: a header ('S', message number) then a fixed pattern;
   the receiver checks the number's order and samples of the pattern. */
static void pattern(unsigned char *p, size_t size) {
  for (size_t k = HDR; k < size; k++) p[k] = (unsigned char)(k * 31 + k / 4096);
}

static void number(unsigned char *p, uint32_t i) {
  p[0] = 'S';
  memcpy(p + 4, &i, 4);
}

static int checked(const unsigned char *p, size_t size, uint32_t want) {
  uint32_t i;
  memcpy(&i, p + 4, 4);
  if (i != want) return 0;
  for (size_t k = HDR; k < size; k += 4093)
    if (p[k] != (unsigned char)(k * 31 + k / 4096)) return 0;
  return size <= HDR || p[size - 1] == (unsigned char)((size - 1) * 31 + (size - 1) / 4096);
}

static void put(int fd, const void *p, size_t n) {
  if (write(fd, p, n) != (ssize_t)n) die("write");
}

static int serve(void) {
  char line[64];
  int sf = open("/dev/mosix/self", O_RDONLY);
  ssize_t n = sf < 0 ? -1 : read(sf, line, sizeof line - 1);
  if (n <= 0) die("self");
  line[n] = 0;
  printf("self %s", line);
  fflush(stdout);
  int box = open("/dev/mosix/mbox", O_RDONLY);
  int from = open("/dev/mosix/from", O_RDONLY);
  if (box < 0 || from < 0) die("open");
  int back = -1;
  unsigned back_home = 0, back_pid = 0;
  long long bytes = 0, msgs = 0;
  int ok = 1;
  for (;;) {
    n = read(box, buf, MAX_SIZE);
    if (n < 1) die("read");
    if (buf[0] == 'S') { /* stream data needs no answer: no sender lookup */
      ok = ok && checked(buf, (size_t)n, (uint32_t)msgs);
      bytes += n;
      msgs++;
      continue;
    }
    unsigned h, p;
    if (n >= 12) { /* the sender named itself */
      uint32_t h32, p32;
      memcpy(&h32, buf + 4, 4);
      memcpy(&p32, buf + 8, 4);
      h = h32;
      p = p32;
    } else {
      ssize_t m = read(from, line, sizeof line - 1);
      if (m <= 0) die("from");
      line[m] = 0;
      if (sscanf(line, "%u %u", &h, &p) != 2) die("from");
    }
    if (back < 0 || h != back_home || p != back_pid) {
      if (back >= 0) close(back);
      back = open_to(h, p);
      back_home = h;
      back_pid = p;
    }
    switch (buf[0]) {
      case 'P':
        put(back, buf, (size_t)n);
        break;
      case 'E': {
        int k = snprintf((char *)buf, 64, "A %lld %lld %s", bytes, msgs, ok ? "ok" : "bad");
        put(back, buf, (size_t)k);
        bytes = msgs = 0;
        ok = 1;
        break;
      }
      case 'Q':
        printf("served\n");
        return 0;
    }
  }
}

/* Ping-pong `count` times with `size`-byte messages: seconds per round trip. */
static double ping(int out, int box, size_t size, int count) {
  memset(buf, 0x5a, size);
  double t0 = 0;
  for (int i = -1; i < count; i++) { /* one warm-up round */
    if (i == 0) t0 = now_s();
    head(buf, 'P');
    put(out, buf, size);
    if (read(box, buf, MAX_SIZE) != (ssize_t)size) die("pong");
  }
  return (now_s() - t0) / count;
}

/* Stream `count` messages of `size` and wait for the count: bytes per second. */
static double stream(int out, int box, size_t size, int count) {
  pattern(buf, size);
  double t0 = now_s();
  for (int i = 0; i < count; i++) {
    number(buf, (uint32_t)i);
    put(out, buf, size);
  }
  head(buf, 'E');
  put(out, buf, HDR);
  ssize_t n = read(box, buf, MAX_SIZE);
  double dt = now_s() - t0;
  if (n <= 0) die("ack");
  buf[n] = 0;
  long long bytes, msgs;
  char verdict[8];
  if (sscanf((char *)buf, "A %lld %lld %7s", &bytes, &msgs, verdict) != 3 ||
      bytes != (long long)size * count || strcmp(verdict, "ok") != 0) {
    printf("bad stream: sent %d x %zu, server says %s\n", count, size, (char *)buf);
    exit(1);
  }
  return (double)size * count / dt;
}

int main(int argc, char **argv) {
  buf = malloc(MAX_SIZE + 1);
  if (!buf) die("malloc");
  if (argc >= 2 && strcmp(argv[1], "serve") == 0) return serve();
  learn_self();
  if (argc >= 6 && strcmp(argv[1], "send") == 0) {
    size_t size = (size_t)atol(argv[4]);
    int count = atoi(argv[5]);
    if (size < HDR || size > MAX_SIZE) die("size");
    int out = open_to((unsigned)atol(argv[2]), (unsigned)atol(argv[3]));
    int box = open("/dev/mosix/mbox", O_RDONLY);
    double bps = stream(out, box, size, count);
    printf("sent %d x %zu bytes, %.1f MB/s\n", count, size, bps / 1e6);
    buf[0] = 'Q';
    put(out, buf, 1);
    return 0;
  }
  if (argc >= 6 && strcmp(argv[1], "bench") == 0) {
    int out = open_to((unsigned)atol(argv[2]), (unsigned)atol(argv[3]));
    int box = open("/dev/mosix/mbox", O_RDONLY);
    double budget = atof(argv[4]) * 1024 * 1024;
    for (int a = 5; a < argc; a++) {
      size_t size = (size_t)atol(argv[a]);
      if (size < HDR || size > MAX_SIZE) die("size");
      int pings = (int)(budget / size / 4), msgs = (int)(budget / size);
      if (pings < 3) pings = 3;
      if (pings > 300) pings = 300;
      if (msgs < 4) msgs = 4;
      if (msgs > 3000) msgs = 3000;
      double rt = ping(out, box, size, pings);
      double bps = stream(out, box, size, msgs);
      printf("size %zu rt_us %.1f mbps %.1f pings %d msgs %d\n", size, rt * 1e6,
             bps / 1e6, pings, msgs);
      fflush(stdout);
    }
    buf[0] = 'Q';
    put(out, buf, 1);
    return 0;
  }
  fprintf(stderr, "usage: bulk serve | send HOME PID SIZE COUNT | bench HOME PID BUDGET_MB SIZE...\n");
  return 2;
}

/*
 * A ring of cluster processes passing tokens with direct communication.
 *
 *   ring TOKENS ROUNDS [DELAY_MS]
 *
 * Prints "self HOME PID" (its address, from /dev/mosix/self), then reads
 * one line "INDEX COUNT NEXT_HOME NEXT_PID" from stdin: its place in the
 * ring and the process after it. Process 0 puts TOKENS tokens on the ring;
 * every process passes each token on; process 0 starts each token's next
 * round until ROUNDS rounds are done. Every process checks that it gets
 * every token of every round exactly once and in order, and says so:
 * "ok N tokens" (exit 0) or "bad ..." (exit 1).
 *
 * Build: clang --target=wasm32-wasi -O2 ring.c -o ring.wasm
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BODY 60

struct token {
  uint32_t id;
  uint32_t round;
  uint32_t from; /* index of the process that passed it on */
  unsigned char body[BODY];
};

static void fill(struct token *t) {
  for (int i = 0; i < BODY; i++) t->body[i] = (unsigned char)(t->id * 7 + t->round * 13 + i);
}

static int intact(const struct token *t) {
  for (int i = 0; i < BODY; i++)
    if (t->body[i] != (unsigned char)(t->id * 7 + t->round * 13 + i)) return 0;
  return 1;
}

static void pass(int fd, struct token *t, int me) {
  t->from = (uint32_t)me;
  ssize_t n = write(fd, t, sizeof *t);
  if (n != (ssize_t)sizeof *t) {
    printf("bad write: %s\n", n < 0 ? strerror(errno) : "short");
    exit(1);
  }
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: ring TOKENS ROUNDS [DELAY_MS]\n");
    return 2;
  }
  int tokens = atoi(argv[1]), rounds = atoi(argv[2]);
  int delay = argc > 3 ? atoi(argv[3]) : 0;
  char line[64];
  int sf = open("/dev/mosix/self", O_RDONLY);
  ssize_t n = sf < 0 ? -1 : read(sf, line, sizeof line - 1);
  if (n <= 0) {
    printf("bad self: %s\n", strerror(errno));
    return 1;
  }
  line[n] = 0;
  close(sf);
  printf("self %s", line);
  fflush(stdout);

  int me, count;
  unsigned next_home, next_pid;
  if (scanf("%d %d %u %u", &me, &count, &next_home, &next_pid) != 4) {
    printf("bad ring line\n");
    return 1;
  }
  char path[64];
  snprintf(path, sizeof path, "/dev/mosix/to/%u/%u", next_home, next_pid);
  int box = open("/dev/mosix/mbox", O_RDONLY);
  int out = open(path, O_WRONLY);
  if (box < 0 || out < 0) {
    printf("bad open: %s\n", strerror(errno));
    return 1;
  }
  struct token t;
  if (me == 0) {
    for (int i = 0; i < tokens; i++) {
      t.id = (uint32_t)i;
      t.round = 0;
      fill(&t);
      pass(out, &t, me);
    }
  }
  long total = (long)tokens * rounds, got = 0;
  struct timespec pause = {delay / 1000, (delay % 1000) * 1000000L};
  while (got < total) {
    n = read(box, &t, sizeof t);
    if (n != (ssize_t)sizeof t) {
      printf("bad read: %s\n", n < 0 ? strerror(errno) : "short");
      return 1;
    }
    uint32_t want_id = (uint32_t)(got % tokens), want_round = (uint32_t)(got / tokens);
    uint32_t prev = (uint32_t)((me + count - 1) % count);
    if (t.id != want_id || t.round != want_round || t.from != prev || !intact(&t)) {
      printf("bad token %ld: got %u/%u from %u, want %u/%u from %u\n", got, t.id,
             t.round, t.from, want_id, want_round, prev);
      return 1;
    }
    got++;
    if (delay > 0) nanosleep(&pause, NULL);
    if (me != 0) pass(out, &t, me);
    else if (t.round + 1 < (uint32_t)rounds) {
      t.round++;
      fill(&t);
      pass(out, &t, me);
    }
  }
  printf("ok %ld tokens\n", got);
  return 0;
}

/* Forwarded-call latency: N lseek calls on a file (each one executed by the
 * deputy at home), timed with the local monotonic clock. Waits for a line on
 * stdin first, so the bench can move it before it starts.
 * Usage: syscalls N */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 2000;
  char line[16];
  if (!fgets(line, sizeof line, stdin)) return 1;
  int fd = open("syscalls.tmp", O_CREAT | O_RDWR, 0644);
  if (fd < 0) return 1;
  double t0 = now();
  for (long i = 0; i < n; i++) {
    /* A failed call would time nothing: stop with an error instead. */
    if (lseek(fd, i, SEEK_SET) != i) {
      perror("lseek");
      return 1;
    }
  }
  double t1 = now();
  close(fd);
  unlink("syscalls.tmp");
  printf("%.3f\n", (t1 - t0) / n * 1e6);
  return 0;
}

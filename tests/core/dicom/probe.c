/*
 * Test program for the /dev/mosix devices: runs the operations given as
 * arguments in order and prints one line per result.
 *
 *   self | from                 read that device
 *   to HOME PID                 open a device to that process
 *   write TEXT | bigwrite SIZE  one message (SIZE bytes of a pattern)
 *   read SIZE | nbread SIZE     read the mailbox with a SIZE buffer (blocking or not)
 *   bigread SIZE                read one message, check the pattern
 *   stat                        size of the next message (fstat)
 *   poll MS                     poll the mailbox (and stdin) for MS ms
 *   waitline                    wait for a line on stdin
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int box = -1, nbbox = -1, out = -1;

static int mbox(int nonblock) {
  int *fd = nonblock ? &nbbox : &box;
  if (*fd < 0) *fd = open("/dev/mosix/mbox", O_RDONLY | (nonblock ? O_NONBLOCK : 0));
  return *fd;
}

static void show(const char *op, ssize_t n, const unsigned char *b) {
  if (n < 0) {
    printf("%s errno=%d\n", op, errno);
    return;
  }
  printf("%s %zd ", op, n);
  for (ssize_t i = 0; i < n && i < 40; i++) putchar(b[i] >= 32 && b[i] < 127 ? b[i] : '.');
  putchar('\n');
}

int main(int argc, char **argv) {
  static unsigned char buf[4 * 1024 * 1024 + 16];
  for (int a = 1; a < argc; a++) {
    const char *op = argv[a];
    if (!strcmp(op, "self") || !strcmp(op, "from")) {
      char path[32];
      snprintf(path, sizeof path, "/dev/mosix/%s", op);
      int fd = open(path, O_RDONLY);
      ssize_t n = fd < 0 ? -1 : read(fd, buf, 64);
      show(op, n, buf);
      if (fd >= 0) close(fd);
    } else if (!strcmp(op, "to")) {
      char path[64];
      snprintf(path, sizeof path, "/dev/mosix/to/%s/%s", argv[a + 1], argv[a + 2]);
      a += 2;
      if (out >= 0) close(out);
      out = open(path, O_WRONLY);
      if (out < 0) printf("to errno=%d\n", errno);
      else printf("to ok\n");
    } else if (!strcmp(op, "write")) {
      const char *t = argv[++a];
      ssize_t n = write(out, t, strlen(t));
      show("write", n, (const unsigned char *)t);
    } else if (!strcmp(op, "bigwrite")) {
      size_t size = (size_t)atol(argv[++a]);
      for (size_t i = 0; i < size; i++) buf[i] = (unsigned char)(i * 7 + i / 65536);
      ssize_t n = write(out, buf, size);
      if (n < 0) printf("bigwrite errno=%d\n", errno);
      else printf("bigwrite %zd\n", n);
    } else if (!strcmp(op, "read") || !strcmp(op, "nbread")) {
      size_t size = (size_t)atol(argv[++a]);
      ssize_t n = read(mbox(op[0] == 'n'), buf, size);
      show(op, n, buf);
    } else if (!strcmp(op, "bigread")) {
      size_t size = (size_t)atol(argv[++a]);
      ssize_t n = read(mbox(0), buf, size);
      if (n < 0) {
        printf("bigread errno=%d\n", errno);
        continue;
      }
      size_t bad = 0;
      for (ssize_t i = 0; i < n; i++)
        if (buf[i] != (unsigned char)(i * 7 + i / 65536)) bad++;
      printf("bigread %zd bad=%zu\n", n, bad);
    } else if (!strcmp(op, "stat")) {
      struct stat st;
      if (fstat(mbox(0), &st) < 0) printf("stat errno=%d\n", errno);
      else printf("stat %lld\n", (long long)st.st_size);
    } else if (!strcmp(op, "poll")) {
      int ms = atoi(argv[++a]);
      struct pollfd p[2] = {{mbox(0), POLLIN, 0}, {0, POLLIN, 0}};
      int n = poll(p, 2, ms);
      printf("poll %d mbox=%d stdin=%d\n", n, (p[0].revents & POLLIN) != 0,
             (p[1].revents & POLLIN) != 0);
    } else if (!strcmp(op, "waitline")) {
      if (!fgets((char *)buf, 256, stdin)) printf("waitline eof\n");
      else printf("waitline %s", buf);
    } else {
      printf("unknown op %s\n", op);
      return 2;
    }
    fflush(stdout);
  }
  return 0;
}

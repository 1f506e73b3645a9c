/* Runtime test program: computes, then blocks reading stdin, then echoes. */
#include <stdio.h>
#include <string.h>

int main(void) {
  unsigned long s = 0;
  for (unsigned long i = 0; i < 1000000; i++) s += i * i;
  printf("before %lu\n", s);
  fflush(stdout);
  char line[128];
  if (fgets(line, sizeof line, stdin) == NULL) strcpy(line, "(eof)\n");
  printf("got %s", line);
  printf("after %lu\n", s + strlen(line));
  return 0;
}

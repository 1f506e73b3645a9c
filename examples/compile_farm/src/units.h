/* The units of the compile-farm example. */
#ifndef UNITS_H
#define UNITS_H

/* One small function with a loop and a switch, for the optimizer to chew on. */
#define MIXER(name, a, b, c) \
  static unsigned name(unsigned x) { \
    unsigned acc = x * (a##u) + (b##u); \
    for (unsigned k = 0; k < (c##u) + 8u; k++) { \
      acc ^= (acc << ((c) % 13 + 1)) | (acc >> ((c) % 7 + 1)); \
      acc += k * (a##u); \
      if (acc % (b##u) == 0) acc += (c##u); \
      switch (acc & 3u) { \
      case 0: acc = acc * ((a##u) | 1u); break; \
      case 1: acc = acc / ((b) % 5 + 2) + (c##u); break; \
      case 2: acc -= (b##u); break; \
      default: acc = ~acc; break; \
      } \
    } \
    return acc; \
  }

unsigned unit_00(unsigned x);
unsigned unit_01(unsigned x);
unsigned unit_02(unsigned x);
unsigned unit_03(unsigned x);
unsigned unit_04(unsigned x);
unsigned unit_05(unsigned x);
unsigned unit_06(unsigned x);
unsigned unit_07(unsigned x);
unsigned unit_08(unsigned x);
unsigned unit_09(unsigned x);
unsigned unit_10(unsigned x);
unsigned unit_11(unsigned x);
unsigned unit_12(unsigned x);
unsigned unit_13(unsigned x);
unsigned unit_14(unsigned x);
unsigned unit_15(unsigned x);
unsigned unit_16(unsigned x);
unsigned unit_17(unsigned x);
unsigned unit_18(unsigned x);
unsigned unit_19(unsigned x);
unsigned unit_20(unsigned x);
unsigned unit_21(unsigned x);
unsigned unit_22(unsigned x);
unsigned unit_23(unsigned x);
unsigned unit_24(unsigned x);
unsigned unit_25(unsigned x);
unsigned unit_26(unsigned x);
unsigned unit_27(unsigned x);
unsigned unit_28(unsigned x);
unsigned unit_29(unsigned x);
unsigned unit_30(unsigned x);
unsigned unit_31(unsigned x);
unsigned unit_32(unsigned x);
unsigned unit_33(unsigned x);
unsigned unit_34(unsigned x);
unsigned unit_35(unsigned x);
unsigned unit_36(unsigned x);
unsigned unit_37(unsigned x);
unsigned unit_38(unsigned x);
unsigned unit_39(unsigned x);

#endif

/* Calls every unit and prints a checksum: the build is right if it matches expected.txt. */
#include <stdio.h>
#include "units.h"

int main(void) {
  unsigned s = 1;
  s = unit_00(s);
  s = unit_01(s);
  s = unit_02(s);
  s = unit_03(s);
  s = unit_04(s);
  s = unit_05(s);
  s = unit_06(s);
  s = unit_07(s);
  s = unit_08(s);
  s = unit_09(s);
  s = unit_10(s);
  s = unit_11(s);
  s = unit_12(s);
  s = unit_13(s);
  s = unit_14(s);
  s = unit_15(s);
  s = unit_16(s);
  s = unit_17(s);
  s = unit_18(s);
  s = unit_19(s);
  s = unit_20(s);
  s = unit_21(s);
  s = unit_22(s);
  s = unit_23(s);
  s = unit_24(s);
  s = unit_25(s);
  s = unit_26(s);
  s = unit_27(s);
  s = unit_28(s);
  s = unit_29(s);
  s = unit_30(s);
  s = unit_31(s);
  s = unit_32(s);
  s = unit_33(s);
  s = unit_34(s);
  s = unit_35(s);
  s = unit_36(s);
  s = unit_37(s);
  s = unit_38(s);
  s = unit_39(s);
  printf("checksum %u\n", s);
  return 0;
}

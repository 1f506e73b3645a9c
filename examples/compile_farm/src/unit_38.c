/* Unit 38 of the compile-farm example (generated): some work for the compiler. */
#include "units.h"

MIXER(m00, 17, 27, 30)
MIXER(m01, 60, 79, 20)
MIXER(m02, 47, 73, 31)
MIXER(m03, 78, 13, 27)
MIXER(m04, 42, 23, 21)
MIXER(m05, 95, 63, 24)
MIXER(m06, 95, 18, 30)
MIXER(m07, 18, 16, 28)
MIXER(m08, 84, 6, 26)
MIXER(m09, 17, 19, 27)
MIXER(m10, 62, 3, 9)
MIXER(m11, 96, 79, 30)
MIXER(m12, 27, 74, 11)
MIXER(m13, 46, 56, 24)
MIXER(m14, 54, 77, 29)
MIXER(m15, 29, 51, 5)
MIXER(m16, 65, 39, 2)
MIXER(m17, 55, 80, 26)
MIXER(m18, 26, 23, 19)
MIXER(m19, 78, 73, 13)
MIXER(m20, 48, 62, 12)
MIXER(m21, 30, 43, 19)
MIXER(m22, 85, 13, 17)
MIXER(m23, 17, 9, 11)
MIXER(m24, 64, 50, 29)
MIXER(m25, 9, 81, 7)
MIXER(m26, 11, 97, 6)
MIXER(m27, 33, 30, 27)
MIXER(m28, 63, 56, 10)
MIXER(m29, 76, 30, 19)
MIXER(m30, 7, 73, 20)
MIXER(m31, 57, 77, 28)
MIXER(m32, 13, 81, 22)
MIXER(m33, 17, 97, 12)
MIXER(m34, 97, 78, 10)
MIXER(m35, 78, 55, 18)
MIXER(m36, 62, 48, 3)
MIXER(m37, 17, 40, 1)
MIXER(m38, 81, 27, 24)
MIXER(m39, 16, 69, 27)
MIXER(m40, 50, 17, 16)
MIXER(m41, 3, 88, 10)
MIXER(m42, 88, 59, 7)
MIXER(m43, 83, 63, 21)
MIXER(m44, 16, 87, 5)
MIXER(m45, 29, 42, 29)
MIXER(m46, 78, 44, 12)
MIXER(m47, 74, 10, 28)

unsigned unit_38(unsigned x) {
  unsigned s = x;
  s = m00(s) + 4u;
  s = m01(s) + 6u;
  s = m02(s) + 6u;
  s = m03(s) + 5u;
  s = m04(s) + 8u;
  s = m05(s) + 2u;
  s = m06(s) + 9u;
  s = m07(s) + 4u;
  s = m08(s) + 6u;
  s = m09(s) + 4u;
  s = m10(s) + 8u;
  s = m11(s) + 5u;
  s = m12(s) + 4u;
  s = m13(s) + 7u;
  s = m14(s) + 9u;
  s = m15(s) + 9u;
  s = m16(s) + 9u;
  s = m17(s) + 4u;
  s = m18(s) + 7u;
  s = m19(s) + 8u;
  s = m20(s) + 1u;
  s = m21(s) + 6u;
  s = m22(s) + 9u;
  s = m23(s) + 5u;
  s = m24(s) + 7u;
  s = m25(s) + 1u;
  s = m26(s) + 2u;
  s = m27(s) + 5u;
  s = m28(s) + 8u;
  s = m29(s) + 2u;
  s = m30(s) + 5u;
  s = m31(s) + 9u;
  s = m32(s) + 6u;
  s = m33(s) + 6u;
  s = m34(s) + 5u;
  s = m35(s) + 4u;
  s = m36(s) + 8u;
  s = m37(s) + 7u;
  s = m38(s) + 6u;
  s = m39(s) + 5u;
  s = m40(s) + 4u;
  s = m41(s) + 1u;
  s = m42(s) + 1u;
  s = m43(s) + 7u;
  s = m44(s) + 6u;
  s = m45(s) + 8u;
  s = m46(s) + 1u;
  s = m47(s) + 4u;
  return s;
}

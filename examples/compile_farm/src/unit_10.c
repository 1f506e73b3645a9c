/* Unit 10 of the compile-farm example (generated): some work for the compiler. */
#include "units.h"

MIXER(m00, 3, 92, 18)
MIXER(m01, 44, 95, 30)
MIXER(m02, 65, 22, 12)
MIXER(m03, 10, 95, 20)
MIXER(m04, 64, 36, 26)
MIXER(m05, 45, 80, 18)
MIXER(m06, 24, 53, 14)
MIXER(m07, 59, 5, 8)
MIXER(m08, 40, 16, 27)
MIXER(m09, 12, 71, 16)
MIXER(m10, 13, 88, 21)
MIXER(m11, 15, 13, 24)
MIXER(m12, 55, 25, 11)
MIXER(m13, 8, 42, 21)
MIXER(m14, 69, 13, 25)
MIXER(m15, 8, 65, 17)
MIXER(m16, 30, 59, 10)
MIXER(m17, 57, 38, 20)
MIXER(m18, 76, 12, 22)
MIXER(m19, 34, 40, 27)
MIXER(m20, 78, 41, 3)
MIXER(m21, 40, 55, 4)
MIXER(m22, 47, 83, 31)
MIXER(m23, 14, 46, 28)
MIXER(m24, 48, 90, 4)
MIXER(m25, 44, 15, 27)
MIXER(m26, 44, 7, 22)
MIXER(m27, 92, 10, 20)
MIXER(m28, 39, 42, 9)
MIXER(m29, 67, 70, 12)
MIXER(m30, 67, 14, 28)
MIXER(m31, 75, 60, 14)
MIXER(m32, 81, 96, 13)
MIXER(m33, 18, 19, 3)
MIXER(m34, 44, 7, 10)
MIXER(m35, 56, 80, 31)
MIXER(m36, 25, 4, 15)
MIXER(m37, 96, 42, 2)
MIXER(m38, 78, 92, 29)
MIXER(m39, 11, 13, 10)
MIXER(m40, 39, 58, 22)
MIXER(m41, 7, 58, 15)
MIXER(m42, 23, 91, 11)
MIXER(m43, 91, 68, 19)
MIXER(m44, 62, 82, 15)
MIXER(m45, 25, 49, 16)
MIXER(m46, 82, 14, 4)
MIXER(m47, 37, 50, 30)

unsigned unit_10(unsigned x) {
  unsigned s = x;
  s = m00(s) + 8u;
  s = m01(s) + 2u;
  s = m02(s) + 1u;
  s = m03(s) + 6u;
  s = m04(s) + 8u;
  s = m05(s) + 7u;
  s = m06(s) + 9u;
  s = m07(s) + 8u;
  s = m08(s) + 9u;
  s = m09(s) + 4u;
  s = m10(s) + 6u;
  s = m11(s) + 6u;
  s = m12(s) + 6u;
  s = m13(s) + 2u;
  s = m14(s) + 2u;
  s = m15(s) + 8u;
  s = m16(s) + 3u;
  s = m17(s) + 8u;
  s = m18(s) + 9u;
  s = m19(s) + 2u;
  s = m20(s) + 7u;
  s = m21(s) + 3u;
  s = m22(s) + 7u;
  s = m23(s) + 4u;
  s = m24(s) + 8u;
  s = m25(s) + 8u;
  s = m26(s) + 8u;
  s = m27(s) + 4u;
  s = m28(s) + 8u;
  s = m29(s) + 9u;
  s = m30(s) + 9u;
  s = m31(s) + 4u;
  s = m32(s) + 7u;
  s = m33(s) + 8u;
  s = m34(s) + 6u;
  s = m35(s) + 2u;
  s = m36(s) + 3u;
  s = m37(s) + 2u;
  s = m38(s) + 1u;
  s = m39(s) + 5u;
  s = m40(s) + 4u;
  s = m41(s) + 5u;
  s = m42(s) + 9u;
  s = m43(s) + 7u;
  s = m44(s) + 1u;
  s = m45(s) + 6u;
  s = m46(s) + 8u;
  s = m47(s) + 6u;
  return s;
}

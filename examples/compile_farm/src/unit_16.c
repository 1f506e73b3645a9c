/* Unit 16 of the compile-farm example (generated): some work for the compiler. */
#include "units.h"

MIXER(m00, 32, 87, 30)
MIXER(m01, 32, 62, 6)
MIXER(m02, 23, 36, 27)
MIXER(m03, 84, 28, 23)
MIXER(m04, 6, 8, 9)
MIXER(m05, 56, 32, 12)
MIXER(m06, 77, 3, 23)
MIXER(m07, 96, 76, 31)
MIXER(m08, 91, 68, 22)
MIXER(m09, 46, 61, 23)
MIXER(m10, 52, 73, 3)
MIXER(m11, 88, 77, 16)
MIXER(m12, 57, 35, 31)
MIXER(m13, 12, 49, 11)
MIXER(m14, 50, 74, 9)
MIXER(m15, 15, 35, 25)
MIXER(m16, 36, 21, 24)
MIXER(m17, 27, 13, 6)
MIXER(m18, 82, 12, 5)
MIXER(m19, 86, 80, 29)
MIXER(m20, 95, 77, 24)
MIXER(m21, 84, 57, 4)
MIXER(m22, 39, 53, 30)
MIXER(m23, 58, 34, 26)
MIXER(m24, 19, 29, 19)
MIXER(m25, 32, 67, 8)
MIXER(m26, 51, 23, 15)
MIXER(m27, 56, 52, 20)
MIXER(m28, 38, 91, 12)
MIXER(m29, 67, 45, 6)
MIXER(m30, 11, 90, 22)
MIXER(m31, 17, 74, 29)
MIXER(m32, 40, 25, 1)
MIXER(m33, 86, 66, 17)
MIXER(m34, 5, 59, 16)
MIXER(m35, 85, 45, 11)
MIXER(m36, 33, 83, 15)
MIXER(m37, 4, 41, 6)
MIXER(m38, 15, 55, 25)
MIXER(m39, 82, 50, 29)
MIXER(m40, 22, 74, 29)
MIXER(m41, 34, 83, 8)
MIXER(m42, 21, 92, 22)
MIXER(m43, 36, 57, 16)
MIXER(m44, 94, 33, 6)
MIXER(m45, 70, 7, 28)
MIXER(m46, 25, 97, 26)
MIXER(m47, 78, 27, 1)

unsigned unit_16(unsigned x) {
  unsigned s = x;
  s = m00(s) + 8u;
  s = m01(s) + 9u;
  s = m02(s) + 6u;
  s = m03(s) + 7u;
  s = m04(s) + 6u;
  s = m05(s) + 2u;
  s = m06(s) + 8u;
  s = m07(s) + 6u;
  s = m08(s) + 2u;
  s = m09(s) + 8u;
  s = m10(s) + 5u;
  s = m11(s) + 4u;
  s = m12(s) + 1u;
  s = m13(s) + 7u;
  s = m14(s) + 4u;
  s = m15(s) + 3u;
  s = m16(s) + 2u;
  s = m17(s) + 6u;
  s = m18(s) + 9u;
  s = m19(s) + 5u;
  s = m20(s) + 5u;
  s = m21(s) + 7u;
  s = m22(s) + 8u;
  s = m23(s) + 2u;
  s = m24(s) + 6u;
  s = m25(s) + 5u;
  s = m26(s) + 6u;
  s = m27(s) + 3u;
  s = m28(s) + 2u;
  s = m29(s) + 7u;
  s = m30(s) + 7u;
  s = m31(s) + 9u;
  s = m32(s) + 9u;
  s = m33(s) + 4u;
  s = m34(s) + 2u;
  s = m35(s) + 3u;
  s = m36(s) + 9u;
  s = m37(s) + 8u;
  s = m38(s) + 6u;
  s = m39(s) + 9u;
  s = m40(s) + 5u;
  s = m41(s) + 3u;
  s = m42(s) + 3u;
  s = m43(s) + 8u;
  s = m44(s) + 7u;
  s = m45(s) + 3u;
  s = m46(s) + 6u;
  s = m47(s) + 5u;
  return s;
}

/* Unit 03 of the compile-farm example (generated): some work for the compiler. */
#include "units.h"

MIXER(m00, 6, 72, 24)
MIXER(m01, 9, 22, 31)
MIXER(m02, 90, 31, 24)
MIXER(m03, 13, 88, 16)
MIXER(m04, 20, 92, 20)
MIXER(m05, 48, 33, 10)
MIXER(m06, 81, 93, 12)
MIXER(m07, 51, 20, 24)
MIXER(m08, 85, 40, 26)
MIXER(m09, 49, 69, 2)
MIXER(m10, 97, 26, 13)
MIXER(m11, 15, 7, 2)
MIXER(m12, 28, 28, 2)
MIXER(m13, 64, 87, 25)
MIXER(m14, 3, 57, 16)
MIXER(m15, 82, 57, 11)
MIXER(m16, 62, 15, 7)
MIXER(m17, 86, 23, 3)
MIXER(m18, 52, 63, 5)
MIXER(m19, 35, 17, 9)
MIXER(m20, 39, 89, 8)
MIXER(m21, 64, 7, 12)
MIXER(m22, 43, 10, 23)
MIXER(m23, 89, 61, 16)
MIXER(m24, 18, 88, 11)
MIXER(m25, 61, 89, 8)
MIXER(m26, 7, 28, 23)
MIXER(m27, 76, 32, 22)
MIXER(m28, 82, 54, 30)
MIXER(m29, 90, 42, 6)
MIXER(m30, 49, 39, 3)
MIXER(m31, 23, 33, 6)
MIXER(m32, 8, 85, 20)
MIXER(m33, 95, 37, 1)
MIXER(m34, 10, 60, 25)
MIXER(m35, 24, 8, 2)
MIXER(m36, 69, 75, 12)
MIXER(m37, 94, 12, 8)
MIXER(m38, 14, 63, 2)
MIXER(m39, 85, 9, 16)
MIXER(m40, 10, 9, 9)
MIXER(m41, 60, 42, 21)
MIXER(m42, 7, 27, 6)
MIXER(m43, 84, 54, 7)
MIXER(m44, 32, 13, 30)
MIXER(m45, 16, 14, 18)
MIXER(m46, 79, 12, 28)
MIXER(m47, 82, 5, 15)

unsigned unit_03(unsigned x) {
  unsigned s = x;
  s = m00(s) + 7u;
  s = m01(s) + 7u;
  s = m02(s) + 2u;
  s = m03(s) + 4u;
  s = m04(s) + 7u;
  s = m05(s) + 6u;
  s = m06(s) + 7u;
  s = m07(s) + 6u;
  s = m08(s) + 7u;
  s = m09(s) + 4u;
  s = m10(s) + 2u;
  s = m11(s) + 3u;
  s = m12(s) + 8u;
  s = m13(s) + 6u;
  s = m14(s) + 5u;
  s = m15(s) + 8u;
  s = m16(s) + 3u;
  s = m17(s) + 6u;
  s = m18(s) + 9u;
  s = m19(s) + 3u;
  s = m20(s) + 1u;
  s = m21(s) + 6u;
  s = m22(s) + 1u;
  s = m23(s) + 3u;
  s = m24(s) + 5u;
  s = m25(s) + 3u;
  s = m26(s) + 1u;
  s = m27(s) + 2u;
  s = m28(s) + 6u;
  s = m29(s) + 8u;
  s = m30(s) + 8u;
  s = m31(s) + 4u;
  s = m32(s) + 7u;
  s = m33(s) + 8u;
  s = m34(s) + 7u;
  s = m35(s) + 9u;
  s = m36(s) + 2u;
  s = m37(s) + 8u;
  s = m38(s) + 4u;
  s = m39(s) + 7u;
  s = m40(s) + 7u;
  s = m41(s) + 1u;
  s = m42(s) + 9u;
  s = m43(s) + 9u;
  s = m44(s) + 6u;
  s = m45(s) + 3u;
  s = m46(s) + 4u;
  s = m47(s) + 9u;
  return s;
}

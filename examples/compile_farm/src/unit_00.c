/* Unit 00 of the compile-farm example (generated): some work for the compiler. */
#include "units.h"

MIXER(m00, 82, 35, 24)
MIXER(m01, 91, 97, 21)
MIXER(m02, 6, 62, 25)
MIXER(m03, 86, 9, 29)
MIXER(m04, 17, 50, 16)
MIXER(m05, 51, 72, 4)
MIXER(m06, 4, 96, 7)
MIXER(m07, 38, 26, 30)
MIXER(m08, 23, 12, 5)
MIXER(m09, 19, 19, 1)
MIXER(m10, 29, 30, 31)
MIXER(m11, 24, 40, 11)
MIXER(m12, 72, 89, 21)
MIXER(m13, 26, 91, 7)
MIXER(m14, 41, 5, 12)
MIXER(m15, 24, 21, 9)
MIXER(m16, 45, 41, 27)
MIXER(m17, 79, 89, 23)
MIXER(m18, 11, 42, 12)
MIXER(m19, 64, 92, 11)
MIXER(m20, 64, 63, 23)
MIXER(m21, 10, 35, 31)
MIXER(m22, 48, 54, 1)
MIXER(m23, 56, 49, 13)
MIXER(m24, 60, 8, 23)
MIXER(m25, 82, 28, 4)
MIXER(m26, 62, 47, 17)
MIXER(m27, 70, 35, 25)
MIXER(m28, 16, 78, 24)
MIXER(m29, 40, 7, 14)
MIXER(m30, 29, 46, 17)
MIXER(m31, 21, 46, 9)
MIXER(m32, 14, 42, 22)
MIXER(m33, 42, 25, 26)
MIXER(m34, 83, 22, 24)
MIXER(m35, 64, 23, 24)
MIXER(m36, 13, 79, 18)
MIXER(m37, 7, 33, 24)
MIXER(m38, 35, 61, 21)
MIXER(m39, 21, 10, 30)
MIXER(m40, 66, 45, 27)
MIXER(m41, 19, 96, 19)
MIXER(m42, 83, 55, 4)
MIXER(m43, 58, 50, 5)
MIXER(m44, 56, 40, 5)
MIXER(m45, 82, 24, 17)
MIXER(m46, 65, 91, 24)
MIXER(m47, 64, 38, 10)

unsigned unit_00(unsigned x) {
  unsigned s = x;
  s = m00(s) + 6u;
  s = m01(s) + 9u;
  s = m02(s) + 4u;
  s = m03(s) + 3u;
  s = m04(s) + 4u;
  s = m05(s) + 4u;
  s = m06(s) + 7u;
  s = m07(s) + 7u;
  s = m08(s) + 8u;
  s = m09(s) + 1u;
  s = m10(s) + 3u;
  s = m11(s) + 4u;
  s = m12(s) + 4u;
  s = m13(s) + 7u;
  s = m14(s) + 7u;
  s = m15(s) + 2u;
  s = m16(s) + 1u;
  s = m17(s) + 6u;
  s = m18(s) + 5u;
  s = m19(s) + 3u;
  s = m20(s) + 3u;
  s = m21(s) + 1u;
  s = m22(s) + 9u;
  s = m23(s) + 1u;
  s = m24(s) + 3u;
  s = m25(s) + 4u;
  s = m26(s) + 6u;
  s = m27(s) + 8u;
  s = m28(s) + 6u;
  s = m29(s) + 2u;
  s = m30(s) + 6u;
  s = m31(s) + 9u;
  s = m32(s) + 6u;
  s = m33(s) + 2u;
  s = m34(s) + 5u;
  s = m35(s) + 1u;
  s = m36(s) + 7u;
  s = m37(s) + 6u;
  s = m38(s) + 7u;
  s = m39(s) + 1u;
  s = m40(s) + 4u;
  s = m41(s) + 3u;
  s = m42(s) + 3u;
  s = m43(s) + 1u;
  s = m44(s) + 8u;
  s = m45(s) + 8u;
  s = m46(s) + 6u;
  s = m47(s) + 8u;
  return s;
}

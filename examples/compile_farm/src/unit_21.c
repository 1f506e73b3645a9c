/* Unit 21 of the compile-farm example (generated): some work for the compiler. */
#include "units.h"

MIXER(m00, 93, 27, 18)
MIXER(m01, 69, 11, 2)
MIXER(m02, 26, 72, 20)
MIXER(m03, 75, 18, 13)
MIXER(m04, 42, 18, 7)
MIXER(m05, 54, 12, 29)
MIXER(m06, 72, 45, 18)
MIXER(m07, 16, 10, 31)
MIXER(m08, 73, 85, 2)
MIXER(m09, 40, 67, 18)
MIXER(m10, 89, 68, 23)
MIXER(m11, 31, 82, 9)
MIXER(m12, 62, 83, 31)
MIXER(m13, 63, 43, 23)
MIXER(m14, 75, 71, 7)
MIXER(m15, 92, 34, 16)
MIXER(m16, 28, 50, 4)
MIXER(m17, 76, 36, 30)
MIXER(m18, 3, 91, 19)
MIXER(m19, 63, 45, 5)
MIXER(m20, 26, 93, 9)
MIXER(m21, 82, 21, 19)
MIXER(m22, 40, 75, 29)
MIXER(m23, 56, 25, 29)
MIXER(m24, 40, 55, 22)
MIXER(m25, 60, 58, 19)
MIXER(m26, 66, 31, 5)
MIXER(m27, 33, 32, 29)
MIXER(m28, 67, 63, 10)
MIXER(m29, 39, 16, 25)
MIXER(m30, 87, 21, 1)
MIXER(m31, 32, 16, 11)
MIXER(m32, 19, 47, 22)
MIXER(m33, 75, 22, 23)
MIXER(m34, 35, 5, 23)
MIXER(m35, 30, 68, 1)
MIXER(m36, 3, 18, 6)
MIXER(m37, 61, 48, 8)
MIXER(m38, 9, 85, 11)
MIXER(m39, 82, 26, 29)
MIXER(m40, 94, 88, 11)
MIXER(m41, 74, 66, 7)
MIXER(m42, 74, 90, 2)
MIXER(m43, 63, 40, 13)
MIXER(m44, 93, 59, 13)
MIXER(m45, 46, 95, 27)
MIXER(m46, 73, 46, 8)
MIXER(m47, 62, 29, 25)

unsigned unit_21(unsigned x) {
  unsigned s = x;
  s = m00(s) + 5u;
  s = m01(s) + 5u;
  s = m02(s) + 4u;
  s = m03(s) + 1u;
  s = m04(s) + 1u;
  s = m05(s) + 7u;
  s = m06(s) + 9u;
  s = m07(s) + 7u;
  s = m08(s) + 9u;
  s = m09(s) + 3u;
  s = m10(s) + 3u;
  s = m11(s) + 4u;
  s = m12(s) + 6u;
  s = m13(s) + 5u;
  s = m14(s) + 7u;
  s = m15(s) + 4u;
  s = m16(s) + 3u;
  s = m17(s) + 1u;
  s = m18(s) + 6u;
  s = m19(s) + 6u;
  s = m20(s) + 6u;
  s = m21(s) + 1u;
  s = m22(s) + 2u;
  s = m23(s) + 1u;
  s = m24(s) + 8u;
  s = m25(s) + 3u;
  s = m26(s) + 3u;
  s = m27(s) + 9u;
  s = m28(s) + 1u;
  s = m29(s) + 7u;
  s = m30(s) + 3u;
  s = m31(s) + 1u;
  s = m32(s) + 1u;
  s = m33(s) + 5u;
  s = m34(s) + 1u;
  s = m35(s) + 5u;
  s = m36(s) + 9u;
  s = m37(s) + 6u;
  s = m38(s) + 6u;
  s = m39(s) + 7u;
  s = m40(s) + 2u;
  s = m41(s) + 3u;
  s = m42(s) + 3u;
  s = m43(s) + 9u;
  s = m44(s) + 7u;
  s = m45(s) + 3u;
  s = m46(s) + 4u;
  s = m47(s) + 8u;
  return s;
}

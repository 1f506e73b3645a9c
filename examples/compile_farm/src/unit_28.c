/* Unit 28 of the compile-farm example (generated): some work for the compiler. */
#include "units.h"

MIXER(m00, 68, 48, 22)
MIXER(m01, 87, 36, 25)
MIXER(m02, 90, 94, 1)
MIXER(m03, 81, 3, 17)
MIXER(m04, 83, 55, 12)
MIXER(m05, 33, 48, 30)
MIXER(m06, 75, 48, 13)
MIXER(m07, 66, 11, 3)
MIXER(m08, 83, 86, 5)
MIXER(m09, 64, 17, 3)
MIXER(m10, 69, 27, 15)
MIXER(m11, 33, 12, 5)
MIXER(m12, 43, 69, 6)
MIXER(m13, 54, 91, 17)
MIXER(m14, 41, 73, 5)
MIXER(m15, 42, 61, 7)
MIXER(m16, 97, 65, 15)
MIXER(m17, 45, 74, 30)
MIXER(m18, 21, 43, 11)
MIXER(m19, 93, 96, 28)
MIXER(m20, 43, 74, 7)
MIXER(m21, 88, 76, 21)
MIXER(m22, 64, 88, 15)
MIXER(m23, 58, 91, 21)
MIXER(m24, 93, 76, 11)
MIXER(m25, 24, 44, 11)
MIXER(m26, 91, 9, 29)
MIXER(m27, 6, 24, 13)
MIXER(m28, 55, 66, 30)
MIXER(m29, 57, 23, 3)
MIXER(m30, 46, 9, 1)
MIXER(m31, 14, 55, 5)
MIXER(m32, 37, 26, 8)
MIXER(m33, 46, 96, 26)
MIXER(m34, 22, 71, 8)
MIXER(m35, 46, 79, 17)
MIXER(m36, 68, 94, 10)
MIXER(m37, 95, 74, 30)
MIXER(m38, 91, 65, 12)
MIXER(m39, 91, 12, 7)
MIXER(m40, 67, 78, 6)
MIXER(m41, 91, 48, 25)
MIXER(m42, 59, 70, 30)
MIXER(m43, 94, 82, 3)
MIXER(m44, 72, 14, 3)
MIXER(m45, 94, 62, 5)
MIXER(m46, 94, 46, 7)
MIXER(m47, 46, 22, 22)

unsigned unit_28(unsigned x) {
  unsigned s = x;
  s = m00(s) + 8u;
  s = m01(s) + 4u;
  s = m02(s) + 5u;
  s = m03(s) + 5u;
  s = m04(s) + 3u;
  s = m05(s) + 4u;
  s = m06(s) + 5u;
  s = m07(s) + 5u;
  s = m08(s) + 2u;
  s = m09(s) + 2u;
  s = m10(s) + 8u;
  s = m11(s) + 3u;
  s = m12(s) + 6u;
  s = m13(s) + 4u;
  s = m14(s) + 6u;
  s = m15(s) + 3u;
  s = m16(s) + 8u;
  s = m17(s) + 2u;
  s = m18(s) + 5u;
  s = m19(s) + 6u;
  s = m20(s) + 2u;
  s = m21(s) + 5u;
  s = m22(s) + 2u;
  s = m23(s) + 5u;
  s = m24(s) + 2u;
  s = m25(s) + 3u;
  s = m26(s) + 9u;
  s = m27(s) + 6u;
  s = m28(s) + 6u;
  s = m29(s) + 8u;
  s = m30(s) + 1u;
  s = m31(s) + 8u;
  s = m32(s) + 6u;
  s = m33(s) + 4u;
  s = m34(s) + 5u;
  s = m35(s) + 7u;
  s = m36(s) + 1u;
  s = m37(s) + 6u;
  s = m38(s) + 9u;
  s = m39(s) + 8u;
  s = m40(s) + 1u;
  s = m41(s) + 4u;
  s = m42(s) + 2u;
  s = m43(s) + 4u;
  s = m44(s) + 9u;
  s = m45(s) + 7u;
  s = m46(s) + 7u;
  s = m47(s) + 3u;
  return s;
}

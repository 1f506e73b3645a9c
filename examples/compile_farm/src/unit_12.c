/* Unit 12 of the compile-farm example (generated): some work for the compiler. */
#include "units.h"

MIXER(m00, 51, 38, 27)
MIXER(m01, 79, 80, 21)
MIXER(m02, 20, 27, 15)
MIXER(m03, 74, 83, 7)
MIXER(m04, 81, 5, 30)
MIXER(m05, 26, 40, 18)
MIXER(m06, 28, 37, 23)
MIXER(m07, 38, 54, 27)
MIXER(m08, 13, 84, 12)
MIXER(m09, 91, 17, 20)
MIXER(m10, 5, 80, 8)
MIXER(m11, 51, 59, 26)
MIXER(m12, 11, 64, 13)
MIXER(m13, 22, 54, 22)
MIXER(m14, 71, 10, 25)
MIXER(m15, 81, 79, 2)
MIXER(m16, 67, 87, 9)
MIXER(m17, 67, 90, 6)
MIXER(m18, 58, 81, 26)
MIXER(m19, 52, 93, 27)
MIXER(m20, 75, 81, 26)
MIXER(m21, 39, 32, 14)
MIXER(m22, 64, 70, 28)
MIXER(m23, 62, 64, 31)
MIXER(m24, 59, 83, 19)
MIXER(m25, 33, 44, 23)
MIXER(m26, 21, 13, 4)
MIXER(m27, 86, 62, 18)
MIXER(m28, 89, 21, 1)
MIXER(m29, 92, 81, 22)
MIXER(m30, 17, 8, 27)
MIXER(m31, 57, 59, 30)
MIXER(m32, 18, 5, 11)
MIXER(m33, 71, 88, 17)
MIXER(m34, 94, 31, 6)
MIXER(m35, 68, 66, 28)
MIXER(m36, 44, 9, 25)
MIXER(m37, 4, 66, 2)
MIXER(m38, 27, 73, 30)
MIXER(m39, 38, 41, 8)
MIXER(m40, 59, 88, 3)
MIXER(m41, 64, 32, 11)
MIXER(m42, 36, 30, 12)
MIXER(m43, 3, 43, 4)
MIXER(m44, 33, 43, 10)
MIXER(m45, 48, 34, 10)
MIXER(m46, 83, 74, 16)
MIXER(m47, 18, 71, 17)

unsigned unit_12(unsigned x) {
  unsigned s = x;
  s = m00(s) + 8u;
  s = m01(s) + 6u;
  s = m02(s) + 9u;
  s = m03(s) + 2u;
  s = m04(s) + 8u;
  s = m05(s) + 1u;
  s = m06(s) + 3u;
  s = m07(s) + 5u;
  s = m08(s) + 5u;
  s = m09(s) + 4u;
  s = m10(s) + 5u;
  s = m11(s) + 5u;
  s = m12(s) + 8u;
  s = m13(s) + 8u;
  s = m14(s) + 7u;
  s = m15(s) + 4u;
  s = m16(s) + 6u;
  s = m17(s) + 6u;
  s = m18(s) + 3u;
  s = m19(s) + 4u;
  s = m20(s) + 1u;
  s = m21(s) + 8u;
  s = m22(s) + 3u;
  s = m23(s) + 8u;
  s = m24(s) + 4u;
  s = m25(s) + 4u;
  s = m26(s) + 8u;
  s = m27(s) + 1u;
  s = m28(s) + 8u;
  s = m29(s) + 3u;
  s = m30(s) + 2u;
  s = m31(s) + 3u;
  s = m32(s) + 7u;
  s = m33(s) + 6u;
  s = m34(s) + 8u;
  s = m35(s) + 9u;
  s = m36(s) + 6u;
  s = m37(s) + 4u;
  s = m38(s) + 5u;
  s = m39(s) + 4u;
  s = m40(s) + 8u;
  s = m41(s) + 7u;
  s = m42(s) + 7u;
  s = m43(s) + 3u;
  s = m44(s) + 4u;
  s = m45(s) + 2u;
  s = m46(s) + 5u;
  s = m47(s) + 5u;
  return s;
}

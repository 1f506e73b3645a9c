/* Unit 18 of the compile-farm example (generated): some work for the compiler. */
#include "units.h"

MIXER(m00, 68, 78, 12)
MIXER(m01, 55, 8, 26)
MIXER(m02, 96, 15, 6)
MIXER(m03, 51, 67, 12)
MIXER(m04, 29, 21, 19)
MIXER(m05, 28, 36, 5)
MIXER(m06, 41, 52, 31)
MIXER(m07, 10, 59, 28)
MIXER(m08, 19, 40, 31)
MIXER(m09, 47, 34, 19)
MIXER(m10, 96, 59, 23)
MIXER(m11, 33, 85, 19)
MIXER(m12, 66, 67, 31)
MIXER(m13, 31, 31, 30)
MIXER(m14, 95, 81, 27)
MIXER(m15, 71, 67, 8)
MIXER(m16, 71, 57, 17)
MIXER(m17, 7, 85, 6)
MIXER(m18, 65, 61, 2)
MIXER(m19, 81, 37, 16)
MIXER(m20, 85, 9, 26)
MIXER(m21, 95, 14, 24)
MIXER(m22, 28, 27, 16)
MIXER(m23, 29, 23, 31)
MIXER(m24, 28, 45, 27)
MIXER(m25, 54, 62, 1)
MIXER(m26, 25, 18, 21)
MIXER(m27, 93, 83, 12)
MIXER(m28, 23, 56, 22)
MIXER(m29, 83, 75, 17)
MIXER(m30, 61, 37, 8)
MIXER(m31, 94, 12, 25)
MIXER(m32, 21, 79, 22)
MIXER(m33, 30, 91, 29)
MIXER(m34, 84, 57, 7)
MIXER(m35, 58, 62, 5)
MIXER(m36, 60, 85, 20)
MIXER(m37, 4, 91, 9)
MIXER(m38, 92, 42, 18)
MIXER(m39, 77, 15, 2)
MIXER(m40, 73, 47, 10)
MIXER(m41, 95, 14, 4)
MIXER(m42, 72, 47, 16)
MIXER(m43, 30, 12, 2)
MIXER(m44, 27, 33, 17)
MIXER(m45, 45, 18, 1)
MIXER(m46, 13, 91, 2)
MIXER(m47, 36, 56, 10)

unsigned unit_18(unsigned x) {
  unsigned s = x;
  s = m00(s) + 7u;
  s = m01(s) + 5u;
  s = m02(s) + 4u;
  s = m03(s) + 1u;
  s = m04(s) + 2u;
  s = m05(s) + 9u;
  s = m06(s) + 5u;
  s = m07(s) + 3u;
  s = m08(s) + 3u;
  s = m09(s) + 4u;
  s = m10(s) + 3u;
  s = m11(s) + 8u;
  s = m12(s) + 3u;
  s = m13(s) + 3u;
  s = m14(s) + 5u;
  s = m15(s) + 6u;
  s = m16(s) + 3u;
  s = m17(s) + 5u;
  s = m18(s) + 5u;
  s = m19(s) + 5u;
  s = m20(s) + 1u;
  s = m21(s) + 4u;
  s = m22(s) + 5u;
  s = m23(s) + 4u;
  s = m24(s) + 3u;
  s = m25(s) + 6u;
  s = m26(s) + 3u;
  s = m27(s) + 7u;
  s = m28(s) + 4u;
  s = m29(s) + 1u;
  s = m30(s) + 7u;
  s = m31(s) + 2u;
  s = m32(s) + 9u;
  s = m33(s) + 3u;
  s = m34(s) + 7u;
  s = m35(s) + 3u;
  s = m36(s) + 6u;
  s = m37(s) + 5u;
  s = m38(s) + 7u;
  s = m39(s) + 9u;
  s = m40(s) + 6u;
  s = m41(s) + 3u;
  s = m42(s) + 5u;
  s = m43(s) + 7u;
  s = m44(s) + 3u;
  s = m45(s) + 1u;
  s = m46(s) + 6u;
  s = m47(s) + 2u;
  return s;
}

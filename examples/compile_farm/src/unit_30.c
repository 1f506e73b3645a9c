/* Unit 30 of the compile-farm example (generated): some work for the compiler. */
#include "units.h"

MIXER(m00, 82, 39, 12)
MIXER(m01, 83, 25, 15)
MIXER(m02, 42, 87, 11)
MIXER(m03, 90, 65, 13)
MIXER(m04, 75, 40, 19)
MIXER(m05, 58, 18, 20)
MIXER(m06, 63, 3, 1)
MIXER(m07, 12, 79, 14)
MIXER(m08, 79, 46, 9)
MIXER(m09, 23, 50, 5)
MIXER(m10, 94, 67, 14)
MIXER(m11, 78, 85, 25)
MIXER(m12, 27, 15, 16)
MIXER(m13, 25, 56, 27)
MIXER(m14, 13, 64, 15)
MIXER(m15, 11, 36, 30)
MIXER(m16, 81, 7, 13)
MIXER(m17, 92, 70, 8)
MIXER(m18, 44, 81, 8)
MIXER(m19, 3, 3, 29)
MIXER(m20, 44, 43, 27)
MIXER(m21, 4, 83, 23)
MIXER(m22, 96, 42, 10)
MIXER(m23, 6, 28, 5)
MIXER(m24, 5, 15, 24)
MIXER(m25, 44, 65, 8)
MIXER(m26, 40, 70, 7)
MIXER(m27, 64, 69, 14)
MIXER(m28, 8, 8, 12)
MIXER(m29, 16, 59, 19)
MIXER(m30, 51, 61, 14)
MIXER(m31, 72, 41, 9)
MIXER(m32, 8, 20, 17)
MIXER(m33, 19, 83, 3)
MIXER(m34, 17, 52, 17)
MIXER(m35, 24, 43, 25)
MIXER(m36, 53, 73, 18)
MIXER(m37, 96, 80, 13)
MIXER(m38, 70, 9, 23)
MIXER(m39, 17, 12, 2)
MIXER(m40, 64, 44, 7)
MIXER(m41, 49, 4, 4)
MIXER(m42, 42, 87, 24)
MIXER(m43, 68, 92, 10)
MIXER(m44, 92, 21, 27)
MIXER(m45, 44, 60, 1)
MIXER(m46, 30, 30, 30)
MIXER(m47, 84, 24, 26)

unsigned unit_30(unsigned x) {
  unsigned s = x;
  s = m00(s) + 7u;
  s = m01(s) + 5u;
  s = m02(s) + 8u;
  s = m03(s) + 4u;
  s = m04(s) + 9u;
  s = m05(s) + 2u;
  s = m06(s) + 2u;
  s = m07(s) + 1u;
  s = m08(s) + 3u;
  s = m09(s) + 4u;
  s = m10(s) + 2u;
  s = m11(s) + 1u;
  s = m12(s) + 8u;
  s = m13(s) + 5u;
  s = m14(s) + 7u;
  s = m15(s) + 5u;
  s = m16(s) + 9u;
  s = m17(s) + 5u;
  s = m18(s) + 7u;
  s = m19(s) + 9u;
  s = m20(s) + 7u;
  s = m21(s) + 9u;
  s = m22(s) + 6u;
  s = m23(s) + 7u;
  s = m24(s) + 6u;
  s = m25(s) + 4u;
  s = m26(s) + 1u;
  s = m27(s) + 9u;
  s = m28(s) + 8u;
  s = m29(s) + 8u;
  s = m30(s) + 3u;
  s = m31(s) + 9u;
  s = m32(s) + 1u;
  s = m33(s) + 7u;
  s = m34(s) + 4u;
  s = m35(s) + 9u;
  s = m36(s) + 6u;
  s = m37(s) + 6u;
  s = m38(s) + 5u;
  s = m39(s) + 8u;
  s = m40(s) + 5u;
  s = m41(s) + 9u;
  s = m42(s) + 8u;
  s = m43(s) + 7u;
  s = m44(s) + 2u;
  s = m45(s) + 1u;
  s = m46(s) + 1u;
  s = m47(s) + 3u;
  return s;
}

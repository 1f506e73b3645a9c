/* Unit 37 of the compile-farm example (generated): some work for the compiler. */
#include "units.h"

MIXER(m00, 41, 82, 1)
MIXER(m01, 51, 73, 30)
MIXER(m02, 91, 25, 30)
MIXER(m03, 64, 75, 28)
MIXER(m04, 66, 34, 25)
MIXER(m05, 28, 29, 10)
MIXER(m06, 81, 88, 16)
MIXER(m07, 72, 19, 9)
MIXER(m08, 18, 56, 26)
MIXER(m09, 47, 48, 18)
MIXER(m10, 65, 46, 12)
MIXER(m11, 30, 36, 11)
MIXER(m12, 96, 88, 12)
MIXER(m13, 63, 93, 28)
MIXER(m14, 31, 71, 23)
MIXER(m15, 90, 63, 9)
MIXER(m16, 49, 10, 29)
MIXER(m17, 4, 29, 30)
MIXER(m18, 15, 93, 12)
MIXER(m19, 43, 6, 23)
MIXER(m20, 71, 8, 4)
MIXER(m21, 90, 27, 20)
MIXER(m22, 95, 5, 5)
MIXER(m23, 75, 57, 28)
MIXER(m24, 65, 92, 18)
MIXER(m25, 68, 86, 16)
MIXER(m26, 80, 86, 27)
MIXER(m27, 38, 17, 27)
MIXER(m28, 33, 24, 4)
MIXER(m29, 76, 78, 5)
MIXER(m30, 8, 77, 17)
MIXER(m31, 86, 12, 20)
MIXER(m32, 94, 16, 5)
MIXER(m33, 3, 63, 8)
MIXER(m34, 66, 63, 21)
MIXER(m35, 87, 82, 25)
MIXER(m36, 15, 31, 7)
MIXER(m37, 49, 57, 21)
MIXER(m38, 86, 54, 3)
MIXER(m39, 10, 27, 24)
MIXER(m40, 11, 45, 2)
MIXER(m41, 36, 66, 13)
MIXER(m42, 67, 78, 3)
MIXER(m43, 61, 36, 12)
MIXER(m44, 52, 43, 6)
MIXER(m45, 6, 40, 8)
MIXER(m46, 17, 13, 21)
MIXER(m47, 35, 53, 21)

unsigned unit_37(unsigned x) {
  unsigned s = x;
  s = m00(s) + 4u;
  s = m01(s) + 2u;
  s = m02(s) + 1u;
  s = m03(s) + 4u;
  s = m04(s) + 1u;
  s = m05(s) + 1u;
  s = m06(s) + 9u;
  s = m07(s) + 8u;
  s = m08(s) + 8u;
  s = m09(s) + 1u;
  s = m10(s) + 6u;
  s = m11(s) + 1u;
  s = m12(s) + 3u;
  s = m13(s) + 7u;
  s = m14(s) + 5u;
  s = m15(s) + 6u;
  s = m16(s) + 9u;
  s = m17(s) + 3u;
  s = m18(s) + 1u;
  s = m19(s) + 3u;
  s = m20(s) + 3u;
  s = m21(s) + 6u;
  s = m22(s) + 1u;
  s = m23(s) + 2u;
  s = m24(s) + 7u;
  s = m25(s) + 9u;
  s = m26(s) + 3u;
  s = m27(s) + 1u;
  s = m28(s) + 4u;
  s = m29(s) + 6u;
  s = m30(s) + 3u;
  s = m31(s) + 8u;
  s = m32(s) + 6u;
  s = m33(s) + 3u;
  s = m34(s) + 2u;
  s = m35(s) + 2u;
  s = m36(s) + 4u;
  s = m37(s) + 5u;
  s = m38(s) + 8u;
  s = m39(s) + 9u;
  s = m40(s) + 1u;
  s = m41(s) + 2u;
  s = m42(s) + 1u;
  s = m43(s) + 8u;
  s = m44(s) + 9u;
  s = m45(s) + 3u;
  s = m46(s) + 7u;
  s = m47(s) + 7u;
  return s;
}

/* Unit 36 of the compile-farm example (generated): some work for the compiler. */
#include "units.h"

MIXER(m00, 42, 49, 2)
MIXER(m01, 49, 8, 20)
MIXER(m02, 45, 9, 27)
MIXER(m03, 38, 20, 4)
MIXER(m04, 18, 30, 23)
MIXER(m05, 42, 19, 29)
MIXER(m06, 23, 68, 14)
MIXER(m07, 72, 33, 15)
MIXER(m08, 90, 7, 20)
MIXER(m09, 84, 43, 4)
MIXER(m10, 70, 89, 23)
MIXER(m11, 90, 66, 5)
MIXER(m12, 5, 76, 3)
MIXER(m13, 60, 40, 8)
MIXER(m14, 15, 82, 9)
MIXER(m15, 57, 26, 25)
MIXER(m16, 64, 33, 16)
MIXER(m17, 17, 29, 20)
MIXER(m18, 86, 47, 26)
MIXER(m19, 19, 50, 3)
MIXER(m20, 33, 70, 18)
MIXER(m21, 84, 95, 20)
MIXER(m22, 29, 8, 19)
MIXER(m23, 78, 77, 11)
MIXER(m24, 54, 73, 2)
MIXER(m25, 54, 38, 4)
MIXER(m26, 50, 45, 27)
MIXER(m27, 62, 33, 22)
MIXER(m28, 32, 45, 15)
MIXER(m29, 34, 70, 1)
MIXER(m30, 68, 49, 15)
MIXER(m31, 52, 54, 6)
MIXER(m32, 5, 11, 12)
MIXER(m33, 81, 83, 9)
MIXER(m34, 19, 18, 16)
MIXER(m35, 19, 40, 8)
MIXER(m36, 66, 48, 24)
MIXER(m37, 46, 91, 5)
MIXER(m38, 62, 20, 22)
MIXER(m39, 85, 80, 22)
MIXER(m40, 68, 8, 3)
MIXER(m41, 5, 72, 8)
MIXER(m42, 80, 96, 7)
MIXER(m43, 80, 95, 16)
MIXER(m44, 6, 86, 18)
MIXER(m45, 18, 68, 13)
MIXER(m46, 96, 96, 28)
MIXER(m47, 62, 90, 28)

unsigned unit_36(unsigned x) {
  unsigned s = x;
  s = m00(s) + 9u;
  s = m01(s) + 4u;
  s = m02(s) + 4u;
  s = m03(s) + 2u;
  s = m04(s) + 8u;
  s = m05(s) + 5u;
  s = m06(s) + 9u;
  s = m07(s) + 2u;
  s = m08(s) + 2u;
  s = m09(s) + 5u;
  s = m10(s) + 4u;
  s = m11(s) + 5u;
  s = m12(s) + 6u;
  s = m13(s) + 1u;
  s = m14(s) + 5u;
  s = m15(s) + 8u;
  s = m16(s) + 8u;
  s = m17(s) + 2u;
  s = m18(s) + 4u;
  s = m19(s) + 2u;
  s = m20(s) + 4u;
  s = m21(s) + 7u;
  s = m22(s) + 5u;
  s = m23(s) + 1u;
  s = m24(s) + 8u;
  s = m25(s) + 7u;
  s = m26(s) + 9u;
  s = m27(s) + 3u;
  s = m28(s) + 2u;
  s = m29(s) + 9u;
  s = m30(s) + 7u;
  s = m31(s) + 2u;
  s = m32(s) + 5u;
  s = m33(s) + 2u;
  s = m34(s) + 9u;
  s = m35(s) + 6u;
  s = m36(s) + 4u;
  s = m37(s) + 6u;
  s = m38(s) + 3u;
  s = m39(s) + 8u;
  s = m40(s) + 3u;
  s = m41(s) + 1u;
  s = m42(s) + 4u;
  s = m43(s) + 3u;
  s = m44(s) + 7u;
  s = m45(s) + 1u;
  s = m46(s) + 1u;
  s = m47(s) + 7u;
  return s;
}

/* Unit 33 of the compile-farm example (generated): some work for the compiler. */
#include "units.h"

MIXER(m00, 56, 68, 20)
MIXER(m01, 51, 8, 2)
MIXER(m02, 6, 62, 13)
MIXER(m03, 42, 44, 1)
MIXER(m04, 20, 28, 24)
MIXER(m05, 92, 81, 7)
MIXER(m06, 22, 47, 25)
MIXER(m07, 32, 90, 26)
MIXER(m08, 64, 83, 26)
MIXER(m09, 39, 76, 19)
MIXER(m10, 60, 53, 2)
MIXER(m11, 49, 52, 13)
MIXER(m12, 17, 72, 8)
MIXER(m13, 94, 83, 8)
MIXER(m14, 95, 78, 18)
MIXER(m15, 40, 35, 22)
MIXER(m16, 11, 44, 8)
MIXER(m17, 84, 56, 9)
MIXER(m18, 10, 81, 14)
MIXER(m19, 77, 23, 6)
MIXER(m20, 93, 32, 7)
MIXER(m21, 31, 92, 20)
MIXER(m22, 57, 70, 26)
MIXER(m23, 90, 4, 3)
MIXER(m24, 19, 50, 24)
MIXER(m25, 60, 9, 23)
MIXER(m26, 96, 20, 25)
MIXER(m27, 94, 16, 14)
MIXER(m28, 57, 88, 11)
MIXER(m29, 21, 46, 4)
MIXER(m30, 78, 79, 29)
MIXER(m31, 86, 40, 23)
MIXER(m32, 40, 86, 2)
MIXER(m33, 28, 64, 11)
MIXER(m34, 82, 49, 17)
MIXER(m35, 23, 32, 16)
MIXER(m36, 84, 68, 9)
MIXER(m37, 97, 55, 29)
MIXER(m38, 38, 65, 8)
MIXER(m39, 49, 67, 14)
MIXER(m40, 66, 74, 25)
MIXER(m41, 8, 33, 8)
MIXER(m42, 63, 31, 15)
MIXER(m43, 84, 78, 7)
MIXER(m44, 38, 83, 8)
MIXER(m45, 75, 43, 13)
MIXER(m46, 9, 66, 20)
MIXER(m47, 25, 15, 19)

unsigned unit_33(unsigned x) {
  unsigned s = x;
  s = m00(s) + 1u;
  s = m01(s) + 1u;
  s = m02(s) + 2u;
  s = m03(s) + 4u;
  s = m04(s) + 9u;
  s = m05(s) + 5u;
  s = m06(s) + 5u;
  s = m07(s) + 8u;
  s = m08(s) + 3u;
  s = m09(s) + 4u;
  s = m10(s) + 1u;
  s = m11(s) + 6u;
  s = m12(s) + 6u;
  s = m13(s) + 1u;
  s = m14(s) + 9u;
  s = m15(s) + 5u;
  s = m16(s) + 9u;
  s = m17(s) + 4u;
  s = m18(s) + 6u;
  s = m19(s) + 3u;
  s = m20(s) + 1u;
  s = m21(s) + 3u;
  s = m22(s) + 3u;
  s = m23(s) + 6u;
  s = m24(s) + 9u;
  s = m25(s) + 1u;
  s = m26(s) + 8u;
  s = m27(s) + 7u;
  s = m28(s) + 8u;
  s = m29(s) + 6u;
  s = m30(s) + 4u;
  s = m31(s) + 2u;
  s = m32(s) + 8u;
  s = m33(s) + 6u;
  s = m34(s) + 7u;
  s = m35(s) + 3u;
  s = m36(s) + 8u;
  s = m37(s) + 6u;
  s = m38(s) + 9u;
  s = m39(s) + 6u;
  s = m40(s) + 1u;
  s = m41(s) + 9u;
  s = m42(s) + 8u;
  s = m43(s) + 2u;
  s = m44(s) + 7u;
  s = m45(s) + 5u;
  s = m46(s) + 6u;
  s = m47(s) + 2u;
  return s;
}

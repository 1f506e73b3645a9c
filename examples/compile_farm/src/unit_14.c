/* Unit 14 of the compile-farm example (generated): some work for the compiler. */
#include "units.h"

MIXER(m00, 43, 32, 12)
MIXER(m01, 55, 45, 9)
MIXER(m02, 66, 44, 6)
MIXER(m03, 8, 61, 11)
MIXER(m04, 14, 84, 16)
MIXER(m05, 41, 14, 10)
MIXER(m06, 80, 45, 17)
MIXER(m07, 90, 24, 16)
MIXER(m08, 53, 59, 26)
MIXER(m09, 85, 82, 29)
MIXER(m10, 94, 79, 7)
MIXER(m11, 56, 23, 17)
MIXER(m12, 93, 90, 19)
MIXER(m13, 92, 35, 25)
MIXER(m14, 5, 88, 18)
MIXER(m15, 58, 90, 22)
MIXER(m16, 92, 70, 8)
MIXER(m17, 91, 77, 21)
MIXER(m18, 39, 92, 29)
MIXER(m19, 81, 53, 23)
MIXER(m20, 20, 80, 27)
MIXER(m21, 39, 82, 13)
MIXER(m22, 44, 94, 9)
MIXER(m23, 45, 7, 10)
MIXER(m24, 63, 80, 18)
MIXER(m25, 36, 12, 26)
MIXER(m26, 13, 77, 4)
MIXER(m27, 85, 82, 4)
MIXER(m28, 20, 66, 29)
MIXER(m29, 7, 63, 20)
MIXER(m30, 44, 87, 19)
MIXER(m31, 18, 70, 26)
MIXER(m32, 27, 78, 31)
MIXER(m33, 66, 19, 29)
MIXER(m34, 47, 39, 5)
MIXER(m35, 9, 52, 4)
MIXER(m36, 60, 12, 7)
MIXER(m37, 92, 12, 9)
MIXER(m38, 15, 78, 17)
MIXER(m39, 78, 80, 22)
MIXER(m40, 77, 96, 29)
MIXER(m41, 67, 77, 16)
MIXER(m42, 17, 32, 5)
MIXER(m43, 65, 80, 12)
MIXER(m44, 5, 86, 5)
MIXER(m45, 83, 37, 5)
MIXER(m46, 52, 7, 14)
MIXER(m47, 48, 78, 22)

unsigned unit_14(unsigned x) {
  unsigned s = x;
  s = m00(s) + 3u;
  s = m01(s) + 5u;
  s = m02(s) + 4u;
  s = m03(s) + 4u;
  s = m04(s) + 6u;
  s = m05(s) + 3u;
  s = m06(s) + 8u;
  s = m07(s) + 4u;
  s = m08(s) + 5u;
  s = m09(s) + 1u;
  s = m10(s) + 2u;
  s = m11(s) + 1u;
  s = m12(s) + 6u;
  s = m13(s) + 1u;
  s = m14(s) + 6u;
  s = m15(s) + 2u;
  s = m16(s) + 3u;
  s = m17(s) + 6u;
  s = m18(s) + 4u;
  s = m19(s) + 3u;
  s = m20(s) + 8u;
  s = m21(s) + 8u;
  s = m22(s) + 6u;
  s = m23(s) + 7u;
  s = m24(s) + 4u;
  s = m25(s) + 2u;
  s = m26(s) + 7u;
  s = m27(s) + 6u;
  s = m28(s) + 7u;
  s = m29(s) + 6u;
  s = m30(s) + 5u;
  s = m31(s) + 9u;
  s = m32(s) + 2u;
  s = m33(s) + 2u;
  s = m34(s) + 4u;
  s = m35(s) + 3u;
  s = m36(s) + 8u;
  s = m37(s) + 1u;
  s = m38(s) + 4u;
  s = m39(s) + 4u;
  s = m40(s) + 7u;
  s = m41(s) + 5u;
  s = m42(s) + 9u;
  s = m43(s) + 8u;
  s = m44(s) + 7u;
  s = m45(s) + 1u;
  s = m46(s) + 3u;
  s = m47(s) + 8u;
  return s;
}

/* Unit 04 of the compile-farm example (generated): some work for the compiler. */
#include "units.h"

MIXER(m00, 48, 65, 14)
MIXER(m01, 69, 83, 5)
MIXER(m02, 42, 91, 15)
MIXER(m03, 73, 17, 5)
MIXER(m04, 64, 14, 25)
MIXER(m05, 54, 43, 5)
MIXER(m06, 71, 13, 16)
MIXER(m07, 92, 13, 26)
MIXER(m08, 76, 88, 8)
MIXER(m09, 10, 66, 23)
MIXER(m10, 9, 93, 7)
MIXER(m11, 50, 15, 3)
MIXER(m12, 43, 51, 25)
MIXER(m13, 3, 39, 21)
MIXER(m14, 76, 6, 15)
MIXER(m15, 91, 86, 26)
MIXER(m16, 96, 9, 23)
MIXER(m17, 37, 16, 26)
MIXER(m18, 74, 19, 11)
MIXER(m19, 42, 24, 5)
MIXER(m20, 66, 89, 11)
MIXER(m21, 7, 11, 18)
MIXER(m22, 6, 6, 4)
MIXER(m23, 19, 48, 14)
MIXER(m24, 81, 5, 8)
MIXER(m25, 57, 19, 12)
MIXER(m26, 45, 48, 1)
MIXER(m27, 77, 82, 27)
MIXER(m28, 96, 15, 9)
MIXER(m29, 80, 24, 21)
MIXER(m30, 60, 58, 26)
MIXER(m31, 18, 45, 11)
MIXER(m32, 32, 62, 20)
MIXER(m33, 24, 59, 2)
MIXER(m34, 71, 63, 16)
MIXER(m35, 16, 19, 27)
MIXER(m36, 90, 9, 7)
MIXER(m37, 7, 76, 8)
MIXER(m38, 93, 48, 13)
MIXER(m39, 30, 28, 9)
MIXER(m40, 41, 74, 17)
MIXER(m41, 33, 49, 12)
MIXER(m42, 87, 10, 20)
MIXER(m43, 54, 47, 5)
MIXER(m44, 33, 65, 13)
MIXER(m45, 15, 24, 13)
MIXER(m46, 94, 39, 29)
MIXER(m47, 44, 64, 22)

unsigned unit_04(unsigned x) {
  unsigned s = x;
  s = m00(s) + 7u;
  s = m01(s) + 1u;
  s = m02(s) + 4u;
  s = m03(s) + 5u;
  s = m04(s) + 5u;
  s = m05(s) + 3u;
  s = m06(s) + 4u;
  s = m07(s) + 7u;
  s = m08(s) + 5u;
  s = m09(s) + 4u;
  s = m10(s) + 5u;
  s = m11(s) + 7u;
  s = m12(s) + 9u;
  s = m13(s) + 3u;
  s = m14(s) + 3u;
  s = m15(s) + 1u;
  s = m16(s) + 7u;
  s = m17(s) + 7u;
  s = m18(s) + 2u;
  s = m19(s) + 5u;
  s = m20(s) + 5u;
  s = m21(s) + 9u;
  s = m22(s) + 1u;
  s = m23(s) + 5u;
  s = m24(s) + 9u;
  s = m25(s) + 4u;
  s = m26(s) + 3u;
  s = m27(s) + 3u;
  s = m28(s) + 9u;
  s = m29(s) + 3u;
  s = m30(s) + 7u;
  s = m31(s) + 8u;
  s = m32(s) + 7u;
  s = m33(s) + 3u;
  s = m34(s) + 1u;
  s = m35(s) + 7u;
  s = m36(s) + 1u;
  s = m37(s) + 8u;
  s = m38(s) + 8u;
  s = m39(s) + 4u;
  s = m40(s) + 6u;
  s = m41(s) + 4u;
  s = m42(s) + 8u;
  s = m43(s) + 3u;
  s = m44(s) + 1u;
  s = m45(s) + 2u;
  s = m46(s) + 4u;
  s = m47(s) + 8u;
  return s;
}

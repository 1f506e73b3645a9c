/* Unit 15 of the compile-farm example (generated): some work for the compiler. */
#include "units.h"

MIXER(m00, 86, 64, 16)
MIXER(m01, 32, 44, 27)
MIXER(m02, 63, 89, 31)
MIXER(m03, 18, 95, 1)
MIXER(m04, 97, 91, 29)
MIXER(m05, 27, 88, 26)
MIXER(m06, 60, 20, 11)
MIXER(m07, 88, 85, 14)
MIXER(m08, 46, 37, 13)
MIXER(m09, 18, 12, 22)
MIXER(m10, 12, 89, 28)
MIXER(m11, 21, 12, 7)
MIXER(m12, 58, 47, 13)
MIXER(m13, 79, 50, 7)
MIXER(m14, 13, 87, 29)
MIXER(m15, 37, 7, 24)
MIXER(m16, 78, 52, 8)
MIXER(m17, 19, 78, 20)
MIXER(m18, 4, 28, 15)
MIXER(m19, 9, 3, 22)
MIXER(m20, 35, 66, 16)
MIXER(m21, 12, 60, 18)
MIXER(m22, 89, 43, 6)
MIXER(m23, 8, 76, 3)
MIXER(m24, 75, 44, 27)
MIXER(m25, 17, 63, 28)
MIXER(m26, 71, 33, 20)
MIXER(m27, 6, 92, 8)
MIXER(m28, 47, 17, 2)
MIXER(m29, 93, 28, 16)
MIXER(m30, 37, 31, 12)
MIXER(m31, 78, 29, 8)
MIXER(m32, 25, 28, 4)
MIXER(m33, 83, 63, 1)
MIXER(m34, 79, 64, 7)
MIXER(m35, 31, 5, 18)
MIXER(m36, 22, 21, 13)
MIXER(m37, 25, 46, 18)
MIXER(m38, 91, 43, 9)
MIXER(m39, 49, 86, 27)
MIXER(m40, 87, 92, 12)
MIXER(m41, 58, 95, 6)
MIXER(m42, 34, 45, 2)
MIXER(m43, 90, 69, 18)
MIXER(m44, 35, 21, 4)
MIXER(m45, 12, 18, 17)
MIXER(m46, 35, 97, 25)
MIXER(m47, 37, 10, 28)

unsigned unit_15(unsigned x) {
  unsigned s = x;
  s = m00(s) + 7u;
  s = m01(s) + 6u;
  s = m02(s) + 7u;
  s = m03(s) + 9u;
  s = m04(s) + 1u;
  s = m05(s) + 9u;
  s = m06(s) + 6u;
  s = m07(s) + 2u;
  s = m08(s) + 2u;
  s = m09(s) + 2u;
  s = m10(s) + 9u;
  s = m11(s) + 8u;
  s = m12(s) + 4u;
  s = m13(s) + 4u;
  s = m14(s) + 5u;
  s = m15(s) + 7u;
  s = m16(s) + 6u;
  s = m17(s) + 3u;
  s = m18(s) + 4u;
  s = m19(s) + 6u;
  s = m20(s) + 8u;
  s = m21(s) + 2u;
  s = m22(s) + 9u;
  s = m23(s) + 1u;
  s = m24(s) + 2u;
  s = m25(s) + 1u;
  s = m26(s) + 8u;
  s = m27(s) + 7u;
  s = m28(s) + 2u;
  s = m29(s) + 6u;
  s = m30(s) + 8u;
  s = m31(s) + 4u;
  s = m32(s) + 7u;
  s = m33(s) + 5u;
  s = m34(s) + 1u;
  s = m35(s) + 7u;
  s = m36(s) + 5u;
  s = m37(s) + 2u;
  s = m38(s) + 4u;
  s = m39(s) + 9u;
  s = m40(s) + 3u;
  s = m41(s) + 8u;
  s = m42(s) + 3u;
  s = m43(s) + 5u;
  s = m44(s) + 8u;
  s = m45(s) + 3u;
  s = m46(s) + 6u;
  s = m47(s) + 8u;
  return s;
}

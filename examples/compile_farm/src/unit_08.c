/* Unit 08 of the compile-farm example (generated): some work for the compiler. */
#include "units.h"

MIXER(m00, 67, 71, 31)
MIXER(m01, 74, 33, 22)
MIXER(m02, 56, 73, 26)
MIXER(m03, 43, 40, 20)
MIXER(m04, 28, 36, 14)
MIXER(m05, 69, 36, 16)
MIXER(m06, 17, 91, 25)
MIXER(m07, 46, 15, 4)
MIXER(m08, 77, 25, 2)
MIXER(m09, 52, 25, 21)
MIXER(m10, 95, 36, 4)
MIXER(m11, 45, 15, 10)
MIXER(m12, 40, 94, 11)
MIXER(m13, 55, 11, 3)
MIXER(m14, 11, 26, 2)
MIXER(m15, 97, 67, 14)
MIXER(m16, 62, 56, 3)
MIXER(m17, 56, 6, 31)
MIXER(m18, 40, 86, 4)
MIXER(m19, 44, 49, 31)
MIXER(m20, 62, 51, 4)
MIXER(m21, 34, 17, 20)
MIXER(m22, 15, 13, 21)
MIXER(m23, 51, 58, 4)
MIXER(m24, 42, 73, 15)
MIXER(m25, 8, 29, 29)
MIXER(m26, 20, 51, 22)
MIXER(m27, 27, 44, 29)
MIXER(m28, 12, 20, 10)
MIXER(m29, 85, 62, 10)
MIXER(m30, 73, 76, 21)
MIXER(m31, 35, 39, 6)
MIXER(m32, 61, 63, 13)
MIXER(m33, 20, 79, 7)
MIXER(m34, 91, 96, 25)
MIXER(m35, 59, 32, 5)
MIXER(m36, 24, 85, 3)
MIXER(m37, 35, 82, 15)
MIXER(m38, 92, 64, 4)
MIXER(m39, 77, 35, 21)
MIXER(m40, 92, 9, 18)
MIXER(m41, 18, 29, 25)
MIXER(m42, 46, 76, 19)
MIXER(m43, 84, 65, 28)
MIXER(m44, 80, 39, 20)
MIXER(m45, 10, 39, 5)
MIXER(m46, 56, 40, 14)
MIXER(m47, 19, 40, 21)

unsigned unit_08(unsigned x) {
  unsigned s = x;
  s = m00(s) + 4u;
  s = m01(s) + 3u;
  s = m02(s) + 5u;
  s = m03(s) + 2u;
  s = m04(s) + 6u;
  s = m05(s) + 2u;
  s = m06(s) + 2u;
  s = m07(s) + 5u;
  s = m08(s) + 9u;
  s = m09(s) + 6u;
  s = m10(s) + 7u;
  s = m11(s) + 2u;
  s = m12(s) + 7u;
  s = m13(s) + 5u;
  s = m14(s) + 2u;
  s = m15(s) + 2u;
  s = m16(s) + 4u;
  s = m17(s) + 9u;
  s = m18(s) + 9u;
  s = m19(s) + 2u;
  s = m20(s) + 3u;
  s = m21(s) + 9u;
  s = m22(s) + 9u;
  s = m23(s) + 5u;
  s = m24(s) + 7u;
  s = m25(s) + 9u;
  s = m26(s) + 3u;
  s = m27(s) + 9u;
  s = m28(s) + 1u;
  s = m29(s) + 8u;
  s = m30(s) + 9u;
  s = m31(s) + 5u;
  s = m32(s) + 2u;
  s = m33(s) + 8u;
  s = m34(s) + 2u;
  s = m35(s) + 4u;
  s = m36(s) + 8u;
  s = m37(s) + 3u;
  s = m38(s) + 5u;
  s = m39(s) + 6u;
  s = m40(s) + 9u;
  s = m41(s) + 1u;
  s = m42(s) + 8u;
  s = m43(s) + 9u;
  s = m44(s) + 6u;
  s = m45(s) + 9u;
  s = m46(s) + 6u;
  s = m47(s) + 4u;
  return s;
}

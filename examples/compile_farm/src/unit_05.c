/* Unit 05 of the compile-farm example (generated): some work for the compiler. */
#include "units.h"

MIXER(m00, 71, 82, 3)
MIXER(m01, 51, 91, 1)
MIXER(m02, 68, 80, 19)
MIXER(m03, 52, 5, 11)
MIXER(m04, 81, 42, 17)
MIXER(m05, 67, 63, 18)
MIXER(m06, 60, 77, 30)
MIXER(m07, 88, 10, 18)
MIXER(m08, 56, 49, 31)
MIXER(m09, 89, 69, 7)
MIXER(m10, 39, 12, 1)
MIXER(m11, 48, 81, 19)
MIXER(m12, 42, 4, 9)
MIXER(m13, 12, 7, 25)
MIXER(m14, 88, 41, 29)
MIXER(m15, 91, 97, 20)
MIXER(m16, 29, 64, 17)
MIXER(m17, 18, 33, 11)
MIXER(m18, 57, 53, 1)
MIXER(m19, 51, 25, 25)
MIXER(m20, 29, 89, 20)
MIXER(m21, 52, 44, 4)
MIXER(m22, 91, 94, 12)
MIXER(m23, 15, 30, 10)
MIXER(m24, 37, 82, 3)
MIXER(m25, 12, 83, 14)
MIXER(m26, 31, 86, 3)
MIXER(m27, 96, 55, 14)
MIXER(m28, 57, 64, 17)
MIXER(m29, 41, 56, 9)
MIXER(m30, 80, 45, 6)
MIXER(m31, 6, 22, 4)
MIXER(m32, 75, 74, 20)
MIXER(m33, 58, 27, 11)
MIXER(m34, 85, 91, 11)
MIXER(m35, 10, 65, 5)
MIXER(m36, 12, 43, 7)
MIXER(m37, 85, 52, 30)
MIXER(m38, 92, 81, 27)
MIXER(m39, 15, 3, 7)
MIXER(m40, 17, 14, 11)
MIXER(m41, 50, 81, 25)
MIXER(m42, 76, 59, 24)
MIXER(m43, 26, 94, 29)
MIXER(m44, 77, 83, 28)
MIXER(m45, 49, 16, 27)
MIXER(m46, 28, 29, 11)
MIXER(m47, 25, 61, 29)

unsigned unit_05(unsigned x) {
  unsigned s = x;
  s = m00(s) + 4u;
  s = m01(s) + 2u;
  s = m02(s) + 3u;
  s = m03(s) + 1u;
  s = m04(s) + 7u;
  s = m05(s) + 7u;
  s = m06(s) + 9u;
  s = m07(s) + 3u;
  s = m08(s) + 1u;
  s = m09(s) + 5u;
  s = m10(s) + 2u;
  s = m11(s) + 7u;
  s = m12(s) + 4u;
  s = m13(s) + 2u;
  s = m14(s) + 6u;
  s = m15(s) + 9u;
  s = m16(s) + 2u;
  s = m17(s) + 9u;
  s = m18(s) + 7u;
  s = m19(s) + 9u;
  s = m20(s) + 6u;
  s = m21(s) + 9u;
  s = m22(s) + 4u;
  s = m23(s) + 5u;
  s = m24(s) + 3u;
  s = m25(s) + 3u;
  s = m26(s) + 9u;
  s = m27(s) + 4u;
  s = m28(s) + 4u;
  s = m29(s) + 2u;
  s = m30(s) + 7u;
  s = m31(s) + 5u;
  s = m32(s) + 3u;
  s = m33(s) + 2u;
  s = m34(s) + 2u;
  s = m35(s) + 9u;
  s = m36(s) + 8u;
  s = m37(s) + 4u;
  s = m38(s) + 8u;
  s = m39(s) + 3u;
  s = m40(s) + 3u;
  s = m41(s) + 2u;
  s = m42(s) + 6u;
  s = m43(s) + 9u;
  s = m44(s) + 2u;
  s = m45(s) + 2u;
  s = m46(s) + 6u;
  s = m47(s) + 2u;
  return s;
}

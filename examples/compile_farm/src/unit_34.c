/* Unit 34 of the compile-farm example (generated): some work for the compiler. */
#include "units.h"

MIXER(m00, 80, 12, 19)
MIXER(m01, 8, 54, 20)
MIXER(m02, 15, 75, 7)
MIXER(m03, 33, 51, 9)
MIXER(m04, 9, 92, 24)
MIXER(m05, 65, 68, 21)
MIXER(m06, 85, 66, 2)
MIXER(m07, 6, 77, 3)
MIXER(m08, 18, 60, 16)
MIXER(m09, 6, 45, 7)
MIXER(m10, 25, 4, 30)
MIXER(m11, 92, 77, 28)
MIXER(m12, 27, 42, 19)
MIXER(m13, 84, 74, 16)
MIXER(m14, 32, 38, 10)
MIXER(m15, 41, 92, 21)
MIXER(m16, 20, 82, 26)
MIXER(m17, 90, 94, 29)
MIXER(m18, 56, 20, 22)
MIXER(m19, 25, 39, 13)
MIXER(m20, 10, 49, 21)
MIXER(m21, 67, 89, 28)
MIXER(m22, 56, 73, 16)
MIXER(m23, 39, 88, 18)
MIXER(m24, 24, 94, 7)
MIXER(m25, 84, 48, 14)
MIXER(m26, 53, 61, 30)
MIXER(m27, 8, 32, 7)
MIXER(m28, 87, 6, 10)
MIXER(m29, 41, 97, 10)
MIXER(m30, 33, 68, 2)
MIXER(m31, 82, 48, 22)
MIXER(m32, 74, 54, 10)
MIXER(m33, 62, 89, 8)
MIXER(m34, 97, 29, 5)
MIXER(m35, 30, 91, 8)
MIXER(m36, 43, 25, 14)
MIXER(m37, 78, 77, 18)
MIXER(m38, 3, 25, 9)
MIXER(m39, 71, 38, 22)
MIXER(m40, 96, 55, 16)
MIXER(m41, 37, 53, 22)
MIXER(m42, 94, 67, 20)
MIXER(m43, 72, 56, 28)
MIXER(m44, 54, 83, 4)
MIXER(m45, 35, 86, 18)
MIXER(m46, 19, 47, 8)
MIXER(m47, 48, 72, 13)

unsigned unit_34(unsigned x) {
  unsigned s = x;
  s = m00(s) + 4u;
  s = m01(s) + 2u;
  s = m02(s) + 6u;
  s = m03(s) + 5u;
  s = m04(s) + 9u;
  s = m05(s) + 5u;
  s = m06(s) + 5u;
  s = m07(s) + 4u;
  s = m08(s) + 9u;
  s = m09(s) + 7u;
  s = m10(s) + 6u;
  s = m11(s) + 2u;
  s = m12(s) + 1u;
  s = m13(s) + 7u;
  s = m14(s) + 8u;
  s = m15(s) + 4u;
  s = m16(s) + 4u;
  s = m17(s) + 6u;
  s = m18(s) + 7u;
  s = m19(s) + 2u;
  s = m20(s) + 8u;
  s = m21(s) + 6u;
  s = m22(s) + 4u;
  s = m23(s) + 1u;
  s = m24(s) + 1u;
  s = m25(s) + 1u;
  s = m26(s) + 5u;
  s = m27(s) + 6u;
  s = m28(s) + 9u;
  s = m29(s) + 3u;
  s = m30(s) + 3u;
  s = m31(s) + 3u;
  s = m32(s) + 4u;
  s = m33(s) + 7u;
  s = m34(s) + 4u;
  s = m35(s) + 4u;
  s = m36(s) + 2u;
  s = m37(s) + 8u;
  s = m38(s) + 6u;
  s = m39(s) + 9u;
  s = m40(s) + 4u;
  s = m41(s) + 2u;
  s = m42(s) + 5u;
  s = m43(s) + 3u;
  s = m44(s) + 5u;
  s = m45(s) + 9u;
  s = m46(s) + 1u;
  s = m47(s) + 2u;
  return s;
}

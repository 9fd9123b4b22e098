#include "model/fill_box.h"

#include <doctest/doctest.h>

namespace dfplay::app {
namespace {

void check_box(PixelBox b, int x, int y, int w, int h) {
  CHECK(b.x == x);
  CHECK(b.y == y);
  CHECK(b.width == w);
  CHECK(b.height == h);
}

const Box kScreen{0, 0, 1280, 800};

TEST_CASE("fill_box: a window's background, flipped to GL's rows") {
  // The side panel of a 1280x800 page under a 19-pixel menu bar, above a 25-pixel status line.
  check_box(fill_box({563, 19, 1280, 775}, kScreen, 1, 1, 1280, 800), 563, 25, 717, 756);
  // The whole framebuffer.
  check_box(fill_box(kScreen, kScreen, 1, 1, 1280, 800), 0, 0, 1280, 800);
}

TEST_CASE("fill_box: scaled by the device pixel ratio") {
  check_box(fill_box({10, 20, 110, 70}, {0, 0, 640, 400}, 2, 2, 1280, 800), 20, 660, 200, 100);
  // 1.5: edges on pixel centres fill the pixel at the top and left edges, not at the others.
  // x: 7.5 .. 16.5 -> pixels 7..15; y: 3 .. 12 -> rows 3..11 from the top.
  check_box(fill_box({5, 2, 11, 8}, {0, 0, 100, 100}, 1.5f, 1.5f, 150, 150), 7, 150 - 12, 9, 9);
  // Fractional edges: the pixels whose centres are inside (x 2.1 .. 5.2 -> 2, 3, 4).
  check_box(fill_box({2.1f, 0, 5.2f, 1}, kScreen, 1, 1, 1280, 800), 2, 799, 3, 1);
}

TEST_CASE("fill_box: clipped like ImGui's backend clips") {
  // A child window scrolled half out of its parent's clip rectangle.
  check_box(fill_box({100, 50, 300, 250}, {0, 100, 1280, 800}, 1, 1, 1280, 800), 100, 550, 200, 150);
  // The backend truncates the clip to integers: a clip from 10.7 starts the scissor at column 10.
  check_box(fill_box({0, 0, 50, 10}, {10.7f, 0, 40.2f, 10}, 1, 1, 1280, 800), 10, 790, 29, 10);
  // Outside the framebuffer: clamped; nothing left: empty.
  check_box(fill_box({-20, -20, 30, 30}, {-100, -100, 2000, 2000}, 1, 1, 1280, 800), 0, 770, 30, 30);
  CHECK(fill_box({0, 0, 50, 50}, {60, 0, 100, 100}, 1, 1, 1280, 800).empty());
  CHECK(fill_box({0, 0, 50, 50}, {10, 10, 10, 40}, 1, 1, 1280, 800).empty());  // an empty clip
  CHECK(fill_box({5, 5, 5.4f, 50}, kScreen, 1, 1, 1280, 800).empty());         // no pixel centre
}

}  // namespace
}  // namespace dfplay::app

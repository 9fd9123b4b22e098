#include "model/fill_box.h"

#include <algorithm>
#include <cmath>

namespace dfplay::app {

PixelBox fill_box(Box rect, Box clip, float scale_x, float scale_y, int fb_width, int fb_height) {
  // The clip as ImGui's backend gives it to glScissor (it draws nothing under an empty clip).
  const float cx0 = clip.x0 * scale_x, cy0 = clip.y0 * scale_y;
  const float cx1 = clip.x1 * scale_x, cy1 = clip.y1 * scale_y;
  if (cx1 <= cx0 || cy1 <= cy0) return {};
  const int sx = static_cast<int>(cx0), sw = static_cast<int>(cx1 - cx0);
  const int sy = static_cast<int>(static_cast<float>(fb_height) - cy1), sh = static_cast<int>(cy1 - cy0);
  // The pixels whose centres lie in the scaled rectangle: columns [left, right), rows counted from
  // the top [top, bottom), then rows from the bottom as GL counts them.
  const int left = static_cast<int>(std::ceil(rect.x0 * scale_x - 0.5f));
  const int right = static_cast<int>(std::ceil(rect.x1 * scale_x - 0.5f));
  const int top = static_cast<int>(std::ceil(rect.y0 * scale_y - 0.5f));
  const int bottom = static_cast<int>(std::ceil(rect.y1 * scale_y - 0.5f));
  const int x0 = std::max({left, sx, 0}), x1 = std::min({right, sx + sw, fb_width});
  const int y0 = std::max({fb_height - bottom, sy, 0}), y1 = std::min({fb_height - top, sy + sh, fb_height});
  if (x1 <= x0 || y1 <= y0) return {};
  return {x0, y0, x1 - x0, y1 - y0};
}

}  // namespace dfplay::app

// Where a filled rectangle lands in the framebuffer: the scissor box of a clear that paints
// exactly the pixels a rasterised quad would (backdrop.cpp paints opaque window backgrounds so).
#pragma once

namespace dfplay::app {

// A rectangle in ImGui's coordinates: logical pixels, origin at the top left, [x0, x1) x [y0, y1).
struct Box {
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};

// A GL scissor box: framebuffer pixels, origin at the bottom left.
struct PixelBox {
  int x = 0, y = 0, width = 0, height = 0;
  bool empty() const { return width <= 0 || height <= 0; }
};

// The pixels a quad covering `rect` fills when drawn under the clip rectangle `clip` (both in
// ImGui's coordinates, scaled by `scale_x`/`scale_y` to a framebuffer `fb_width` x `fb_height`):
// a pixel is filled when its centre lies in the scaled rectangle, and the clip becomes a scissor
// box the way ImGui's OpenGL 3 backend makes it (truncated to integers). Empty when nothing is.
PixelBox fill_box(Box rect, Box clip, float scale_x, float scale_y, int fb_width, int fb_height);

}  // namespace dfplay::app

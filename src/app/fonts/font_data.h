// The embedded UI font: a subset of a Debian TTF (JetBrains Mono), generated at build time by
// fonts/embed_font.py. Absent when the build found no font or no fontTools: the app then falls
// back to ImGui's built-in ProggyClean (DFPLAY_APP_EMBEDDED_FONT is 0).
#pragma once
#include <cstddef>

#include "imgui.h"

namespace dfplay::app::fonts {

struct EmbeddedFont {
  const unsigned char* data;
  size_t size;
  const ImWchar* ranges;  // zero-terminated pairs, the same ranges the subset kept
};

#if DFPLAY_APP_EMBEDDED_FONT
extern const EmbeddedFont kMonoFont;
#endif

}  // namespace dfplay::app::fonts

// The app's two colour themes (dark and light) as plain data, and WCAG 2 contrast ratios so that
// a unit test (palette_test.cpp) keeps every text colour readable on every background it is
// drawn on (AA: 4.5:1). theme.cpp turns a palette into ImGui's style.
#pragma once
#include <array>
#include <string_view>

#include "model/highlight.h"

namespace dfplay::app {

struct Rgba {
  float r = 0, g = 0, b = 0, a = 1;
};

struct Palette {
  const char* name;  // "dark" / "light"
  // Backgrounds.
  Rgba page;         // the GL clear colour and the HTML page behind the canvas
  Rgba window, frame, menu, popup, border, table_header;
  Rgba button, button_hovered, button_active;
  Rgba header, header_hovered, header_active;
  Rgba tab, tab_hovered, tab_active;
  Rgba selection;    // selected text (translucent)
  Rgba find_match, find_current;  // find highlights behind the text (translucent)
  Rgba primary, primary_hovered, primary_active, primary_text;  // the Build button
  Rgba box, box_hovered;  // stage boxes in the graph
  // Text.
  Rgba text, text_disabled;
  Rgba ok, error, warning, note, cached, run, skipped, accent, critical, dim;
  std::array<Rgba, kTokenCount> syntax;  // by Token; Plain = text
};

const Palette& dark_palette();
const Palette& light_palette();

// WCAG 2.x relative luminance and contrast ratio (1..21) of opaque colours.
double relative_luminance(Rgba c);
double contrast_ratio(Rgba a, Rgba b);

}  // namespace dfplay::app

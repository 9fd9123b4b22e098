#include "model/palette.h"

#include <algorithm>
#include <cmath>

namespace dfplay::app {

namespace {
constexpr Rgba rgb(float r, float g, float b, float a = 1.0f) { return {r, g, b, a}; }
}  // namespace

const Palette& dark_palette() {
  static const Palette p = [] {
    Palette d{};
    d.name = "dark";
    d.page = rgb(0.071f, 0.075f, 0.090f);  // #121317
    d.window = rgb(0.105f, 0.115f, 0.135f);
    d.frame = rgb(0.075f, 0.082f, 0.098f);
    d.menu = rgb(0.13f, 0.14f, 0.165f);
    d.popup = rgb(0.12f, 0.13f, 0.155f, 0.98f);
    d.border = rgb(0.22f, 0.24f, 0.28f);
    d.table_header = rgb(0.14f, 0.155f, 0.18f);
    d.button = rgb(0.20f, 0.27f, 0.38f);
    d.button_hovered = rgb(0.26f, 0.38f, 0.56f);
    d.button_active = rgb(0.22f, 0.34f, 0.52f);
    d.header = rgb(0.20f, 0.27f, 0.38f, 0.55f);
    d.header_hovered = rgb(0.24f, 0.36f, 0.54f, 0.70f);
    d.header_active = rgb(0.26f, 0.42f, 0.64f, 0.80f);
    d.tab = rgb(0.14f, 0.155f, 0.18f);
    d.tab_hovered = rgb(0.26f, 0.40f, 0.62f);
    d.tab_active = rgb(0.20f, 0.32f, 0.50f);
    d.selection = rgb(0.26f, 0.45f, 0.75f, 0.45f);
    d.find_match = rgb(0.55f, 0.45f, 0.10f, 0.30f);
    d.find_current = rgb(0.55f, 0.38f, 0.05f, 0.50f);
    d.primary = rgb(0.16f, 0.42f, 0.26f);
    d.primary_hovered = rgb(0.14f, 0.38f, 0.23f);
    d.primary_active = rgb(0.12f, 0.33f, 0.20f);
    d.primary_text = rgb(0.95f, 0.97f, 0.96f);
    d.box = rgb(0.14f, 0.16f, 0.20f);
    d.box_hovered = rgb(0.19f, 0.22f, 0.28f);
    d.text = rgb(0.88f, 0.90f, 0.92f);
    d.text_disabled = rgb(0.55f, 0.59f, 0.65f);
    d.ok = rgb(0.45f, 0.80f, 0.50f);
    d.error = rgb(0.97f, 0.42f, 0.42f);
    d.warning = rgb(0.96f, 0.76f, 0.30f);
    d.note = rgb(0.50f, 0.72f, 0.98f);
    d.cached = rgb(0.40f, 0.78f, 0.47f);
    d.run = rgb(0.98f, 0.62f, 0.25f);
    d.skipped = rgb(0.55f, 0.59f, 0.65f);
    d.accent = rgb(0.42f, 0.65f, 0.98f);
    d.critical = rgb(0.96f, 0.45f, 0.62f);
    d.dim = rgb(0.55f, 0.59f, 0.65f);
    d.syntax = {d.text,
                rgb(0.45f, 0.68f, 1.00f),   // keyword
                rgb(0.80f, 0.62f, 0.98f),   // flag
                rgb(0.90f, 0.75f, 0.52f),   // string
                rgb(0.40f, 0.85f, 0.85f),   // variable
                rgb(0.62f, 0.71f, 0.62f),   // comment
                rgb(0.72f, 0.82f, 0.60f),   // heredoc
                rgb(0.93f, 0.55f, 0.78f)};  // directive
    return d;
  }();
  return p;
}

const Palette& light_palette() {
  static const Palette p = [] {
    Palette l{};
    l.name = "light";
    l.page = rgb(0.925f, 0.933f, 0.945f);
    l.window = rgb(0.975f, 0.978f, 0.983f);
    l.frame = rgb(1.0f, 1.0f, 1.0f);
    l.menu = rgb(0.925f, 0.933f, 0.945f);
    l.popup = rgb(0.99f, 0.99f, 0.995f, 0.99f);
    l.border = rgb(0.80f, 0.82f, 0.85f);
    l.table_header = rgb(0.91f, 0.92f, 0.94f);
    l.button = rgb(0.84f, 0.88f, 0.95f);
    l.button_hovered = rgb(0.76f, 0.83f, 0.95f);
    l.button_active = rgb(0.68f, 0.78f, 0.94f);
    l.header = rgb(0.74f, 0.82f, 0.95f, 0.55f);
    l.header_hovered = rgb(0.68f, 0.78f, 0.95f, 0.70f);
    l.header_active = rgb(0.60f, 0.72f, 0.94f, 0.80f);
    l.tab = rgb(0.89f, 0.90f, 0.92f);
    l.tab_hovered = rgb(0.76f, 0.83f, 0.95f);
    l.tab_active = rgb(0.82f, 0.87f, 0.96f);
    l.selection = rgb(0.30f, 0.52f, 0.90f, 0.22f);
    l.find_match = rgb(1.00f, 0.90f, 0.40f, 0.45f);
    l.find_current = rgb(1.00f, 0.78f, 0.30f, 0.55f);
    l.primary = rgb(0.12f, 0.45f, 0.24f);
    l.primary_hovered = rgb(0.15f, 0.52f, 0.29f);
    l.primary_active = rgb(0.10f, 0.40f, 0.21f);
    l.primary_text = rgb(1.0f, 1.0f, 1.0f);
    l.box = rgb(0.93f, 0.94f, 0.96f);
    l.box_hovered = rgb(0.87f, 0.90f, 0.95f);
    l.text = rgb(0.10f, 0.11f, 0.13f);
    l.text_disabled = rgb(0.37f, 0.40f, 0.44f);
    l.ok = rgb(0.08f, 0.45f, 0.18f);
    l.error = rgb(0.72f, 0.09f, 0.09f);
    l.warning = rgb(0.52f, 0.33f, 0.00f);
    l.note = rgb(0.10f, 0.35f, 0.72f);
    l.cached = rgb(0.08f, 0.45f, 0.18f);
    l.run = rgb(0.62f, 0.29f, 0.00f);
    l.skipped = rgb(0.37f, 0.40f, 0.44f);
    l.accent = rgb(0.08f, 0.35f, 0.78f);
    l.critical = rgb(0.70f, 0.10f, 0.36f);
    l.dim = rgb(0.37f, 0.40f, 0.44f);
    l.syntax = {l.text,
                rgb(0.00f, 0.30f, 0.70f),   // keyword
                rgb(0.45f, 0.18f, 0.65f),   // flag
                rgb(0.50f, 0.25f, 0.00f),   // string
                rgb(0.00f, 0.37f, 0.42f),   // variable
                rgb(0.28f, 0.36f, 0.28f),   // comment
                rgb(0.24f, 0.34f, 0.08f),   // heredoc
                rgb(0.60f, 0.10f, 0.42f)};  // directive
    return l;
  }();
  return p;
}

double relative_luminance(Rgba c) {
  auto lin = [](double v) { return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
}

double contrast_ratio(Rgba a, Rgba b) {
  double la = relative_luminance(a), lb = relative_luminance(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

}  // namespace dfplay::app

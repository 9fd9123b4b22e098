#include "model/palette.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <string>
#include <utility>
#include <vector>

using namespace dfplay::app;

namespace {

// `top` (maybe translucent) composited over the opaque `under`.
Rgba over(Rgba top, Rgba under) {
  return {top.r * top.a + under.r * (1 - top.a), top.g * top.a + under.g * (1 - top.a), top.b * top.a + under.b * (1 - top.a), 1};
}

// Every (text colour, background) pair the app draws, with a name for the failure message.
std::vector<std::pair<std::string, double>> ratios(const Palette& p) {
  std::vector<std::pair<std::string, Rgba>> texts = {
      {"text", p.text},       {"text_disabled", p.text_disabled}, {"ok", p.ok},       {"error", p.error},
      {"warning", p.warning}, {"note", p.note},                   {"cached", p.cached}, {"run", p.run},
      {"skipped", p.skipped}, {"accent", p.accent},               {"critical", p.critical}, {"dim", p.dim}};
  const char* tokens[] = {"plain", "keyword", "flag", "string", "variable", "comment", "heredoc", "directive"};
  for (int i = 0; i < kTokenCount; ++i) texts.push_back({std::string("syntax.") + tokens[i], p.syntax[i]});
  std::vector<std::pair<std::string, Rgba>> backgrounds = {
      {"window", p.window}, {"frame", p.frame}, {"menu", p.menu}, {"popup", over(p.popup, p.page)},
      {"table_header", p.table_header}, {"box", p.box}};
  std::vector<std::pair<std::string, double>> out;
  for (const auto& [tn, t] : texts)
    for (const auto& [bn, b] : backgrounds) out.push_back({tn + " on " + bn, contrast_ratio(t, b)});
  // The editor's text over a selection and over the find highlights.
  for (int i = 0; i < kTokenCount; ++i) {
    out.push_back({std::string("syntax.") + tokens[i] + " on selection", contrast_ratio(p.syntax[i], over(p.selection, p.frame))});
    out.push_back({std::string("syntax.") + tokens[i] + " on find match", contrast_ratio(p.syntax[i], over(p.find_current, p.frame))});
  }
  // Widgets: text on buttons, tabs, headers; the Build button.
  for (const auto& [bn, b] : std::vector<std::pair<std::string, Rgba>>{
           {"button", p.button}, {"button_hovered", p.button_hovered}, {"button_active", p.button_active},
           {"tab", p.tab}, {"tab_active", p.tab_active}, {"tab_hovered", p.tab_hovered},
           {"header", over(p.header, p.window)}, {"header_hovered", over(p.header_hovered, p.window)},
           {"box_hovered", p.box_hovered}})
    out.push_back({"text on " + bn, contrast_ratio(p.text, b)});
  for (const auto& [bn, b] : std::vector<std::pair<std::string, Rgba>>{
           {"primary", p.primary}, {"primary_hovered", p.primary_hovered}, {"primary_active", p.primary_active}})
    out.push_back({"primary_text on " + bn, contrast_ratio(p.primary_text, b)});
  return out;
}

}  // namespace

TEST_CASE("palette: contrast ratios follow WCAG 2") {
  CHECK(contrast_ratio({0, 0, 0, 1}, {1, 1, 1, 1}) == doctest::Approx(21.0));
  CHECK(contrast_ratio({1, 1, 1, 1}, {1, 1, 1, 1}) == doctest::Approx(1.0));
  // #767676 on white is the classic 4.54:1.
  CHECK(contrast_ratio({118 / 255.f, 118 / 255.f, 118 / 255.f, 1}, {1, 1, 1, 1}) == doctest::Approx(4.54).epsilon(0.01));
}

TEST_CASE("palette: every text colour reaches WCAG AA (4.5:1) on its backgrounds, in both themes") {
  for (const Palette* p : {&dark_palette(), &light_palette()}) {
    double lowest = 100;
    std::string worst;
    for (const auto& entry : ratios(*p)) {
      // not a structured binding: clang 14 cannot capture one in doctest's INFO lambda
      const auto& what = entry.first;
      const double ratio = entry.second;
      INFO(std::string(p->name) << ": " << what << " = " << ratio);
      CHECK(ratio >= 4.5);
      if (ratio < lowest) lowest = ratio, worst = what;
    }
    MESSAGE(std::string(p->name) << " theme: lowest contrast " << lowest << ":1 (" << worst << ")");
  }
}

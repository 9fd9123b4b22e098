// Timeline: the estimated build as a Gantt chart (compare/timeline.h). One lane per stage,
// stages that do not wait for each other side by side, each step a bar (run steps as long as
// their estimated time, CACHED steps thin and grey), the critical path in pink, the total. After
// a recorded build (or in compare mode: B after A) the next build's chart is drawn under the
// cold one on the same scale. Hover a bar for its time and where the figure comes from; click
// it to select its line.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "app.h"
#include "compare/timeline.h"
#include "compare_mode.h"
#include "imgui.h"
#include "theme.h"
#include "ui.h"

namespace dfplay::app {
namespace {

ImU32 color(const ImVec4& c, float alpha = 1.0f) { return ImGui::GetColorU32(ImVec4(c.x, c.y, c.z, c.w * alpha)); }

// A step between 1 s and 10 min that gives 3-8 ticks over `total` seconds.
double tick_step(double total) {
  for (double s : {0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0})
    if (total / s <= 8) return s;
  return 1200.0;
}

// `cold_total` > 0: also marks the cold build's total (the next build drawn against the cold one).
void chart(AppState& s, const char* id, const compare::Timeline& t, double scale_total, double cold_total = 0) {
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float lane_h = ui::em(1.7f), bar_h = ui::em(1.05f), thin_h = ui::em(0.3f);
  float label_w = ui::em(4);
  for (const auto& l : t.lanes) label_w = std::max(label_w, ImGui::CalcTextSize(l.label.c_str()).x + ui::em(0.8f));
  label_w = std::min(label_w, ui::em(11));
  // The visible width (not the content's: the panel scrolls horizontally, see compare_panel.cpp).
  const float avail = ImGui::GetWindowContentRegionMax().x + ImGui::GetScrollX() - ImGui::GetCursorPosX();
  const float chart_w = std::max(ui::em(8), avail - label_w - ui::em(0.5f));
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const float axis_h = ImGui::GetTextLineHeightWithSpacing();
  const float height = lane_h * static_cast<float>(t.lanes.size()) + axis_h;
  const double total = scale_total > 0 ? scale_total : 1.0;
  const float x0 = origin.x + label_w;
  auto x_of = [&](double sec) { return x0 + static_cast<float>(sec / total) * chart_w; };

  // Grid and axis.
  const double step = tick_step(total);
  const float axis_y = origin.y + lane_h * static_cast<float>(t.lanes.size());
  for (double tick = 0; tick <= total + 1e-9; tick += step) {
    float x = x_of(tick);
    dl->AddLine(ImVec2(x, origin.y), ImVec2(x, axis_y), color(theme::kDim, 0.25f));
    char buf[32];
    std::snprintf(buf, sizeof buf, tick >= 60 ? "%.0f min" : (step < 1 ? "%.1f s" : "%.0f s"), tick >= 60 ? tick / 60 : tick);
    float w = ImGui::CalcTextSize(buf).x;
    if (x + w * 0.5f <= x0 + chart_w + ui::em(0.5f))
      dl->AddText(ImVec2(x - w * 0.5f, axis_y + ui::em(0.15f)), color(theme::kDim), buf);
  }

  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const compare::Bar* hovered = nullptr;
  const compare::Lane* hovered_lane = nullptr;
  for (size_t i = 0; i < t.lanes.size(); ++i) {
    const compare::Lane& lane = t.lanes[i];
    const float y = origin.y + lane_h * static_cast<float>(i);
    const ImVec4 label_col = !lane.built ? theme::kDim : lane.critical ? theme::kCritical : ImGui::GetStyleColorVec4(ImGuiCol_Text);
    dl->AddText(ImVec2(origin.x, y + (lane_h - ImGui::GetTextLineHeight()) * 0.5f), color(label_col), lane.label.c_str());
    if (!lane.built) {
      dl->AddText(ImVec2(x0 + ui::em(0.3f), y + (lane_h - ImGui::GetTextLineHeight()) * 0.5f), color(theme::kDim),
                  "skipped (the target does not need it)");
      continue;
    }
    // CACHED steps take no time: small grey marks along the lane's bottom edge, side by side when
    // several fall at the same instant, so that each can be seen and hovered.
    int stacked = 0;
    double stacked_at = -1;
    for (const auto& bar : lane.bars) {
      const bool cached = bar.status != cache::Status::Run || bar.seconds <= 0;
      float bx0 = x_of(bar.start), bx1 = std::max(x_of(bar.start + bar.seconds), bx0 + 2.0f);
      float h = cached ? thin_h : bar_h;
      float by0 = y + (lane_h - h) * 0.5f, by1 = by0 + h;
      if (cached) {
        stacked = bar.start == stacked_at ? stacked + 1 : 0;
        stacked_at = bar.start;
        bx0 += static_cast<float>(stacked) * ui::em(0.5f);
        bx1 = bx0 + ui::em(0.4f);
        by1 = y + lane_h - 1.0f;
        by0 = by1 - h;
      }
      ImVec4 fill = cached ? theme::kSkipped : theme::kRun;
      dl->AddRectFilled(ImVec2(bx0, by0), ImVec2(bx1, by1), color(fill, cached ? 0.7f : 0.85f), cached ? 0.0f : ui::em(0.15f));
      if (!cached) {
        dl->AddRect(ImVec2(bx0, by0), ImVec2(bx1, by1), bar.critical ? color(theme::kCritical) : color(theme::kRun, 0.4f),
                    ui::em(0.15f), 0, bar.critical ? 2.0f : 1.0f);
        // The instruction inside the bar when it fits.
        std::string text = bar.text;
        float tw = ImGui::CalcTextSize(text.c_str()).x;
        if (tw + ui::em(0.6f) < bx1 - bx0) {
          dl->AddText(ImVec2(bx0 + ui::em(0.3f), by0 + (h - ImGui::GetTextLineHeight()) * 0.5f), IM_COL32(20, 20, 24, 255), text.c_str());
        }
      }
      if (mouse.x >= bx0 - 1 && mouse.x <= bx1 + 1 && mouse.y >= y && mouse.y <= y + lane_h && ImGui::IsWindowHovered()) {
        hovered = &bar;
        hovered_lane = &lane;
      }
    }
  }
  // The cold build's total (dim), then this build's total.
  if (cold_total > 0) {
    float x = x_of(cold_total);
    dl->AddLine(ImVec2(x, origin.y), ImVec2(x, axis_y), color(theme::kDim, 0.9f), 2.0f);
    const char* label = "cold";
    float w = ImGui::CalcTextSize(label).x;
    if (x - w - ui::em(0.3f) > x0) dl->AddText(ImVec2(x - w - ui::em(0.3f), origin.y), color(theme::kDim), label);
  }
  if (t.total > 0) {
    float x = x_of(t.total);
    dl->AddLine(ImVec2(x, origin.y), ImVec2(x, axis_y), color(theme::kAccent), 2.0f);
  }
  ImGui::Dummy(ImVec2(label_w + chart_w, height));
  publish(s, std::string("timeline:") + id);
  if (hovered) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ui::em(30));
    ImGui::Text("[%s] line %u: %s", hovered_lane->label.c_str(), hovered->line, hovered->text.c_str());
    if (hovered->status == cache::Status::Cached) {
      ImGui::TextColored(theme::kCached, "CACHED: no time");
    } else {
      ImGui::Text("%s estimated, from %s to %s", ui::seconds(hovered->seconds).c_str(), ui::seconds(hovered->start).c_str(),
                  ui::seconds(hovered->start + hovered->seconds).c_str());
      if (hovered->critical) ImGui::TextColored(theme::kCritical, "on the critical path");
    }
    if (!hovered->source.empty()) ImGui::TextDisabled("where the figure comes from: %s", hovered->source.c_str());
    ImGui::TextDisabled("click: select the line");
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
    if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) s.select_line(hovered->line);
  }
}

std::string path_text(const compare::Timeline& t) {
  std::string out;
  for (size_t s : t.critical_path) out += (out.empty() ? "" : " \xE2\x86\x92 ") + t.lanes[s].label;
  return out;
}

void draw(AppState& s) {
  const WorkspaceResult& r = s.result();
  const sim::BuildResult& b = *r.build;
  if (b.stages.empty()) {
    ui::nothing_to_show(r, "No build: the Dockerfile has no stage.");
    return;
  }
  compare::Timeline cold = compare::timeline(b);
  // The next build: B after A in compare mode, else against the recorded builds.
  const sim::BuildResult* nb = nullptr;
  const cache::Report* nr = nullptr;
  const char* next_title = nullptr;
  if (compare::Comparer* c = comparer(s)) {
    if (c->has_diff()) {  // (none while the first comparison is under way)
      nb = c->b_result().build.get();
      nr = &c->b_result().cache;
      next_title = "B's build after A's (A's layers in the cache)";
    }
  } else if (s.cached_builds() > 0) {
    nb = &b;
    nr = &r.cache;
    next_title = "Next build with the cache";
  }
  compare::Timeline next;
  if (nb) next = compare::timeline(*nb, nr);
  const double scale = std::max(cold.total, nb ? next.total : 0.0);

  ImGui::Text("Cold build: %s", ui::seconds(cold.total).c_str());
  ui::estimated("Every duration is an estimate: base pulls from the catalog's compressed sizes, copies from their bytes, "
                "RUN steps from the effects model (docs/effects.md). Hover a bar for its source.");
  ImGui::SameLine(0, ui::em(1));
  ImGui::TextDisabled("serial %s", ui::seconds(cold.serial).c_str());
  if (!cold.critical_path.empty()) {
    ImGui::TextColored(theme::kCritical, "critical path: %s", path_text(cold).c_str());
  }
  chart(s, "cold", cold, scale);
  if (nb) {
    ImGui::Spacing();
    ImGui::Separator();
    char title[160];
    std::snprintf(title, sizeof title, "%s: %s", next_title, ui::seconds(next.total).c_str());
    ImGui::PushTextWrapPos(ImGui::GetWindowContentRegionMax().x + ImGui::GetScrollX());
    ImGui::TextUnformatted(title);
    ImGui::PopTextWrapPos();
    ui::estimated("CACHED steps take no time; the others run with the same estimates as the cold build.");
    if (nr) {
      char counts[96];
      std::snprintf(counts, sizeof counts, "%zu cached, %zu run, saves %s", nr->cached, nr->run,
                    ui::seconds(std::max(0.0, cold.total - next.total)).c_str());
      ui::same_line_if_fits(ImGui::CalcTextSize(counts).x);
      ImGui::TextDisabled("%s", counts);
    }
    if (!next.critical_path.empty() && next.total > 0)
      ImGui::TextColored(theme::kCritical, "critical path: %s", path_text(next).c_str());
    chart(s, "next", next, scale, cold.total);
  } else {
    ImGui::Spacing();
    ImGui::TextDisabled("Build (or Compare) to see the next build's timeline against the cold one.");
  }
  // Legend.
  ImGui::Spacing();
  ui::dot(theme::kRun);
  ImGui::TextDisabled("runs");
  ImGui::SameLine(0, ui::em(1));
  ui::dot(theme::kSkipped);
  ImGui::TextDisabled("CACHED");
  ImGui::SameLine(0, ui::em(1));
  ui::dot(theme::kCritical);
  ImGui::TextDisabled("critical path");
  ImGui::SameLine(0, ui::em(1));
  ui::dot(theme::kAccent);
  ImGui::TextDisabled("total");
}

const PanelRegistration reg{{"Timeline", Slot::Side, 70, draw}};

}  // namespace
}  // namespace dfplay::app

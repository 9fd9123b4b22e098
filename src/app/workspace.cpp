// Panel registry and the tiled layout: Left column | Right column, Bottom band under both.
#include <algorithm>
#include <cmath>

#include "app.h"
#include "imgui.h"

namespace dfplay::app {

static std::vector<PanelInfo>& registry() {
  static std::vector<PanelInfo> r;
  return r;
}

PanelRegistration::PanelRegistration(const PanelInfo& info) {
  auto& r = registry();
  r.push_back(info);
  std::stable_sort(r.begin(), r.end(), [](const PanelInfo& a, const PanelInfo& b) {
    return a.slot != b.slot ? a.slot < b.slot : a.order < b.order;
  });
}

const std::vector<PanelInfo>& panels() { return registry(); }

namespace {

constexpr ImGuiWindowFlags kPanelFlags = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                                         ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings |
                                         ImGuiWindowFlags_NoBringToFrontOnFocus;

void draw_column(AppState& s, Slot slot, ImVec2 pos, ImVec2 size) {
  int count = 0;
  for (const auto& p : panels()) count += p.slot == slot;
  if (count == 0 || size.x <= 0 || size.y <= 0) return;
  float each = size.y / static_cast<float>(count);
  int i = 0;
  for (const auto& p : panels()) {
    if (p.slot != slot) continue;
    ImGui::SetNextWindowPos(ImVec2(pos.x, pos.y + each * static_cast<float>(i)), ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(size.x, each), ImGuiCond_Always);
    // Only the main column takes focus when the panels first appear (the editor's window).
    ImGuiWindowFlags flags = kPanelFlags | (slot == Slot::Left ? 0 : ImGuiWindowFlags_NoFocusOnAppearing);
    if (ImGui::Begin(p.title, nullptr, flags)) p.draw(s);
    ImGui::End();
    ++i;
  }
}

}  // namespace

void draw_workspace(AppState& s) {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  bool has_right = false, has_bottom = false;
  for (const auto& p : panels()) {
    has_right |= p.slot == Slot::Right;
    has_bottom |= p.slot == Slot::Bottom;
  }
  ImVec2 origin = vp->WorkPos, size = vp->WorkSize;
  float bottom_h = has_bottom ? std::floor(size.y * 0.28f) : 0.0f;
  float top_h = size.y - bottom_h;
  // Narrow screens: the side column goes under the editor instead of beside it.
  bool stacked = size.x < 760.0f * ImGui::GetIO().FontGlobalScale * (ImGui::GetFontSize() / 15.0f);
  if (!has_right) {
    draw_column(s, Slot::Left, origin, ImVec2(size.x, top_h));
  } else if (stacked) {
    float left_h = std::floor(top_h * 0.62f);
    draw_column(s, Slot::Left, origin, ImVec2(size.x, left_h));
    draw_column(s, Slot::Right, ImVec2(origin.x, origin.y + left_h), ImVec2(size.x, top_h - left_h));
  } else {
    float left_w = std::floor(size.x * 0.6f);
    draw_column(s, Slot::Left, origin, ImVec2(left_w, top_h));
    draw_column(s, Slot::Right, ImVec2(origin.x + left_w, origin.y), ImVec2(size.x - left_w, top_h));
  }
  draw_column(s, Slot::Bottom, ImVec2(origin.x, origin.y + top_h), ImVec2(size.x, bottom_h));
}

}  // namespace dfplay::app

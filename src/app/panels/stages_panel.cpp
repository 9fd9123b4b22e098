// Stage graph: the stages laid out by parallel level (one column per level; one row per level
// when the columns do not fit the panel's width), edges for FROM
// <stage>, COPY --from and RUN --mount from= dependencies, the target highlighted, stages the
// target does not need dimmed and labelled "skipped", the critical path marked. Per stage: its
// base and estimated size and time. Click a stage to select its FROM line.
#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "app.h"
#include "imgui.h"
#include "theme.h"
#include "ui.h"

namespace dfplay::app {
namespace {

// Column of each stage: 0 without stage dependencies, else one more than its deepest dependency
// (the same as BuildKit's parallel levels for built stages; also defined for skipped ones).
std::vector<int> columns(const stages::Graph& g) {
  const size_t n = g.stages.size();
  std::vector<int> col(n, 0);
  for (size_t round = 0; round < n; ++round) {  // relaxation; a cycle (an error) stops at n rounds
    bool moved = false;
    for (size_t i = 0; i < n; ++i)
      for (const auto& d : g.stages[i].deps)
        if (d.stage < n && d.stage != i && col[i] < col[d.stage] + 1 && col[d.stage] + 1 <= static_cast<int>(n)) {
          col[i] = col[d.stage] + 1;
          moved = true;
        }
    if (!moved) break;
  }
  return col;
}

// The stages on the critical path to the target: from the target back through the dependency
// that finishes last.
std::vector<size_t> critical_path(const sim::BuildResult& b) {
  std::vector<size_t> path;
  size_t cur = b.target;
  std::set<size_t> seen;
  while (cur < b.stages.size() && seen.insert(cur).second) {
    path.push_back(cur);
    size_t best = stages::npos;
    for (size_t d : b.stages[cur].depends_on)
      if (d < b.stages.size() && d != cur && (best == stages::npos || b.stages[d].finish_seconds > b.stages[best].finish_seconds))
        best = d;
    cur = best;
  }
  std::reverse(path.begin(), path.end());
  return path;
}

const char* dep_label(stages::DepKind k) {
  switch (k) {
    case stages::DepKind::Base: return "FROM";
    case stages::DepKind::CopyFrom: return "COPY --from";
    case stages::DepKind::MountFrom: return "mount from";
  }
  return "";
}

ImU32 fade(ImVec4 c, float alpha) {
  c.w *= alpha;
  return ImGui::GetColorU32(c);
}

void draw_dashed_bezier(ImDrawList* dl, ImVec2 p0, ImVec2 p1, ImVec2 p2, ImVec2 p3, ImU32 col, float thickness, float dash) {
  const int segments = 48;
  ImVec2 prev = p0;
  float run = 0;
  bool on = true;
  for (int i = 1; i <= segments; ++i) {
    float t = static_cast<float>(i) / segments, u = 1 - t;
    ImVec2 p(u * u * u * p0.x + 3 * u * u * t * p1.x + 3 * u * t * t * p2.x + t * t * t * p3.x,
             u * u * u * p0.y + 3 * u * u * t * p1.y + 3 * u * t * t * p2.y + t * t * t * p3.y);
    if (on) dl->AddLine(prev, p, col, thickness);
    run += std::hypot(p.x - prev.x, p.y - prev.y);
    if (run > dash) {
      run = 0;
      on = !on;
    }
    prev = p;
  }
}

void summary(AppState& s, const sim::BuildResult& b, const std::vector<size_t>& path) {
  size_t built = 0;
  for (const auto& st : b.stages) built += st.built;
  if (b.target < b.stages.size()) {
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Target:");
    ImGui::SameLine();
    ImGui::TextColored(theme::kAccent, "%s", b.stages[b.target].label.empty() ? "(the only stage)" : b.stages[b.target].label.c_str());
    // The rest on the same line when it fits, else on the next ones (never cut).
    const std::string built_text = "\xC2\xB7 " + std::to_string(built) + " of " + std::to_string(b.stages.size()) + " stages built";
    const std::string levels = "\xC2\xB7 " + ui::plural(b.analysis->graph.levels.size(), "parallel level", "parallel levels");
    ui::same_line_if_fits(ImGui::CalcTextSize(built_text.c_str()).x);
    ImGui::TextDisabled("%s", built_text.c_str());
    ui::same_line_if_fits(ImGui::CalcTextSize(levels.c_str()).x);
    ImGui::TextDisabled("%s", levels.c_str());

  }
  if (path.size() > 1) {
    std::string p;
    for (size_t i : path) p += (p.empty() ? "" : " \xE2\x86\x92 ") + b.stages[i].label;
    ImGui::TextColored(theme::kCritical, "Critical path:");
    ImGui::SameLine();
    ImGui::TextWrapped("%s", p.c_str());
    // Its own item, so that a narrow panel wraps before it, not inside "18.0 s" (ImGui may break
    // a line after a '.').
    const std::string cold = "\xC2\xB7 cold build " + ui::seconds(b.cold_seconds);
    ui::same_line_if_fits(ImGui::CalcTextSize(cold.c_str()).x);
    ImGui::TextUnformatted(cold.c_str());
    ui::estimated("Cold build time with parallel stages: a stage starts when every stage it needs has finished. "
                  "Step times are estimates (docs/effects.md).");
  } else {
    ImGui::TextDisabled("Cold build %s", ui::seconds(b.cold_seconds).c_str());
    ui::estimated("Step times are estimates (docs/effects.md).");
  }
}

// Where each stage's box goes. Levels left to right (one column per level); boxes shrink down to
// 10 em to fit the panel's width. When even that does not fit (a narrow panel, an embed), levels
// go top to bottom instead, a level's stages side by side, so the graph scrolls down rather than
// sideways.
struct GraphLayout {
  std::vector<int> col;                     // each stage's level
  std::vector<std::vector<size_t>> by_col;  // the stages of each level
  size_t rows = 0;                          // the most stages in one level
  float fs = 0, pad = 0, box_w = 0, box_h = 0, gap_x = 0, gap_y = 0, thin = 1;
  bool vertical = false;
  ImVec2 content;  // the whole graph's size
  ImVec2 origin;   // its top-left corner on the screen (set when drawn)

  ImVec2 box_min(size_t i) const {
    const auto& c = by_col[col[i]];
    size_t row = std::find(c.begin(), c.end(), i) - c.begin();
    if (vertical) {  // level i is row i; a level with fewer stages is centred horizontally
      float offset = (static_cast<float>(rows - c.size()) * (box_w + gap_x)) * 0.5f;
      return ImVec2(origin.x + pad + offset + row * (box_w + gap_x), origin.y + pad + col[i] * (box_h + gap_y));
    }
    // Columns with fewer stages are centred vertically.
    float offset = (static_cast<float>(rows - c.size()) * (box_h + gap_y)) * 0.5f;
    return ImVec2(origin.x + pad + col[i] * (box_w + gap_x), origin.y + pad + offset + row * (box_h + gap_y));
  }
};

// `avail_w`: the panel's width.
GraphLayout layout_graph(const stages::Graph& g, float avail_w) {
  GraphLayout L;
  L.col = columns(g);
  const auto& col = L.col;
  const int ncols = *std::max_element(col.begin(), col.end()) + 1;
  L.by_col.assign(static_cast<size_t>(ncols), {});
  for (size_t i = 0; i < col.size(); ++i) L.by_col[col[i]].push_back(i);
  for (const auto& c : L.by_col) L.rows = std::max(L.rows, c.size());
  const size_t rows = L.rows;

  const float fs = ImGui::GetFontSize();
  L.fs = fs;
  L.pad = fs * 0.5f;
  L.box_h = fs * 5.4f;
  L.thin = std::max(1.0f, std::round(fs / 12.0f));
  const float pad = L.pad, min_w = fs * 10.0f, max_w = fs * 15.0f;
  float gap_x = ImGui::CalcTextSize("COPY --from").x + fs * 2.5f, gap_y = fs * 1.2f;
  float fit = (avail_w - pad * 2 - (ncols - 1) * gap_x) / static_cast<float>(ncols);
  L.vertical = fit < min_w && ncols > 1;
  // Grid: `across` boxes side by side, `down` boxes on top of each other.
  size_t across = static_cast<size_t>(ncols), down = rows;
  if (L.vertical) {
    across = rows;
    down = static_cast<size_t>(ncols);
    gap_x = fs * 1.2f;
    gap_y = ImGui::GetTextLineHeight() * 2.0f + fs * 1.2f;  // room for an edge label
    fit = (avail_w - pad * 2 - (across - 1) * gap_x) / static_cast<float>(across);
  }
  L.box_w = std::clamp(fit, min_w, max_w);
  L.gap_x = gap_x;
  L.gap_y = gap_y;
  L.content = ImVec2(pad * 2 + across * L.box_w + (across - 1) * gap_x, pad * 2 + down * L.box_h + (down - 1) * gap_y);
  return L;
}

// The dependency edges (drawn before the boxes, so they pass under them), each labelled with its
// kind; the critical path's in pink.
void draw_edges(ImDrawList* dl, const GraphLayout& L, const stages::Graph& g, const sim::BuildResult& b,
                const std::vector<size_t>& path) {
  const float fs = L.fs, box_w = L.box_w, box_h = L.box_h, gap_x = L.gap_x, gap_y = L.gap_y, thin = L.thin;
  const bool vertical = L.vertical;
  // An edge is on the critical path when its two stages are consecutive on it.
  auto critical_edge = [&](size_t from, size_t to) {
    for (size_t k = 0; k + 1 < path.size(); ++k)
      if (path[k] == from && path[k + 1] == to) return true;
    return false;
  };
  std::set<std::tuple<size_t, size_t, int>> drawn;
  for (size_t i = 0; i < g.stages.size(); ++i) {
    for (const auto& d : g.stages[i].deps) {
      if (d.stage >= g.stages.size() || d.stage == i) continue;
      if (!drawn.insert({d.stage, i, static_cast<int>(d.kind)}).second) continue;
      ImVec2 a = L.box_min(d.stage), z = L.box_min(i);
      // From the source's right (vertical: bottom) side to the target's left (top) side.
      ImVec2 p0 = vertical ? ImVec2(a.x + box_w * 0.5f, a.y + box_h) : ImVec2(a.x + box_w, a.y + box_h * 0.5f);
      ImVec2 p3 = vertical ? ImVec2(z.x + box_w * 0.5f, z.y) : ImVec2(z.x, z.y + box_h * 0.5f);
      const bool around = vertical ? p3.y <= p0.y : p3.x <= p0.x;
      if (around) {  // same or earlier level (only with a cycle): go around
        p0 = vertical ? ImVec2(a.x + box_w, a.y + box_h * 0.5f) : ImVec2(a.x + box_w * 0.5f, a.y + box_h);
        p3 = vertical ? ImVec2(z.x + box_w, z.y + box_h * 0.5f) : ImVec2(z.x + box_w * 0.5f, z.y + box_h);
      }
      const bool critical = critical_edge(d.stage, i) && b.stages[i].built;
      const bool dim = !b.stages[i].built;
      ImVec4 c = critical ? theme::kCritical : theme::kDim;
      ImU32 color = fade(c, dim ? 0.35f : 0.9f);
      float t = critical ? thin * 2.5f : thin * 1.5f;
      ImVec2 p1, p2;
      if (vertical && !around) {
        float dy = std::max(fs * 2.0f, (p3.y - p0.y) * 0.5f);
        p1 = ImVec2(p0.x, p0.y + dy);
        p2 = ImVec2(p3.x, p3.y - dy);
      } else if (vertical) {  // around the right side
        float dx = fs * 2.0f;
        p1 = ImVec2(p0.x + dx, p0.y);
        p2 = ImVec2(p3.x + dx, p3.y);
      } else {
        float dx = std::max(fs * 2.0f, (p3.x - p0.x) * 0.5f);
        p1 = ImVec2(p0.x + dx, p0.y);
        p2 = ImVec2(p3.x - dx, p3.y);
      }
      if (d.kind == stages::DepKind::MountFrom) draw_dashed_bezier(dl, p0, p1, p2, p3, color, t, fs * 0.4f);
      else dl->AddBezierCubic(p0, p1, p2, p3, color, t);
      // Arrow head (pointing right, or down in the vertical layout).
      const float ah = fs * 0.4f;
      if (vertical && !around)
        dl->AddTriangleFilled(p3, ImVec2(p3.x - ah * 0.6f, p3.y - ah), ImVec2(p3.x + ah * 0.6f, p3.y - ah), color);
      else
        dl->AddTriangleFilled(p3, ImVec2(p3.x - ah, p3.y - ah * 0.6f), ImVec2(p3.x - ah, p3.y + ah * 0.6f), color);
      // The label sits on the curve in the last gap before the arrow (long edges cross other
      // levels), on a background so that crossing curves do not hide it: above the curve, or
      // (vertical layout) beside it.
      const char* label = dep_label(d.kind);
      ImVec2 ls = ImGui::CalcTextSize(label);
      const float want = vertical ? p3.y - std::min(gap_y, p3.y - p0.y) * 0.5f : p3.x - std::min(gap_x, p3.x - p0.x) * 0.5f;
      ImVec2 at = p3;
      for (int k = 0; k <= 32; ++k) {
        float t = static_cast<float>(k) / 32, u = 1 - t;
        ImVec2 q(u * u * u * p0.x + 3 * u * u * t * p1.x + 3 * u * t * t * p2.x + t * t * t * p3.x,
                 u * u * u * p0.y + 3 * u * u * t * p1.y + 3 * u * t * t * p2.y + t * t * t * p3.y);
        if ((vertical ? q.y : q.x) >= want) {
          at = q;
          break;
        }
      }
      ImVec2 mid = vertical ? ImVec2(at.x + thin * 3, at.y - ls.y * 0.5f) : ImVec2(at.x - ls.x * 0.5f, at.y - ls.y - thin * 2);
      dl->AddRectFilled(ImVec2(mid.x - 2, mid.y), ImVec2(mid.x + ls.x + 2, mid.y + ls.y), ImGui::GetColorU32(ImGuiCol_WindowBg, 0.85f));
      dl->AddText(mid, fade(c, dim ? 0.4f : 0.85f), label);
    }
  }

}

// The tooltip of stage i's box: base, size, level and time, unmodelled steps, what it needs.
void stage_tooltip(const sim::BuildResult& b, const stages::StageNode& node, size_t i, const std::string& title) {
  const sim::StageResult& st = b.stages[i];
  const bool target = i == b.target, built = st.built;
  ImGui::BeginTooltip();
  ImGui::Text("Stage %s (index %zu)%s", title.c_str(), i, target ? " \xC2\xB7 target" : "");
  ImGui::Text("Base: %s", (st.base.empty() ? node.base_ref : st.base).c_str());
  if (st.base_bytes) {
    ImGui::SameLine();
    ImGui::TextDisabled("%s%s", ui::bytes(st.base_bytes).c_str(), st.base_estimated ? " (estimated: unknown image)" : "");
  }
  ImGui::Text("Size: %s (estimated: base + this stage's layers)", ui::bytes(st.size_bytes).c_str());
  if (built) {
    ImGui::Text("Level %d \xC2\xB7 own steps %s \xC2\xB7 done at %s (estimated)", st.level, ui::seconds(st.seconds).c_str(),
                ui::seconds(st.finish_seconds).c_str());
  } else {
    ImGui::TextColored(theme::kSkipped, "Skipped: the target does not need this stage");
  }
  {
    std::string lines;  // steps whose effect is not modelled: their outputs are unknown
    for (size_t id : st.steps)
      if (b.steps[id].unmodelled) lines += (lines.empty() ? "" : ", ") + std::to_string(b.steps[id].line);
    if (!lines.empty()) ImGui::TextColored(theme::kWarning, "Partly unknown: not modelled at line %s", lines.c_str());
  }
  if (!st.depends_on.empty()) {
    std::string deps;
    for (size_t d : st.depends_on) deps += (deps.empty() ? "" : ", ") + b.stages[d].label;
    ImGui::Text("Needs: %s", deps.c_str());
  }
  for (const auto& img : node.images) ImGui::Text("Reads the image %s (%s)", img.ref.c_str(), dep_label(img.kind));
  ImGui::TextDisabled("Click to select its FROM line");
  ImGui::EndTooltip();
}

// Stage i's box (a button: a click selects its FROM line): title and badge, base, size and time.
void draw_box(AppState& s, ImDrawList* dl, const GraphLayout& L, const sim::BuildResult& b, const stages::Graph& g,
              size_t i, bool critical) {
  const float fs = L.fs, pad = L.pad, box_w = L.box_w, box_h = L.box_h, thin = L.thin;
  const sim::StageResult& st = b.stages[i];
  const stages::StageNode& node = g.stages[i];
  ImVec2 p = L.box_min(i), q(p.x + box_w, p.y + box_h);
  const bool target = i == b.target, built = st.built;
  const float alpha = built ? 1.0f : 0.45f;
  ImGui::SetCursorScreenPos(p);
  ImGui::PushID(static_cast<int>(i));
  bool clicked = ImGui::InvisibleButton("stage", ImVec2(box_w, box_h));
  publish(s, "stage:" + (st.label.empty() ? std::to_string(i) : st.label));
  bool hovered = ImGui::IsItemHovered();
  ImGui::PopID();
  ImVec4 bg = theme::vec(hovered ? theme::palette().box_hovered : theme::palette().box);
  dl->AddRectFilled(p, q, fade(bg, built ? 1.0f : 0.6f), fs * 0.3f);
  ImVec4 border = target ? theme::kAccent : critical && built ? theme::kCritical : theme::kDim;
  dl->AddRect(p, q, fade(border, alpha), fs * 0.3f, 0, target ? thin * 3 : thin * 1.5f);
  // Level strip on the left: the colour of the cache status would be too busy; keep it neutral.
  dl->PushClipRect(ImVec2(p.x + pad * 0.5f, p.y), ImVec2(q.x - pad * 0.5f, q.y), true);
  float y = p.y + pad * 0.6f;
  const float line = ImGui::GetTextLineHeight();
  std::string title = st.label.empty() ? "stage 0" : st.label;
  ImU32 text = fade(ImGui::GetStyleColorVec4(ImGuiCol_Text), alpha);
  ImU32 muted = fade(theme::kDim, built ? 1.0f : 0.8f);
  const float badge_w = target || !built ? ImGui::CalcTextSize(target ? "TARGET" : "skipped").x + fs : 0.0f;
  dl->AddText(ImVec2(p.x + pad, y), text, ui::fit(title, box_w - pad * 2 - badge_w).c_str());
  // A badge on the right of the title line.
  const char* badge = target ? "TARGET" : !built ? "skipped" : nullptr;
  if (badge) {
    ImVec2 bs = ImGui::CalcTextSize(badge);
    ImVec2 bp(q.x - pad - bs.x, y);
    ImVec4 bc = target ? theme::kAccent : theme::kSkipped;
    dl->AddRectFilled(ImVec2(bp.x - fs * 0.25f, bp.y - 1), ImVec2(bp.x + bs.x + fs * 0.25f, bp.y + bs.y + 1), fade(bc, 0.25f), fs * 0.2f);
    dl->AddText(bp, ImGui::GetColorU32(bc), badge);
  }
  y += line;
  std::string base_name = st.base.empty() ? node.base_ref : st.base;
  std::string base = node.base_kind == stages::BaseKind::Stage ? "FROM stage " + base_name : "FROM " + base_name;
  dl->AddText(ImVec2(p.x + pad, y), muted, ui::fit(base, box_w - pad * 2).c_str());  // whole on hover
  y += line;
  if (built) {
    dl->AddText(ImVec2(p.x + pad, y), text, ui::bytes(st.size_bytes).c_str());
    y += line;
    std::string time = ui::seconds(st.seconds) + " to build";
    dl->AddText(ImVec2(p.x + pad, y), muted, time.c_str());
  } else {
    dl->AddText(ImVec2(p.x + pad, y), muted, "not built for");
    y += line;
    dl->AddText(ImVec2(p.x + pad, y), muted, "this target");
  }
  dl->PopClipRect();

  if (hovered) stage_tooltip(b, node, i, title);
  if (clicked && node.stage) s.select_line(node.stage->from.line());
}

// The legend under the graph: its items wrap to a new line rather than widen the panel.
void legend(float fs, float thin) {
  auto wrap_for = [&](float width) {
    if (ImGui::GetCursorPosX() > ImGui::GetStyle().WindowPadding.x + 1 && ImGui::GetContentRegionAvail().x < width)
      ImGui::NewLine();
  };
  auto swatch = [&](ImVec4 c, float t, bool dashed, const char* label) {
    float w = fs * 1.6f, h = ImGui::GetTextLineHeight();
    wrap_for(w + fs * 0.3f + ImGui::CalcTextSize(label).x);
    ImVec2 p = ImGui::GetCursorScreenPos();
    ImDrawList* wdl = ImGui::GetWindowDrawList();
    if (dashed) {
      for (float x = 0; x < w; x += fs * 0.5f) wdl->AddLine(ImVec2(p.x + x, p.y + h / 2), ImVec2(p.x + std::min(w, x + fs * 0.3f), p.y + h / 2), ImGui::GetColorU32(c), t);
    } else {
      wdl->AddLine(ImVec2(p.x, p.y + h / 2), ImVec2(p.x + w, p.y + h / 2), ImGui::GetColorU32(c), t);
    }
    ImGui::Dummy(ImVec2(w, h));
    ImGui::SameLine(0, fs * 0.3f);
    ImGui::TextDisabled("%s", label);
    ImGui::SameLine(0, fs * 1.0f);
  };
  swatch(theme::kDim, thin * 1.5f, false, "dependency");
  swatch(theme::kDim, thin * 1.5f, true, "mount");
  swatch(theme::kCritical, thin * 2.5f, false, "critical path");
  wrap_for(ImGui::CalcTextSize("sizes and times: estimated").x);
  ImGui::TextDisabled("sizes and times: estimated");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Stage sizes (base + the stage's layers) and build times are estimates from the base-image "
                      "catalog and the effects model (docs/effects.md).");
}

void draw(AppState& s) {
  const WorkspaceResult& r = s.result();
  const sim::BuildResult& b = *r.build;
  const stages::Graph& g = b.analysis->graph;
  if (b.stages.empty() || g.stages.size() != b.stages.size()) {
    ui::nothing_to_show(r, "No stages: the Dockerfile needs a FROM instruction.");
    return;
  }
  const auto path = critical_path(b);
  summary(s, b, path);
  ImGui::Spacing();

  // (A pixel of slack: a content exactly as wide as the panel still showed a scrollbar.)
  const float avail_w = ImGui::GetContentRegionAvail().x - 2.0f;
  GraphLayout L = layout_graph(g, avail_w);
  const float fs = L.fs;
  // The legend below wraps when the panel is narrow: leave room for its lines.
  float legend_w = ImGui::CalcTextSize("sizes and times: estimated").x;
  for (const char* l : {"dependency", "mount", "critical path"}) legend_w += fs * 2.9f + ImGui::CalcTextSize(l).x;
  const float legend_lines = std::max(1.0f, std::ceil(legend_w / std::max(avail_w, fs)));
  const float legend_h = ImGui::GetTextLineHeightWithSpacing() * (legend_lines + 0.5f);

  ImVec2 avail = ImGui::GetContentRegionAvail();
  ImGui::BeginChild("##graph", ImVec2(0, std::max(L.content.y + ImGui::GetStyle().ScrollbarSize + L.pad, avail.y - legend_h)),
                    false, ImGuiWindowFlags_HorizontalScrollbar);
  L.origin = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  draw_edges(dl, L, g, b, path);
  for (size_t i = 0; i < b.stages.size(); ++i)
    draw_box(s, dl, L, b, g, i, std::find(path.begin(), path.end(), i) != path.end());
  ImGui::SetCursorScreenPos(L.origin);
  ImGui::Dummy(L.content);
  ImGui::EndChild();
  legend(fs, L.thin);
}

const PanelRegistration reg{{"Stages", Slot::Side, 0, draw}};

}  // namespace
}  // namespace dfplay::app

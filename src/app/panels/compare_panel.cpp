// Compare: A (pinned) against B (the editor), side by side with the difference: image and
// compressed size, layers, cold build time, context sent, what B's build reuses from A's cache
// and why the rest misses, config changes, findings fixed and introduced, the image's file diff
// (filterable, biggest first) and the layers side by side. Below: the ready what-ifs of the
// current input with their measured effects and an Accept button.
#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <string>

#include "app.h"
#include "compare_mode.h"
#include "imgui.h"
#include "theme.h"
#include "ui.h"

namespace dfplay::app {
namespace {

// The visible right edge in window-local coordinates (scroll included), and the width left to it.
// The side panels scroll horizontally, and ImGui's default wrap and table widths follow the
// content's width: one wide frame would keep the panel wide. Wrapping and sizing at the visible
// edge keeps it fitted at every width.
float right_edge() { return ImGui::GetWindowContentRegionMax().x + ImGui::GetScrollX(); }
float width_left() { return std::max(ui::em(6), right_edge() - ImGui::GetCursorPosX()); }
void wrap_begin() { ImGui::PushTextWrapPos(right_edge()); }
void wrapped(const std::string& text) {
  wrap_begin();
  ImGui::TextUnformatted(text.c_str());
  ImGui::PopTextWrapPos();
}

std::string signed_bytes(int64_t d) {
  if (d == 0) return "0";
  return (d > 0 ? "+" : "\xE2\x80\x93") + ui::bytes(static_cast<uint64_t>(d > 0 ? d : -d));
}

std::string signed_seconds(double d) {
  if (d > -0.05 && d < 0.05) return "0";
  return (d > 0 ? "+" : "\xE2\x80\x93") + ui::seconds(d > 0 ? d : -d);
}

// Smaller is better for every figure shown: green when B is smaller, orange when larger.
void delta_cell(const std::string& text, double delta) {
  if (delta < 0) ImGui::TextColored(theme::kCached, "%s", text.c_str());
  else if (delta > 0) ImGui::TextColored(theme::kRun, "%s", text.c_str());
  else ImGui::TextDisabled("%s", text.c_str());
}

void figure_row(const char* name, const std::string& a, const std::string& b, const std::string& delta, double sign,
                const char* estimate = nullptr) {
  ImGui::TableNextRow();
  ImGui::TableNextColumn();
  ImGui::TextUnformatted(name);
  if (estimate) ui::estimated(estimate);
  ImGui::TableNextColumn();
  ImGui::TextUnformatted(a.c_str());
  ImGui::TableNextColumn();
  ImGui::TextUnformatted(b.c_str());
  ImGui::TableNextColumn();
  delta_cell(delta, sign);
}

void draw_figures(const compare::Diff& d) {
  const auto& a = d.a;
  const auto& b = d.b;
  // Stretched columns: the table always fits the panel (a small embed clips rather than scrolls).
  if (!ImGui::BeginTable("figures", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_PadOuterX |
                                           ImGuiTableFlags_BordersInnerH, ImVec2(width_left(), 0)))
    return;
  ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthStretch, 1.5f);
  ImGui::TableSetupColumn("A", ImGuiTableColumnFlags_WidthStretch, 1.0f);
  ImGui::TableSetupColumn("B", ImGuiTableColumnFlags_WidthStretch, 1.0f);
  ImGui::TableSetupColumn("B \xE2\x80\x93 A", ImGuiTableColumnFlags_WidthStretch, 1.1f);
  ImGui::TableHeadersRow();
  figure_row("image", ui::bytes(a.size_bytes), ui::bytes(b.size_bytes), signed_bytes(d.size_delta),
             static_cast<double>(d.size_delta), "Base image (catalog) + the simulated layers, for each side.");
  figure_row("compressed", ui::bytes(a.compressed_bytes), ui::bytes(b.compressed_bytes), signed_bytes(d.compressed_delta),
             static_cast<double>(d.compressed_delta), "Registry size of the base + the layers x a typical gzip ratio.");
  figure_row("layers", std::to_string(a.layers), std::to_string(b.layers),
             d.layer_delta ? (d.layer_delta > 0 ? "+" : "\xE2\x80\x93") + std::to_string(d.layer_delta > 0 ? d.layer_delta : -d.layer_delta) : "0",
             static_cast<double>(d.layer_delta));
  figure_row("cold build", ui::seconds(a.cold_seconds), ui::seconds(b.cold_seconds), signed_seconds(d.time_delta), d.time_delta,
             "Critical path of the stages with an empty cache: base pulls from the catalog's compressed sizes, RUN "
             "steps from the effects model (docs/effects.md).");
  figure_row("context sent", ui::bytes(a.context_sent_bytes), ui::bytes(b.context_sent_bytes), signed_bytes(d.context_delta),
             static_cast<double>(d.context_delta));
  const int64_t fd = static_cast<int64_t>(b.findings) - static_cast<int64_t>(a.findings);
  figure_row("findings", std::to_string(a.findings), std::to_string(b.findings),
             fd == 0 ? "0" : (fd > 0 ? "+" : "\xE2\x80\x93") + std::to_string(fd > 0 ? fd : -fd), static_cast<double>(fd));
  ImGui::EndTable();
  if (!a.ok || !b.ok) {
    ImGui::PushStyleColor(ImGuiCol_Text, theme::kError);
    wrapped(std::string("The real build of ") + (!a.ok && !b.ok ? "A and B" : !a.ok ? "A" : "B") + " would fail (see Problems).");
    ImGui::PopStyleColor();
  }
}

void draw_cache(AppState& s, compare::Comparer& c, const compare::Diff& d) {
  const cache::Report& r = d.cache;
  const sim::BuildResult& b = *c.b_result().build;
  char line[160];
  std::snprintf(line, sizeof line, "B's first build after A's: %zu cached, %zu run \xC2\xB7 %s (cold %s)", r.cached, r.run,
                ui::seconds(r.seconds).c_str(), ui::seconds(r.cold_seconds).c_str());
  wrapped(line);
  ui::estimated("A is built first (recorded in a fresh layer cache), then B is previewed against it: CACHED steps reuse "
                "A's layers; times as in the Build panel.");
  int shown = 0;
  for (const auto& sr : r.steps) {
    if (!sr.first_miss || !sr.reason || sr.step >= b.steps.size()) continue;
    const sim::Step& st = b.steps[sr.step];
    ImGui::PushID(static_cast<int>(sr.step));
    ui::dot(theme::kRun);
    ui::line_link(s, st.line, "miss");
    ImGui::SameLine();
    wrap_begin();
    ImGui::TextUnformatted(sr.reason->message.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopID();
    if (++shown == 6) break;
  }
}

void draw_config(const compare::Diff& d) {
  if (d.config.empty()) {
    ImGui::TextDisabled("Same user, workdir, ports, entrypoint, cmd and env.");
    return;
  }
  if (!ImGui::BeginTable("config", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_PadOuterX,
                         ImVec2(width_left(), 0)))
    return;
  ImGui::TableSetupColumn("field", ImGuiTableColumnFlags_WidthFixed, ui::em(8));
  ImGui::TableSetupColumn("A");
  ImGui::TableSetupColumn("B");
  ImGui::TableHeadersRow();
  for (const auto& c : d.config) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextDisabled("%s", c.field.c_str());
    ImGui::TableNextColumn();
    wrap_begin();
    if (c.a_set) ImGui::TextUnformatted(c.a.c_str());
    else ImGui::TextDisabled("(not set)");
    ImGui::TableNextColumn();
    if (c.b_set) ImGui::TextUnformatted(c.b.c_str());
    else ImGui::TextDisabled("(not set)");
    ImGui::PopTextWrapPos();
  }
  ImGui::EndTable();
}

void draw_findings(const compare::Diff& d) {
  if (d.fixed.empty() && d.introduced.empty()) {
    ImGui::TextDisabled("The same findings on both sides.");
    return;
  }
  for (const auto& f : d.fixed) {
    ImGui::TextColored(theme::kCached, "fixed");
    ImGui::SameLine();
    wrap_begin();
    ImGui::Text("%s (A line %u): %s", f.id.c_str(), f.line, f.message.c_str());
    ImGui::PopTextWrapPos();
  }
  for (const auto& f : d.introduced) {
    ImGui::TextColored(theme::kRun, "new");
    ImGui::SameLine();
    wrap_begin();
    ImGui::Text("%s (B line %u): %s", f.id.c_str(), f.line, f.message.c_str());
    ImGui::PopTextWrapPos();
  }
}

char filter[128] = "";
bool show_added = true, show_removed = true, show_changed = true;

void draw_files(AppState& s, const compare::Diff& d) {
  char line[200];
  std::snprintf(line, sizeof line, "%zu added (%s) \xC2\xB7 %zu removed (%s) \xC2\xB7 %zu changed, biggest first", d.added,
                ui::bytes(d.added_bytes).c_str(), d.removed, ui::bytes(d.removed_bytes).c_str(), d.changed);
  wrapped(line);
  ImGui::SetNextItemWidth(ui::em(12));
  ImGui::InputTextWithHint("##filter", "filter paths", filter, sizeof filter);
  publish(s, "input:compare-filter");
  ui::same_line_if_fits(ui::em(6));
  ImGui::Checkbox("added", &show_added);
  ui::same_line_if_fits(ui::em(7));
  ImGui::Checkbox("removed", &show_removed);
  ui::same_line_if_fits(ui::em(7));
  ImGui::Checkbox("changed", &show_changed);
  if (d.files.empty()) {
    ImGui::TextDisabled("No file differs above the base images.");
    return;
  }
  if (!ImGui::BeginTable("files", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_PadOuterX |
                                         ImGuiTableFlags_ScrollY,
                         ImVec2(width_left(), ui::em(16))))
    return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, ui::em(1));
  ImGui::TableSetupColumn("path", ImGuiTableColumnFlags_WidthStretch);
  ImGui::TableSetupColumn("A \xE2\x86\x92 B");
  ImGui::TableHeadersRow();
  std::string_view needle(filter);
  size_t shown = 0, matching = 0;
  for (const auto& f : d.files) {
    if ((f.change == compare::Change::Added && !show_added) || (f.change == compare::Change::Removed && !show_removed) ||
        (f.change == compare::Change::Changed && !show_changed))
      continue;
    if (!needle.empty() && f.path.find(needle) == std::string::npos) continue;
    ++matching;
    if (shown >= 500) continue;
    ++shown;
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    if (f.change == compare::Change::Added) ImGui::TextColored(theme::kRun, "+");
    else if (f.change == compare::Change::Removed) ImGui::TextColored(theme::kCached, "\xE2\x80\x93");
    else ImGui::TextColored(theme::kNote, "~");
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(f.path.c_str());
    if (ImGui::IsItemHovered()) {
      std::string tip = std::string(compare::change_name(f.change));
      if (f.summary) tip += " \xC2\xB7 a summary entry standing for many files (its size is estimated)";
      if (!f.what.empty()) tip += " \xC2\xB7 " + f.what;
      ImGui::SetTooltip("%s", tip.c_str());
    }
    ImGui::TableNextColumn();
    if (f.change == compare::Change::Changed)
      ImGui::Text("%s \xE2\x86\x92 %s", ui::bytes(f.a_size).c_str(), ui::bytes(f.b_size).c_str());
    else
      ImGui::TextUnformatted(ui::bytes(f.weight()).c_str());
  }
  ImGui::EndTable();
  if (matching > shown) ImGui::TextDisabled("%zu more (narrow the filter)", matching - shown);
  else if (matching == 0) ImGui::TextDisabled("No entry matches.");
}

void draw_layers(const compare::Diff& d) {
  if (!ImGui::BeginTable("layers", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_PadOuterX |
                                          ImGuiTableFlags_BordersInnerH,
                         ImVec2(width_left(), 0)))
    return;
  ImGui::TableSetupColumn("A");
  ImGui::TableSetupColumn("B");
  ImGui::TableSetupColumn("B \xE2\x80\x93 A");
  ImGui::TableSetupColumn("layer", ImGuiTableColumnFlags_WidthStretch);
  ImGui::TableHeadersRow();
  for (const auto& l : d.layers) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    if (l.in_a) ImGui::TextUnformatted(ui::bytes(l.a_size).c_str());
    else ImGui::TextDisabled("-");
    ImGui::TableNextColumn();
    if (l.in_b) ImGui::TextUnformatted(ui::bytes(l.b_size).c_str());
    else ImGui::TextDisabled("-");
    ImGui::TableNextColumn();
    delta_cell(signed_bytes(l.delta()), static_cast<double>(l.delta()));
    ImGui::TableNextColumn();
    if (l.base) {
      std::string text = "base " + (l.in_a ? l.a_stage : std::string("-"));
      if (l.a_stage != l.b_stage) text += " \xE2\x86\x92 " + (l.in_b ? l.b_stage : std::string("-"));
      ImGui::TextUnformatted(text.c_str());
    } else {
      const char* side = l.in_a && l.in_b ? "" : l.in_a ? "A only: " : "B only: ";
      if (*side) ImGui::TextDisabled("%s", side), ImGui::SameLine(0, 0);
      ImGui::TextUnformatted(l.instruction.c_str());
      if (ImGui::IsItemHovered())
        ImGui::SetTooltip("%s%s%s", l.in_a ? ("A: stage " + l.a_stage + ", line " + std::to_string(l.a_line)).c_str() : "",
                          l.in_a && l.in_b ? "\n" : "",
                          l.in_b ? ("B: stage " + l.b_stage + ", line " + std::to_string(l.b_line)).c_str() : "");
    }
  }
  ImGui::EndTable();
}

void draw_what_ifs(AppState& s) {
  // The last list made; the current input's follows in slices between frames (compare_mode.h):
  // every what-if runs several simulated builds, never in a frame.
  const auto& list = shown_what_ifs(s);
  const bool stale = what_ifs_stale(s);
  if (stale) {
    char note[96];
    if (auto p = what_ifs_progress(s))
      std::snprintf(note, sizeof note, "(updating: %zu of %zu measured\xE2\x80\xA6)", p->first, p->second);
    else
      std::snprintf(note, sizeof note, "%s", s.ui.editor_active ? "(updating when you stop typing)" : "(updating\xE2\x80\xA6)");
    ImGui::TextDisabled("%s", note);
    publish(s, "status:whatifs-updating");
  }
  if (list.empty() && stale) {  // not known for this content yet
    if (what_ifs_known()) ImGui::TextDisabled("None applied to the previous content.");
    return;
  }
  if (list.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    wrapped("None applies to the current Dockerfile: its final base is already small for its job, dependencies are "
            "installed before the sources are copied, it ships a build output, has a .dockerignore, and no global ARG "
            "picks a base image.");
    ImGui::PopStyleColor();
    return;
  }
  std::string accept;  // accepted after the loop (it changes the list)
  for (const auto& w : list) {
    ImGui::PushID(w.id.c_str());
    ImGui::Separator();
    wrap_begin();
    ImGui::TextColored(theme::kAccent, "%s", w.title.c_str());
    ImGui::TextDisabled("%s", w.description.c_str());
    const compare::Effect& e = w.effect;
    std::string effect = "image " + signed_bytes(e.size_delta) + " (" + ui::bytes(e.b_size) + ") \xC2\xB7 cold build " +
                         signed_seconds(e.time_delta) + " \xC2\xB7 first build after the current one: " +
                         std::to_string(e.cached) + " cached, " + std::to_string(e.run) + " run";
    if (e.context_delta) effect += " \xC2\xB7 context " + signed_bytes(e.context_delta);
    if (e.fixed || e.introduced)
      effect += " \xC2\xB7 findings " + std::to_string(e.fixed) + " fixed, " + std::to_string(e.introduced) + " new";
    ImGui::TextUnformatted(effect.c_str());
    if (!e.edited_file.empty()) {
      ImGui::Text("after an edit of %s: rebuild %s \xE2\x86\x92 %s", e.edited_file.c_str(), ui::seconds(e.a_edit_seconds).c_str(),
                  ui::seconds(e.b_edit_seconds).c_str());
      ui::estimated("The current input and the what-if are each built, then one byte is appended to this source file "
                    "and the rebuild is previewed against that build: what re-runs, at the simulation's estimated times.");
    }
    ImGui::PopTextWrapPos();
    // A list of the previous content's: its variants would undo the latest edits.
    ImGui::BeginDisabled(stale);
    if (ImGui::SmallButton("Accept")) accept = w.id;
    ImGui::EndDisabled();
    publish(s, "whatif:" + w.id);
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
      if (stale) ImGui::SetTooltip("Measured for the previous content: being updated for the current one");
      else ImGui::SetTooltip("Loads this variant into the editor (one edit)%s", compare_on() ? "" : " and pins the current one as A");
    }
    if (w.line) {
      ImGui::SameLine();
      ui::line_link(s, w.line, "whatif");
    }
    ImGui::PopID();
  }
  if (!accept.empty()) accept_what_if(s, accept);
}

void draw(AppState& s) {
  compare::Comparer* c = comparer(s);
  if (!c) {
    ui::banner("##compare-off", theme::kDim,
               "Compare pins what you have now as A. Keep editing, load another example or accept a what-if below: "
               "B (the editor) is compared with A live: sizes, build time, cache reuse, config, findings, files and layers.");
    if (ImGui::Button("Compare: pin this as A")) compare_start(s);
    publish(s, "button:compare");
  } else {
    ImGui::TextColored(theme::kAccent, "A");
    ImGui::SameLine();
    ImGui::TextDisabled("pinned \xC2\xB7");
    ImGui::SameLine();
    ImGui::TextColored(theme::kAccent, "B");
    ImGui::SameLine();
    ImGui::TextDisabled("the editor");
    const char* note = "\xC2\xB7 every figure is an estimate";
    ui::same_line_if_fits(ImGui::CalcTextSize(note).x);
    ImGui::TextDisabled("%s", note);
    if (ImGui::SmallButton("Pin the current one as A")) compare_start(s);
    publish(s, "button:compare-repin");
    ImGui::SameLine();
    if (ImGui::SmallButton("Stop comparing")) compare_stop();
    publish(s, "button:compare-stop");
    if (!compare_on()) return;
    ImGui::Spacing();
    if (!c->has_diff()) {
      // The first comparison is under way (redraw.js steps it between frames).
      ImGui::TextColored(theme::kWarning, "analysing A and B\xE2\x80\xA6");
      publish(s, "status:compare-analysing");
      ImGui::Spacing();
      if (ImGui::CollapsingHeader("What if...", ImGuiTreeNodeFlags_DefaultOpen)) draw_what_ifs(s);
      return;
    }
    const compare::Diff& d = c->diff();
    draw_figures(d);
    if (ImGui::CollapsingHeader("Cache: what B reuses from A", ImGuiTreeNodeFlags_DefaultOpen)) draw_cache(s, *c, d);
    if (ImGui::CollapsingHeader("Config changes", ImGuiTreeNodeFlags_DefaultOpen)) draw_config(d);
    if (ImGui::CollapsingHeader("Findings", ImGuiTreeNodeFlags_DefaultOpen)) draw_findings(d);
    if (ImGui::CollapsingHeader("Image diff", ImGuiTreeNodeFlags_DefaultOpen)) draw_files(s, d);
    if (ImGui::CollapsingHeader("Layers side by side", ImGuiTreeNodeFlags_DefaultOpen)) draw_layers(d);
  }
  ImGui::Spacing();
  if (ImGui::CollapsingHeader("What if...", ImGuiTreeNodeFlags_DefaultOpen)) draw_what_ifs(s);
}

// After the six original tabs: in a small embed those stay on screen, these two are one scroll
// of the tab bar (or the View menu) away.
const PanelRegistration reg{{"Compare", Slot::Side, 60, draw}};

}  // namespace
}  // namespace dfplay::app

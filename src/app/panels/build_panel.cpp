// Build: the options (target, platform, build args, --no-cache), the Build and Clear cache
// buttons, and the next build's steps like BuildKit's plain progress output (#N [stage i/n]
// INSTRUCTION, then CACHED / an estimated duration / SKIPPED) with the reason of every first
// miss. Before the first Build everything is a cold build; after it, edits preview the next
// build against the cache. Clicking a step selects its line in the editor.
#include <algorithm>
#include <string>
#include <vector>

#include "app.h"
#include "imgui.h"
#include "imgui_stdlib.h"
#include "report/progress.h"
#include "theme.h"
#include "ui.h"

namespace dfplay::app {
namespace {

constexpr const char* kPlatforms[] = {"linux/amd64", "linux/arm64"};

// The build-arg rows being edited (rows with an empty name are kept here but not passed on).
std::vector<std::pair<std::string, std::string>> arg_rows;

std::vector<std::pair<std::string, std::string>> named(const std::vector<std::pair<std::string, std::string>>& rows) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& r : rows)
    if (!r.first.empty()) out.push_back(r);
  return out;
}

void toolbar(AppState& s) {
  const Palette& pal = theme::palette();
  ImGui::PushStyleColor(ImGuiCol_Button, theme::vec(pal.primary));
  ImGui::PushStyleColor(ImGuiCol_ButtonHovered, theme::vec(pal.primary_hovered));
  ImGui::PushStyleColor(ImGuiCol_ButtonActive, theme::vec(pal.primary_active));
  ImGui::PushStyleColor(ImGuiCol_Text, theme::vec(pal.primary_text));
  bool build = ImGui::Button("\xE2\x96\xB6 Build");
  ImGui::PopStyleColor(4);
  publish(s, "button:build");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Record this build in the layer cache: the next edits show what a rebuild reuses");
  if (build) s.request_build();
  ImGui::SameLine();
  ImGui::BeginDisabled(s.cached_builds() == 0);
  if (ImGui::Button("Clear cache")) s.clear_cache();
  ImGui::EndDisabled();
  publish(s, "button:clear-cache");
  ImGui::SameLine();
  ImGui::AlignTextToFramePadding();
  if (s.cached_builds() == 0) ImGui::TextDisabled("cache empty");
  else ImGui::TextDisabled("%s in the cache", ui::plural(s.cached_builds(), "build", "builds").c_str());

  // Options: target, platform, --no-cache (wrapping in narrow panels).
  const float w = ui::em(11);
  const float label_gap = ImGui::GetStyle().ItemSpacing.x;
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("Target");
  ImGui::SameLine();
  ui::target_combo(s, "##target", w);
  publish(s, "combo:target");
  ui::same_line_if_fits(ImGui::CalcTextSize("Platform").x + label_gap + w);
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("Platform");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(w);
  const std::string& platform = s.options().platform;
  if (ImGui::BeginCombo("##platform", platform.c_str())) {
    for (const char* p : kPlatforms) {
      if (ImGui::Selectable(p, platform == p)) {
        auto o = s.options();
        o.platform = p;
        s.set_options(std::move(o));
      }
    }
    ImGui::EndCombo();
  }
  publish(s, "combo:platform");
  ui::same_line_if_fits(ImGui::GetFrameHeight() + label_gap + ImGui::CalcTextSize("No cache").x);
  bool no_cache = s.options().no_cache;
  if (ImGui::Checkbox("No cache", &no_cache)) {
    auto o = s.options();
    o.no_cache = no_cache;
    s.set_options(std::move(o));
  }
  publish(s, "checkbox:no-cache");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("docker build --no-cache: every step runs");

  // Build args (NAME=VALUE).
  if (named(arg_rows) != s.options().build_args) arg_rows = s.options().build_args;  // changed elsewhere
  std::string header = "Build args (" + std::to_string(s.options().build_args.size()) + ")###buildargs";
  if (ImGui::TreeNodeEx(header.c_str(), ImGuiTreeNodeFlags_SpanAvailWidth)) {
    bool changed = false;
    int remove = -1;
    const float field = std::max(ui::em(6), (ImGui::GetContentRegionAvail().x - ui::em(4)) * 0.5f);
    for (size_t i = 0; i < arg_rows.size(); ++i) {
      ImGui::PushID(static_cast<int>(i));
      ImGui::SetNextItemWidth(field * 0.8f);
      changed |= ImGui::InputTextWithHint("##name", "NAME", &arg_rows[i].first, ImGuiInputTextFlags_CharsNoBlank);
      ImGui::SameLine(0, ui::em(0.2f));
      ImGui::TextUnformatted("=");
      ImGui::SameLine(0, ui::em(0.2f));
      ImGui::SetNextItemWidth(field * 1.2f);
      changed |= ImGui::InputTextWithHint("##value", "value", &arg_rows[i].second);
      ImGui::SameLine();
      if (ImGui::SmallButton("\xC3\x97")) remove = static_cast<int>(i);
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("Remove this build arg");
      ImGui::PopID();
    }
    if (remove >= 0) {
      arg_rows.erase(arg_rows.begin() + remove);
      changed = true;
    }
    if (ImGui::SmallButton("+ Add build arg")) arg_rows.emplace_back("", "");
    publish(s, "button:add-build-arg");
    if (changed) {
      for (auto& r : arg_rows) std::erase(r.first, '=');
      auto o = s.options();
      o.build_args = named(arg_rows);
      s.set_options(std::move(o));
    }
    ImGui::TreePop();
  }
}

std::string reason_details(const sim::BuildResult& b, const cache::Reason& r) {
  std::string out;
  if (!r.paths.empty()) {
    out += r.change.empty() ? "files: " : r.change + ": ";
    for (size_t i = 0; i < r.paths.size() && i < 6; ++i) out += (i ? ", " : "") + r.paths[i];
    if (r.paths.size() > 6) out += ", \xE2\x80\xA6 (" + std::to_string(r.paths.size()) + " files)";
  }
  if (!r.name.empty() && (r.kind == "build-arg-changed" || r.kind == "env-changed"))
    out += (out.empty() ? "" : "; ") + r.name + ": \"" + r.before + "\" \xE2\x86\x92 \"" + r.after + "\"";
  else if (!r.before.empty() || !r.after.empty())
    out += (out.empty() ? "" : "; ") + std::string("\"") + r.before + "\" \xE2\x86\x92 \"" + r.after + "\"";
  if (!r.field.empty()) out += (out.empty() ? "changed: " : "; changed: ") + r.field;
  if (!r.from_stage.empty()) out += (out.empty() ? "" : "; ") + std::string("from stage ") + r.from_stage;
  return out;
}

void steps(AppState& s) {
  const WorkspaceResult& r = s.result();
  const sim::BuildResult& b = *r.build;
  const cache::Report& rep = r.cache;

  // What this list is.
  if (s.cached_builds() == 0) {
    ui::banner("##cold", theme::kRun,
               "No build recorded yet: this is a cold build, every step runs. Press Build to record it in the "
               "cache, then edit a line or a context file to see which steps stay CACHED and why the first miss happens.");
  } else {
    std::string text = "Preview of build #" + std::to_string(rep.build_number) + " against the cache of " +
                       ui::plural(s.cached_builds(), "earlier build", "earlier builds") + ".";
    if (const auto& last = s.last_build())
      text += " Last build (#" + std::to_string(last->build_number) + "): " + std::to_string(last->cached) + " cached, " +
              std::to_string(last->run) + " run, " + ui::seconds(last->seconds) + " (estimated).";
    if (rep.run == 0) text += " Nothing changed since: the next build is fully cached.";
    ui::banner("##preview", rep.run == 0 ? theme::kCached : theme::kAccent, text);
  }

  if (!b.ok) {
    size_t failed = SIZE_MAX;
    for (const auto& st : b.steps)
      if (st.failed && st.built) {
        failed = st.id;
        break;
      }
    std::string text = "The real build would fail";
    if (failed < b.steps.size()) text += " at line " + std::to_string(b.steps[failed].line) + " (" + ui::first_line(b.steps[failed].text) + ")";
    text += ": see Problems. The steps after it never run.";
    ui::banner("##failed", theme::kError, text);
  }

  // Totals.
  ImGui::TextColored(theme::kCached, "%zu cached", rep.cached);
  ImGui::SameLine();
  ImGui::TextColored(theme::kRun, "%zu run", rep.run);
  ImGui::SameLine();
  ImGui::TextColored(theme::kSkipped, "%zu skipped", rep.skipped);
  ImGui::SameLine();
  ImGui::TextDisabled("\xC2\xB7");
  ImGui::SameLine();
  // One set of numbers: a cold build takes the cold-build time the Stages panel shows, and saves
  // nothing (the cache preview's own total can differ, e.g. when two stages share a base image).
  const bool cold = s.cached_builds() == 0;
  ImGui::Text("%s%s", cold ? "cold build " : "", ui::seconds(cold ? b.cold_seconds : rep.seconds).c_str());
  if (!cold && rep.saved_seconds > 0.05) {
    ImGui::SameLine();
    ImGui::TextColored(theme::kCached, "saves %s of %s", ui::seconds(rep.saved_seconds).c_str(), ui::seconds(rep.cold_seconds).c_str());
  }
  ui::estimated("Times are estimates: base pulls from the catalog's compressed sizes, RUN steps from the effects "
                "model (docs/effects.md) or a # dfplay: annotation, COPY from the bytes copied. Parallel stages honoured.");
  ImGui::Separator();

  // The steps, like `docker build --progress=plain`.
  if (!ImGui::BeginTable("steps", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_PadOuterX))
    return;
  ImGui::TableSetupColumn("step", ImGuiTableColumnFlags_WidthStretch);
  // As wide as the widest status it shows, so that it never overlaps the step's text.
  float status_w = ImGui::CalcTextSize("SKIPPED").x;
  for (const auto& sr : rep.steps)
    if (sr.status == cache::Status::Run)
      status_w = std::max(status_w, ImGui::CalcTextSize(("RUN " + ui::seconds(sr.seconds)).c_str()).x);
  ImGui::TableSetupColumn("status", ImGuiTableColumnFlags_WidthFixed, status_w + ui::em(0.5f));
  size_t n = 0;
  const float wrap_indent = ui::em(1.5f);
  for (const auto& sr : rep.steps) {
    const sim::Step& st = b.steps[sr.step];
    ++n;
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::PushID(static_cast<int>(n));
    // The whole row is clickable: it selects the step's line in the editor.
    ImVec2 row_start = ImGui::GetCursorScreenPos();
    std::string head = "#" + std::to_string(n) + " " + report::progress_name(b, st);  // as BuildKit names the vertex
    const bool skipped = sr.status == cache::Status::Skipped;
    if (skipped) ImGui::PushStyleColor(ImGuiCol_Text, theme::kSkipped);
    ImGui::PushTextWrapPos(0.0f);  // long instructions wrap inside their column, never under the status
    ImGui::TextUnformatted(head.c_str());
    ImGui::PopTextWrapPos();
    if (skipped) ImGui::PopStyleColor();
    if (sr.reason && sr.status != cache::Status::Skipped && s.cached_builds() > 0) {  // cold: the banner says why
      const cache::Reason& why = *sr.reason;
      ImGui::Indent(wrap_indent);
      if (why.kind == "parent-missed") {
        uint32_t line = why.follows < b.steps.size() ? b.steps[why.follows].line : 0;
        ImGui::TextDisabled("re-runs: follows the miss at line %u", line);
      } else {
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextColored(sr.first_miss ? theme::kWarning : theme::kDim, "%s %s", sr.first_miss ? "why:" : "because:",
                           why.message.c_str());
        std::string details = reason_details(b, why);
        if (!details.empty()) ImGui::TextDisabled("%s", details.c_str());
        ImGui::TextDisabled("(%s, line %u)", why.kind.c_str(), st.line);
        ImGui::PopTextWrapPos();
      }
      ImGui::Unindent(wrap_indent);
    }
    if (sr.merged && sr.status == cache::Status::Run) ImGui::TextDisabled("   same vertex as another stage's step");
    if (st.unmodelled) {
      ImGui::Indent(wrap_indent);
      ImGui::PushTextWrapPos(0.0f);
      ImGui::TextColored(theme::kWarning, st.kind == sim::StepKind::Run ? "unknown effect: not modelled, outputs unknown"
                                                                           : "copies content the simulation does not model (unknown)");
      ImGui::PopTextWrapPos();
      ImGui::Unindent(wrap_indent);
    }
    if (sr.link_reused) ImGui::TextDisabled("   COPY --link: the copied layer is reused, only the merge re-runs");
    // The whole cell is clickable: an invisible button over what was just drawn.
    ImVec2 row_end = ImGui::GetCursorScreenPos();
    ImGui::SetCursorScreenPos(row_start);
    bool clicked = ImGui::InvisibleButton(
        "row", ImVec2(std::max(1.0f, ImGui::GetContentRegionAvail().x),
                      std::max(1.0f, row_end.y - row_start.y - ImGui::GetStyle().ItemSpacing.y)));
    publish(s, "step:" + std::to_string(n));
    if (ImGui::IsItemHovered()) {
      ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, ImGui::GetColorU32(ImGuiCol_HeaderHovered, 0.45f));
      ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
      ImGui::SetTooltip("Select line %u in the editor", st.line);
    }
    if (clicked) s.select({st.range.begin.offset, st.range.end.offset});

    ImGui::TableNextColumn();
    switch (sr.status) {
      case cache::Status::Cached: ImGui::TextColored(theme::kCached, "CACHED"); break;
      case cache::Status::Run:
        if (st.failed) ImGui::TextColored(theme::kError, "ERROR");
        else ImGui::TextColored(theme::kRun, "RUN %s", ui::seconds(sr.seconds).c_str());
        break;
      case cache::Status::Skipped: ImGui::TextColored(theme::kSkipped, "SKIPPED"); break;
    }
    ImGui::PopID();
  }
  ImGui::EndTable();
  if (rep.steps.empty()) ui::nothing_to_show(r, "No steps: the Dockerfile has no stage yet.");
}

void draw(AppState& s) {
  toolbar(s);
  ImGui::Spacing();
  steps(s);
}

const PanelRegistration reg{{"Build", Slot::Side, 10, draw}};

}  // namespace
}  // namespace dfplay::app

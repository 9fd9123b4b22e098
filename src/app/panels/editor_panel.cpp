// The Dockerfile editor panel: the text coloured by token with every diagnostic underlined, the
// gutter showing what the next build does with each step (cached / run / skipped), the find bar
// (Ctrl+F), the preset build options the graph is computed with, and the editor's status line.
#include <algorithm>
#include <cfloat>
#include <cctype>
#include <string>

#include "app.h"
#include "editor.h"
#include "examples/examples.h"
#include "imgui.h"
#include "imgui_internal.h"
#include "imgui_stdlib.h"
#include "model/big_text.h"
#include "model/highlight.h"
#include "pipeline_limits.h"
#include "theme.h"
#include "ui.h"

namespace dfplay::app {
namespace {

constexpr const char* kEditorLabel = "##dockerfile";
Editor editor;

// Syntax colours of the lines in view, made again when the result, the lines in view or the
// unchanged prefix change (highlight() over the whole of big.Dockerfile was ~5 ms of the frame
// that showed each new result).
struct ViewSpans {
  const Analysis* analysis = nullptr;  // the result's, and its revision, set before the editor draws
  uint64_t current = UINT64_MAX;
  uint64_t result = UINT64_MAX;        // the revision `spans` were made for
  uint32_t begin = 0, end = 0, clip = 0;
  std::vector<Span> spans;
};
ViewSpans view_spans;
uint64_t find_revision = UINT64_MAX;  // the result the find matches were last made for

// While the current text is being analysed, the results are the previous text's: their byte
// offsets hold up to the first byte that differs, so the colours, underlines and gutter marks
// after it are left out until the analysis is in (instead of painted at shifted places).
struct Unchanged {
  uint64_t revision = UINT64_MAX, result = UINT64_MAX;
  uint32_t bytes = UINT32_MAX;  // the texts agree on [0, bytes)
  uint32_t lines = UINT32_MAX;  // lines wholly inside that (1-based, inclusive)
};
Unchanged unchanged;

struct MarksCache {
  uint64_t result = UINT64_MAX;  // WorkspaceResult::revision they were made from
  bool light = false;            // the theme's colours they hold
  uint32_t clip = UINT32_MAX;    // unchanged.bytes they were clipped to
  std::vector<EditorMark> all_marks, marks;  // the result's; those before the clip point
  std::vector<GutterMark> all_gutter, gutter;
};
MarksCache marks_cache;

void clip_to_unchanged(AppState& s, const WorkspaceResult& r) {
  if (unchanged.revision == s.revision() && unchanged.result == r.revision) return;
  unchanged.revision = s.revision();
  unchanged.result = r.revision;
  const std::string& now = s.dockerfile();
  const std::string& then = r.analysis->text;
  if (now == then) {
    unchanged.bytes = unchanged.lines = UINT32_MAX;
    return;
  }
  const size_t n = std::min(now.size(), then.size());
  const size_t same = static_cast<size_t>(std::mismatch(now.begin(), now.begin() + n, then.begin()).first - now.begin());
  unchanged.bytes = static_cast<uint32_t>(same);
  unchanged.lines = static_cast<uint32_t>(std::count(now.begin(), now.begin() + same, '\n'));
}

// EditorDecor::spans: the result's colours of the bytes [begin, end) in view, none after the
// first byte the current text no longer shares with the result's.
const std::vector<Span>& spans_in_view(uint32_t begin, uint32_t end) {
  ViewSpans& v = view_spans;
  const uint32_t clip = unchanged.bytes;
  if (v.result != v.current || v.begin != begin || v.end != end || v.clip != clip) {
    v.spans = highlight(v.analysis->text, v.analysis->dockerfile, begin, std::min(end, clip));
    v.result = v.current;
    v.begin = begin;
    v.end = end;
    v.clip = clip;
  }
  return v.spans;
}

std::vector<EditorMark> diagnostic_marks(const WorkspaceResult& r) {
  std::vector<EditorMark> marks;
  for (const auto& d : r.build->diagnostics) {
    if (d.range.begin.line == 0) continue;  // not in the Dockerfile (e.g. .dockerignore)
    std::string tip = std::string(severity_name(d.severity)) + ": " + d.message;
    if (!d.code.empty()) tip += " [" + d.code + "]";
    marks.push_back({d.range.begin.offset, d.range.end.offset, severity_color(d.severity), std::move(tip)});
  }
  return marks;
}

std::vector<GutterMark> cache_marks(const WorkspaceResult& r) {
  std::vector<GutterMark> marks;
  const sim::BuildResult& b = *r.build;
  for (const auto& sr : r.cache.steps) {
    const sim::Step& st = b.steps[sr.step];
    GutterMark g;
    g.first_line = st.range.begin.line ? st.range.begin.line : st.line;
    g.last_line = std::max(g.first_line, st.range.end.line);
    switch (sr.status) {
      case cache::Status::Cached:
        g.color = ImGui::GetColorU32(theme::kCached);
        g.message = "CACHED in the next build";
        break;
      case cache::Status::Run:
        g.color = ImGui::GetColorU32(theme::kRun);
        g.message = "runs in the next build (" + ui::seconds(sr.seconds) + ", estimated)";
        if (sr.reason && sr.first_miss) g.message += "\nwhy: " + sr.reason->message;
        break;
      case cache::Status::Skipped:
        g.color = ImGui::GetColorU32(ImVec4(theme::kSkipped.x, theme::kSkipped.y, theme::kSkipped.z, 0.6f));
        g.message = "SKIPPED: stage " + b.stages[st.stage].label + " is not needed for the target";
        break;
    }
    marks.push_back(std::move(g));
  }
  return marks;
}

// ---- Find (Ctrl+F) ----
struct Find {
  bool open = false;
  bool focus = false;  // give the query field the keyboard focus this frame
  std::string query;
  int current = -1;
  std::vector<std::pair<uint32_t, uint32_t>> matches;
  std::optional<uint32_t> reveal;
};
Find find;

// Case-insensitive (ASCII) matches of `q` in `text`, non-overlapping.
void find_matches(const std::string& text, const std::string& q, std::vector<std::pair<uint32_t, uint32_t>>& out) {
  out.clear();
  if (q.empty() || q.size() > text.size()) return;
  auto lower = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
  for (size_t i = 0; i + q.size() <= text.size();) {
    size_t k = 0;
    while (k < q.size() && lower(text[i + k]) == lower(q[k])) ++k;
    if (k == q.size()) {
      out.push_back({static_cast<uint32_t>(i), static_cast<uint32_t>(i + q.size())});
      i += q.size();
    } else {
      ++i;
    }
  }
}

void step_match(int dir) {
  if (find.matches.empty()) return;
  const int n = static_cast<int>(find.matches.size());
  find.current = find.current < 0 ? (dir > 0 ? 0 : n - 1) : ((find.current + dir) % n + n) % n;
  find.reveal = find.matches[find.current].first;
}

void draw_find_bar(AppState& s) {
  const std::string before = find.query;
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted("Find");
  ImGui::SameLine();
  const ImGuiID query_id = ImGui::GetID("##find");
  if (find.focus) {
    // Activate the query field as keyboard navigation would (takes the focus from the editor).
    ImGuiContext& g = *ImGui::GetCurrentContext();
    g.NavNextActivateId = query_id;
    g.NavNextActivateFlags = ImGuiActivateFlags_PreferInput;
    find.focus = false;
  }
  const bool had_focus = ImGui::GetActiveID() == query_id;
  const float buttons = ui::em(9.5f);
  ImGui::SetNextItemWidth(std::max(ui::em(6), ImGui::GetContentRegionAvail().x - buttons));
  const bool enter = ImGui::InputText("##find", &find.query, ImGuiInputTextFlags_EnterReturnsTrue);
  publish(s, "find:query");
  const bool query_active = had_focus || ImGui::IsItemActive() || enter;
  if (find.query != before) {
    find_matches(s.dockerfile(), find.query, find.matches);
    find.current = -1;
    step_match(+1);
  }
  if (enter) {
    step_match(ImGui::GetIO().KeyShift ? -1 : +1);
    find.focus = true;  // Enter deactivates a single-line input: keep typing in it
  }
  ImGui::SameLine();
  if (find.matches.empty()) ImGui::TextColored(find.query.empty() ? theme::kDim : theme::kError, find.query.empty() ? "" : "no match");
  else ImGui::Text("%d of %zu", find.current + 1, find.matches.size());
  ImGui::SameLine();
  if (ImGui::ArrowButton("##find-prev", ImGuiDir_Up)) step_match(-1);
  publish(s, "find:previous");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Previous match (Shift+Enter)");
  ImGui::SameLine();
  if (ImGui::ArrowButton("##find-next", ImGuiDir_Down)) step_match(+1);
  publish(s, "find:next");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Next match (Enter)");
  ImGui::SameLine();
  // Escape closes it from its field, or when no text field has the keyboard (after a click on next).
  const bool escape = ImGui::IsKeyPressed(ImGuiKey_Escape, false) && (query_active || !ImGui::GetIO().WantTextInput);
  const bool close = ImGui::SmallButton("x##find-close") || escape;
  publish(s, "find:close");
  if (close) {
    // Closing selects the current match in the editor (and gives it the focus).
    if (find.current >= 0 && find.current < static_cast<int>(find.matches.size()))
      s.select({find.matches[find.current].first, find.matches[find.current].second});
    find.open = false;
    find.matches.clear();
    find.current = -1;
  }
}

// The options the graph is computed with, when they are not the defaults: a preset's build args
// (an example's NODE_VERSION=22 beats `ARG NODE_VERSION=20` in the text) and target.
void draw_preset_options(AppState& s) {
  const WorkspaceOptions& o = s.options();
  if (o.build_args.empty() && o.target.empty()) return;
  std::string text;
  if (!o.target.empty()) text += "--target " + o.target;
  for (const auto& [k, v] : o.build_args) text += (text.empty() ? "" : "  ") + std::string("--build-arg ") + k + "=" + v;
  ImGui::PushStyleColor(ImGuiCol_Text, theme::kAccent);
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(("Build options: " + text).c_str());
  ImGui::PopTextWrapPos();
  ImGui::PopStyleColor();
  publish(s, "editor:options");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("The build runs with these options (Build tab): a build arg given here overrides the\n"
                      "default its ARG line sets in the Dockerfile, as `docker build --build-arg` does.");
}

}  // namespace

// A Dockerfile above the size limit: kept, shown read-only (the lines in view only, no ImGui text
// input), under a banner that says why, with Undo and Clear.
static void draw_too_big(AppState& s) {
  const std::string msg = too_big_message(s.dockerfile().size());
  ui::banner("##too-big", theme::kError, msg);
  publish(s, "editor:too-big");
  ImGui::BeginDisabled(!s.history().can_undo());
  if (ImGui::Button("Undo##too-big")) s.undo();
  publish(s, "button:too-big-undo");
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("Back to the text before it (Ctrl+Z)");
  ImGui::SameLine();
  ImGui::BeginDisabled(s.readonly);  // (a read-only embed: the text is not the reader's to clear)
  if (ImGui::Button("Clear##too-big")) s.clear_text();
  publish(s, "button:too-big-clear");
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("An empty Dockerfile (one undo step: Ctrl+Z brings this text back)");
  s.take_selection();  // nothing to select in a text that is not analysed
  if (s.paste_pending()) s.drop_paste();
  const float status_h = ImGui::GetFrameHeightWithSpacing();
  EditorFrame f = editor.draw_view("##dockerfile-view", s.dockerfile(), s.revision(), ImVec2(-FLT_MIN, -status_h));
  const float dpr = s.ui.device_pixel_ratio;
  s.ui.editor = {f.min.x / dpr, f.min.y / dpr, (f.max.x - f.min.x) / dpr, (f.max.y - f.min.y) / dpr};
  s.ui.editor_line_height = f.line_height / dpr;
  s.ui.editor_scroll[0] = f.scroll.x / dpr;
  s.ui.editor_scroll[1] = f.scroll.y / dpr;
  s.ui.editor_active = false;
  s.ui.find_open = false;
  s.ui.find_matches = 0;
  s.ui.find_current = -1;
  ImGui::AlignTextToFramePadding();
  ImGui::TextColored(theme::kError, "not analysed: above the %zu MiB limit", limits::kMaxInputBytes >> 20);
}

// Ctrl+F and Edit > Find.
void open_find() {
  find.open = true;
  find.focus = true;
}


namespace {

void draw(AppState& s) {
  // Header: what is being edited.
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(s.workspace().dockerfile_path().c_str());
  if (const examples::Example* ex = examples::find(s.example_id())) {
    ImGui::SameLine();
    const std::string title = "\xC2\xB7 example: " + ex->title;
    ImGui::TextDisabled("%s", ui::fit(title, ImGui::GetContentRegionAvail().x).c_str());
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", ex->title.c_str());
  }
  if (s.readonly) {
    ImGui::SameLine();
    ImGui::TextDisabled("\xC2\xB7 read-only");
  }
  draw_preset_options(s);
  if (!s.ui.notice.empty()) ui::banner("##notice", theme::kWarning, s.ui.notice);
  if (s.too_big()) {
    draw_too_big(s);
    return;
  }
  if (find.open) draw_find_bar(s);

  const WorkspaceResult& r = s.result();
  if (r.revision != find_revision) {
    find_revision = r.revision;
    if (find.open) find_matches(s.dockerfile(), find.query, find.matches);
    if (find.current >= static_cast<int>(find.matches.size())) find.current = find.matches.empty() ? -1 : 0;
  }
  clip_to_unchanged(s, r);
  const bool clipped = unchanged.bytes != UINT32_MAX;
  // The underlines and gutter marks (a message each: 1,000s for a big file) are made once per
  // result, theme and clip point, not in every frame.
  if (marks_cache.result != r.revision || marks_cache.light != theme::light() || marks_cache.clip != unchanged.bytes) {
    if (marks_cache.result != r.revision || marks_cache.light != theme::light()) {
      marks_cache.all_marks = diagnostic_marks(r);
      marks_cache.all_gutter = cache_marks(r);
    }
    marks_cache.result = r.revision;
    marks_cache.light = theme::light();
    marks_cache.clip = unchanged.bytes;
    marks_cache.marks.clear();
    marks_cache.gutter.clear();
    if (clipped) {
      for (const auto& m : marks_cache.all_marks)
        if (std::max(m.begin, m.end) <= unchanged.bytes) marks_cache.marks.push_back(m);
      for (const auto& g : marks_cache.all_gutter)
        if (g.last_line <= unchanged.lines) marks_cache.gutter.push_back(g);
    }
  }
  const auto& marks = clipped ? marks_cache.marks : marks_cache.all_marks;
  const auto& gutter = clipped ? marks_cache.gutter : marks_cache.all_gutter;
  const Palette& pal = theme::palette();
  EditorDecor decor;
  // The colours come from the text the syntax tree was made from (the previous one while the
  // current is analysed: up to the first byte that differs).
  view_spans.analysis = r.analysis.get();
  view_spans.current = r.revision;
  decor.spans = spans_in_view;
  for (int i = 0; i < kTokenCount; ++i) decor.token_colors[i] = theme::u32(pal.syntax[i]);
  decor.marks = &marks;
  decor.gutter = &gutter;
  if (find.open) {
    decor.matches = &find.matches;
    decor.current_match = find.current;
    decor.match_color = theme::u32(pal.find_match);
    decor.current_match_color = theme::u32(pal.find_current);
  }

  std::optional<std::pair<uint32_t, uint32_t>> select;
  if (auto sel = s.peek_selection()) select = std::make_pair(sel->begin, sel->end);
  const bool had_select = select.has_value();
  const float status_h = ImGui::GetFrameHeightWithSpacing();
  editor.read_only = s.readonly;
  EditorFrame f = editor.draw(kEditorLabel, s.dockerfile_buffer(), s.text_generation(), ImVec2(-FLT_MIN, -status_h), decor,
                              select, find.reveal);
  find.reveal.reset();
  if (had_select && !select) s.take_selection();  // applied
  if (f.changed) {
    const ImGuiIO& io = ImGui::GetIO();
    const bool ctrl = io.KeyCtrl || io.KeySuper;
    const bool paste_or_cut = (ctrl && (ImGui::IsKeyPressed(ImGuiKey_V) || ImGui::IsKeyPressed(ImGuiKey_X))) ||
                              (io.KeyShift && (ImGui::IsKeyPressed(ImGuiKey_Insert) || ImGui::IsKeyPressed(ImGuiKey_Delete)));
    s.edited(!paste_or_cut);
  }
  if (s.paste_pending()) {
    // A paste over the size limit (AppState::take_big_paste): ImGui's input pasted nothing (an
    // empty clipboard) in the frame of its Ctrl+V; the app replaces the input's selection.
    const ImGuiIO& io = ImGui::GetIO();
    const bool ctrl = io.KeyCtrl || io.KeySuper;
    const bool paste_key = (ctrl && ImGui::IsKeyPressed(ImGuiKey_V)) || (io.KeyShift && ImGui::IsKeyPressed(ImGuiKey_Insert));
    if (paste_key && f.active && f.selection) s.apply_paste(f.selection->first, f.selection->second);
    else if (paste_key || !f.active) s.drop_paste();
  }

  const float dpr = s.ui.device_pixel_ratio;
  s.ui.editor = {f.min.x / dpr, f.min.y / dpr, (f.max.x - f.min.x) / dpr, (f.max.y - f.min.y) / dpr};
  s.ui.editor_line_height = f.line_height / dpr;
  s.ui.editor_scroll[0] = f.scroll.x / dpr;
  s.ui.editor_scroll[1] = f.scroll.y / dpr;
  s.ui.editor_active = f.active;
  s.ui.find_open = find.open;
  s.ui.find_matches = static_cast<int>(find.matches.size());
  s.ui.find_current = find.current;
  if (f.selection) {
    s.ui.editor_selection[0] = f.selection->first;
    s.ui.editor_selection[1] = f.selection->second;
  }

  // Status line: problems in the text, and the gutter's legend.
  size_t errors = 0, warnings = 0;
  for (const auto& d : r.build->diagnostics) {
    errors += d.severity == Severity::Error;
    warnings += d.severity == Severity::Warning;
  }
  ImGui::AlignTextToFramePadding();
  if (errors == 0 && warnings == 0) {
    ImGui::TextColored(theme::kOk, "\xE2\x9C\x93 no problems");
  } else {
    std::string msg = errors ? ui::plural(errors, "error", "errors") : std::string();
    if (warnings) msg += (msg.empty() ? "" : ", ") + ui::plural(warnings, "warning", "warnings");
    ImGui::TextColored(errors ? theme::kError : theme::kWarning, "%s", msg.c_str());
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("See the Problems tab");
  }
  ImGui::SameLine(0, ui::em(1.2f));
  ui::dot(theme::kCached);
  ImGui::TextDisabled("cached");
  ImGui::SameLine(0, ui::em(0.8f));
  ui::dot(theme::kRun);
  ImGui::TextDisabled("runs");
  ImGui::SameLine(0, ui::em(0.8f));
  ui::dot(theme::kSkipped);
  ImGui::TextDisabled("skipped");
}

const PanelRegistration reg{{"Dockerfile", Slot::Main, 0, draw}};

}  // namespace
}  // namespace dfplay::app

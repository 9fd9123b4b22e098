// The Dear ImGui app: state, panels and layout. Platform code (GLFW, WebGL, HiDPI, fonts) is in
// main.cpp; the page API (window.dfplay) in page_api.cpp/.js; each panel is one file in panels/.
//
// Adding a panel: create panels/<name>_panel.cpp with
//   static void draw(AppState& s) { ... ImGui widgets ... }
//   static const PanelRegistration reg{{"Title", Slot::Side, /*order*/ 20, draw}};
// The workspace lays out the registered panels (the editor on the left, the side panels as tabs
// on the right, a menu bar and a status line) and keeps them fitted to the canvas on every
// resize; a panel only draws its contents (the window or tab is made for it).
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/undo_history.h"
#include "workspace.h"
#include "workspace_input.h"

namespace dfplay::app {

// ---- Redraw on demand (main.cpp, redraw.js) ----------------------------------------------
// The app draws only when woken. Input, resizes, visibility and page-API calls wake it from
// JavaScript; every AppState change wakes it from C++. Code that changes what is shown some other
// way (a timer, a result arriving later) calls request_redraw(); something due at a later time
// (e.g. an autosave after a pause) calls request_redraw_in(ms) so that a frame runs then.
constexpr int kSettleFrames = 4;  // frames drawn per wake: ImGui settles over a few frames
void request_redraw(int frames = kSettleFrames);
void request_redraw_in(double ms);

// Screen geometry the page API publishes (window.dfplay.state().ui), in CSS pixels, so that
// tests can click real widgets and check what was drawn where.
struct Rect {
  float x = 0, y = 0, w = 0, h = 0;
};
struct UiMetrics {
  float device_pixel_ratio = 1.0f;
  int canvas_width = 0, canvas_height = 0;  // backing store, device pixels
  uint64_t frame = 0;                       // frames drawn so far
  Rect editor;                              // the editor's text area (CSS pixels)
  float editor_line_height = 0;             // CSS pixels
  float editor_scroll[2] = {0, 0};          // the editor's horizontal and vertical scroll, CSS pixels
  bool editor_active = false;               // the editor has keyboard focus
  uint32_t editor_selection[2] = {0, 0};    // selected bytes [begin, end) while active
  std::string side_tab;                     // the side panel shown ("Build", "Stages", ...)
  bool analysing_shown = false;             // "analysing…" was drawn in the last frame
  bool find_open = false;                   // the editor's find bar
  int find_matches = 0, find_current = -1;  // matches of the query, the current one (-1: none)
  std::string notice;                       // a warning from the page (e.g. autosave failed), shown over the editor
  // Named widgets drawn in the last frame (only those visible): "button:build", "tab:Image",
  // "menu:Examples", "step:12" ... (see publish()).
  std::map<std::string, Rect> widgets;
  std::map<std::string, Rect> widgets_next;  // being filled during the current frame
};

// A range of the Dockerfile to select in the editor (byte offsets), e.g. after a click on a
// step, a finding or a problem.
struct Selection {
  uint32_t begin = 0, end = 0;
};

// Everything the app shows is computed from this state; window.dfplay.state() serialises it.
class AppState {
 public:
  AppState();  // loads the start-up example (node-multistage)

  // ---- input ----
  const std::string& dockerfile() const { return dockerfile_; }
  const std::vector<WorkspaceFile>& files() const { return ws_.files(); }
  const WorkspaceOptions& options() const { return ws_.options(); }
  const std::string& example_id() const { return example_id_; }  // "" when not an example

  // The editor edits this buffer in place, then calls edited() (an undo step, grouped by word).
  std::string& dockerfile_buffer() { return dockerfile_; }
  void edited(bool typed = true);  // typed: false for a paste or a cut (an undo step of its own)
  // Replaces bytes [begin, end) of the Dockerfile as one undoable step (Apply fix) and selects
  // the new text.
  void replace_text(uint32_t begin, uint32_t end, std::string_view text, std::string label = "Apply fix");
  // The Dockerfile is above the core's size limit (model/big_text.h): the editor shows it
  // read-only under a banner (Undo, Clear) instead of handing it to ImGui's text input.
  bool too_big() const;
  // A paste (the page's paste event, which comes before the frame in which ImGui handles its
  // Ctrl+V): when the editor has the focus and the text would go over the limit with the editor's
  // last selection replaced, the app keeps it (moved out of `text`) and returns true; the caller
  // then gives ImGui an empty clipboard, so that ImGui's input never holds it. The editor applies
  // it in the frame that has the Ctrl+V (apply_paste: the input's selection then replaced, as one
  // undo step "paste"). False: ImGui pastes it as usual.
  bool take_big_paste(std::string& text);
  bool paste_pending() const { return paste_pending_; }
  void apply_paste(uint32_t begin, uint32_t end);
  void drop_paste();
  // Clear (the read-only view's button): an empty Dockerfile, one undoable step.
  void clear_text();

  // Context files (the Context panel). Paths are context-relative; errors as messages.
  std::string set_file(const std::string& path, std::string content);  // add or replace
  std::string rename_file(const std::string& from, const std::string& to);
  void delete_file(const std::string& path);

  void set_options(WorkspaceOptions options);

  // Replaces the whole input (the cache is kept, so load(before); build(); load(after) shows
  // the cache story). Files are sorted by path, later duplicates win.
  void load(WorkspaceInput input, std::string label = "load");
  // The same from the page API's JSON {dockerfile, files, options?}. Returns "" or an error
  // message (the state is unchanged on error). `dockerfile`, when given, is the Dockerfile's text
  // and the JSON has none (the page API passes a big text as bytes: no JSON string to parse).
  std::string load_json(std::string_view json_text, std::optional<std::string_view> dockerfile = std::nullopt);
  // window.dfplay.setOptions(obj): merges the given options. "" or an error message.
  std::string set_options_json(std::string_view json_text);
  // A built-in example by id; the cache starts cold. "" or an error message.
  std::string load_example(std::string_view id);
  // Reset: the loaded example's own content again (one undoable step; the cache is kept).
  bool can_reset() const;
  void reset_example();

  // ---- undo / redo (every change of the content is a step: model/undo_history.h) ----
  bool undo();
  bool redo();
  const UndoHistory& history() const { return history_; }
  // Autosave: the content as JSON {dockerfile, dockerfile_path, files, options, tab, example} and
  // its restoration (the starting point: nothing to undo). "" or an error message. Without the
  // Dockerfile (with_dockerfile false), for callers that read its text from the wasm memory: the
  // context file at the Dockerfile's path, which holds the same text, is then left out as well and
  // "dockerfile_file": true says so (restore_json and page_recovery.js put the text back).
  // Without `with_ui` (tab, example): dfplay.load()'s input, for the crash recovery.
  std::string content_json(bool with_dockerfile = true, bool with_ui = true) const;
  std::string restore_json(std::string_view json_text);

  // ---- results ----
  // The results shown: the last analysis made, which is the previous input's while analysing()
  // (an edit is drawn first and analysed after, in slices: see analyse()). Byte offsets in it
  // are the previous text's: whatever applies them to the current text clamps them.
  const WorkspaceResult& result() { return ws_.last(); }
  // The current input's analysis is not done yet (the results shown are older), or, in compare
  // mode, its comparison with A (compare_mode.h).
  bool analysing() const;
  // Seconds since analysing() became true (0 when it is false).
  double analysing_for() const;
  // "analysing…" is shown (status line) once the results are older than this.
  static constexpr double kAnalysingIndicatorSeconds = 0.15;
  bool show_analysing() const { return analysing() && analysing_for() >= kAnalysingIndicatorSeconds; }
  // One slice of the current input's analysis, about `budget_ms` long (Workspace::step; then, in
  // compare mode, the comparison's: compare::Comparer::step; then the what-ifs a panel asked for:
  // what_ifs_step), run by redraw.js in a task of its own after the frame. True when the results
  // (and those what-ifs) are current; wakes the renderer when they became so,
  // or when "analysing…" is due. A Build asked for meanwhile (request_build) is recorded once the
  // editor's results are current.
  bool analyse(double budget_ms);
  Workspace& workspace() { return ws_; }
  // "Build": records the current build in the cache. Returns the recorded build's report. It
  // finishes the current input's analysis first, at once (the page API's build()).
  const cache::Report& build();
  // The Build button: records the build now when the results are current, else once the
  // analysis under way is done (in slices, analyse()); an edit meanwhile drops that analysis and
  // the build recorded is the content's once analysed. build_requested(): one is waiting.
  void request_build();
  bool build_requested() const { return build_requested_; }
  void clear_cache();
  size_t builds() const { return ws_.builds(); }  // recorded since start-up (numbering)
  size_t cached_builds() const { return cached_builds_; }  // recorded since the last clear: 0 = cold cache
  // The report of the last recorded build (nullopt after a clear or before the first build).
  const std::optional<cache::Report>& last_build() const { return last_build_; }
  // Its JSON (`dfplay rebuild --json`'s shape; null when none): state().last_build.
  const nlohmann::json& last_build_report() const;

  uint64_t revision() const { return revision_; }              // bumps on every change
  uint64_t text_generation() const { return text_generation_; }  // bumps when the text is replaced from outside

  // ---- UI requests between panels ----
  void select(Selection sel) { selection_request_ = sel; }
  void select_line(uint32_t line);  // 1-based; selects the whole line
  std::optional<Selection> take_selection() {
    auto s = selection_request_;
    selection_request_.reset();
    return s;
  }
  std::optional<Selection> peek_selection() const { return selection_request_; }
  // A side tab to show: ui.side_tab names it at once (state() and the summaries report the tab
  // asked for), the layout selects it over the next frames (ImGui opens a selected tab a frame
  // later) and keeps the request until that tab is open.
  void show_tab(std::string title) {
    ui.side_tab = title;
    tab_request_ = std::move(title);
  }
  const std::optional<std::string>& tab_request() const { return tab_request_; }
  void tab_shown() { tab_request_.reset(); }

  // The page API's state() snapshot as JSON text: {dockerfile, files, example, analysis, build,
  // cache, checks, options, builds, input_diagnostics, revision, last_build, ui}; the middle
  // fields are workspace_json's (the CLI's JSON shapes). Invalid UTF-8 is replaced.
  std::string to_json();

  UiMetrics ui;

  // Embedding and sharing (share_ui.cpp, page_share.js, embed_bridge.js):
  bool readonly = false;  // dfplay.setReadonly(true): the editor does not take edits
  bool embed = false;     // the page runs inside a <dockerfile-playground> frame (?embed=1)

 private:
  void changed() {
    ++revision_;
    if (analysing() && pending_since_ == 0) pending_since_ = now();
    request_redraw();
  }
  static double now();  // seconds, steady
  // Applies `input` and the example id without touching the history.
  void apply(WorkspaceInput input, std::string example_id);
  Content content() const;
  void record(std::string label, std::string_view merge_key = {});
  void show(const Restored& r);

  Workspace ws_;
  std::string dockerfile_;
  std::string example_id_;
  std::optional<cache::Report> last_build_;
  std::optional<Selection> selection_request_;
  std::optional<std::string> tab_request_;
  uint64_t revision_ = 0;
  uint64_t text_generation_ = 0;
  size_t cached_builds_ = 0;
  double pending_since_ = 0;  // when analysing() became true (0: it is false)
  std::string pending_paste_;  // take_big_paste
  bool paste_pending_ = false;
  bool build_requested_ = false;  // the Build button was pressed while analysing (request_build)
  UndoHistory history_;
};

AppState& state();  // the app's single state

// Records the last ImGui item's rectangle as ui.widgets[name] (CSS pixels) for the page API.
void publish(AppState& s, const std::string& name);

// Opens the editor's find bar with the focus in its query field (Ctrl+F, Edit > Find).
void open_find();
// The keyboard shortcuts of the Edit menu (undo, redo, find), at the start of a frame.
void handle_shortcuts(AppState& s);

// ---- Platform ---------------------------------------------------------------------------

// Connects ImGui's clipboard to the system's (see clipboard.cpp); after the GLFW backend's init.
void install_clipboard();
// The text of a paste event: what ImGui's next Ctrl+V pastes.
void clipboard_paste(std::string text);
// Opens a documentation link in a new browser tab.
void open_url(const std::string& url);

// ---- Panels and layout -------------------------------------------------------------------

enum class Slot : uint8_t {
  Main,  // the main column (the Dockerfile editor)
  Side,  // the side column: one tab per panel, by order
};

struct PanelInfo {
  const char* title;  // window / tab title, unique
  Slot slot;
  int order;          // position within the slot, ascending
  void (*draw)(AppState&);
  int (*count)(AppState&) = nullptr;  // Side: a number shown in the tab ("Findings 3"), 0 = none
};

struct PanelRegistration {
  explicit PanelRegistration(const PanelInfo& info);
};

const std::vector<PanelInfo>& panels();  // sorted by slot, then order

// Lays out and draws the menu bar, every registered panel and the status line, filling the display.
void draw_workspace(AppState& s);

// share_ui.cpp: the menu bar's Share / Help entries (and "Open in the full playground" in an
// embed), drawn inside the main menu bar; and the per-frame hook that tells the page when the
// state changed (Module.dfplayChanged, for the embed bridge's `change` messages).
void draw_share_menu(AppState& s);
void share_ui_frame(AppState& s);

}  // namespace dfplay::app

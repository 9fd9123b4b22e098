#include "compare_mode.h"

#include <memory>
#include <utility>

#include "compare/timeline.h"
#include "compare/whatif_job.h"
#include "imgui.h"

namespace dfplay::app {
namespace {

using nlohmann::json;

std::unique_ptr<compare::Comparer> active;  // compare mode (nullptr: off)
uint64_t synced_revision = UINT64_MAX;       // AppState revision B was last synced at

// The what-ifs: the last list made, and the job making the current input's.
struct WhatIfs {
  std::vector<compare::WhatIf> list;
  WorkspaceInput list_input;                // the input `list` is for
  uint64_t list_revision = UINT64_MAX;      // the AppState revision it is known to be for
  bool known = false;                       // a list was made (for some input)
  uint64_t checked_revision = UINT64_MAX;   // revalidate() compared the inputs at this revision
  uint64_t wanted_revision = UINT64_MAX;    // asked for (shown_what_ifs) at this revision
  int shown_frame = -1;                     // ImGui's frame in which the panel last asked
  std::unique_ptr<compare::WhatIfJob> job;  // making the list for job_input
  WorkspaceInput job_input;
  uint64_t job_revision = UINT64_MAX;
};
WhatIfs wi;

}  // namespace

WorkspaceInput current_input(AppState& s) {
  WorkspaceInput in;
  in.dockerfile = s.dockerfile();
  in.dockerfile_path = s.workspace().dockerfile_path();
  in.files = s.files();
  in.options = s.options();
  return in;
}

namespace {

// After a change of the revision that left the input as it was (a Build, Clear cache), the list
// still holds: the what-ifs' effects do not depend on the layer cache. Compared once per revision.
void revalidate(AppState& s) {
  if (!wi.known || wi.list_revision == s.revision() || wi.checked_revision == s.revision()) return;
  wi.checked_revision = s.revision();
  if (same_input(current_input(s), wi.list_input)) wi.list_revision = s.revision();
}

// Advances (or starts) the current input's job by about budget_ms; true once its list is installed.
bool advance(AppState& s, double budget_ms) {
  if (wi.job && wi.job_revision != s.revision() && same_input(current_input(s), wi.job_input))
    wi.job_revision = s.revision();  // a Build or Clear cache meanwhile: the same input, keep going
  if (!wi.job || wi.job_revision != s.revision()) {  // none yet, or for an input changed since (dropped)
    wi.job_input = current_input(s);
    wi.job = std::make_unique<compare::WhatIfJob>(wi.job_input);
    wi.job_revision = s.revision();
  }
  if (!wi.job->step(budget_ms)) return false;
  wi.list = wi.job->take();
  wi.list_input = std::move(wi.job_input);
  wi.list_revision = wi.job_revision;
  wi.known = true;
  wi.job.reset();
  return true;
}

}  // namespace

bool compare_on() { return active != nullptr; }

void compare_start(AppState& s) {
  active = std::make_unique<compare::Comparer>();  // a new A: a new comparison
  WorkspaceInput in = current_input(s);
  active->set_a(in);
  active->set_b(std::move(in));
  synced_revision = s.revision();
  request_redraw();  // the panel shows the comparison under way; redraw.js steps it after the frame
}

void compare_stop() {
  active.reset();
  synced_revision = UINT64_MAX;
}

compare::Comparer* comparer(AppState& s) {
  if (!active) return nullptr;
  if (synced_revision != s.revision()) {
    active->set_b(current_input(s));  // nothing happens when B is the same (a Build, a tab change)
    synced_revision = s.revision();
  }
  return active.get();
}

bool compare_pending(const AppState& s) {
  return active && (synced_revision != s.revision() || active->pending());
}

bool compare_step(AppState& s, double budget_ms) {
  compare::Comparer* c = comparer(s);
  return !c || c->step(budget_ms);
}

std::string compare_json_call(AppState& s, std::string_view json_text) {
  json j = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return "compare: the argument is not valid JSON";
  if (j.is_null() || (j.is_boolean() && !j.get<bool>())) {
    compare_stop();
    return {};
  }
  if (j.is_boolean()) j = json::object();
  if (!j.is_object()) return "compare: expected {a?, b?}, true, or false to leave compare mode";
  for (const auto& [k, v] : j.items())
    if (k != "a" && k != "b" && k != "off") return "compare: unknown field `" + k + "` (a, b, off)";
  if (auto off = j.find("off"); off != j.end()) {
    if (!off->is_boolean()) return "compare: off must be true or false";
    if (off->get<bool>()) {
      compare_stop();
      return {};
    }
  }
  WorkspaceInput a, b;
  bool has_a = j.contains("a"), has_b = j.contains("b");
  if (has_a)
    if (auto e = input_from_json(j["a"], a, "compare.a"); !e.empty()) return e;
  if (has_b)
    if (auto e = input_from_json(j["b"], b, "compare.b"); !e.empty()) return e;
  if (!has_a) a = current_input(s);
  if (has_b) s.load(std::move(b));
  active = std::make_unique<compare::Comparer>();
  active->set_a(std::move(a));
  active->set_b(current_input(s));
  synced_revision = s.revision();
  // The page API returns the comparison: it is made now (the app's own buttons step it in slices).
  active->finish();
  return {};
}

bool what_ifs_stale(const AppState& s) { return wi.list_revision != s.revision(); }

// Asked for at this revision, or the panel is on screen (drawn in the last frame: it asks again in
// the next one, and an analysis finished before that frame must not end the task loop).
bool what_ifs_pending(const AppState& s) {
  const bool shown = ImGui::GetCurrentContext() && wi.shown_frame == ImGui::GetFrameCount();
  return what_ifs_stale(s) && (wi.wanted_revision == s.revision() || shown);
}

bool what_ifs_known() { return wi.known; }

const std::vector<compare::WhatIf>& shown_what_ifs(AppState& s) {
  revalidate(s);
  wi.shown_frame = ImGui::GetFrameCount();
  if (what_ifs_stale(s) && wi.wanted_revision != s.revision()) {
    wi.wanted_revision = s.revision();
    request_redraw();  // (asked for in a frame: after it, redraw.js's task loop runs what_ifs_step)
  }
  return wi.list;
}

std::optional<std::pair<size_t, size_t>> what_ifs_progress(const AppState& s) {
  if (!wi.job || wi.job_revision != s.revision() || wi.job->found() == 0) return std::nullopt;
  return std::make_pair(wi.job->evaluated(), wi.job->found());
}

bool what_ifs_step(AppState& s, double budget_ms) {
  revalidate(s);
  if (!what_ifs_pending(s)) {
    if (wi.job && wi.job_revision != s.revision()) wi.job.reset();  // for a content that is gone
    return true;
  }
  const size_t evaluated = wi.job && wi.job_revision == s.revision() ? wi.job->evaluated() : 0;
  if (!advance(s, budget_ms)) {
    if (wi.job->evaluated() != evaluated) request_redraw(1);  // the panel's "n of m measured"
    return false;
  }
  request_redraw();  // the new list
  return true;
}

const std::vector<compare::WhatIf>& current_what_ifs(AppState& s) {
  revalidate(s);
  if (what_ifs_stale(s))
    while (!advance(s, 1e9)) {
    }
  return wi.list;
}

std::string accept_what_if(AppState& s, std::string_view id) {
  const auto& list = current_what_ifs(s);
  for (const auto& w : list) {
    if (w.id != id) continue;
    WorkspaceInput variant = w.variant;  // load() changes the list
    if (!compare_on()) compare_start(s);
    s.load(std::move(variant));
    return {};
  }
  std::string known;
  for (const auto& w : list) known += (known.empty() ? "" : ", ") + w.id;
  return "acceptWhatIf: no what-if `" + std::string(id) + "` for the current input" +
         (known.empty() ? std::string(" (none applies)") : " (" + known + ")");
}

json compare_state_json(AppState& s) {
  compare::Comparer* c = comparer(s);
  if (!c) return nullptr;
  json out;
  out["a"] = compare::input_json(c->a_input());
  out["diff"] = c->has_diff() ? compare::diff_json(*c->a_result().build, *c->b_result().build, c->diff()) : json();
  out["analysing"] = c->pending();
  // The last list made: a state() snapshot computes nothing (the Compare tab asks for the current
  // input's, made in slices; dfplay.whatIfs() makes it at once).
  revalidate(s);
  out["what_ifs"] = compare::what_ifs_json(wi.list, /*with_variant=*/false);
  out["what_ifs_current"] = !what_ifs_stale(s);
  return out;
}

json timeline_state_json(AppState& s) {
  const WorkspaceResult& r = s.result();
  json out;
  out["cold"] = compare::timeline_json(compare::timeline(*r.build), *r.build);
  if (compare::Comparer* c = comparer(s)) {
    if (c->has_diff()) {
      const WorkspaceResult& b = c->b_result();
      out["next"] = compare::timeline_json(compare::timeline(*b.build, &b.cache), *b.build);
    } else {
      out["next"] = nullptr;  // the first comparison is under way
    }
    out["next_against"] = "a";
  } else if (s.cached_builds() > 0) {
    out["next"] = compare::timeline_json(compare::timeline(*r.build, &r.cache), *r.build);
    out["next_against"] = "cache";
  } else {
    out["next"] = nullptr;
    out["next_against"] = nullptr;
  }
  return out;
}

}  // namespace dfplay::app

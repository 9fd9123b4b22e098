#include "compare_mode.h"

#include <memory>

#include "compare/timeline.h"

namespace dfplay::app {
namespace {

using nlohmann::json;

std::unique_ptr<CompareSession> active;  // compare mode (nullptr: off)
uint64_t synced_revision = UINT64_MAX;      // AppState revision B was last synced at

std::vector<compare::WhatIf> what_ifs;
uint64_t what_ifs_revision = UINT64_MAX;

}  // namespace

void CompareSession::set_a(WorkspaceInput a) {
  a_in_ = a;
  apply_input(a_, a);
  apply_input(b_, std::move(a));  // B's workspace first builds A (step), as compare::Comparer::set_a
  a_recorded_ = false;
  diff_.reset();
}

void CompareSession::set_b(WorkspaceInput b) {
  if (same_input(b, b_in_)) return;  // e.g. a Build or a tab change: B's input is the same
  b_in_ = std::move(b);
  if (a_recorded_) apply_input(b_, b_in_);  // Workspace: nothing to redo when it is the same
}

bool CompareSession::pending() const {
  return !a_recorded_ || a_.pending() || b_.pending() || !diff_ || diff_due_;
}

bool CompareSession::step(double budget_ms) {
  // One workspace's slice per call (a call is one task of redraw.js's).
  if (a_.pending()) {
    a_.step(budget_ms);
    return false;
  }
  if (!a_recorded_) {
    if (b_.pending()) {
      b_.step(budget_ms);
      return false;
    }
    b_.build();  // A's build into B's cache (its result is current: nothing is computed again)
    apply_input(b_, b_in_);
    a_recorded_ = true;
    return false;  // B's analysis in the next slices
  }
  if (b_.pending()) {
    if (b_.step(budget_ms)) diff_due_ = true;  // the diff in the next slice
    return false;
  }
  const WorkspaceResult& ra = a_.last();
  const WorkspaceResult& rb = b_.last();
  if (!diff_ || diff_due_ || ra.revision != a_rev_ || rb.revision != b_rev_) {
    diff_ = compare::diff(compare::Side{*ra.build, ra.checks}, compare::Side{*rb.build, rb.checks}, rb.cache);
    a_rev_ = ra.revision;
    b_rev_ = rb.revision;
  }
  diff_due_ = false;
  return true;
}

void CompareSession::finish() {
  while (!step(1e9)) {
  }
}

WorkspaceInput current_input(AppState& s) {
  WorkspaceInput in;
  in.dockerfile = s.dockerfile();
  in.dockerfile_path = s.workspace().dockerfile_path();
  in.files = s.files();
  in.options = s.options();
  return in;
}

bool compare_on() { return active != nullptr; }

void compare_start(AppState& s) {
  active = std::make_unique<CompareSession>();  // a new A: a new comparison
  WorkspaceInput in = current_input(s);
  active->set_b(in);
  active->set_a(std::move(in));
  synced_revision = s.revision();
  request_redraw();  // the panel shows the comparison under way; redraw.js steps it after the frame
}

void compare_stop() {
  active.reset();
  synced_revision = UINT64_MAX;
}

CompareSession* comparer(AppState& s) {
  if (!active) return nullptr;
  if (synced_revision != s.revision()) {
    active->set_b(current_input(s));
    synced_revision = s.revision();
  }
  return active.get();
}

bool compare_pending(const AppState& s) {
  return active && (synced_revision != s.revision() || active->pending());
}

bool compare_step(AppState& s, double budget_ms) {
  CompareSession* c = comparer(s);
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
  active = std::make_unique<CompareSession>();
  active->set_b(current_input(s));
  active->set_a(std::move(a));
  synced_revision = s.revision();
  // The page API returns the comparison: it is made now (the app's own buttons step it in slices).
  active->finish();
  return {};
}

bool what_ifs_stale(AppState& s) { return what_ifs_revision != s.revision(); }

const std::vector<compare::WhatIf>& current_what_ifs(AppState& s, bool may_compute) {
  if (what_ifs_revision != s.revision() && (may_compute || what_ifs_revision == UINT64_MAX)) {
    what_ifs = compare::ready_what_ifs(current_input(s));
    what_ifs_revision = s.revision();
  }
  return what_ifs;
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
  CompareSession* c = comparer(s);
  if (!c) return nullptr;
  json out;
  out["a"] = compare::input_json(c->a_input());
  out["diff"] = c->has_diff() ? compare::diff_json(*c->a_result().build, *c->b_result().build, c->diff()) : json();
  out["analysing"] = c->pending();
  // (While analysing, the last list: they are evaluated once the results are current.)
  out["what_ifs"] = compare::what_ifs_json(current_what_ifs(s, !s.analysing()), /*with_variant=*/false);
  return out;
}

json timeline_state_json(AppState& s) {
  const WorkspaceResult& r = s.result();
  json out;
  out["cold"] = compare::timeline_json(compare::timeline(*r.build), *r.build);
  if (CompareSession* c = comparer(s)) {
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

#include "compare_mode.h"

#include <memory>

#include "compare/timeline.h"

namespace dfplay::app {
namespace {

using nlohmann::json;

std::unique_ptr<compare::Comparer> active;  // compare mode (nullptr: off)
uint64_t synced_revision = UINT64_MAX;      // AppState revision B was last synced at

std::vector<compare::WhatIf> what_ifs;
uint64_t what_ifs_revision = UINT64_MAX;

}  // namespace

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
  if (!active) active = std::make_unique<compare::Comparer>();
  WorkspaceInput in = current_input(s);
  active->set_b(in);
  active->set_a(std::move(in));
  synced_revision = s.revision();
}

void compare_stop() {
  active.reset();
  synced_revision = UINT64_MAX;
}

compare::Comparer* comparer(AppState& s) {
  if (!active) return nullptr;
  if (synced_revision != s.revision()) {
    active->set_b(current_input(s));
    synced_revision = s.revision();
  }
  return active.get();
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
  if (!active) active = std::make_unique<compare::Comparer>();
  active->set_b(current_input(s));
  active->set_a(std::move(a));
  synced_revision = s.revision();
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
  compare::Comparer* c = comparer(s);
  if (!c) return nullptr;
  const compare::Diff& d = c->diff();
  json out;
  out["a"] = compare::input_json(c->a_input());
  out["diff"] = compare::diff_json(*c->a_result().build, *c->b_result().build, d);
  out["what_ifs"] = compare::what_ifs_json(current_what_ifs(s), /*with_variant=*/false);
  return out;
}

json timeline_state_json(AppState& s) {
  const WorkspaceResult& r = s.result();
  json out;
  out["cold"] = compare::timeline_json(compare::timeline(*r.build), *r.build);
  if (compare::Comparer* c = comparer(s)) {
    const WorkspaceResult& b = c->b_result();
    out["next"] = compare::timeline_json(compare::timeline(*b.build, &b.cache), *b.build);
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

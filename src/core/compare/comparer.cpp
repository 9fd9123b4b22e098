#include "compare/comparer.h"

#include "report/build_json.h"

namespace dfplay::compare {

using nlohmann::json;

Comparer::Comparer() : a_(std::make_unique<Workspace>()), b_(std::make_unique<Workspace>()) {}

void Comparer::set_a(WorkspaceInput a) {
  // Fresh workspaces: B's layer cache holds this A's build only.
  a_ = std::make_unique<Workspace>();
  b_ = std::make_unique<Workspace>();
  apply_input(*a_, a);
  apply_input(*b_, a);  // B's workspace first analyses A and records its build (step)
  a_in_ = std::move(a);
  has_a_ = true;
  a_recorded_ = false;
  diff_.reset();
}

void Comparer::set_b(WorkspaceInput b) {
  if (has_b_ && same_input(b, b_in_)) return;  // nothing to recompute (e.g. a tab change, a Build)
  b_in_ = std::move(b);
  has_b_ = true;
  if (a_recorded_) apply_input(*b_, b_in_);  // drops B's unfinished analysis
}

bool Comparer::pending() const {
  return has_a_ && (!a_recorded_ || a_->pending() || b_->pending() || !diff_);
}

bool Comparer::step(double budget_ms) {
  if (!pending()) return true;
  // One workspace's slice per call (in the app, a call is one task of redraw.js's).
  if (a_->pending()) {
    a_->step(budget_ms);
    return false;
  }
  if (!a_recorded_) {
    if (b_->pending() && !b_->step(budget_ms)) return false;
    b_->build();  // A's build into B's cache (its result is current: nothing is computed again)
    apply_input(*b_, b_in_);
    a_recorded_ = true;
    return false;  // B's analysis in the next steps
  }
  if (b_->pending() && !b_->step(budget_ms)) return false;
  const WorkspaceResult& ra = a_->last();
  const WorkspaceResult& rb = b_->last();
  diff_ = compare::diff(Side{*ra.build, ra.checks}, Side{*rb.build, rb.checks}, rb.cache);
  ++revision_;
  return true;
}

const Diff& Comparer::finish() {
  while (!step(1e9)) {
  }
  return *diff_;
}

json side_json(const sim::BuildResult& b, const Figures& f) {
  json j = report::build_json(b)["image"];
  j.erase("files");
  j["ok"] = f.ok;
  j["target"] = f.target;
  j["layer_count"] = f.layers;
  j["cold_seconds"] = f.cold_seconds;
  j["time_estimated"] = true;
  j["context_sent_bytes"] = f.context_sent_bytes;
  j["context_sent_files"] = f.context_sent_files;
  j["findings"] = f.findings;
  return j;
}

json diff_json(const sim::BuildResult& a, const sim::BuildResult& b, const Diff& d) {
  json j;
  j["a"] = side_json(a, d.a);
  j["b"] = side_json(b, d.b);
  j["size_delta_bytes"] = d.size_delta;
  j["compressed_delta_bytes"] = d.compressed_delta;
  j["build_time_delta_s"] = d.time_delta;
  j["layer_count_delta"] = d.layer_delta;
  j["context_delta_bytes"] = d.context_delta;
  json added = json::array(), removed = json::array(), changed = json::array();
  for (const auto& f : d.files) {
    json x;
    if (f.change == Change::Added) x = json{{"path", f.path}, {"size_bytes", f.b_size}};
    else if (f.change == Change::Removed) x = json{{"path", f.path}, {"size_bytes", f.a_size}};
    else x = json{{"path", f.path}, {"a_size_bytes", f.a_size}, {"b_size_bytes", f.b_size}};
    if (f.summary) x["summary"] = true;
    if (f.estimated) x["estimated"] = true;
    if (!f.what.empty()) x["what"] = f.what;
    (f.change == Change::Added ? added : f.change == Change::Removed ? removed : changed).push_back(std::move(x));
  }
  j["files"] = json{{"added", std::move(added)},
                    {"removed", std::move(removed)},
                    {"changed", std::move(changed)},
                    {"added_bytes", d.added_bytes},
                    {"removed_bytes", d.removed_bytes}};
  json config = json::array();
  for (const auto& c : d.config)
    config.push_back(json{{"field", c.field}, {"a", c.a_set ? json(c.a) : json(nullptr)}, {"b", c.b_set ? json(c.b) : json(nullptr)}});
  j["config_changes"] = std::move(config);
  auto findings = [](const std::vector<FindingRef>& v) {
    json out = json::array();
    for (const auto& f : v)
      out.push_back(json{{"id", f.id}, {"severity", f.severity}, {"message", f.message}, {"line", f.line}});
    return out;
  };
  j["findings"] = json{{"fixed", findings(d.fixed)}, {"introduced", findings(d.introduced)}};
  json layers = json::array();
  for (const auto& l : d.layers) {
    json x{{"instruction", l.instruction}, {"delta_bytes", l.delta()}};
    if (l.base) x["base"] = true;
    x["a"] = l.in_a ? json{{"stage", l.a_stage}, {"line", l.a_line}, {"size_bytes", l.a_size}} : json(nullptr);
    x["b"] = l.in_b ? json{{"stage", l.b_stage}, {"line", l.b_line}, {"size_bytes", l.b_size}} : json(nullptr);
    if (l.base) {
      if (l.in_a) x["a"]["image"] = l.a_stage, x["a"].erase("stage"), x["a"].erase("line");
      if (l.in_b) x["b"]["image"] = l.b_stage, x["b"].erase("stage"), x["b"].erase("line");
    }
    layers.push_back(std::move(x));
  }
  j["layers"] = std::move(layers);
  j["cache"] = report::rebuild_json(b, d.cache);
  j["estimated"] = true;
  return j;
}

json compare_inputs(WorkspaceInput a, WorkspaceInput b) {
  Comparer c;
  c.set_a(std::move(a));
  c.set_b(std::move(b));
  const Diff& d = c.finish();
  return diff_json(*c.a_result().build, *c.b_result().build, d);
}

}  // namespace dfplay::compare

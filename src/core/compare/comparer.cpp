#include "compare/comparer.h"

#include "report/build_json.h"

namespace dfplay::compare {

using nlohmann::json;

Comparer::Comparer() : a_(std::make_unique<Workspace>()), b_(std::make_unique<Workspace>()) {}

void Comparer::set_a(WorkspaceInput a) {
  a_in_ = a;
  a_ = std::make_unique<Workspace>();
  apply_input(*a_, a);
  // B's workspace records A's build, so that every B previews against A's cache.
  b_ = std::make_unique<Workspace>();
  apply_input(*b_, std::move(a));
  b_->build();
  apply_input(*b_, b_in_);
  has_a_ = true;
  diff_.reset();
}

void Comparer::set_b(WorkspaceInput b) {
  if (has_a_ && same_input(b, b_in_)) return;  // nothing to recompute
  b_in_ = b;
  apply_input(*b_, std::move(b));
}

const WorkspaceResult& Comparer::a_result() { return a_->result(); }
const WorkspaceResult& Comparer::b_result() { return b_->result(); }

const Diff& Comparer::diff() {
  const WorkspaceResult& ra = a_->result();
  const WorkspaceResult& rb = b_->result();
  if (!diff_ || ra.revision != a_rev_ || rb.revision != b_rev_) {
    diff_ = compare::diff(Side{*ra.build, ra.checks}, Side{*rb.build, rb.checks}, rb.cache);
    a_rev_ = ra.revision;
    b_rev_ = rb.revision;
    ++revision_;
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
  c.set_b(std::move(b));
  c.set_a(std::move(a));
  const Diff& d = c.diff();
  return diff_json(*c.a_result().build, *c.b_result().build, d);
}

}  // namespace dfplay::compare

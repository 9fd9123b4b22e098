#include "report/build_json.h"

#include <cstdio>

#include "report/json.h"

namespace dfplay::report {

using nlohmann::json;

namespace {

std::string octal(uint32_t m) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04o", m);
  return buf;
}

json config_json(const stages::StageConfig& c) {
  json env = json::array();
  for (const auto& [k, v] : c.env) env.push_back(k + "=" + v);
  json j{{"user", c.user},
         {"workdir", c.workdir},
         {"env", env},
         {"entrypoint", c.entrypoint},
         {"cmd", c.cmd},
         {"exposed_ports", c.exposed_ports},
         {"labels", c.labels},
         {"volumes", c.volumes},
         {"stop_signal", c.stop_signal},
         {"shell", c.shell},
         {"onbuild", c.onbuild}};
  if (c.healthcheck) {
    const auto& h = *c.healthcheck;
    j["healthcheck"] = json{{"test", h.test},
                            {"interval_ns", h.interval_ns},
                            {"timeout_ns", h.timeout_ns},
                            {"start_period_ns", h.start_period_ns},
                            {"start_interval_ns", h.start_interval_ns},
                            {"retries", h.retries}};
  } else {
    j["healthcheck"] = nullptr;
  }
  return j;
}

json diagnostics_json(const Diagnostics& d) {
  json a = json::array();
  for (const auto& x : d) a.push_back(to_json(x));
  return a;
}

json layer_json(const sim::BuildResult& b, const sim::Layer& l) {
  return json{{"instruction", l.instruction},
              {"stage", b.stages[l.stage].label},
              {"line", b.steps[l.step].line},
              {"size_bytes", l.size_bytes},
              {"wasted_bytes", l.wasted_bytes},
              {"estimated", l.estimated},
              {"unknown", l.unknown},
              {"source", l.source}};
}

}  // namespace

json build_json(const sim::BuildResult& b) {
  json j;
  j["ok"] = b.ok;
  j["target"] = b.target < b.stages.size() ? json(b.stages[b.target].label) : json(nullptr);
  j["target_index"] = b.target < b.stages.size() ? json(b.target) : json(nullptr);
  json stages = json::array();
  for (const auto& s : b.stages) {
    json unmodelled = json::array();  // lines of this stage's steps with unknown effects
    for (size_t id : s.steps)
      if (b.steps[id].unmodelled) unmodelled.push_back(b.steps[id].line);
    stages.push_back(json{{"name", s.name.empty() ? json(nullptr) : json(s.name)},
                          {"unmodelled_lines", std::move(unmodelled)},
                          {"index", s.index},
                          {"label", s.label},
                          {"built", s.built},
                          {"depends_on", s.depends_on},
                          {"base", s.base},
                          {"base_estimated", s.base_estimated},
                          {"base_size_bytes", s.base_bytes},
                          {"size_bytes", s.size_bytes},
                          {"level", s.level},
                          {"seconds", s.seconds},
                          {"finish_seconds", s.finish_seconds}});
  }
  j["stages"] = stages;
  json steps = json::array();
  for (const auto& st : b.steps) {
    steps.push_back(json{{"stage", b.stages[st.stage].label},
                         {"stage_index", st.stage},
                         {"kind", sim::step_kind_name(st.kind)},
                         {"line", st.line},
                         {"instruction", st.text},
                         {"vertex", st.vertex},
                         {"vertices", st.vertices},
                         {"built", st.built},
                         {"failed", st.failed},
                         {"seconds", st.seconds},
                         {"seconds_estimated", st.estimated},
                         {"time_source", st.time_source},
                         {"layer_bytes", st.layer_bytes},
                         {"wasted_bytes", st.wasted_bytes},
                         {"unmodelled", st.unmodelled},
                         {"notes", st.notes}});
  }
  j["steps"] = steps;
  json image;
  image["size_bytes"] = b.size_bytes;
  image["compressed_size_bytes"] = b.compressed_size_bytes;
  image["compressed_estimated"] = true;
  image["compression_ratio"] = b.compression_ratio;
  image["wasted_bytes"] = b.wasted_bytes;
  image["efficiency"] = b.efficiency;
  if (b.target < b.stages.size()) {
    image["base"] = b.stages[b.target].base;
    image["base_size_bytes"] = b.stages[b.target].base_bytes;
  }
  json layers = json::array();
  for (const auto& l : b.layers) layers.push_back(layer_json(b, l));
  image["layers"] = layers;
  image["config"] = config_json(b.config);
  json files = json::array();
  for (const auto& f : b.files) {
    json x{{"path", f.path}, {"type", node_type_name(f.type)}, {"size", f.size}, {"mode", octal(f.mode)},
           {"uid", f.uid},   {"gid", f.gid},              {"layer", f.layer}};
    if (!f.link.empty()) x["target"] = f.link;
    if (f.summary) x["summary"] = true;
    if (f.estimated) x["estimated"] = true;
    if (f.unknown) {
      x["unknown"] = true;
      x["source"] = f.source;
    }
    files.push_back(std::move(x));
  }
  image["files"] = files;
  // The parts of the image the simulation could not model: RUN steps with unknown effects in
  // the image's layers, and entries of unknown size/content (docs/build-json.md).
  json unknown_steps = json::array();
  for (const auto& l : b.layers)
    if (l.unknown) unknown_steps.push_back(json{{"line", b.steps[l.step].line}, {"stage", b.stages[l.stage].label},
                                                {"instruction", l.instruction}});
  size_t unknown_files = 0;
  for (const auto& f : b.files) unknown_files += f.unknown;
  image["unknown"] = json{{"steps", unknown_steps}, {"files", unknown_files}};
  j["image"] = image;
  j["comparison"] = json{
      {"single_stage", b.single_stage < b.stages.size() ? json(b.stages[b.single_stage].label) : json(nullptr)},
      {"single_stage_size_bytes", b.single_stage_size_bytes},
      {"final_size_bytes", b.size_bytes},
      {"saving_bytes", b.saving_bytes}};
  j["time"] = json{{"cold_seconds", b.cold_seconds}, {"serial_seconds", b.serial_seconds}, {"estimated", true}};
  j["estimates"] = b.estimates;
  auto stats = [](const context::ContextStats& st) {
    return json{{"files", st.files}, {"dirs", st.dirs}, {"symlinks", st.symlinks}, {"bytes", st.bytes}};
  };
  j["context"] = json{{"ignore_file", b.context.ignore_file},
                      {"before", stats(b.context.before)},
                      {"sent", stats(b.context.after)},
                      {"excluded", b.context.excluded},
                      {"excluded_count", b.context.excluded_count}};
  j["diagnostics"] = diagnostics_json(b.diagnostics);
  return j;
}

json reason_json(const sim::BuildResult& b, const cache::Reason& r) {
  json j{{"kind", r.kind}, {"message", r.message}};
  if (!r.field.empty()) j["field"] = r.field;
  if (!r.paths.empty()) j["paths"] = r.paths;
  if (!r.change.empty()) j["change"] = r.change;
  if (!r.name.empty()) j["name"] = r.name;
  if (!r.before.empty() || !r.after.empty()) {
    j["before"] = r.before;
    j["after"] = r.after;
  }
  if (!r.from_stage.empty()) j["from_stage"] = r.from_stage;
  if (r.follows < b.steps.size()) {
    const auto& f = b.steps[r.follows];
    j["follows"] = json{{"step", r.follows}, {"stage", b.stages[f.stage].label}, {"line", f.line},
                        {"instruction", f.text.substr(0, f.text.find('\n'))}};
  }
  return j;
}

json rebuild_json(const sim::BuildResult& b, const cache::Report& r) {
  json j;
  j["ok"] = b.ok;
  j["build"] = r.build_number;
  j["target"] = b.target < b.stages.size() ? json(b.stages[b.target].label) : json(nullptr);
  json steps = json::array();
  for (const auto& sr : r.steps) {
    const auto& st = b.steps[sr.step];
    json x{{"stage", b.stages[st.stage].label},
           {"stage_index", st.stage},
           {"kind", sim::step_kind_name(st.kind)},
           {"instruction", st.text},
           {"line", st.line},
           {"status", cache::status_name(sr.status)},
           {"seconds", sr.seconds},
           {"first_miss", sr.first_miss}};
    if (sr.merged) x["merged"] = true;
    if (sr.link_reused) x["link_layer_reused"] = true;
    if (sr.reason) x["reason"] = reason_json(b, *sr.reason);
    else x["reason"] = nullptr;
    steps.push_back(std::move(x));
  }
  j["steps"] = steps;
  j["summary"] = json{{"cached", r.cached},     {"run", r.run},
                      {"skipped", r.skipped},   {"seconds", r.seconds},
                      {"cold_seconds", r.cold_seconds}, {"saved_seconds", r.saved_seconds}};
  j["diagnostics"] = diagnostics_json(b.diagnostics);
  return j;
}

std::string_view node_type_name(sim::NodeType t) {
  switch (t) {
    case sim::NodeType::File: return "file";
    case sim::NodeType::Dir: return "dir";
    case sim::NodeType::Symlink: return "symlink";
  }
  return "?";
}

}  // namespace dfplay::report

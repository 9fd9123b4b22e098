// build_json(b) as text, written directly (report/json_text.h): the same bytes as
// dump(build_json(b)) without the nlohmann tree, which was ~40 % of the JS API's build() on a
// large Dockerfile (bench/results.md, session 8). The members of every object are written in
// nlohmann's order (keys sorted byte-wise); build_json_text_test.cpp compares the two.
#include <cstdio>

#include "report/build_json.h"
#include "report/json_text.h"

namespace dfplay::report {

namespace {

void range_text(JsonText& w, const Range& r) {
  auto pos = [&](const Position& p) {
    w.begin_object().key("column").value(p.column).key("line").value(p.line).key("offset").value(p.offset).end_object();
  };
  w.begin_object().key("end");
  pos(r.end);
  w.key("start");
  pos(r.begin);
  w.end_object();
}

void diagnostics_text(JsonText& w, const Diagnostics& d) {
  w.begin_array();
  for (const auto& x : d) {
    w.begin_object()
        .key("code").value(x.code)
        .key("column").value(x.range.begin.column)
        .key("line").value(x.range.begin.line)
        .key("message").value(x.message)
        .key("range");
    range_text(w, x.range);
    w.key("severity").value(severity_name(x.severity)).end_object();
  }
  w.end_array();
}

void config_text(JsonText& w, const stages::StageConfig& c) {
  w.begin_object();
  w.key("cmd").array(c.cmd);
  w.key("entrypoint").array(c.entrypoint);
  w.key("env").begin_array();
  std::string kv;
  for (const auto& [k, v] : c.env) {
    kv.assign(k).append(1, '=').append(v);
    w.value(kv);
  }
  w.end_array();
  w.key("exposed_ports").array(c.exposed_ports);
  w.key("healthcheck");
  if (c.healthcheck) {
    const auto& h = *c.healthcheck;
    w.begin_object()
        .key("interval_ns").value(static_cast<long long>(h.interval_ns))
        .key("retries").value(h.retries)
        .key("start_interval_ns").value(static_cast<long long>(h.start_interval_ns))
        .key("start_period_ns").value(static_cast<long long>(h.start_period_ns))
        .key("test").array(h.test)
        .key("timeout_ns").value(static_cast<long long>(h.timeout_ns))
        .end_object();
  } else {
    w.null();
  }
  w.key("labels").begin_object();
  for (const auto& [k, v] : c.labels) w.key(k).value(v);  // std::map: sorted as nlohmann sorts
  w.end_object();
  w.key("onbuild").array(c.onbuild);
  w.key("shell").array(c.shell);
  w.key("stop_signal").value(c.stop_signal);
  w.key("user").value(c.user);
  w.key("volumes").array(c.volumes);
  w.key("workdir").value(c.workdir);
  w.end_object();
}

void stats_text(JsonText& w, const context::ContextStats& st) {
  w.begin_object()
      .key("bytes").value(static_cast<unsigned long long>(st.bytes))
      .key("dirs").value(st.dirs)
      .key("files").value(st.files)
      .key("symlinks").value(st.symlinks)
      .end_object();
}

using u64 = unsigned long long;  // uint64_t is unsigned long natively, unsigned long long in wasm

void image_text(JsonText& w, const sim::BuildResult& b) {
  const bool has_target = b.target < b.stages.size();
  w.begin_object();
  if (has_target) {
    w.key("base").value(b.stages[b.target].base);
    w.key("base_size_bytes").value(static_cast<u64>(b.stages[b.target].base_bytes));
  }
  w.key("compressed_estimated").value(true);
  w.key("compressed_size_bytes").value(static_cast<u64>(b.compressed_size_bytes));
  w.key("compression_ratio").value(b.compression_ratio);
  w.key("config");
  config_text(w, b.config);
  w.key("efficiency").value(b.efficiency);
  w.key("files").begin_array();
  char mode[16];
  for (const auto& f : b.files) {
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(f.mode));
    w.begin_object();
    if (f.estimated) w.key("estimated").value(true);
    w.key("gid").value(f.gid);
    w.key("layer").value(f.layer);
    w.key("mode").value(mode);
    w.key("path").value(f.path);
    w.key("size").value(static_cast<u64>(f.size));
    if (f.unknown) w.key("source").value(f.source);
    if (f.summary) w.key("summary").value(true);
    if (!f.link.empty()) w.key("target").value(f.link);
    w.key("type").value(node_type_name(f.type));
    w.key("uid").value(f.uid);
    if (f.unknown) w.key("unknown").value(true);
    w.end_object();
  }
  w.end_array();
  w.key("layers").begin_array();
  for (const auto& l : b.layers) {
    w.begin_object()
        .key("estimated").value(l.estimated)
        .key("instruction").value(l.instruction)
        .key("line").value(b.steps[l.step].line)
        .key("size_bytes").value(static_cast<u64>(l.size_bytes))
        .key("source").value(l.source)
        .key("stage").value(b.stages[l.stage].label)
        .key("unknown").value(l.unknown)
        .key("wasted_bytes").value(static_cast<u64>(l.wasted_bytes))
        .end_object();
  }
  w.end_array();
  w.key("size_bytes").value(static_cast<u64>(b.size_bytes));
  size_t unknown_files = 0;
  for (const auto& f : b.files) unknown_files += f.unknown;
  w.key("unknown").begin_object().key("files").value(unknown_files).key("steps").begin_array();
  for (const auto& l : b.layers)
    if (l.unknown)
      w.begin_object()
          .key("instruction").value(l.instruction)
          .key("line").value(b.steps[l.step].line)
          .key("stage").value(b.stages[l.stage].label)
          .end_object();
  w.end_array().end_object();
  w.key("wasted_bytes").value(static_cast<u64>(b.wasted_bytes));
  w.end_object();
}

}  // namespace

void append_build_json(std::string& out, const sim::BuildResult& b) {
  JsonText w(out);
  const bool has_target = b.target < b.stages.size();
  w.begin_object();

  w.key("comparison").begin_object();
  w.key("final_size_bytes").value(static_cast<u64>(b.size_bytes));
  w.key("saving_bytes").value(static_cast<u64>(b.saving_bytes));
  w.key("single_stage");
  if (b.single_stage < b.stages.size()) w.value(b.stages[b.single_stage].label);
  else w.null();
  w.key("single_stage_size_bytes").value(static_cast<u64>(b.single_stage_size_bytes));
  w.end_object();

  w.key("context").begin_object();
  w.key("before");
  stats_text(w, b.context.before);
  w.key("excluded").array(b.context.excluded);
  w.key("excluded_count").value(b.context.excluded_count);
  w.key("ignore_file").value(b.context.ignore_file);
  w.key("sent");
  stats_text(w, b.context.after);
  w.end_object();

  w.key("diagnostics");
  diagnostics_text(w, b.diagnostics);
  w.key("estimates").array(b.estimates);
  w.key("image");
  image_text(w, b);
  w.key("ok").value(b.ok);

  w.key("stages").begin_array();
  for (const auto& s : b.stages) {
    w.begin_object()
        .key("base").value(s.base)
        .key("base_estimated").value(s.base_estimated)
        .key("base_size_bytes").value(static_cast<u64>(s.base_bytes))
        .key("built").value(s.built)
        .key("depends_on").array(s.depends_on)
        .key("finish_seconds").value(s.finish_seconds)
        .key("index").value(s.index)
        .key("label").value(s.label)
        .key("level").value(s.level)
        .key("name");
    if (s.name.empty()) w.null();
    else w.value(s.name);
    w.key("seconds").value(s.seconds);
    w.key("size_bytes").value(static_cast<u64>(s.size_bytes));
    w.key("unmodelled_lines").begin_array();  // lines of this stage's steps with unknown effects
    for (size_t id : s.steps)
      if (b.steps[id].unmodelled) w.value(b.steps[id].line);
    w.end_array().end_object();
  }
  w.end_array();

  w.key("steps").begin_array();
  for (const auto& st : b.steps) {
    w.begin_object()
        .key("built").value(st.built)
        .key("failed").value(st.failed)
        .key("instruction").value(st.text)
        .key("kind").value(sim::step_kind_name(st.kind))
        .key("layer_bytes").value(static_cast<u64>(st.layer_bytes))
        .key("line").value(st.line)
        .key("notes").array(st.notes)
        .key("seconds").value(st.seconds)
        .key("seconds_estimated").value(st.estimated)
        .key("stage").value(b.stages[st.stage].label)
        .key("stage_index").value(st.stage)
        .key("time_source").value(st.time_source)
        .key("unmodelled").value(st.unmodelled)
        .key("vertex").value(st.vertex)
        .key("vertices").value(st.vertices)
        .key("wasted_bytes").value(static_cast<u64>(st.wasted_bytes))
        .end_object();
  }
  w.end_array();

  w.key("target");
  if (has_target) w.value(b.stages[b.target].label);
  else w.null();
  w.key("target_index");
  if (has_target) w.value(b.target);
  else w.null();
  w.key("time").begin_object()
      .key("cold_seconds").value(b.cold_seconds)
      .key("estimated").value(true)
      .key("serial_seconds").value(b.serial_seconds)
      .end_object();
  w.end_object();
}

std::string build_json_text(const sim::BuildResult& b) {
  std::string out;
  append_build_json(out, b);
  return out;
}

}  // namespace dfplay::report
